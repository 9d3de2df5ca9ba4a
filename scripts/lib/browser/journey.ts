// A student's journey through Cruddur in a real browser, as the smoke's browser hop and
// npm run synthetic walk it: the home feed, a user's page, posting a crud, a reply, the
// messages. Each step is timed; the page's own measures (load, LCP) are read from the browser;
// and what the page did with its spans (the posts to /v1/traces and their answers, the SDK's
// chunk) is watched, so a broken link can be named rather than guessed.
import type { Browser, Page, Request, Response } from 'playwright-core';
import type { Settings } from '../workspace/settings.ts';

export interface Step {
  name: string;
  ms: number;
  error?: string;
  /** What went wrong on the way that the step got past (a reload), for whoever reads the report. */
  note?: string;
}

export interface JourneyReport {
  /** The address opened, with the run's tag in it. */
  url: string;
  steps: Step[];
  /** From the browser's Navigation Timing and Largest Contentful Paint entries of the first page. */
  loadMs?: number;
  lcpMs?: number;
  /** The page's posts of spans (its /v1/traces), each with the status it got (0: no answer). */
  spanPosts: { status: number; error?: string }[];
  /** The page's calls of the API, with the trace each carried (its traceparent), in order. */
  apiCalls: { method: string; path: string; traceId?: string; status: number }[];
  /** The telemetry SDK's chunk, when it failed to load (the page then sends only what it kept). */
  sdkFailed?: string;
  /** Errors the page threw, or logged as errors (not the app's own expected ones). */
  pageErrors: string[];
  /** The page's own files (its modules, styles) that failed or were refused, with why: a page that loads but never starts. */
  fileFailures: string[];
}

const STEP_TIMEOUT_MS = 15_000;
/**
 * The first page's budget, load and feed together: a dev server that has just (re)started
 * transforms the app's modules and optimizes its dependencies on the first request (Vite's
 * dep pre-bundling), which took over 15 s on a busy 2-core machine while later pages take 1.
 */
const FIRST_PAGE_TIMEOUT_MS = 45_000;

/** What a step may need of the walk: the text it posts, and for the first page its address, budget and report. */
interface Walk {
  url: string;
  text: string;
  firstPageMs: number;
  report: JourneyReport;
}

/**
 * The step's selectors are the app's accessible names (the same ones its own tests use). A step
 * resolves with a note when it got past something on the way (the first page's one reload).
 */
const STEPS: { name: string; run: (page: Page, walk: Walk) => Promise<string | void> }[] = [
  { name: 'home feed', run: (page, walk) => openFirstPage(page, walk.url, walk.firstPageMs, walk.report) },
  {
    name: 'a user’s page',
    run: async (page) => {
      await page.getByRole('link', { name: 'Profile', exact: true }).first().click({ timeout: STEP_TIMEOUT_MS });
      await page.waitForURL(/\/@[^/]+$/, { timeout: STEP_TIMEOUT_MS });
      await page.getByTestId('activity').first().waitFor({ timeout: STEP_TIMEOUT_MS });
    },
  },
  {
    name: 'post a crud',
    run: async (page, { text }) => {
      await page.getByRole('link', { name: 'Home', exact: true }).first().click({ timeout: STEP_TIMEOUT_MS });
      await page.getByRole('textbox', { name: 'What would you like to say?' }).fill(text, { timeout: STEP_TIMEOUT_MS });
      await page.getByRole('button', { name: 'Crud', exact: true }).click({ timeout: STEP_TIMEOUT_MS });
      await page.getByText(text).first().waitFor({ timeout: STEP_TIMEOUT_MS });
    },
  },
  {
    name: 'reply',
    run: async (page, { text }) => {
      await page.getByTestId('activity').first().getByRole('button', { name: /^Reply/ }).click({ timeout: STEP_TIMEOUT_MS });
      const dialog = page.getByRole('dialog', { name: /Reply to/ });
      await dialog.getByRole('textbox', { name: 'Your reply' }).fill(`${text}: a reply`, { timeout: STEP_TIMEOUT_MS });
      await dialog.getByRole('button', { name: 'Reply', exact: true }).click({ timeout: STEP_TIMEOUT_MS });
      await dialog.waitFor({ state: 'hidden', timeout: STEP_TIMEOUT_MS });
    },
  },
  {
    name: 'messages',
    run: async (page) => {
      await page.getByRole('link', { name: 'Messages', exact: true }).first().click({ timeout: STEP_TIMEOUT_MS });
      await page.getByRole('list', { name: 'Conversations' }).getByRole('link').first().waitFor({ timeout: STEP_TIMEOUT_MS });
    },
  },
];

export const JOURNEY_STEPS = STEPS.map((s) => s.name);

/** Why the journey cannot start at `url` (nothing answers, or not Cruddur's front end); undefined when it can. */
export async function frontEndProblem(url: string): Promise<string | undefined> {
  let page = '';
  try {
    page = await fetch(url, { signal: AbortSignal.timeout(1500) }).then((r) => r.text());
  } catch {
    return `the front end is not running at ${url}: npm run up starts the stack, and the journey walks it`;
  }
  // Vite's page and the build's both mount the app on #root; anything else is someone else's server.
  if (!page.includes('id="root"')) return `what answers at ${url} is not Cruddur's front end: set FRONTEND_SERVER_URL to it`;
  return undefined;
}

/** The app's URL with the run's tag: ?smoke_id=… or ?synthetic=… (frontend-react-js/src/telemetry/run-tags.ts). */
export function taggedUrl(frontendUrl: string, tag: { smokeId: string } | { syntheticSession: string }): string {
  const url = new URL(frontendUrl);
  url.pathname = '/';
  url.search = 'smokeId' in tag ? `smoke_id=${tag.smokeId}` : `synthetic=${tag.syntheticSession}`;
  return url.href;
}

const isSpanPost = (r: Request) => r.method() === 'POST' && new URL(r.url()).pathname.endsWith('/v1/traces');
// The SDK is its own chunk: assets/sdk-<hash>.js when built, src/telemetry/sdk.ts under the dev server.
const isSdkChunk = (url: string) => /\/(assets\/sdk-[\w-]+\.js|src\/telemetry\/sdk\.ts)(\?|$)/.test(new URL(url).pathname + '?');

/**
 * Walks the journey in a new page and closes it (which sends its last spans: the page view,
 * the final batch). Stops at the first step that fails; the report says which and why.
 */
export async function walkJourney(browser: Browser, url: string, opts: { viewport?: { width: number; height: number }; text?: string; firstPageMs?: number } = {}): Promise<JourneyReport> {
  const page = await browser.newPage({ viewport: opts.viewport ?? { width: 1280, height: 900 } });
  const report: JourneyReport = { url, steps: [], spanPosts: [], apiCalls: [], pageErrors: [], fileFailures: [] };
  const own = (r: Request) => new URL(r.url()).origin === new URL(url).origin && ['script', 'stylesheet', 'document'].includes(r.resourceType());
  const posts = new Map<Request, { status: number; error?: string }>();
  const calls = new Map<Request, JourneyReport['apiCalls'][number]>();
  page.on('request', (r) => {
    if (isSpanPost(r)) posts.set(r, { status: 0 });
    const path = new URL(r.url()).pathname;
    if (path.startsWith('/api/')) {
      const traceId = /^00-([0-9a-f]{32})-/.exec(r.headers().traceparent ?? '')?.[1];
      const call = { method: r.method(), path, ...(traceId ? { traceId } : {}), status: 0 };
      calls.set(r, call);
      report.apiCalls.push(call);
    }
  });
  page.on('response', (r: Response) => {
    const entry = posts.get(r.request());
    if (entry) entry.status = r.status();
    const call = calls.get(r.request());
    if (call) call.status = r.status();
    if (own(r.request()) && r.status() >= 400) report.fileFailures.push(`${new URL(r.url()).pathname} answered ${r.status()}`);
    if (isSdkChunk(r.url())) {
      // A host that answers a missing file with the app's page (a 200 of HTML) fails it as surely as a 404.
      const type = r.headers()['content-type'] ?? '';
      if (r.status() >= 400) report.sdkFailed = `${new URL(r.url()).pathname} answered ${r.status()}`;
      else if (!/javascript/.test(type)) report.sdkFailed = `${new URL(r.url()).pathname} answered ${type || 'no content type'}, not JavaScript`;
    }
  });
  page.on('requestfailed', (r) => {
    const entry = posts.get(r);
    if (entry) entry.error = r.failure()?.errorText ?? 'failed';
    // After a refusal the browser also aborts the file: the refusal is the one to tell.
    const path = new URL(r.url()).pathname;
    if (own(r) && !report.fileFailures.some((f) => f.startsWith(`${path} `))) report.fileFailures.push(`${path} failed (${r.failure()?.errorText ?? 'no answer'})`);
    // After a 404 the browser also aborts the module: the first reason is the one to tell.
    if (isSdkChunk(r.url())) report.sdkFailed ??= `${path} did not load (${r.failure()?.errorText ?? 'failed'})`;
  });
  page.on('pageerror', (e) => report.pageErrors.push(e.message));
  // A module that failed to load is no pageerror: the console is where the browser says so.
  // ("Failed to load resource" repeats a refusal fileFailures already names.)
  page.on('console', (m) => void (m.type() === 'error' && /module|import/i.test(m.text()) && report.pageErrors.push(m.text().split('\n')[0]!)));
  const walk: Walk = { url, text: opts.text ?? `A journey at ${new Date().toISOString().slice(11, 19)}`, firstPageMs: opts.firstPageMs ?? FIRST_PAGE_TIMEOUT_MS, report };
  try {
    for (const step of STEPS) {
      const started = performance.now();
      try {
        const note = await step.run(page, walk);
        report.steps.push({ name: step.name, ms: performance.now() - started, ...(note ? { note } : {}) });
      } catch (err) {
        report.steps.push({ name: step.name, ms: performance.now() - started, error: firstLine(err) });
        break;
      }
      if (step.name === 'home feed') Object.assign(report, await pageMeasures(page));
    }
    // The page batches its spans for a second: let the last batch go while the page can still see its answer.
    const answered = () => [...posts.values()].filter((p) => p.status || p.error).length;
    const before = answered();
    for (const until = Date.now() + 3000; Date.now() < until && answered() === before; ) await page.waitForTimeout(100);
  } finally {
    // Closing runs the page's pagehide: its page view goes out now.
    await page.close({ runBeforeUnload: true }).catch(() => {});
    // A post sent as the page closed has no page left to answer to: wait a moment for it.
    await new Promise((r) => setTimeout(r, 300));
    report.spanPosts = [...posts.values()];
  }
  return report;
}

/** The first page's load and LCP, as the browser measured them. */
async function pageMeasures(page: Page): Promise<{ loadMs?: number; lcpMs?: number }> {
  return page
    .evaluate(
      () =>
        new Promise<{ loadMs?: number; lcpMs?: number }>((resolve) => {
          const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming | undefined;
          const loadMs = nav && nav.loadEventEnd > 0 ? nav.loadEventEnd : undefined;
          let lcpMs: number | undefined;
          try {
            new PerformanceObserver((list) => {
              for (const e of list.getEntries()) lcpMs = e.startTime;
            }).observe({ type: 'largest-contentful-paint', buffered: true });
          } catch {
            // no LCP in this browser
          }
          setTimeout(() => resolve({ loadMs, lcpMs }), 50);
        }),
    )
    .catch(() => ({}));
}

/**
 * Opens the first page and waits for its feed, within `budget`. A page whose app never started
 * (it loaded, and called no /api) is reloaded once, as a person would: at once when one of its
 * own files failed, else after half the budget. The lane's workspace start saw why: a container
 * recreated as the page loaded changes the machine's network, and Chromium aborts the requests
 * under way (net::ERR_NETWORK_CHANGED), modules among them. The step then carries a note
 * saying so, rather than failing the pipeline's verdict on the app's load.
 */
async function openFirstPage(page: Page, url: string, budget: number, report: JourneyReport): Promise<string | undefined> {
  const started = performance.now();
  const left = () => Math.max(1000, budget - (performance.now() - started));
  const notLoaded = await page.goto(url, { timeout: budget }).then(
    () => undefined,
    (err: unknown) => `the page did not load: ${firstLine(err)}`,
  );
  if (notLoaded) throw new Error(notLoaded);
  const feed = (timeout: number) => page.getByTestId('activity').first().waitFor({ timeout }).then(() => undefined, (err: unknown) => err);
  let settled = false;
  const neverStarted = async (until: number) => {
    while (!settled && performance.now() < until && !(report.fileFailures.length && !report.apiCalls.length)) await new Promise((r) => setTimeout(r, 100));
    return 'never started' as const;
  };
  let failed = await Promise.race([feed(budget / 2), neverStarted(performance.now() + budget / 2)]);
  settled = true;
  let note: string | undefined;
  if (failed && !report.apiCalls.length) {
    note = `the first load never started the app (${feedCall(report)}); a reload did`;
    if (report.fileFailures.length && report.fileFailures.every((f) => f.includes('ERR_NETWORK_CHANGED'))) note += ': the machine’s network changed as the page loaded (a container started or stopped), and the browser dropped what it was fetching';
    await page.reload({ timeout: left() }).catch(() => undefined);
  }
  if (failed) failed = await feed(left());
  if (failed) throw new Error(`the page loaded, the feed never showed (${feedCall(report)})${note ? ', reloaded once' : ''}: ${firstLine(failed).replace(/(\d+)\.\d+ms/, '$1 ms')}`);
  return note;
}

/** What became of the page's first call of the API: the feed's. */
function feedCall(report: JourneyReport): string {
  const call = report.apiCalls[0];
  if (!call) {
    // The app never started: what the browser refused or could not load says why.
    const why = [...new Set([...report.fileFailures, ...report.pageErrors])].slice(0, 3);
    return `the page never called /api${why.length ? `; ${why.join('; ')}` : ''}`;
  }
  return `${call.method} ${call.path} ${call.status ? `answered ${call.status}` : 'had no answer'}`;
}

const firstLine = (err: unknown) => String((err as Error)?.message ?? err).split('\n')[0]!.replace(/^(page|locator)\.\w+: /, '');

/** Why the page's spans cannot have left it, from what the journey saw; undefined when they did. */
export function spanPostProblem(report: JourneyReport, settings: Settings): string | undefined {
  const page = new URL(report.url).origin;
  const posts = report.spanPosts;
  if (!posts.length) {
    if (report.sdkFailed) return `the page never posted its spans: its telemetry SDK's chunk ${report.sdkFailed} (a build cut short, or a blocker's rule on the file)`;
    return `the page never posted its spans to ${page}/v1/traces: its tracing did not start (the browser console says why; npm run doctor -- --only stack checks the path)`;
  }
  const refused = posts.find((p) => p.status >= 400);
  if (refused) {
    const proxy = settings.splitMode ? 'the collector' : `the front end's proxy to the collector (vite.config.ts under the dev server, nginx.conf when built; OTEL_PROXY_TARGET)`;
    return `the page's spans were refused: ${settings.splitMode ? 'the collector' : `${page}/v1/traces`} answered ${refused.status}${refused.status === 502 || refused.status === 504 ? `: ${proxy} does not reach it (docker compose ps otel-collector)` : ''}`;
  }
  const lost = posts.find((p) => p.status === 0);
  if (lost) {
    return settings.splitMode
      ? `the page's posts to the collector failed (${lost.error ?? 'no answer'}): the collector's receiver does not allow the page's origin ${page} (its CORS allowed_origins is FRONTEND_URL=${settings.frontendUrl.value})`
      : `the page's posts to ${page}/v1/traces failed (${lost.error ?? 'no answer'})`;
  }
  return undefined;
}

/** What the smoke reports of a journey: each step's time and the first page's measures. */
export const journeySummary = (report: JourneyReport) => ({ steps: report.steps, loadMs: report.loadMs, lcpMs: report.lcpMs });

/** Why the smoke's journey failed before any destination is asked: a step that stopped, or spans that could not leave the page. */
export function journeyFailure(report: JourneyReport, settings: Settings): string | undefined {
  const stopped = report.steps.find((s) => s.error);
  if (stopped) return `the journey stopped at "${stopped.name}" on ${report.url}: ${stopped.error}`;
  return spanPostProblem(report, settings);
}
