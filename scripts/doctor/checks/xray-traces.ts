import { paginateGetTraceSummaries } from '@aws-sdk/client-xray';
import { awsFault, deadline, xrayClient } from '../../lib/aws/clients.ts';
import { xrayTraces } from '../../lib/aws/console-links.ts';
import { fail, pass, skip, warn, type Check } from '../types.ts';

export const xrayRecentTraces: Check = {
  id: 'aws.xray-traces',
  group: 'aws',
  title: 'recent traces in the X-Ray group',
  required: false,
  async run({ settings, shared }) {
    const now = Date.now();
    // Pages (NextToken) until one holds a trace: a page may be empty while later ones are not.
    const summaries = async (filter: string) => {
      const call = deadline();
      let n = 0;
      let more = false;
      for await (const page of paginateGetTraceSummaries({ client: xrayClient(settings) }, { StartTime: new Date(now - 15 * 60_000), EndTime: new Date(now), FilterExpression: filter }, call)) {
        n += page.TraceSummaries?.length ?? 0;
        more = Boolean(page.NextToken);
        if (n > 0) break;
      }
      return { n, more };
    };
    // Asked at once with the filter the group should have; asked again only if it has another.
    const expected = `service("${settings.serviceName.value}")`;
    const early = summaries(expected);
    early.catch(() => {});
    const group = await shared.xrayGroup();
    if (!group.ok || !group.value?.FilterExpression) return skip('needs the X-Ray group (see aws.xray-group)');
    const filter = group.value.FilterExpression;
    const links = { traces: xrayTraces(settings.awsRegion.value, filter) };
    try {
      const { n, more } = await (filter === expected ? early : summaries(filter));
      if (n === 0) {
        return warn(`no traces in group "${settings.xrayGroup.value}" in the last 15 minutes`, 'send some (npm run smoke, or click around the app) and look again; X-Ray can take a minute', links);
      }
      return pass(`${n}${more ? '+' : ''} traces in group "${settings.xrayGroup.value}" in the last 15 minutes`, links);
    } catch (err) {
      const f = awsFault(err, 'xray:GetTraceSummaries');
      return fail(f.cause, f.fix, links);
    }
  },
};
