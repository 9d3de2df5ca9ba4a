import { mask } from '../../lib/secrets.ts';
import { fail, pass, type Check } from '../types.ts';

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
    return pass(`account ${who.value.Account}, ${who.value.Arn}${keyId ? ` (key ${mask(keyId)})` : ''}`);
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
    if (!region) return fail('AWS_REGION is not set: the X-Ray calls have nowhere to go', 'set AWS_REGION (the course uses us-east-1) with npm run setup');
    if (!REGION.test(region.value)) return fail(`AWS_REGION="${region.value}" is not a region name`, 'use a region code such as us-east-1 (not a zone like us-east-1a, nor a name like "N. Virginia")');
    return pass(`${region.value} (${region.name} from ${region.source})`);
  },
};
