import { awsFault } from '../../lib/aws/clients.ts';
import { cloudwatchLogGroup } from '../../lib/aws/console-links.ts';
import { describeSource, type Settings } from '../../lib/workspace/settings.ts';
import { fail, pass, skip, warn, type Check, type Finding } from '../types.ts';

const RECENT_MS = 15 * 60_000;
const on = (s: Settings) => s.cloudwatchLogs.value === 'true';

export const logsDestination: Check = {
  id: 'aws.logs-destination',
  group: 'aws',
  title: 'Where the backend’s logs go',
  async run({ settings }) {
    const value = settings.cloudwatchLogs.value;
    if (value === 'false') {
      return pass(`to Honeycomb only (CLOUDWATCH_LOGS=false). For CloudWatch Logs too: set CLOUDWATCH_LOGS=true in .env (billed), then docker compose up -d otel-collector`);
    }
    if (value === 'true') return pass(`to Honeycomb and CloudWatch Logs group ${settings.logGroup.value}, stream ${settings.logStream.value}`);
    // docker-compose.yml passes --config=logs-cloudwatch-${CLOUDWATCH_LOGS}.yaml: no such file.
    return fail(
      `CLOUDWATCH_LOGS="${value}" (${describeSource(settings.cloudwatchLogs)}) names no collector config (only true and false do), so the collector stops at start-up`,
      'set CLOUDWATCH_LOGS=true or false in .env, then docker compose up -d otel-collector',
    );
  },
};

const needs = (s: Settings): Finding | undefined => {
  if (!on(s)) return skip('CLOUDWATCH_LOGS is not true: logs go to Honeycomb only');
  if (!s.awsCredentials) return skip('needs AWS credentials (see aws.credentials)');
  return undefined;
};

export const logsGroup: Check = {
  id: 'aws.logs-group',
  group: 'aws',
  title: 'CloudWatch Logs group, and permission to write to it',
  async run({ settings, shared }) {
    const missing = needs(settings);
    if (missing) return missing;
    const name = settings.logGroup.value;
    const region = settings.awsRegion.value;
    const links = { group: cloudwatchLogGroup(region, name) };
    const [group, { DOCTOR_STREAM, LOG_RETENTION_DAYS, writeTestEvent }] = await Promise.all([shared.logGroup(), import('../../lib/aws/cloudwatch-logs.ts')]);
    if (!group.ok) return fail(group.fault.cause, group.fault.fix);
    if (!group.value) {
      return fail(`CloudWatch Logs group ${name} does not exist in ${region}, so no log has reached it`, `npm run doctor -- --fix creates it, kept ${LOG_RETENTION_DAYS} days (the collector also creates it on its first logs, if its credentials may)`, links);
    }
    try {
      await writeTestEvent(settings, JSON.stringify({ body: 'npm run doctor: the credentials may write here', at: new Date().toISOString() }));
    } catch (err) {
      const f = awsFault(err, 'logs:PutLogEvents');
      return fail(`group ${name} exists, but writing to it failed: ${f.cause}`, `${f.fix}. The collector writes with the same credentials`, links);
    }
    if (!group.value.retentionInDays) {
      return warn(`group ${name} keeps logs forever, and storage is billed (the doctor wrote one event to stream ${DOCTOR_STREAM})`, `npm run doctor -- --fix sets a ${LOG_RETENTION_DAYS}-day retention`, links);
    }
    return pass(`group ${name} in ${region}, kept ${group.value.retentionInDays} days; the credentials may write (one event in stream ${DOCTOR_STREAM})`, links);
  },
};

export const logsRecent: Check = {
  id: 'aws.logs-recent',
  group: 'aws',
  title: 'The backend’s recent logs in CloudWatch Logs',
  required: false,
  async run({ settings, shared }) {
    const missing = needs(settings);
    if (missing) return missing;
    const group = await shared.logGroup();
    if (!group.ok || !group.value) return skip('no log group (see aws.logs-group)');
    const stream = settings.logStream.value;
    const links = { group: cloudwatchLogGroup(settings.awsRegion.value, settings.logGroup.value) };
    const { recentEvents } = await import('../../lib/aws/cloudwatch-logs.ts');
    let events: Awaited<ReturnType<typeof recentEvents>>;
    try {
      events = await recentEvents(settings, Date.now() - RECENT_MS);
    } catch (err) {
      if ((err as Error).name === 'ResourceNotFoundException') events = [];
      else {
        const f = awsFault(err, 'logs:FilterLogEvents');
        return fail(f.cause, f.fix, links);
      }
    }
    if (!events.length) {
      return warn(
        `no events in stream ${stream} in the last 15 minutes`,
        'open the app (or npm run smoke) so the backend logs something; if it still shows nothing, docker compose logs otel-collector names the awscloudwatchlogs error',
        links,
      );
    }
    const traced = events.filter((e) => /"trace_id":"[0-9a-f]{32}"/.test(e.message ?? '')).length;
    if (!traced) return warn(`${events.length} events in stream ${stream} in the last 15 minutes, none with a trace id`, 'logs made outside a request carry none; make a request (open the app) and run again', links);
    return pass(`${events.length} events in stream ${stream} in the last 15 minutes, ${traced} with a trace id`, links);
  },
};
