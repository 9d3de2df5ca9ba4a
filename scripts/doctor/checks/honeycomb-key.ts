import { keyInfo, keyShapeProblems } from '../../lib/honeycomb/api.ts';
import { mask } from '../../lib/terminal/secrets.ts';
import { describeSource } from '../../lib/workspace/settings.ts';
import { fail, pass, warn, type Check } from '../types.ts';

export const MESSAGES = {
  missing: 'HONEYCOMB_API_KEY is not set, so nothing can reach Honeycomb',
  missingFix: 'run npm run setup (it checks the key and saves it; in Gitpod with gp env so new workspaces have it)',
  malformedFix: 'save the key again, value only, with npm run setup (it strips nothing silently: it asks)',
} as const;

export const honeycombKey: Check = {
  id: 'honeycomb.key',
  group: 'honeycomb',
  title: 'Honeycomb API key',
  async run({ settings }) {
    const setting = settings.honeycombKey;
    if (!setting) return fail(MESSAGES.missing, MESSAGES.missingFix);
    const problems = keyShapeProblems(setting.value);
    if (problems.length) return fail(`HONEYCOMB_API_KEY (${describeSource(setting)}) is malformed: ${problems.join('; ')}`, MESSAGES.malformedFix);
    const info = keyInfo(setting.value);
    const shown = `${info.label} ${mask(setting.value)} (${describeSource(setting)})`;
    if (!info.canSend) return fail(`HONEYCOMB_API_KEY is a ${shown}: ${info.note}`, 'create an ingest key in Honeycomb (Environment settings > API keys) and save it with npm run setup');
    if (info.kind === 'ingest') return pass(`${shown}: may send; cannot read datasets, so the dataset check is skipped`);
    if (info.kind === 'classic' || info.kind === 'classic-ingest') return warn(`${shown}: ${info.note}`, 'the course uses Environments: create an environment (e.g. bootcamp) and an ingest key there');
    return pass(shown);
  },
};
