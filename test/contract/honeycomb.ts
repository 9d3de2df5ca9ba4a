// npm run contract: the project's Honeycomb calls and the Honeycomb fake's answers, held against
// Honeycomb's published API description (the OpenAPI 3.1 document behind api-docs.honeycomb.io;
// ../shared/schemas/SOURCES.md says where it comes from), with Ajv, a JSON Schema validator, doing
// the checking: neither the code nor the fake may share a belief the description does not hold.
// It runs what students run, against the fake, and records every exchange: npm run
// honeycomb:board on a new environment, again once data has arrived, and with an older board;
// npm run doctor -- --only honeycomb; npm run smoke -- --hops honeycomb (its queries, results and
// marker); npm run setup's check; and the fake's refusals (an unknown key, a missing permission, a
// dataset or column not there yet). Each /1/ exchange is one check: the request body against the
// operation's request schema, the answer against the schema of its status and content type.
// A user's clone has no ../shared: .ci/run runs this, npm test never does.
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Ajv2020 from 'ajv/dist/2020.js';
import { parse } from 'yaml';
import { honeycombBoard } from '../../scripts/honeycomb-board.ts';
import { doctor } from '../../scripts/doctor/main.ts';
import { BOARD_QUERIES } from '../../scripts/lib/honeycomb/board.ts';
import { silentTerm } from '../../scripts/lib/terminal/term.ts';
import { setup } from '../../scripts/setup/main.ts';
import { smoke } from '../../scripts/smoke/main.ts';
import { startClouds } from '../../testkit/clouds.ts';
import { KEYS, writeEvents, type Exchange } from '../../testkit/honeycomb.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const DESCRIPTION = process.env.HONEYCOMB_API_DESCRIPTION ?? join(ROOT, '..', 'shared', 'schemas', 'honeycomb-api.yaml');

type Doc = Record<string, any>;
export interface Finding {
  exchange: string;
  problem?: string;
}

// docs.honeycomb.io/api/errors documents these for every endpoint (a missing or unknown key, a
// key without the permission, the rate limit), while some operations list only a few of them.
const ANY_ENDPOINT = ['401', '403', '429'];

/** The description's operation for a request, by its path templates ({datasetSlug} and the like). */
function operationFor(doc: Doc, method: string, path: string): { template: string; op: Doc } | undefined {
  const literal = doc.paths[path]?.[method.toLowerCase()];
  if (literal) return { template: path, op: literal };
  for (const [template, item] of Object.entries<Doc>(doc.paths)) {
    const re = new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+')}$`);
    if (re.test(path) && item[method.toLowerCase()]) return { template, op: item[method.toLowerCase()] };
  }
  return undefined;
}

/** A response object, through components/responses references. */
const deref = (doc: Doc, node: Doc | undefined): Doc | undefined => (node?.$ref ? node.$ref.split('/').slice(1).reduce((n: Doc, k: string) => n?.[k], doc) : node);

const words = (errors: Doc[] | null | undefined) => (errors ?? []).slice(0, 3).map((e) => `${e.instancePath || '(body)'} ${e.message}${e.params?.additionalProperty ? ` (${e.params.additionalProperty})` : ''}`).join('; ');

/** Checks each /1/ exchange against the description; the others (OTLP ingest) it does not describe. */
export function checkExchanges(doc: Doc, exchanges: Exchange[]): Finding[] {
  const ajv = new Ajv2020.default({ strict: false, allErrors: true, validateFormats: false });
  ajv.addSchema({ $id: 'honeycomb-api', ...doc });
  const validator = (schema: Doc) => ajv.compile(schema.$ref ? { $ref: `honeycomb-api${schema.$ref}` } : { $id: `inline-${Math.random()}`, ...JSON.parse(JSON.stringify(schema).replaceAll('"#/', '"honeycomb-api#/')) });
  const findings: Finding[] = [];
  for (const x of exchanges.filter((e) => e.path.startsWith('/1/'))) {
    const name = `${x.method} ${x.path} → ${x.status}`;
    const found = operationFor(doc, x.method, x.path);
    if (!found) {
      findings.push({ exchange: name, problem: 'no such operation in the API description' });
      continue;
    }
    const problems: string[] = [];
    const requestSchema = found.op.requestBody?.content?.['application/json']?.schema;
    if (x.requestBody.length && requestSchema && x.status < 400) {
      const validate = validator(requestSchema);
      if (!validate(JSON.parse(x.requestBody.toString('utf8')))) problems.push(`request body (${found.template}): ${words(validate.errors)}`);
    }
    const responses = found.op.responses ?? {};
    const response = deref(doc, responses[String(x.status)] ?? responses.default);
    if (!response && !ANY_ENDPOINT.includes(String(x.status))) problems.push(`status ${x.status} is not an answer ${found.template} documents (${Object.keys(responses).join(', ')})`);
    const type = x.responseType.split(';')[0]!.trim();
    const content = response?.content;
    if (x.responseBody.length && content) {
      const schema = content[type]?.schema;
      if (!schema) problems.push(`answered ${type || 'no content type'}, which ${found.template} does not list for ${x.status} (${Object.keys(content).join(', ')})`);
      else {
        const validate = validator(schema);
        if (!validate(JSON.parse(x.responseBody.toString('utf8')))) problems.push(`answer ${x.status} ${type}: ${words(validate.errors)}`);
      }
    }
    findings.push({ exchange: name, problem: problems.length ? problems.join('; ') : undefined });
  }
  return findings;
}

/** What students run, against the fake, every exchange recorded. */
export async function recordStudentRuns(): Promise<Exchange[]> {
  const exchanges: Exchange[] = [];
  const clouds = await startClouds({ onExchange: (e) => exchanges.push(e) });
  const term = () => silentTerm();
  try {
    const settings = clouds.settings();
    await honeycombBoard([], { settings, term: term() }); // a new environment
    await doctor(['--only', 'honeycomb'], { settings, term: term() });
    await smoke(['--hops', 'honeycomb', '--timeout', '8'], { settings, term: term(), overrides: { minuteMs: clouds.honeycomb.minuteMs } });
    const metrics = clouds.honeycomb.addDataset(KEYS.enterprise, 'cruddur-metrics', null, 'metrics');
    writeEvents(metrics, [{ signal: 'metric', startMs: Date.now(), resource: { 'service.name': 'backend-flask' }, attributes: { 'service.name': 'backend-flask', state: 'used', 'system.memory.usage': 1, 'process.memory.usage': 2, 'v8js.memory.heap.used': 3, 'nodejs.eventloop.delay.p99': 0.5 } }]);
    await honeycombBoard([], { settings, term: term() }); // once data has arrived
    const store = clouds.honeycomb.config(KEYS.enterprise);
    const older = [...store.annotations.values()].find((a) => a.name === BOARD_QUERIES[0]!.name)!;
    store.queries.set('older-spec1', { id: 'older-spec1', dataset: older.dataset, spec: { ...BOARD_QUERIES[0]!.spec, time_range: 3600 } });
    store.annotations.set(older.id, { ...older, query_id: 'older-spec1' });
    await honeycombBoard([], { settings, term: term() }); // an older board
    await doctor(['--only', 'honeycomb'], { settings, term: term() });
    // No docker or gp on PATH: only its Honeycomb check matters here.
    await setup(['--non-interactive'], { env: clouds.env({ PATH: '/nonexistent' }), output: { write: () => true } as unknown as NodeJS.WritableStream, dotenvPath: join(mkdtempSync(join(tmpdir(), 'contract-')), '.env') }).catch(() => 1);
    // The fake's refusals, as the code meets them.
    const call = (key: string, method: string, path: string, body?: unknown) => fetch(clouds.honeycomb.url + path, { method, headers: { 'x-honeycomb-team': key, 'content-type': 'application/json' }, body: body ? JSON.stringify(body) : undefined });
    await call('hcxlk_not-a-key', 'GET', '/1/auth');
    await call(KEYS.ingest, 'GET', '/1/datasets');
    await call(KEYS.enterprise, 'POST', '/1/queries/no-such-dataset', { calculations: [{ op: 'COUNT' }], time_range: 60 });
    await call(KEYS.enterprise, 'POST', '/1/queries/backend-flask', { calculations: [{ op: 'P90', column: 'no.such.column' }], time_range: 60 });
    await call(KEYS.enterprise, 'POST', '/1/queries/cruddur-metrics', { calculations: [{ op: 'COUNT' }], time_range: 60 });
    await call(KEYS.enterprise, 'POST', '/1/markers/no-such-dataset', { message: 'x' });
  } finally {
    await clouds.close();
  }
  return exchanges;
}

/** The Honeycomb half of npm run contract: each exchange one check. */
export async function honeycombContract(): Promise<{ passed: number; failed: number }> {
  if (!existsSync(DESCRIPTION)) {
    console.error(`✘ ${DESCRIPTION} is missing: the contract check needs Honeycomb's API description (../shared/schemas/honeycomb-api.yaml beside the checkout, or HONEYCOMB_API_DESCRIPTION)`);
    return { passed: 0, failed: 1 };
  }
  const doc = parse(readFileSync(DESCRIPTION, 'utf8'));
  // A check that cannot fail proves nothing: two answers outside the description must be caught.
  const bad = (method: string, path: string, status: number, request: unknown, response: unknown): Exchange => ({ method, path, requestType: 'application/json', requestBody: Buffer.from(request ? JSON.stringify(request) : ''), status, responseType: 'application/json', responseBody: Buffer.from(JSON.stringify(response)) });
  const control = checkExchanges(doc, [
    bad('POST', '/1/boards', 201, { name: 'b', type: 'classic' }, { id: 'x', name: 'b', type: 'classic' }),
    bad('POST', '/1/queries/backend-flask', 200, { calculations: [{ op: 'MEDIAN' }] }, { id: 'q', calculations: [{ op: 'MEDIAN' }] }),
  ]);
  if (control.some((f) => !f.problem)) {
    console.error(`✘ the contract check passed an answer outside the description: ${JSON.stringify(control)}`);
    return { passed: 0, failed: 1 };
  }
  const findings = checkExchanges(doc, await recordStudentRuns());
  const failed = findings.filter((f) => f.problem);
  for (const f of findings) console.log(`${f.problem ? '✘' : '✔'} ${f.exchange}${f.problem ? `: ${f.problem}` : ''}`);
  const operations = new Set(findings.map((f) => f.exchange.replace(/ → .*/, '')));
  console.log(`${findings.length} exchanges with Honeycomb's API, ${operations.size} distinct requests, held against ${DESCRIPTION}: ${findings.length - failed.length} as it describes, ${failed.length} not\n`);
  return { passed: findings.length - failed.length, failed: failed.length };
}
