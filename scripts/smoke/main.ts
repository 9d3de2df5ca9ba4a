// npm run smoke: send test spans hop by hop and confirm they arrive. See scripts/README.md.
import { isMain, listOption, parseCli, UsageError } from '../lib/terminal/cli.ts';
import { safeJson, safeOutput } from '../lib/terminal/secrets.ts';
import { loadSettings, settingsSecrets, type Settings } from '../lib/workspace/settings.ts';
import { filteredTerm, silentTerm, terminal, type Term } from '../lib/terminal/term.ts';
import { runLocal } from './local.ts';
import { runLocalJourney } from './local-browser.ts';
import { HOP_NAMES, type HopName } from './hops/hop.ts';
import { printHops, runHops, type RemoteOverrides } from './runner.ts';
import type { HopResult } from './result.ts';

export const HELP = `Usage: npm run smoke -- [options]

Sends a test trace through each hop of the tracing pipeline and waits until each one is
confirmed at its destination. With no Honeycomb key and no AWS credentials it runs the
local default: the backend and a trace sink on this machine, drawn as a waterfall.

Options:
  --hops LIST       ${HOP_NAMES.join(',')}   (default: every hop that is configured;
                    browser where a Chrome or Chromium is found)
  --local           run the local default even when credentials are set
  --timeout SECONDS how long the whole smoke may take, 1 to 600  (default: 90; X-Ray can take a minute)
  --json            print one JSON object and nothing else on stdout
  -h, --help        show this help

Environment: HONEYCOMB_API_KEY, HONEYCOMB_API_ENDPOINT, HONEYCOMB_ENVIRONMENT, OTEL_SERVICE_NAME, HONEYCOMB_METRICS_DATASET,
AWS credentials and AWS_REGION, AWS_ENDPOINT_URL(_XRAY), XRAY_GROUP, CLOUDWATCH_LOGS (and _GROUP, _STREAM),
OTEL_COLLECTOR_URL, BACKEND_URL
(the environment first, then .env).`;

export interface SmokeReport {
  ok: boolean;
  mode: 'local' | 'remote';
  hops: HopResult[];
  settings: Record<string, { value: string; source: string }>;
  errors: string[];
}


/** The resolved configuration with its sources, secrets masked: what --json shows. */
function describeSettings(s: Settings): SmokeReport['settings'] {
  const out: SmokeReport['settings'] = {};
  for (const setting of [s.honeycombKey, s.honeycombEndpoint, s.honeycombEnvironment, s.serviceName, s.awsRegion, s.xrayGroup, s.collectorUrl, s.backendUrl]) {
    if (setting) out[setting.name] = { value: setting.value, source: setting.source };
  }
  return safeJson(out, settingsSecrets(s));
}

export interface SmokeOptions {
  env?: Record<string, string | undefined>;
  term?: Term;
  settings?: Settings;
  /** Lets tests point the Honeycomb region probe and the like at local servers. */
  overrides?: RemoteOverrides;
}

export async function smoke(argv: string[], options: SmokeOptions = {}): Promise<{ code: number; report?: SmokeReport }> {
  const { values } = parseCli(argv, {
    hops: { type: 'string' },
    local: { type: 'boolean', default: false },
    timeout: { type: 'string', default: '90' },
    json: { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  });
  const json = values.json;
  const rawTerm = json ? silentTerm() : (options.term ?? terminal());
  if (values.help) {
    process.stdout.write(`${HELP}\n`);
    return { code: 0 };
  }
  const timeoutSeconds = Number(values.timeout);
  if (!Number.isFinite(timeoutSeconds) || timeoutSeconds < 1 || timeoutSeconds > 600) throw new UsageError(`--timeout takes a number of seconds from 1 to 600; got "${values.timeout}"`);
  const requested = listOption(values.hops, HOP_NAMES, '--hops') as HopName[] | undefined;
  if (values.local && requested) throw new UsageError('--local and --hops exclude each other: --local runs the backend against a local sink');

  const settings = options.settings ?? loadSettings(options.env ?? process.env);
  // Whatever a server says back (an echoed key, a URL with a password) is masked on the way out.
  const term = filteredTerm(rawTerm, (line) => safeOutput(line, settingsSecrets(settings)));
  const configured = Boolean(settings.honeycombKey) || settings.awsCredentials;
  const local = values.local || (!requested && !configured);

  let hops: HopResult[];
  const c = term.color;
  if (local) {
    if (!values.local) term.out(c.dim('No HONEYCOMB_API_KEY and no AWS credentials: running the local default (--help for the hops).'));
    const result = await runLocal(settings, term, timeoutSeconds * 1000);
    const { checks: _checks, ...hop } = result;
    hops = [hop];
    // The browser's half, through the running stack when there is one.
    const walked = await runLocalJourney(settings, term, Math.min(30, timeoutSeconds) * 1000);
    if ('skipped' in walked) term.out(c.dim(`browser: not walked: ${walked.skipped}`));
    else hops.push(walked);
  } else {
    hops = await runHops(settings, term, requested, timeoutSeconds * 1000, options.overrides);
    printHops(term, hops);
  }
  const ok = hops.length > 0 && hops.every((h) => h.confirmed);
  const unsafe: SmokeReport = {
    ok,
    mode: local ? 'local' : 'remote',
    hops,
    settings: describeSettings(settings),
    errors: hops.flatMap((h) => (h.error ? [`${h.hop}: ${h.error}`] : [])),
  };
  const report: SmokeReport = safeJson(unsafe, settingsSecrets(settings));

  if (json) {
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  } else {
    term.out();
    term.out(ok ? c.green(c.bold(`✔ ${local ? 'the local pipeline works' : 'every hop confirmed'}`)) : c.red(c.bold('✘ smoke failed: see the hops above')));
    if (local && ok) term.out(c.dim('Next: set HONEYCOMB_API_KEY (npm run setup) and run npm run smoke again to prove the real hops.'));
  }
  return { code: ok ? 0 : 1, report };
}

if (isMain(import.meta)) {
  try {
    const { code } = await smoke(process.argv.slice(2));
    // The verdict is out: exit now. A send the run already judged may still be retrying inside
    // the OTLP exporter, which cannot be cancelled, and would hold the prompt to its own 5-10 s
    // limit. (stdout and stderr are synchronous on Linux and macOS: nothing printed is lost.)
    process.exit(code);
  } catch (err) {
    const c = terminal().color;
    if (err instanceof UsageError) {
      process.stderr.write(`${c.red(err.message)}\n`);
    } else {
      process.stderr.write(`${c.red(`smoke could not run: ${(err as Error).message}`)}\n`);
    }
    process.exitCode = 1;
  }
}
