// npm run doctor: diagnose every hop of the tracing pipeline and say how to fix it.
import { isMain, listOption, parseCli, UsageError } from '../lib/terminal/cli.ts';
import { safeOutput } from '../lib/terminal/secrets.ts';
import { loadSettings, settingsSecrets, type Settings } from '../lib/workspace/settings.ts';
import { terminal, type Term } from '../lib/terminal/term.ts';
import type { SharedOptions } from './shared.ts';
import { GROUPS, type Check, type Group, type Result, type Status } from './types.ts';

export const HELP = `Usage: npm run doctor -- [options]

Checks every hop of the week-2 tracing pipeline at once, each with its own timeout,
and says for each what is wrong and how to fix it.

Options:
  --only GROUPS   honeycomb,aws,workspace,stack   (default: all)
  --json          print {"ok", "checks": [{"id","group","status","detail","fix"}]} and nothing else
  --fix           also apply the fixes that are safe to automate (create the X-Ray group and sampling
                  rule; with CLOUDWATCH_LOGS=true, the log group with a 3-day retention)
  -h, --help      show this help

Exit code 1 when any check fails.`;

const ICON: Record<Status, (t: Term) => string> = {
  pass: (t) => t.color.green('✔'),
  warn: (t) => t.color.yellow('!'),
  fail: (t) => t.color.red('✘'),
  skip: (t) => t.color.dim('-'),
};

export interface DoctorOptions {
  env?: Record<string, string | undefined>;
  settings?: Settings;
  term?: Term;
  checks?: Check[];
  shared?: SharedOptions;
  stdout?: (text: string) => void;
  /** Where the last workspace start's verdict is (tests give their own). */
  startDir?: string;
}

export async function doctor(argv: string[], options: DoctorOptions = {}): Promise<{ code: number; results: Result[] }> {
  const { values } = parseCli(argv, {
    only: { type: 'string' },
    json: { type: 'boolean', default: false },
    fix: { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  });
  const write = options.stdout ?? ((text: string) => void process.stdout.write(text));
  if (values.help) {
    write(`${HELP}\n`);
    return { code: 0, results: [] };
  }
  const groups = listOption(values.only, GROUPS, '--only');
  const settings = options.settings ?? loadSettings(options.env ?? process.env);
  const term = options.term ?? terminal();
  const secrets = settingsSecrets(settings);
  // Nothing a check says can carry a secret out, whatever it quotes.
  const clean = (s: string) => safeOutput(s, secrets);
  const human = !values.json;

  // The checks and the SDKs load only now: --help and a usage error answer without them.
  const [{ loadChecks }, { runChecks }, { createShared }] = await Promise.all([import('./checks/index.ts'), import('./runner.ts'), import('./shared.ts')]);
  if (values.fix) {
    const [{ ensureXray }, { ensureLogGroup }, { awsFault }] = await Promise.all([import('../lib/aws/xray-setup.ts'), import('../lib/aws/cloudwatch-logs.ts'), import('../lib/aws/clients.ts')]);
    const setups = [{ what: 'X-Ray', run: () => ensureXray(settings) }];
    if (settings.cloudwatchLogs.value === 'true') setups.push({ what: 'the CloudWatch Logs group', run: async () => [await ensureLogGroup(settings)] });
    for (const setup of setups) {
      try {
        for (const step of await setup.run()) {
          if (human) term.out(`${step.outcome === 'created' ? term.color.green('+ created') : term.color.dim('= found  ')} ${step.what}: ${step.detail}`);
        }
      } catch (err) {
        const f = awsFault(err, `the setup of ${setup.what}`);
        if (human) term.out(`${term.color.red('✘')} --fix could not set up ${setup.what}: ${f.cause}. ${f.fix}`);
      }
    }
  }

  const checks = (options.checks ?? (await loadChecks((groups as Group[] | undefined) ?? GROUPS))).filter((c) => !groups || groups.includes(c.group));
  const ctx = { settings, shared: createShared(settings, options.shared) };
  const started = performance.now();
  if (human) term.progress(term.color.dim(`checking ${checks.length} things at once…`));
  const results = await runChecks(checks, ctx, (r) => {
    if (human) term.out(`${ICON[r.status](term)} ${r.id.padEnd(24)} ${clean(r.detail)}`);
  });
  for (const r of results) {
    r.detail = clean(r.detail);
    if (r.fix) r.fix = clean(r.fix);
  }
  const failed = results.some((r) => r.status === 'fail');
  const ordered = checks.map((c) => results.find((r) => r.id === c.id)!);

  if (!human) {
    write(`${JSON.stringify({ ok: !failed, checks: ordered.map(({ id, group, status, detail, fix, links }) => ({ id, group, status, detail, fix, links })) }, null, 2)}\n`);
  } else {
    const c = term.color;
    const attention = ordered.filter((r) => r.status === 'fail' || r.status === 'warn');
    if (attention.length) term.out(`\n${c.bold('What to do')}`);
    for (const r of attention) {
      term.out(`${ICON[r.status](term)} ${c.bold(r.title)} ${c.dim(`(${r.id})`)}`);
      term.out(`  ${r.detail}`);
      if (r.fix) term.out(`  ${c.bold('Fix:')} ${r.fix}`);
    }
    const links = ordered.flatMap((r) => Object.entries(r.links ?? {}).map(([name, url]) => `  ${c.dim(`${r.id} ${name}:`)} ${url}`));
    if (links.length) term.out(`\n${c.bold('Links')}\n${links.join('\n')}`);
    const count = (s: Status) => ordered.filter((r) => r.status === s).length;
    term.out(`\n${count('pass')} passed, ${count('warn')} warnings, ${count('fail')} failed, ${count('skip')} skipped ${c.dim(`(${((performance.now() - started) / 1000).toFixed(1)} s)`)}`);
    // The workspace's own start, when there was one: what it found, and where it is kept.
    const { lastVerdict } = await import('../lib/workspace/start-verdict.ts');
    const start = lastVerdict(options.startDir);
    if (start) term.out(c.dim(`last workspace start (${start.startedAt}): ${start.ok ? 'passed' : 'failed'}, ${start.lines.filter((l) => l.ok).length}/${start.lines.length} hops; the verdict is in .cruddur/start/verdict.txt`));
  }
  return { code: failed ? 1 : 0, results: ordered };
}

if (isMain(import.meta)) {
  try {
    const { code } = await doctor(process.argv.slice(2));
    process.exitCode = code;
  } catch (err) {
    const c = terminal().color;
    process.stderr.write(`${c.red(err instanceof UsageError ? err.message : `doctor could not run: ${(err as Error).message}`)}\n`);
    process.exitCode = 1;
  }
}
