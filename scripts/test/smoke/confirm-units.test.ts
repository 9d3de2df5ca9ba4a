// The smoke's confirmation helpers on their own: the poll's backoff at its edges, and what the
// stored segment documents of a trace say about it (its services and annotations), as the
// X-Ray group's filter is run on them when the trace was stored but not found; and the share of
// spans X-Ray indexes when CloudWatch Transaction Search is on.
import { GetIndexingRulesCommand, GetTraceSegmentDestinationCommand, type XRayClient } from '@aws-sdk/client-xray';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { backoff, indexingShare, traceFacts } from '../../smoke/confirm.ts';

test('backoff: 250 ms doubling from the first attempt, never past its cap', () => {
  assert.equal([0, 1, 2, 3].map((a) => backoff(a, 10_000)), [250, 500, 1000, 2000]);
  assert.is(backoff(3, 2000), 2000, 'at the cap');
  assert.is(backoff(4, 2000), 2000, 'past it');
  assert.is(backoff(0, 50), 50, 'a cap below the first step wins');
});

test('trace facts: each document’s service, not a subsegment’s name; annotations from every level', () => {
  const segment = JSON.stringify({
    name: 'backend-flask',
    annotations: { app_smoke_id: 'smoke-1' },
    subsegments: [{ name: 'home-activities-mock-data', annotations: { app_result_length: 3 }, subsegments: [{ name: 'deeper', annotations: { app_smoke_id: 'smoke-1' } }] }],
  });
  // The awsxray exporter sends a non-server span as a document of its own, of type subsegment.
  const orphan = JSON.stringify({ name: 'db-query', type: 'subsegment', annotations: { app_user_handle: 'andrewbrown' } });
  const facts = traceFacts([segment, orphan, 'not json', JSON.stringify({ annotations: { lone: true } })]);
  assert.equal([...facts.services], ['backend-flask']);
  assert.equal(Object.fromEntries(facts.annotations), { app_smoke_id: ['smoke-1', 'smoke-1'], app_result_length: [3], app_user_handle: ['andrewbrown'], lone: [true] });
});

test('trace facts of nothing readable: no services, no annotations', () => {
  const facts = traceFacts(['', '{', '[]']);
  assert.equal([facts.services.size, facts.annotations.size], [0, 0]);
});

test('the indexed share with Transaction Search on: the rule named Default, else the first; 1 % when none says; none when it is off or cannot be asked', async () => {
  // Shapes from the X-Ray API reference: GetTraceSegmentDestination's Destination ("XRay" or
  // "CloudWatchLogs"), GetIndexingRules' IndexingRules[].Rule.Probabilistic.DesiredSamplingPercentage.
  const rule = (Name: string, percent?: number) => ({ Name, Rule: percent === undefined ? {} : { Probabilistic: { DesiredSamplingPercentage: percent } } });
  const client = (destination: string, rules?: unknown[]) =>
    ({
      send: async (command: unknown) => {
        if (command instanceof GetTraceSegmentDestinationCommand) return { Destination: destination };
        if (command instanceof GetIndexingRulesCommand) return rules === undefined ? {} : { IndexingRules: rules };
        throw new Error('not asked');
      },
    }) as unknown as XRayClient;
  const cases: [string, XRayClient, number | undefined][] = [
    ['off', client('XRay', [rule('Default', 5)]), undefined],
    ['Default, not first', client('CloudWatchLogs', [rule('Other', 50), rule('Default', 5)]), 5],
    ['no Default: the first', client('CloudWatchLogs', [rule('Other', 50), rule('Another', 20)]), 50],
    ['0 % is 0 %', client('CloudWatchLogs', [rule('Default', 0)]), 0],
    ['a rule with no percentage', client('CloudWatchLogs', [rule('Default')]), 1],
    ['a rule with no Rule', client('CloudWatchLogs', [{ Name: 'Default' }]), 1],
    ['no rules', client('CloudWatchLogs', []), 1],
    ['no rules listed', client('CloudWatchLogs'), 1],
    ['cannot ask', { send: async () => Promise.reject(new Error('AccessDenied')) } as unknown as XRayClient, undefined],
  ];
  const seen = await Promise.all(cases.map(async ([name, c]) => [name, await indexingShare(c)]));
  assert.equal(seen, cases.map(([name, , share]) => [name, share]));
});

test.run();
