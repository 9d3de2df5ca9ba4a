// A stand-in for otelcol-contrib that runs this project's own collector config: the OTLP/HTTP
// receiver with its CORS, the health_check extension, and the traces and logs pipelines'
// exporters (otlp_http to Honeycomb with the configured headers, awsxray with
// PutTraceSegments, awscloudwatchlogs with PutLogEvents).
import { setTimeout as sleep } from 'node:timers/promises';
import { PutTraceSegmentsCommand, XRayClient } from '@aws-sdk/client-xray';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { listen } from '../../scripts/lib/http-server.ts';
import { startOtlpSink } from '../../scripts/lib/otlp/sink.ts';
import type { ReceivedLog, ReceivedSpan } from '../../scripts/lib/otlp/decode.ts';
import { featureGates, loadConfig, type OtlpHttpExporter, type XrayExporter } from './config.ts';
import { cloudWatchLogsExporter } from './cloudwatch-logs.ts';
import { makeSegment } from './xray-segments.ts';

export interface CollectorOptions {
  configs: string[];
  gates?: string[];
  env?: Record<string, string | undefined>;
  log?: (line: string) => void;
  /** Override the configured ports (0: a free one), for a stand-in on loopback in tests. */
  ports?: { otlpHttp?: number; health?: number };
  host?: string;
  /** false drops what arrives, as a collector whose exporters all fail (tests switch it). */
  accept?: () => boolean;
}

// exporterhelper's retry_on_failure defaults: 5 s initial interval, 30 s cap, give up after 300 s.
const RETRY = { initialMs: 5000, maxMs: 30_000, elapsedMs: 300_000 };
// exporter/awsxrayexporter/awsxray.go: at most 50 documents per PutTraceSegments call.
const MAX_SEGMENTS_PER_PUT = 50;

export async function startCollector(opts: CollectorOptions) {
  const env = opts.env ?? process.env;
  const log = opts.log ?? ((line: string) => console.log(line));
  const gates = featureGates(opts.gates ?? []);
  const config = loadConfig(opts.configs, env);
  for (const w of config.warnings) log(`warn\t${w}`);
  const host = opts.host ?? config.otlpHttp.host;
  const state = { exported: { otlp_http: 0, awsxray: 0, awscloudwatchlogs: 0 }, failures: 0 };
  // Closing abandons retries under way, so a stopped stand-in holds no timers.
  const stopping = new AbortController();

  async function withRetry(id: string, send: () => Promise<void>) {
    const started = Date.now();
    for (let delay = RETRY.initialMs; ; delay = Math.min(delay * 2, RETRY.maxMs)) {
      try {
        return await send();
      } catch (err) {
        state.failures++;
        if (Date.now() - started + delay > RETRY.elapsedMs) return log(`error\t${id}: Exporting failed. Dropping data. ${(err as Error).message}`);
        log(`info\t${id}: Exporting failed. Will retry the request after interval. ${(err as Error).message} interval=${delay / 1000}s`);
        if (!(await sleep(delay, true, { signal: stopping.signal }).catch(() => false))) return;
      }
    }
  }

  // The SDK's default credential chain, read from this collector's environment.
  const credentials = env.AWS_ACCESS_KEY_ID ? { accessKeyId: env.AWS_ACCESS_KEY_ID, secretAccessKey: env.AWS_SECRET_ACCESS_KEY ?? '', ...(env.AWS_SESSION_TOKEN ? { sessionToken: env.AWS_SESSION_TOKEN } : {}) } : undefined;

  type Forward<T> = (items: T[], body: Buffer, contentType: string) => Promise<unknown>;
  const traceExporters: Forward<ReceivedSpan>[] = config.pipelines.traces.map((exp) => (exp.kind === 'otlp_http' ? otlpHttp(exp, 'traces') : awsxray(exp as XrayExporter)));
  const logExporters: Forward<ReceivedLog>[] | undefined = config.pipelines.logs?.map((exp) => {
    if (exp.kind === 'otlp_http') return otlpHttp(exp, 'logs');
    if (exp.kind !== 'awscloudwatchlogs') throw new Error(`exporter ${exp.id} has no logs`);
    const client = new CloudWatchLogsClient({ region: exp.region || env.AWS_REGION, ...(exp.endpoint ? { endpoint: exp.endpoint } : {}), ...(credentials ? { credentials } : {}), maxAttempts: 1 });
    const push = cloudWatchLogsExporter(exp, client, log);
    return (records: ReceivedLog[]) =>
      withRetry(exp.id, async () => {
        state.exported.awscloudwatchlogs += await push(records);
      });
  });

  // exporter/otlphttpexporter: POST <endpoint>/v1/traces or /v1/logs with the configured headers.
  // The real exporter re-encodes as protobuf; the body is forwarded as received (the Honeycomb
  // fake reads both).
  function otlpHttp<T>(exp: OtlpHttpExporter, signal: 'traces' | 'logs'): Forward<T> {
    const url = `${exp.endpoint}/v1/${signal}`;
    return (items, body, contentType) =>
      withRetry(exp.id, async () => {
        const res = await fetch(url, { method: 'POST', body: new Uint8Array(body), headers: { 'content-type': contentType, ...exp.headers }, signal: AbortSignal.timeout(30_000) });
        await res.arrayBuffer();
        if (!res.ok) throw new Error(`Permanent error: rpc error: code = ${res.status === 401 ? 'Unauthenticated' : 'Unknown'} desc = error exporting items, request to ${url} responded with HTTP Status Code ${res.status}`);
        state.exported.otlp_http += items.length;
      });
  }

  function awsxray(exp: XrayExporter): Forward<ReceivedSpan> {
    const client = new XRayClient({ region: exp.region || env.AWS_REGION, ...(exp.endpoint ? { endpoint: exp.endpoint } : {}), ...(credentials ? { credentials } : {}), maxAttempts: 1 });
    return (spans: ReceivedSpan[]) => {
      const docs: string[] = [];
      for (const span of spans) {
        try {
          docs.push(JSON.stringify(makeSegment(span, exp.indexed, gates['exporter.xray.allowDot']!)));
        } catch (err) {
          log(`warn\t${exp.id}: Unable to convert span to X-Ray segment: ${(err as Error).message}`);
        }
      }
      const batches = [];
      for (let i = 0; i < docs.length; i += MAX_SEGMENTS_PER_PUT) batches.push(docs.slice(i, i + MAX_SEGMENTS_PER_PUT));
      return Promise.all(
        batches.map((batch) =>
          withRetry(exp.id, async () => {
            const out = await client.send(new PutTraceSegmentsCommand({ TraceSegmentDocuments: batch }));
            for (const u of out.UnprocessedTraceSegments ?? []) log(`warn\t${exp.id}: unprocessed segment ${u.Id}: ${u.ErrorCode} ${u.Message}`);
            state.exported.awsxray += batch.length - (out.UnprocessedTraceSegments ?? []).length;
          }),
        ),
      );
    };
  }

  const receiver = await startOtlpSink({
    host,
    port: opts.ports?.otlpHttp ?? config.otlpHttp.port,
    corsOrigins: config.otlpHttp.corsOrigins,
    corsHeaders: config.otlpHttp.corsHeaders,
    // otlpreceiver registers /v1/logs only when a logs pipeline uses the receiver.
    signals: logExporters ? ['traces', 'logs'] : ['traces'],
    onExport: (spans, body, req) => {
      if (opts.accept && !opts.accept()) return;
      for (const exporter of traceExporters) void exporter(spans, body, String(req.headers['content-type']));
    },
    onExportLogs: (records, body, req) => {
      if (opts.accept && !opts.accept()) return;
      for (const exporter of logExporters ?? []) void exporter(records, body, String(req.headers['content-type']));
    },
  });

  // extension/healthcheckextension: GET / answers 200 {"status":"Server available",...} once the pipelines run.
  const upSince = new Date();
  const health = config.health
    ? await listen(
        (_req, res) => {
          const uptime = `${Math.round((Date.now() - upSince.getTime()) / 1000)}s`;
          res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ status: 'Server available', upSince: upSince.toISOString(), uptime }));
        },
        opts.ports?.health ?? config.health.port,
        host,
      )
    : undefined;
  const healthPort = health?.port;
  log(`info\tEverything is ready. Begin running and processing data. (stand-in; otlp http :${receiver.port}${healthPort ? `, health :${healthPort}` : ''})`);

  return {
    ...receiver,
    healthPort,
    gates,
    state,
    async close() {
      stopping.abort();
      await receiver.close();
      await health?.close();
    },
  };
}

export type Collector = Awaited<ReturnType<typeof startCollector>>;
