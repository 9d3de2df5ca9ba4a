import { startOtlpSink, type SinkOptions } from '../scripts/lib/otlp/sink.ts';
import type { ReceivedSpan } from '../scripts/lib/otlp/decode.ts';
import { waitFor } from './http.ts';

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
    waitForSpans(match: (s: ReceivedSpan) => boolean, count = 1, timeoutMs = 5000): Promise<ReceivedSpan[]> {
      return waitFor(
        () => {
          const found = sink.spans.filter(match);
          return found.length >= count ? found : undefined;
        },
        timeoutMs,
        `${count} matching span(s); received: ${sink.spans.map((s) => s.name).join(', ') || 'none'}`,
      );
    },
  };
}

export type OtlpReceiver = Awaited<ReturnType<typeof startOtlpReceiver>>;
