import { xrayGroups, xrayTraces } from '../../lib/aws/console-links.ts';
import { compileFilter } from '../../lib/aws/xray-filter.ts';
import { fail, pass, skip, warn, type Check } from '../types.ts';

/** Does the filter select the service's segments? undefined when it uses more than we evaluate. */
export function selectsService(filter: string, service: string): boolean | undefined {
  try {
    return compileFilter(filter)({ services: new Set([service]), annotations: new Map() });
  } catch {
    return undefined;
  }
}

// The course built the group's filter from the workspace URL; a new workspace has a new URL.
const WORKSPACE_URL = /gitpod\.io|github\.dev|app\.github\.dev|gitpod\.dev|ona\.com/i;

export const xrayGroup: Check = {
  id: 'aws.xray-group',
  group: 'aws',
  title: 'X-Ray group and its filter',
  async run({ settings, shared }) {
    if (!settings.awsCredentials) return skip('needs AWS credentials (see aws.credentials)');
    const name = settings.xrayGroup.value;
    const region = settings.awsRegion.value;
    const service = settings.serviceName.value;
    const wanted = `service("${service}")`;
    const group = await shared.xrayGroup();
    if (!group.ok) return fail(group.fault.cause, group.fault.fix);
    const links = { groups: xrayGroups(region) };
    if (!group.value) {
      return fail(`X-Ray group "${name}" does not exist in ${region}`, `npm run doctor -- --fix (or npm run xray:setup) creates it with the filter ${wanted}`, links);
    }
    const filter = group.value.FilterExpression ?? '';
    const fix = `set the filter to ${wanted}: aws xray update-group --group-name ${name} --filter-expression '${wanted}'`;
    // As the smoke's preflight says it: a group without a filter is not one the smoke can confirm in.
    if (!filter) return fail(`group "${name}" in ${region} has no filter expression`, fix, links);
    const selects = selectsService(filter, service);
    Object.assign(links, { traces: xrayTraces(region, filter) });
    if (selects === true) return pass(`group "${name}" in ${region}, filter ${filter}`, links);
    const stale = WORKSPACE_URL.test(filter)
      ? ' It names a workspace URL, as the course built it; every new workspace has a new URL, so it goes stale.'
      : '';
    if (selects === undefined) return warn(`group "${name}" has filter ${filter}, which this check cannot evaluate.${stale}`, `if traces do not show in the group, ${fix}`, links);
    return fail(`group "${name}"'s filter ${filter} does not select service "${service}".${stale}`, fix, links);
  },
};
