import { ExportResultCode } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';

export interface SendResult {
  ok: boolean;
  error?: string;
}

/** Sends spans over OTLP/HTTP protobuf with the real exporter, and reports its verdict. */
export function sendSpans(spans: ReadableSpan[], url: string, headers: Record<string, string> = {}, timeoutMillis = 10_000): Promise<SendResult> {
  const exporter = new OTLPTraceExporter({ url, headers, timeoutMillis });
  return new Promise((resolve) => {
    exporter.export(spans, (result) => {
      void exporter.shutdown();
      resolve(result.code === ExportResultCode.SUCCESS ? { ok: true } : { ok: false, error: result.error?.message ?? 'export failed' });
    });
  });
}
