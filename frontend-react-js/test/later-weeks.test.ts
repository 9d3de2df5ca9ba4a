// What the course's later weeks send, fed to the UI under the dev server compose runs: every
// page renders it, and a render error shows the page's boundary, never a blank app. The
// shapes are those of omenking/aws-bootcamp-cruddur-2023's branches:
//   week-4-again backend-flask/db/sql/activities/home.sql  (no replies; counts)
//   week-4-again backend-flask/db/sql/activities/object.sql (a created crud: no counts, no replies)
//   week-5-again DynamoDB list_messages / list_message_groups (uuid, display_name, handle,
//                message, created_at), routes /messages/:message_group_uuid and
//                /messages/new/:handle, and MessageForm posting message_group_uuid.
import { readFileSync } from 'node:fs';
import type { Browser, Page, Route } from 'playwright-core';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { startBackend, type Backend } from '../../testkit/backend.ts';
import { launchChromium } from '../../testkit/browser.ts';
import { startDevServer } from '../../testkit/frontend.ts';
import { setUp } from '../../testkit/suite-setup.ts';

interface Ctx {
  backend: Backend;
  server: { url: string; stop(): Promise<void> };
  browser: Browser;
  setupError?: Error;
}

const NOW = Date.now();
const iso = (msAgo: number) => new Date(NOW - msAgo).toISOString();
const json = (route: Route, body: unknown, status = 200) => route.fulfill({ status, contentType: 'application/json', body: JSON.stringify(body) });

// week-4-again home.sql: a row per activity, as db.query_array_json returns them.
const WEEK4_HOME = [
  { uuid: '68f126b0-1ceb-4a33-88be-d90fa7109eee', display_name: 'Andrew Brown', handle: 'andrewbrown', message: 'Cloud is fun!', replies_count: 0, reposts_count: 0, likes_count: 0, reply_to_activity_uuid: null, expires_at: iso(-5 * 86_400_000), created_at: iso(3_600_000) },
];
// week-4-again object.sql: what create_activity answers.
const WEEK4_CREATED = { uuid: '0a6f3bd8-9b2e-4b0d-8c35-2e0d2a4f0c11', display_name: 'Andrew Brown', handle: 'andrewbrown', message: 'From week 4', created_at: iso(0), expires_at: iso(-7 * 86_400_000) };
const GROUP = '5ae290ed-55d1-47a0-bc6d-fe2bc2700399';
const WEEK5_GROUPS = [{ uuid: GROUP, display_name: 'Andrew Bayko', handle: 'bayko', message: 'this is a filler message', created_at: iso(60_000) }];
const WEEK5_MESSAGES = [
  { uuid: 'm1', display_name: 'Andrew Brown', handle: 'andrewbrown', message: 'Hello from me', created_at: iso(120_000) },
  { uuid: 'm2', display_name: 'Andrew Bayko', handle: 'bayko', message: 'Hello from Bayko', created_at: iso(60_000) },
];

const t = suite<Ctx>('what later weeks send, under the dev server');
setUp(t, async (ctx) => {
  ctx.backend = await startBackend({ traced: false });
  ctx.server = await startDevServer({ API_PROXY_TARGET: ctx.backend.url, OTEL_PROXY_TARGET: ctx.backend.url });
  ctx.browser = await launchChromium();
}, async (ctx) => {
  await ctx.browser?.close();
  await ctx.server?.stop();
  await ctx.backend?.stop();
});

async function open(ctx: Ctx): Promise<{ page: Page; errors: string[]; close(): Promise<void> }> {
  const context = await ctx.browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  return { page, errors, close: () => context.close() };
}

t('week 4: a feed without replies renders, a crud answered in object.sql’s shape shows, and Reply still works', async (ctx) => {
  const { page, errors, close } = await open(ctx);
  try {
    await page.route('**/api/activities/home', (route) => json(route, WEEK4_HOME));
    await page.route('**/api/activities', (route) => (route.request().method() === 'POST' ? json(route, WEEK4_CREATED) : route.fallback()));
    await page.route('**/api/activities/*/reply', (route) => json(route, { uuid: 'r1', reply_to_activity_uuid: WEEK4_HOME[0]!.uuid, handle: 'andrewbrown', message: 'A reply', created_at: iso(0) }));
    await page.goto(ctx.server.url);
    const card = page.getByTestId('activity').first();
    await card.getByText('Cloud is fun!').waitFor({ timeout: 30_000 });
    assert.match(await card.innerText(), /5d/, 'its expiry, to the day');
    await page.getByRole('textbox', { name: 'What would you like to say?' }).fill('From week 4');
    await page.getByRole('button', { name: 'Crud', exact: true }).click();
    await page.getByText('From week 4').waitFor();
    // Reply opens under StrictMode and posts.
    await card.getByRole('button', { name: /^Reply/ }).click();
    const dialog = page.getByRole('dialog', { name: /Reply to/ });
    await dialog.waitFor();
    await page.waitForTimeout(300); // the StrictMode close event would have hidden it by now
    assert.ok(await dialog.isVisible(), 'the reply popup stays open under StrictMode');
    await dialog.getByRole('textbox', { name: 'Your reply' }).fill('A reply');
    await dialog.getByRole('button', { name: 'Reply', exact: true }).click();
    await card.getByText('A reply').waitFor();
    assert.equal(errors, []);
  } finally {
    await close();
  }
});

t('a page whose data throws while rendering shows its boundary, with a way back; the rest of the app stays', async (ctx) => {
  const { page, close } = await open(ctx);
  try {
    // Not a list: the feed cannot map it.
    await page.route('**/api/activities/notifications', (route) => json(route, { activities: 'not a list' }));
    await page.goto(`${ctx.server.url}/notifications`);
    const alert = page.getByRole('alert').filter({ hasText: 'This page could not be shown' });
    await alert.waitFor({ timeout: 30_000 });
    assert.ok(await page.getByRole('navigation').first().isVisible(), 'the navigation is still there');
    await alert.getByRole('link', { name: 'Go home' }).click();
    await page.getByTestId('activity').first().waitFor();
  } finally {
    await close();
  }
});

t('week 5: a conversation by its message group, bubbles placed by their sender, and the form posts the group', async (ctx) => {
  const { page, errors, close } = await open(ctx);
  try {
    const posted: unknown[] = [];
    await page.route('**/api/message_groups', (route) => json(route, WEEK5_GROUPS));
    await page.route(`**/api/messages/${GROUP}`, (route) => json(route, WEEK5_MESSAGES));
    await page.route('**/api/messages', (route) => {
      posted.push(route.request().postDataJSON());
      return json(route, { uuid: 'm3', display_name: 'Andrew Brown', handle: 'andrewbrown', message: 'Third', created_at: iso(0) });
    });
    await page.goto(`${ctx.server.url}/messages/${GROUP}`);
    await page.getByText('Hello from Bayko').waitFor({ timeout: 30_000 });
    assert.is(await page.title(), 'Messages with @bayko | Cruddur');
    const side = (text: string) => page.locator('.messages li', { hasText: text }).getAttribute('class');
    assert.is(await side('Hello from me'), 'mine', 'the signed-in user’s message, whatever the URL');
    assert.is(await side('Hello from Bayko'), 'theirs');
    assert.is(await page.locator('.conversations a.active').count(), 1, 'the open conversation is marked');
    await page.getByRole('textbox', { name: 'Message' }).fill('Third');
    await page.getByRole('button', { name: 'Send' }).click();
    await page.getByText('Third').waitFor();
    assert.equal(posted, [{ message: 'Third', message_group_uuid: GROUP }]);
    // And a new conversation by handle.
    await page.goto(`${ctx.server.url}/messages/new/bayko`);
    await page.getByRole('heading', { name: 'Messages with @bayko' }).waitFor();
    assert.equal(errors, []);
  } finally {
    await close();
  }
});

t.run();

// Week 3's videos edit the course's page files: each sign-in page is where they expect it.
const files = suite('the files later weeks edit');
files('each sign-in page in its own file, named as the course names it', async () => {
  for (const page of ['SigninPage', 'SignupPage', 'ConfirmationPage', 'RecoverPage']) {
    const source = readFileSync(new URL(`../src/pages/${page}.tsx`, import.meta.url), 'utf8');
    assert.match(source, new RegExp(`^export function ${page}\\(`, 'm'), page);
  }
});
files.run();
