// The X-Ray filter subset (scripts/lib/aws/xray-filter.ts) that the doctor's aws.xray-group and
// the smoke's confirmation judge a group by, as a truth table. The syntax is X-Ray's own
// (docs.aws.amazon.com/xray/latest/devguide/xray-console-filters: service("name"),
// annotation.key = value with string, number and boolean values, = and !=, AND, OR, NOT,
// parentheses; keywords in any case); what it does not support must be refused, never guessed.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { compileFilter, type TraceFacts } from '../../../lib/aws/xray-filter.ts';
import { annotationKey, segmentDocuments, type SpanLike } from '../../../lib/aws/xray-segments.ts';

const facts = (services: string[], annotations: Record<string, unknown[]> = {}): TraceFacts => ({ services: new Set(services), annotations: new Map(Object.entries(annotations)) });
const BACKEND = facts(['backend-flask'], { app_smoke_id: ['smoke-1'], app_result_length: [3], app_ok: [true] });

const filters = suite('X-Ray filter expressions');

// [expression, selects the backend's trace above]
const TABLE: [string, boolean][] = [
  ['service("backend-flask")', true],
  ['service("backend")', false],
  ['  service("backend-flask")  ', true],
  ['service( "backend-flask" )', true],
  ['annotation.app_smoke_id = "smoke-1"', true],
  ['annotation.app_smoke_id = "smoke-2"', false],
  ['annotation.app_smoke_id != "smoke-2"', true],
  ['annotation.app_smoke_id != "smoke-1"', false],
  ['annotation.missing = "x"', false],
  ['annotation.missing != "x"', true],
  ['annotation.app_result_length = 3', true],
  ['annotation.app_result_length = 3.0', true],
  ['annotation.app_result_length = 4', false],
  ['annotation.app_result_length = "3"', false], // a string is not the number 3
  ['annotation.app_ok = true', true],
  ['annotation.app_ok = false', false],
  ['annotation.app_ok = "true"', false],
  ['annotation.app_smoke_id = "smoke-1" AND service("backend-flask")', true],
  ['annotation.app_smoke_id = "smoke-1" AND service("other")', false],
  ['service("other") OR annotation.app_smoke_id = "smoke-1"', true],
  ['service("other") OR service("b")', false],
  ['service("other") or service("backend-flask")', true],
  ['NOT service("backend-flask")', false],
  ['not service("other")', true],
  ['NOT (service("other") OR service("backend-flask"))', false],
  ['(service("backend-flask"))', true],
  ['((service("other")) OR (service("backend-flask") AND NOT service("b")))', true],
  // AND binds tighter than OR, on either side.
  ['service("backend-flask") OR service("b") AND service("c")', true],
  ['service("b") AND service("c") OR service("backend-flask")', true],
  ['service("b") AND (service("c") OR service("backend-flask"))', false],
];
for (const [expression, selects] of TABLE) {
  filters(`${expression} ${selects ? 'selects' : 'does not select'} the backend's trace`, () => {
    assert.is(compileFilter(expression)(BACKEND), selects);
  });
}

filters('negative, many-digit and decimal numbers are numbers', () => {
  assert.is(compileFilter('annotation.delta = -2.5')(facts([], { delta: [-2.5] })), true);
  assert.is(compileFilter('annotation.delta = -2.5')(facts([], { delta: [2.5] })), false);
  assert.is(compileFilter('annotation.n = 120')(facts([], { n: [120] })), true);
  assert.is(compileFilter('annotation.n = 12.25')(facts([], { n: [12.25] })), true);
});

filters('only the words true and false are booleans: a word that holds one is a string', () => {
  for (const word of ['istrue', 'falsely']) {
    assert.is(compileFilter(`annotation.k = ${word}`)(facts([], { k: [word === 'istrue'] })), false, word);
    assert.is(compileFilter(`annotation.k = ${word}`)(facts([], { k: [word] })), true, word);
  }
});

filters('a quoted string may hold an escaped quote and the words AND, OR, NOT', () => {
  assert.is(compileFilter('service("say \\"NOT\\" AND OR")')(facts(['say \\"NOT\\" AND OR'])), true);
});

filters('an annotation with several values is selected by any of them', () => {
  assert.is(compileFilter('annotation.k = "b"')(facts([], { k: ['a', 'b'] })), true);
  assert.is(compileFilter('annotation.k != "b"')(facts([], { k: ['a', 'b'] })), false);
});

// [expression, the start of X-Ray's refusal]
const REFUSED: [string, RegExp][] = [
  ['responsetime > 5', /^Invalid filter expression near " > 5"$/],
  ['http.status = 500', /^Invalid filter expression: unsupported keyword http\.status$/],
  ['service("backend-flask"', /^Invalid filter expression: expected \) at token 3$/],
  ['service(backend-flask)', /^Invalid filter expression near "-flask\)"$/],
  ['service(backend)', /^Invalid filter expression: expected str at token 2$/],
  ['service "backend-flask"', /^Invalid filter expression: expected \( at token 1$/],
  ['service("a") service("b")', /^Invalid filter expression: unexpected trailing input$/],
  ['service("a") AND', /^Invalid filter expression: expected word at token 5$/],
  ['NOT', /^Invalid filter expression: expected word at token 1$/],
  ['annotation.k "v"', /^Invalid filter expression: expected op at token 1$/],
  ['annotation.k =', /^Invalid filter expression: expected a value at token 2$/],
  ['(service("a")', /^Invalid filter expression: expected \) at token 5$/],
  [')', /^Invalid filter expression: expected word at token 0$/],
  ['service("a") $', /^Invalid filter expression near " \$"$/],
];
for (const [expression, refusal] of REFUSED) {
  filters(`${expression} is refused`, () => {
    assert.throws(() => compileFilter(expression)(BACKEND), refusal);
  });
}

filters('nothing but spaces is refused, as X-Ray refuses an empty expression', () => {
  assert.throws(() => compileFilter('   '), /Invalid filter expression/);
});

filters.run();

const segments = suite('X-Ray segment documents from spans');

const span = (s: Partial<SpanLike> & Pick<SpanLike, 'spanId' | 'parentSpanId' | 'name'>): SpanLike => ({ traceId: '6b164cb5be0d4eec265ffb60c9a0564e', startMs: 1_700_000_000_123, endMs: 1_700_000_000_456, attributes: {}, ...s });

segments('a root span is a segment named for the service, its children nested as subsegments, times in seconds', () => {
  const spans = [
    span({ spanId: 'aaaaaaaaaaaaaaaa', parentSpanId: '', name: 'GET /api/activities/home', attributes: { 'app.smoke_id': 'smoke-1', 'app.other': 'x' } }),
    span({ spanId: 'bbbbbbbbbbbbbbbb', parentSpanId: 'aaaaaaaaaaaaaaaa', name: 'home-activities-mock-data', attributes: { 'app.smoke_id': 'smoke-1' } }),
    span({ spanId: 'cccccccccccccccc', parentSpanId: 'bbbbbbbbbbbbbbbb', name: 'deeper', startMs: 1_700_000_000_200, endMs: 1_700_000_000_300 }),
  ];
  const docs = segmentDocuments(spans, 'backend-flask', ['app.smoke_id']).map((d) => JSON.parse(d));
  assert.equal(docs, [
    {
      name: 'backend-flask',
      id: 'aaaaaaaaaaaaaaaa',
      trace_id: '1-6b164cb5-be0d4eec265ffb60c9a0564e',
      start_time: 1_700_000_000.123,
      end_time: 1_700_000_000.456,
      annotations: { app_smoke_id: 'smoke-1' },
      subsegments: [
        {
          name: 'home-activities-mock-data',
          id: 'bbbbbbbbbbbbbbbb',
          start_time: 1_700_000_000.123,
          end_time: 1_700_000_000.456,
          annotations: { app_smoke_id: 'smoke-1' },
          subsegments: [{ name: 'deeper', id: 'cccccccccccccccc', start_time: 1_700_000_000.2, end_time: 1_700_000_000.3 }],
        },
      ],
    },
  ]);
});

segments('a span whose parent is elsewhere (the browser) is a root with that parent_id; two roots are two documents', () => {
  const spans = [span({ spanId: 'aaaaaaaaaaaaaaaa', parentSpanId: 'ffffffffffffffff', name: 'a' }), span({ spanId: 'bbbbbbbbbbbbbbbb', parentSpanId: '', name: 'b' })];
  const docs = segmentDocuments(spans, 'svc', []).map((d) => JSON.parse(d));
  assert.equal(docs.map((d) => [d.name, d.id, d.parent_id, 'annotations' in d, 'subsegments' in d]), [
    ['svc', 'aaaaaaaaaaaaaaaa', 'ffffffffffffffff', false, false],
    ['svc', 'bbbbbbbbbbbbbbbb', undefined, false, false],
  ]);
});

segments('annotation keys keep letters, digits and _ (the awsxray exporter maps the rest to _)', () => {
  assert.is(annotationKey('app.smoke-id/2'), 'app_smoke_id_2');
  assert.is(annotationKey('Already_OK9'), 'Already_OK9');
});

segments.run();
