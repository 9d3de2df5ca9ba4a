// npm run xray:setup: create the X-Ray group and sampling rule the course uses, idempotently.
import { awsFault } from './lib/aws/clients.ts';
import { isMain } from './lib/terminal/cli.ts';
import { loadSettings } from './lib/workspace/settings.ts';
import { terminal } from './lib/terminal/term.ts';
import { ensureXray } from './lib/aws/xray-setup.ts';

export async function xraySetup(env: Record<string, string | undefined> = process.env): Promise<number> {
  const term = terminal();
  const settings = loadSettings(env);
  try {
    for (const step of await ensureXray(settings)) {
      term.out(`${step.outcome === 'created' ? term.color.green('created') : term.color.dim('found  ')} ${step.what}: ${step.detail}`);
    }
    return 0;
  } catch (err) {
    const f = awsFault(err, 'the X-Ray setup');
    term.err(term.color.red(`${f.cause}. ${f.fix}`));
    return 1;
  }
}

if (isMain(import.meta)) process.exitCode = await xraySetup();
