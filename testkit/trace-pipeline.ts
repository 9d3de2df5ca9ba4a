import { startCollector, type Collector } from './collector.ts';
import { startOtlpReceiver } from './otlp-receiver.ts';

/**
 * The real collector with an OTLP receiver in Honeycomb's place: what the page's proxy and the
 * backend send goes through otelcol-contrib (its receiver, CORS, batching and otlp_http
 * exporter) before a test reads it. `url` is the collector's; `spans` and `waitForSpans` what
 * came out of it; `requests` what reached it.
 */
export async function startTracePipeline() {
  const out = await startOtlpReceiver();
  let collector: Collector;
  try {
    collector = await startCollector({ honeycomb: { url: out.url, key: 'hcxlk_01jtracepipeline0000000000' } });
  } catch (err) {
    await out.close();
    throw err;
  }
  return {
    url: collector.url,
    collector,
    get spans() {
      return out.spans;
    },
    waitForSpans: out.waitForSpans,
    get logs() {
      return out.logs;
    },
    waitForLogs: out.waitForLogs,
    get requests() {
      return collector.requests.map((r) => ({ ...r, contentType: String(r.headers['content-type'] ?? '') }));
    },
    async close() {
      await collector.close();
      await out.close();
    },
  };
}

export type TracePipeline = Awaited<ReturnType<typeof startTracePipeline>>;
