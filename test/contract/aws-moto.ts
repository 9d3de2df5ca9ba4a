// npm run contract:aws: a second opinion on the AWS fakes. The project's own calls, made with its
// own SDK clients and code, go once to moto's server (an independent, well-kept implementation of
// AWS: moto 5.2.6 from PyPI) and once to this project's fakes (testkit/aws/), and what the code
// gets back is compared. moto answers GetCallerIdentity, PutTraceSegments, BatchGetTraces and
// CloudWatch Logs; its GetGroup, CreateGroup and filtered GetTraceSummaries are not implemented
// (checked with that version), so those stay with the fake and the sources it names. Where the
// two disagree, the AWS API reference decides, and the disagreement is printed for that.
// Needs python3 with venv: it installs moto into ~/.cache/cruddur/moto-venv on first use.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { BatchGetTracesCommand, PutTraceSegmentsCommand } from '@aws-sdk/client-xray';
import { callerIdentity, xrayClient } from '../../scripts/lib/aws/clients.ts';
import { DOCTOR_STREAM, ensureLogGroup, findLogGroup, recentEvents, writeTestEvent } from '../../scripts/lib/aws/cloudwatch-logs.ts';
import { segmentDocuments } from '../../scripts/lib/aws/xray-segments.ts';
import { canaryTrace } from '../../scripts/lib/otlp/canary.ts';
import { loadSettings, type Settings } from '../../scripts/lib/workspace/settings.ts';
import { toSpanLike } from '../../scripts/smoke/hops/hop.ts';
import { INDEXED } from '../../scripts/smoke/hops/xray.ts';
import { AWS, startClouds } from '../../testkit/clouds.ts';

const MOTO = '5.2.6';
const VENV = join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'cruddur', 'moto-venv');

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/** moto's server, installed once into its own virtual environment. */
async function startMoto(): Promise<{ url: string; stop(): void }> {
  const bin = join(VENV, 'bin', 'moto_server');
  if (!existsSync(bin)) {
    console.log(`installing moto[server]==${MOTO} into ${VENV} (once)`);
    for (const [cmd, args] of [['python3', ['-m', 'venv', VENV]], [join(VENV, 'bin', 'pip'), ['install', '-q', `moto[server]==${MOTO}`]]] as const) {
      const r = spawnSync(cmd, args, { stdio: 'inherit' });
      if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (exit ${r.status ?? r.error?.message}): the AWS second opinion needs python3 with venv (apt-get install python3-venv) and PyPI`);
    }
  }
  const port = await freePort();
  const child = spawn(bin, ['-H', '127.0.0.1', '-p', String(port)], { stdio: 'ignore' });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 100; i++) {
    if (await fetch(`${url}/moto-api/`).then((r) => r.ok, () => false)) return { url, stop: () => child.kill() };
    await new Promise((r) => setTimeout(r, 200));
  }
  child.kill();
  throw new Error(`moto_server did not answer on ${url} within 20 s`);
}

type Outcome = Record<string, unknown>;

/**
 * Where moto and the fakes differ and AWS itself has been seen to answer as the fake does: each
 * with that evidence. A difference not listed here fails the check.
 */
const AWS_DECIDED: Record<string, { fakes: Outcome; evidence: string }> = {
  'logs:FilterLogEvents on a stream nothing has written yet': {
    fakes: { error: 'ResourceNotFoundException' },
    evidence: 'AWS refuses a named stream that does not exist: "ResourceNotFoundException: The specified log stream does not exist." (percona/rds_exporter#81), failing the whole request when any listed stream is missing (percona/rds_exporter#123); moto 5.2.6 answers no events',
  },
};

/** The project's calls, as the doctor, setup, the smoke and xray:setup make them, reduced to what the code reads. */
async function scenario(settings: Settings): Promise<Record<string, Outcome>> {
  const out: Record<string, Outcome> = {};
  const who = await callerIdentity(settings);
  out['sts:GetCallerIdentity'] = who.ok ? { ok: true, account: /^\d{12}$/.test(who.value.Account), arn: who.value.Arn.startsWith('arn:aws:') } : { ok: false, cause: who.fault.cause };
  const canary = canaryTrace('backend-flask', 'moto');
  const docs = segmentDocuments(canary.spans.map(toSpanLike), 'backend-flask', INDEXED);
  const put = await xrayClient(settings).send(new PutTraceSegmentsCommand({ TraceSegmentDocuments: docs }));
  out['xray:PutTraceSegments'] = { unprocessed: (put.UnprocessedTraceSegments ?? []).length };
  const bad = await xrayClient(settings).send(new PutTraceSegmentsCommand({ TraceSegmentDocuments: ['{"name":"no-id"}'] })).then(
    (r) => ({ unprocessed: (r.UnprocessedTraceSegments ?? []).length }),
    (err: Error) => ({ error: err.name }),
  );
  out['xray:PutTraceSegments (a document without id, trace_id or times)'] = bad;
  const traceId = `1-${canary.traceId.slice(0, 8)}-${canary.traceId.slice(8)}`;
  const got = await xrayClient(settings).send(new BatchGetTracesCommand({ TraceIds: [traceId] }));
  const segments = (got.Traces ?? []).flatMap((t) => t.Segments ?? []).map((s) => JSON.parse(s.Document ?? '{}') as Record<string, any>);
  out['xray:BatchGetTraces'] = {
    traces: (got.Traces ?? []).length,
    segments: segments.length,
    names: [...new Set(segments.map((s) => s.name))].sort(),
    smokeAnnotation: segments.some((s) => s.annotations?.app_smoke_id === canary.smokeId),
  };
  const missing = await xrayClient(settings).send(new BatchGetTracesCommand({ TraceIds: ['1-00000000-000000000000000000000000'] }));
  out['xray:BatchGetTraces (an unknown trace)'] = { traces: (missing.Traces ?? []).length };
  out['logs: the group before it exists'] = { found: Boolean(await findLogGroup(settings)) };
  const made = await ensureLogGroup(settings);
  out['logs:CreateLogGroup, PutRetentionPolicy'] = { outcome: made.outcome, detail: made.detail };
  const group = await findLogGroup(settings);
  out['logs:DescribeLogGroups'] = { found: Boolean(group), retentionInDays: group?.retentionInDays };
  const again = await ensureLogGroup(settings);
  out['logs: the group again (idempotent)'] = { outcome: again.outcome, detail: again.detail };
  const since = Date.now() - 60_000;
  out['logs:FilterLogEvents on a stream nothing has written yet'] = await recentEvents(settings, since, [canary.smokeId]).then((e) => ({ events: e.length }), (err: Error) => ({ error: err.name }));
  await writeTestEvent(settings, `cruddur-moto ${canary.smokeId}`);
  const doctorStream = loadSettings({ ...settings.env, CLOUDWATCH_LOG_STREAM: DOCTOR_STREAM }, {});
  const events = await recentEvents(doctorStream, since, [canary.smokeId]);
  out['logs:CreateLogStream, PutLogEvents, FilterLogEvents'] = { found: events.some((e) => e.message?.includes(canary.smokeId)) };
  return out;
}

/** The AWS half of npm run contract: each call one check. */
export async function awsContract(): Promise<{ passed: number; failed: number }> {
  const moto = await startMoto();
  const clouds = await startClouds();
  let passed = 0;
  let failed = 0;
  try {
    const base = { HOME: '/nonexistent', ...AWS, CLOUDWATCH_LOG_GROUP: 'cruddur-contract', CLOUDWATCH_LOG_STREAM: 'contract' };
    const viaMoto = await scenario(loadSettings({ ...base, AWS_ENDPOINT_URL: moto.url }, {}));
    const viaFakes = await scenario(loadSettings({ ...base, AWS_ENDPOINT_URL_STS: clouds.sts.url, AWS_ENDPOINT_URL_XRAY: clouds.xray.url, AWS_ENDPOINT_URL_CLOUDWATCH_LOGS: clouds.logs.url }, {}));
    for (const call of Object.keys(viaMoto)) {
      const same = JSON.stringify(viaMoto[call]) === JSON.stringify(viaFakes[call]);
      const decided = !same && JSON.stringify(AWS_DECIDED[call]?.fakes) === JSON.stringify(viaFakes[call]);
      if (same || decided) passed++;
      else failed++;
      const said = same ? JSON.stringify(viaMoto[call]) : `moto ${JSON.stringify(viaMoto[call])}, the fakes ${JSON.stringify(viaFakes[call])}${decided ? `; AWS decides for the fakes: ${AWS_DECIDED[call]!.evidence}` : ''}`;
      console.log(`${same || decided ? '✔' : '✘'} ${call}: ${said}`);
    }
  } finally {
    moto.stop();
    await clouds.close();
  }
  console.log(`the project's AWS calls through moto ${MOTO} and through testkit/aws: ${passed} alike or decided by AWS, ${failed} different\n`);
  return { passed, failed };
}
