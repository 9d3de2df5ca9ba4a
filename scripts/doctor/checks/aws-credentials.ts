import { mask } from '../../lib/terminal/secrets.ts';
import { fail, pass, warn, type Check } from '../types.ts';

export const awsCredentials: Check = {
  id: 'aws.credentials',
  group: 'aws',
  title: 'AWS credentials',
  async run({ settings, shared }) {
    if (!settings.awsCredentials) {
      return fail('no AWS credentials found (no AWS_ACCESS_KEY_ID, AWS_PROFILE or ~/.aws files)', 'run npm run setup (it checks them with STS and saves them)');
    }
    const who = await shared.callerIdentity();
    if (!who.ok) return fail(who.fault.cause, who.fault.fix);
    const keyId = settings.env.AWS_ACCESS_KEY_ID;
    // docker compose hands the collector AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY from the
    // environment and .env only (docker-compose.yml; no ~/.aws is mounted): credentials these
    // checks find in a profile never reach it, and X-Ray receives nothing from the stack.
    if (!keyId || !settings.env.AWS_SECRET_ACCESS_KEY) {
      const where = settings.env.AWS_PROFILE ? `profile ${settings.env.AWS_PROFILE}` : '~/.aws';
      return fail(
        `account ${who.value.Account}, ${who.value.Arn}, from ${where}: the checks here use it, but the collector gets only the environment and .env, so it sends X-Ray nothing`,
        'npm run setup copies long-term profile keys into .env; then docker compose up -d otel-collector',
      );
    }
    return pass(`account ${who.value.Account}, ${who.value.Arn} (key ${mask(keyId)})`);
  },
};

// Region names as AWS forms them: us-east-1, eu-west-2, ap-southeast-3, us-gov-west-1.
const REGION = /^[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-\d$/;

export const awsRegion: Check = {
  id: 'aws.region',
  group: 'aws',
  title: 'AWS region',
  async run({ settings }) {
    const region = settings.awsRegion;
    if (!REGION.test(region.value)) return fail(`${region.name}="${region.value}" is not a region name`, 'use a region code such as us-east-1 (not a zone like us-east-1a, nor a name like "N. Virginia")');
    // The collector gets the same (docker-compose.yml: AWS_REGION, else AWS_DEFAULT_REGION, else us-east-1).
    if (region.source === 'default') {
      return warn('neither AWS_REGION nor AWS_DEFAULT_REGION is set: the collector exports to us-east-1, compose\'s default, and these checks look there', 'if your X-Ray group is elsewhere, set AWS_REGION with npm run setup, then docker compose up -d otel-collector');
    }
    const other = region.name === 'AWS_REGION' ? settings.env.AWS_DEFAULT_REGION : undefined;
    const ignored = other && other !== region.value ? `; AWS_DEFAULT_REGION=${other} is ignored, by the collector too` : '';
    return pass(`${region.value} (${region.name} from ${region.source}, as the collector gets it${ignored})`);
  },
};
