import { CreateGroupCommand, CreateSamplingRuleCommand, GetGroupCommand, paginateGetSamplingRules, type SamplingRuleRecord } from '@aws-sdk/client-xray';
import { deadline, isMissingGroup, xrayClient } from './clients.ts';
import type { Settings } from '../workspace/settings.ts';

export interface SetupStep {
  what: string;
  outcome: 'created' | 'found';
  detail: string;
}

/**
 * The course's X-Ray setup, idempotently: the group (default Cruddur) filtering on the
 * service, and a sampling rule for it (the course's xray.json: 5 a second, then 10%).
 * What exists is left as it is and reported; only what is missing is created.
 */
export async function ensureXray(settings: Settings): Promise<SetupStep[]> {
  const client = xrayClient(settings);
  const name = settings.xrayGroup.value;
  const service = settings.serviceName.value;
  const filter = `service("${service}")`;
  const steps: SetupStep[] = [];

  let group;
  try {
    group = (await client.send(new GetGroupCommand({ GroupName: name }), deadline())).Group;
  } catch (err) {
    if (!isMissingGroup(err)) throw err;
  }
  if (group) {
    steps.push({ what: `X-Ray group ${name}`, outcome: 'found', detail: `filter ${group.FilterExpression}` });
  } else {
    await client.send(new CreateGroupCommand({ GroupName: name, FilterExpression: filter }), deadline());
    steps.push({ what: `X-Ray group ${name}`, outcome: 'created', detail: `filter ${filter}` });
  }

  // GetSamplingRules pages (NextToken): an account with many rules has ours on a later page.
  const rules: SamplingRuleRecord[] = [];
  const call = deadline();
  for await (const page of paginateGetSamplingRules({ client }, {}, call)) rules.push(...(page.SamplingRuleRecords ?? []));
  if (rules.some((r) => r.SamplingRule?.RuleName === name)) {
    steps.push({ what: `sampling rule ${name}`, outcome: 'found', detail: 'left as it is' });
  } else {
    await client.send(
      new CreateSamplingRuleCommand({
        SamplingRule: {
          RuleName: name,
          ResourceARN: '*',
          Priority: 9000,
          FixedRate: 0.1,
          ReservoirSize: 5,
          ServiceName: service,
          ServiceType: '*',
          Host: '*',
          HTTPMethod: '*',
          URLPath: '*',
          Version: 1,
        },
      }),
      deadline(),
    );
    steps.push({ what: `sampling rule ${name}`, outcome: 'created', detail: `service ${service}, 10% after 5 a second` });
  }
  return steps;
}
