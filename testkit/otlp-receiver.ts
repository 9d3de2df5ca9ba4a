import { startOtlpSink, type SinkOptions } from '../scripts/lib/otlp/sink.ts';
import type { ReceivedLog, ReceivedSpan } from '../scripts/lib/otlp/decode.ts';

export type ReceiverMode = 'ok' | 'hang' | 'fail';

/** The smoke's OTLP sink with failure modes, standing in for the collector or Honeycomb's ingest. */
export async function startOtlpReceiver(options: Omit<SinkOptions, 'intercept'> & { mode?: ReceiverMode } = {}) {
  const state = { mode: options.mode ?? 'ok' };
  const sink = await startOtlpSink({
    ...options,
    intercept: (_req, res) => {
      if (state.mode === 'hang') return true; // never answers: the client's timeout must save it
      if (state.mode === 'fail') {
        res.writeHead(503, { 'content-type': 'application/json' }).end('{"code":14,"message":"unavailable"}');
        return true;
      }
      return false;
    },
  });
  return {
    ...sink,
    setMode(mode: ReceiverMode) {
      state.mode = mode;
    },
    /** Resolves with the spans once `count` of them match, or rejects after `timeoutMs`. */
    async waitForSpans(match: (s: ReceivedSpan) => boolean, count = 1, timeoutMs = 5000): Promise<ReceivedSpan[]> {
      const found = await sink.until(match, count, AbortSignal.timeout(timeoutMs));
      if (found.length < count) {
        throw new Error(`Timed out after ${timeoutMs} ms waiting for ${count} matching span(s); received: ${sink.spans.map((s) => s.name).join(', ') || 'none'}`);
      }
      return found;
    },
    /** The same for log records (/v1/logs). */
    async waitForLogs(match: (l: ReceivedLog) => boolean, count = 1, timeoutMs = 5000): Promise<ReceivedLog[]> {
      const found = await sink.untilLogs(match, count, AbortSignal.timeout(timeoutMs));
      if (found.length < count) {
        throw new Error(`Timed out after ${timeoutMs} ms waiting for ${count} matching log record(s); received: ${sink.logs.map((l) => String(l.body)).join(', ') || 'none'}`);
      }
      return found;
    },
  };
}

export type OtlpReceiver = Awaited<ReturnType<typeof startOtlpReceiver>>;
