/// <reference lib="dom" />
// page.evaluate() callbacks run in the browser: DOM types for them.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { startBackend, type Backend } from '../../testkit/backend.ts';
import { launchChromium } from '../../testkit/browser.ts';
import { lowContrast, lowControlContrast } from '../../testkit/contrast.ts';
import { startDevServer } from '../../testkit/frontend.ts';
import type { Running } from '../../testkit/http.ts';
import { startTracePipeline, type TracePipeline } from '../../testkit/trace-pipeline.ts';
import { setUp } from '../../testkit/suite-setup.ts';
import { closeTracedSite, startTracedSite } from '../../testkit/traced-site.ts';

// Every page, as a student sees it on a laptop and on a phone, and the flows through them.
// Each page's screenshot is saved here (the README shows two of them: npm run screenshots).
export const SCREENSHOTS = join(import.meta.dirname, 'screenshots');
// 1000 px: a small laptop, or a browser beside the editor (the sidebar is gone, the nav still has its labels).
const VIEWPORTS = { desktop: { width: 1280, height: 800 }, narrow: { width: 1000, height: 800 }, phone: { width: 390, height: 844 } } as const;
type Viewport = keyof typeof VIEWPORTS;
const PAGES: { path: string; name: string; title: string; shows: string }[] = [
  { path: '/', name: 'home', title: 'Home | Cruddur', shows: 'Cloud is very fun!' },
  { path: '/notifications', name: 'notifications', title: 'Notifications | Cruddur', shows: 'I am white unicorn' },
  { path: '/@andrewbrown', name: 'profile', title: '@andrewbrown | Cruddur', shows: 'Cloud is fun!' },
  { path: '/search?term=cloud', name: 'search', title: 'Search: cloud | Cruddur', shows: 'Cloudflare is used by many websites' },
  { path: '/messages', name: 'messages', title: 'Messages | Cruddur', shows: 'Hello world!' },
  { path: '/messages/@bayko', name: 'conversation', title: 'Messages with @bayko | Cruddur', shows: 'This platform is great!' },
  { path: '/signin', name: 'signin', title: 'Sign into your Cruddur account | Cruddur', shows: 'Forgot password?' },
  { path: '/signup', name: 'signup', title: 'Sign up to create a Cruddur account | Cruddur', shows: 'Have an account?' },
  { path: '/confirm?email=a%40example.com', name: 'confirm', title: 'Confirm your email | Cruddur', shows: 'Confirmation code' },
  { path: '/forgot', name: 'recover', title: 'Recover your password | Cruddur', shows: 'Send recovery code' },
  { path: '/nowhere/at/all', name: 'not-found', title: 'Not found | Cruddur', shows: 'There is no page here.' },
];
const FRONTEND = 'frontend-react-js';
const SERVER = 2;

interface Ctx {
  browser: Browser;
  site: Running;
  backend: Backend;
  collector: TracePipeline;
  setupError?: Error;
}
const t = suite<Ctx>('every page, on a laptop and a phone');

setUp(t, async (ctx) => {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await startTracedSite(ctx);
}, closeTracedSite);

/** A fresh browser profile (signed in, nothing stored) at a viewport; console errors collected. */
async function open(ctx: Ctx, viewport: Viewport): Promise<{ page: Page; context: BrowserContext; errors: string[] }> {
  const context = await ctx.browser.newContext({ viewport: VIEWPORTS[viewport] });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  page.on('pageerror', (e) => errors.push(e.message));
  return { page, context, errors };
}

// The flows run twice: on the production build (nginx's setup) and under the Vite dev server
// that compose runs (React's StrictMode mounts everything twice there: a dialog closed by an
// effect's cleanup, say, shows only in development).
type Flow = [string, (ctx: Ctx) => Promise<void>];
const flows: Flow[] = [];
const flow = (name: string, body: (ctx: Ctx) => Promise<void>) => {
  t(name, body);
  flows.push([name, body]);
};

/** How far the page is wider than the screen (0 = no horizontal scrolling). */
const overflow = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);

for (const viewport of Object.keys(VIEWPORTS) as Viewport[]) {
  t(`every page renders at ${viewport} width: its title, its content, no overflow, no console error (${viewport})`, async (ctx) => {
    const { page, context, errors } = await open(ctx, viewport);
    try {
      for (const p of PAGES) {
        await page.goto(ctx.site.url + p.path);
        await page.getByText(p.shows).first().waitFor({ timeout: 8000 });
        await page.screenshot({ path: join(SCREENSHOTS, `${p.name}-${viewport}.png`) });
        assert.is(await page.title(), p.title, p.path);
        assert.is(await overflow(page), 0, `${p.path} scrolls sideways at ${VIEWPORTS[viewport].width} px`);
        assert.ok(await page.getByRole('heading', { level: 1 }).isVisible(), `${p.path} has a visible heading`);
        if (p.name === 'not-found') {
          const home = page.getByRole('link', { name: 'Go home' });
          assert.ok(await home.isVisible(), 'the 404 page has a way home');
          // Outlined in the accent (6.3:1 on black): it reads as a button, not a dim grey slab.
          assert.is(await home.evaluate((e) => getComputedStyle(e).boxShadow), 'rgb(179, 102, 255) 0px 0px 0px 1px inset');
        }
        // Buttons keep off the screen's edges (the 404's Go home once sat at x = 0 on a phone).
        const atEdge = await page.evaluate(() =>
          [...document.querySelectorAll<HTMLElement>('main button, main .button')]
            .filter((el) => el.getClientRects().length > 0)
            .filter((el) => { const r = el.getBoundingClientRect(); return r.left < 8 || r.right > window.innerWidth - 8; })
            .map((el) => el.textContent),
        );
        assert.equal(atEdge, [], `${p.path}: buttons at the screen's edge`);
      }
      assert.equal(errors, [], 'no console errors (a missing favicon would be one)');
    } finally {
      await context.close();
    }
  });
}

t('on a phone the navigation is one row, at most 64 px high, with every link in it', async (ctx) => {
  const { page, context } = await open(ctx, 'phone');
  try {
    await page.goto(ctx.site.url);
    await page.getByTestId('activity').first().waitFor();
    const nav = page.getByRole('navigation', { name: 'Main' });
    const box = (await nav.boundingBox())!;
    assert.ok(box.height <= 64, `the nav is ${box.height} px high`);
    for (const name of ['Home', 'Notifications', 'Messages', 'Profile', 'Search']) {
      const link = (await nav.getByRole('link', { name, exact: true }).boundingBox())!;
      assert.ok(link.y >= box.y && link.y + link.height <= box.y + box.height, `${name} sits inside the nav row`);
      assert.ok(link.x + link.width <= 390, `${name} is on screen`);
    }
    // The active page's marker stays beside its icon, not a tall pill of its own.
    const active = (await nav.locator('a.active').first().boundingBox())!;
    assert.ok(active.height <= 48, `the active link is ${active.height} px high`);
  } finally {
    await context.close();
  }
});

t('on a phone every link and button of the nav, and every crud’s actions, are 44 px or more each way', async (ctx) => {
  const { page, context } = await open(ctx, 'phone');
  try {
    for (const path of ['/', '/messages/@bayko']) {
      await page.goto(ctx.site.url + path);
      await page.locator('.activity, .messages li').first().waitFor();
      const small = await page.evaluate(() =>
        [...document.querySelectorAll<HTMLElement>('.main-nav a, .main-nav button, .action, .back')]
          .filter((el) => el.getClientRects().length > 0)
          .map((el) => ({ what: el.getAttribute('aria-label') ?? el.textContent, ...el.getBoundingClientRect().toJSON() }))
          .filter((r) => r.width < 44 || r.height < 44)
          .map((r) => `${r.what}: ${Math.round(r.width)}x${Math.round(r.height)}`),
      );
      assert.equal(small, [], path);
    }
  } finally {
    await context.close();
  }
});

t('signed out on a phone, Sign in sits in the icon row as the avatar does: a 44 px target whose pill leaves the row its margins', async (ctx) => {
  const { page, context } = await open(ctx, 'phone');
  try {
    await page.addInitScript(() => localStorage.setItem('cruddur.signed_out', '1'));
    await page.goto(ctx.site.url);
    const signIn = page.getByRole('link', { name: 'Sign in', exact: true });
    await signIn.waitFor();
    await page.screenshot({ path: join(SCREENSHOTS, 'signed-out-phone.png') });
    const m = await signIn.evaluate((el) => {
      const r = el.getBoundingClientRect();
      const cs = getComputedStyle(el);
      const px = (v: string) => Number.parseFloat(v) || 0;
      const row = el.closest('nav')!.getBoundingClientRect();
      // The painted pill: the box less its transparent border (background-clip: padding-box).
      const clip = cs.backgroundClip === 'padding-box';
      const top = r.top + (clip ? px(cs.borderTopWidth) : 0);
      const bottom = r.bottom - (clip ? px(cs.borderBottomWidth) : 0);
      const right = r.right - (clip ? px(cs.borderRightWidth) : 0);
      return { width: r.width, height: r.height, above: top - row.top, below: row.bottom - bottom, rightGap: innerWidth - right, font: px(cs.fontSize) };
    });
    assert.ok(m.width >= 44 && m.height >= 44, `a target of ${m.width}x${m.height} px`);
    assert.ok(m.above >= 9 && m.below >= 9, `the pill leaves ${m.above.toFixed(0)} px above and ${m.below.toFixed(0)} px below it in the 56 px row`);
    assert.ok(m.rightGap >= 12, `the pill ends ${m.rightGap.toFixed(0)} px from the screen's edge (the avatar, signed in: 12)`);
    assert.ok(m.font <= 16, `its text is ${m.font} px, the icons' row is not a heading`);
  } finally {
    await context.close();
  }
});

t('one person, one name: the profile, its cruds, the conversation and the sidebar agree', async (ctx) => {
  const { page, context } = await open(ctx, 'desktop');
  try {
    await page.goto(ctx.site.url + '/@andrewbrown');
    await page.getByText('Cloud is fun!').waitFor();
    const heading = page.getByRole('heading', { level: 1 });
    assert.is((await heading.innerText()).replace(/\s+/g, ' ').trim(), 'AB Andrew Brown @andrewbrown');
    assert.is(await page.getByTestId('activity').locator('.display-name').innerText(), 'Andrew Brown');
    await page.goto(ctx.site.url + '/messages/@bayko');
    await page.getByText('This platform is great!').waitFor();
    assert.is(await page.locator('.messages .theirs .display-name').innerText(), 'Andrew Bayko', 'as the sidebar names @bayko');
  } finally {
    await context.close();
  }
});

t('at 1000 px the profile box shows the whole name and handle', async (ctx) => {
  const { page, context } = await open(ctx, 'narrow');
  try {
    await page.goto(ctx.site.url);
    await page.getByTestId('activity').first().waitFor();
    const cut = await page.evaluate(() =>
      [...document.querySelectorAll<HTMLElement>('.profile-button .display-name, .profile-button .handle')]
        .filter((el) => el.scrollWidth > el.clientWidth)
        .map((el) => el.textContent),
    );
    assert.equal(cut, []);
  } finally {
    await context.close();
  }
});

// 300 characters with no space: a pasted URL, say.
const LONG_WORD = 'https://example.com/' + 'a'.repeat(280);

t('a 300-character word neither widens the page nor pushes the Crud button off a phone’s screen', async (ctx) => {
  const { page, context } = await open(ctx, 'phone');
  try {
    // A crud carrying the word, as the feed would once one is posted (the API allows 280).
    await page.route('**/api/activities/home', async (route) => {
      const feed = (await (await route.fetch()).json()) as { message: string }[];
      feed[0]!.message = LONG_WORD;
      await route.fulfill({ json: feed });
    });
    await page.goto(ctx.site.url);
    await page.getByText(LONG_WORD.slice(0, 30)).waitFor();
    await page.getByRole('textbox', { name: 'What would you like to say?' }).fill(LONG_WORD);
    assert.is(await overflow(page), 0);
    const button = (await page.getByRole('button', { name: 'Crud', exact: true }).boundingBox())!;
    assert.ok(button.x >= 0 && button.x + button.width <= 390, `the Crud button is at x=${button.x}..${button.x + button.width}`);
    await page.screenshot({ path: join(SCREENSHOTS, 'long-word-phone.png') });
  } finally {
    await context.close();
  }
});

t('Crud is enabled only for text within the limit; over it the count says so, aloud too', async (ctx) => {
  const { page, context } = await open(ctx, 'desktop');
  try {
    await page.goto(ctx.site.url);
    const box = page.getByRole('textbox', { name: 'What would you like to say?' });
    const crud = page.getByRole('button', { name: 'Crud', exact: true });
    assert.ok(await crud.isDisabled(), 'empty');
    // Empty, it is still the app's purple Crud, dimmed: not a grey that reads as broken.
    assert.equal(await crud.evaluate((b) => [getComputedStyle(b).backgroundColor, getComputedStyle(b).opacity]), ['rgb(149, 0, 255)', '0.5']);
    await box.fill('   \n  ');
    assert.ok(await crud.isDisabled(), 'blank');
    await box.fill('x'.repeat(270));
    assert.ok(await crud.isEnabled(), 'within the limit');
    assert.is(await page.locator('[aria-live="polite"]').first().innerText(), '10 characters left');
    await box.fill('x'.repeat(300));
    assert.ok(await crud.isDisabled(), 'over the limit');
    assert.is(await page.locator('.count').innerText(), '-20');
    assert.is(await page.locator('[aria-live="polite"]').first().innerText(), '20 characters over the limit');
    assert.is(await box.getAttribute('aria-invalid'), 'true');
  } finally {
    await context.close();
  }
});

t('a crud keeps its line breaks', async (ctx) => {
  const { page, context } = await open(ctx, 'desktop');
  try {
    await page.goto(ctx.site.url);
    await page.getByRole('textbox', { name: 'What would you like to say?' }).fill('first line\nsecond line');
    await page.getByRole('combobox', { name: 'Expires in' }).selectOption('1-hour');
    await page.getByRole('button', { name: 'Crud', exact: true }).click();
    const message = page.locator('.activity .message', { hasText: 'first line' });
    await message.waitFor();
    assert.is(await message.innerText(), 'first line\nsecond line');
    assert.ok(await page.getByRole('textbox', { name: 'What would you like to say?' }).inputValue() === '', 'the box is cleared once posted');
    // The next crud starts from 7 days, as in the course; and the mock's keeping nothing is said.
    assert.is(await page.getByRole('combobox', { name: 'Expires in' }).inputValue(), '7-days');
    assert.match(await page.locator('.compose [role="status"]').innerText(), /mock that keeps nothing/);
  } finally {
    await context.close();
  }
});

flow('the nav’s Crud, as the course has it: from any page a popup with the form; the crud posted tops the home feed; one trace from the click to the backend', async (ctx) => {
  const { page, context } = await open(ctx, 'desktop');
  try {
    await page.goto(ctx.site.url + '/notifications');
    await page.getByText('I am white unicorn').waitFor();
    const navCrud = page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: /^Crud/ });
    assert.equal(await navCrud.evaluate((b) => getComputedStyle(b).backgroundColor), 'rgb(149, 0, 255)', 'purple');
    await navCrud.click();
    const dialog = page.getByRole('dialog', { name: 'Crud' });
    await dialog.waitFor();
    assert.ok(await dialog.getByRole('textbox', { name: 'What would you like to say?' }).evaluate((e) => e === document.activeElement), 'focus is in the box');
    await dialog.getByRole('textbox', { name: 'What would you like to say?' }).fill('From the nav’s popup');
    await dialog.getByRole('button', { name: 'Crud', exact: true }).click();
    await dialog.waitFor({ state: 'hidden' });
    await page.getByRole('heading', { name: 'Home' }).waitFor();
    // At its first render with the feed: never a feed without it first.
    assert.match(await page.getByTestId('activity').first().innerText(), /From the nav’s popup/, 'on top of the home feed');
    // A reload does not bring it back: the mock keeps nothing, and the page does not pretend.
    await page.reload();
    await page.getByTestId('activity').first().waitFor();
    assert.is(await page.getByText('From the nav’s popup').count(), 0);
    const click = (await ctx.collector.waitForSpans((s) => s.name === 'click' && s.attributes['app.action'] === 'Crud' && s.attributes['page.route'] === '/notifications', 1, 8000))[0]!;
    const [server] = await ctx.collector.waitForSpans((s) => s.kind === SERVER && s.attributes['http.route'] === '/api/activities' && s.traceId === click.traceId, 1, 8000);
    assert.ok(server, 'the POST’s backend span is in the trace of the click that sent it');
    const opened = await ctx.collector.waitForSpans((s) => s.name === 'click' && s.attributes['app.action'] === 'crud', 1, 8000);
    assert.is(opened[0]!.attributes['page.route'], '/notifications');
  } finally {
    await context.close();
  }
});

flow('reply: the popup takes focus, posts, closes, and the reply shows under the crud; one trace from the click to the backend', async (ctx) => {
  const { page, context } = await open(ctx, 'desktop');
  try {
    await page.goto(ctx.site.url);
    const first = page.getByTestId('activity').first();
    await first.getByRole('button', { name: 'Reply (1 reply)' }).click();
    const dialog = page.getByRole('dialog', { name: /Reply to/ });
    await dialog.waitFor();
    assert.ok(await dialog.getByRole('textbox', { name: 'Your reply' }).evaluate((e) => e === document.activeElement), 'focus is in the reply box');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    // A click on the backdrop closes it too; one inside the popup, on its padding, does not.
    await first.getByRole('button', { name: 'Reply (1 reply)' }).click();
    const box = (await dialog.boundingBox())!;
    await page.mouse.click(box.x + 3, box.y + 3);
    assert.ok(await dialog.isVisible(), 'a click inside stays');
    await page.mouse.click(5, box.y + box.height / 2);
    await dialog.waitFor({ state: 'hidden' });
    await first.getByRole('button', { name: 'Reply (1 reply)' }).click();
    await dialog.getByRole('textbox', { name: 'Your reply' }).fill('Qapla’ to you too');
    await page.screenshot({ path: join(SCREENSHOTS, 'reply-desktop.png') });
    await dialog.getByRole('button', { name: 'Reply', exact: true }).click();
    await dialog.waitFor({ state: 'hidden' });
    await first.getByText('Qapla’ to you too').waitFor();
    // Your reply under your name, as the API now says it (it had no display_name: "andrewbrown").
    const mine = first.locator('.reply', { hasText: 'Qapla’ to you too' });
    assert.match(await mine.innerText(), /Andrew Brown/);
    assert.is((await mine.locator('.avatar').innerText()).trim(), 'AB', 'initials of the name, not of the handle');
    assert.ok(await first.getByRole('button', { name: 'Reply (2 replies)' }).isVisible());

    const click = (await ctx.collector.waitForSpans((s) => s.name === 'click' && s.attributes['target.text'] === 'Reply' && s.attributes['app.action'] === 'Reply', 1, 8000))[0]!;
    const post = (await ctx.collector.waitForSpans((s) => s.resource['service.name'] === FRONTEND && s.name === 'POST /api/activities/:uuid/reply', 1, 8000))[0]!;
    assert.is(post.parentSpanId, click.spanId);
    const [server] = await ctx.collector.waitForSpans((s) => s.kind === SERVER && s.attributes['http.route'] === '/api/activities/:uuid/reply', 1, 8000);
    assert.is(server!.traceId, click.traceId);
    // The card's Reply button is named for what it does, in every card alike.
    const opened = await ctx.collector.waitForSpans((s) => s.name === 'click' && s.attributes['app.action'] === 'reply', 1, 8000);
    assert.match(String(opened[0]!.attributes['target.text']), /^Reply \(\d+ repl/);
  } finally {
    await context.close();
  }
});

flow('search: from the sidebar on a laptop and from the nav on a phone, to results named by the term', async (ctx) => {
  const desk = await open(ctx, 'desktop');
  try {
    await desk.page.goto(ctx.site.url);
    await desk.page.getByRole('searchbox', { name: 'Search Cruddur' }).fill('cloud');
    await desk.page.keyboard.press('Enter');
    await desk.page.getByText('Cloudflare is used by many websites').waitFor();
    assert.match(desk.page.url(), /\/search\?term=cloud$/);
    assert.is(await desk.page.title(), 'Search: cloud | Cruddur');
    assert.is(await desk.page.getByRole('searchbox').count(), 1, 'one search box on the search page, not the sidebar’s too');
    // The sidebar stays where it was on the page before (it jumped 55 px up when its box went).
    const trending = desk.page.getByRole('heading', { name: 'Trending' });
    const onSearch = (await trending.boundingBox())!.y;
    await desk.page.goBack();
    await desk.page.getByRole('heading', { name: 'Home' }).waitFor();
    assert.is((await trending.boundingBox())!.y, onSearch, 'the sidebar did not move');
    await desk.page.goForward();
    await desk.page.getByRole('heading', { name: 'Search: cloud' }).waitFor();
    // A word the feed shows is found.
    await desk.page.getByRole('searchbox').fill('prune');
    await desk.page.keyboard.press('Enter');
    await desk.page.getByText('I am out of prune juice').waitFor();
    // Back to the last search: the box says its term, as the heading does.
    await desk.page.goBack();
    await desk.page.getByRole('heading', { name: 'Search: cloud' }).waitFor();
    assert.is(await desk.page.getByRole('searchbox').inputValue(), 'cloud');
    await desk.page.getByRole('link', { name: '#AWS' }).click();
    await desk.page.getByText('No cruds match “AWS”.').waitFor();
    // Asked while the page is open: its batch goes out on the SDK's schedule, not in a race with the close.
    for (const term of ['cloud', 'AWS']) await searchSpan(ctx, term);
  } finally {
    await desk.context.close();
  }
  const phone = await open(ctx, 'phone');
  try {
    await phone.page.goto(ctx.site.url);
    await phone.page.getByRole('link', { name: 'Search', exact: true }).click();
    const box = phone.page.getByRole('searchbox', { name: 'Search Cruddur' });
    await box.fill('Cloudflare');
    await box.press('Enter');
    await phone.page.getByText('Cloudflare is used by many websites').waitFor();
    await searchSpan(ctx, 'Cloudflare');
  } finally {
    await phone.context.close();
  }
});

/** Each search is a fetch span carrying its term (they arrive in any order, with other tests' too). */
const searchSpan = (ctx: Ctx, term: string) =>
  ctx.collector.waitForSpans((s) => s.resource['service.name'] === FRONTEND && s.name === 'GET /api/activities/search' && new URL(String(s.attributes['url.full'])).searchParams.get('term') === term, 1, 15_000);

flow('messages: the conversations beside the open one on a laptop; on a phone the thread alone, with a way back; Send only with text', async (ctx) => {
  const desk = await open(ctx, 'desktop');
  try {
    await desk.page.goto(ctx.site.url + '/messages');
    // The list keeps its width, beside the space where a conversation will open.
    const worf = desk.page.getByRole('link', { name: /Worf/ });
    await worf.waitFor();
    assert.ok((await worf.boundingBox())!.width <= 330, `the list is ${(await worf.boundingBox())!.width} px wide`);
    assert.ok(await desk.page.getByText('Choose a conversation').isVisible());
    const before = (await worf.boundingBox())!.y;
    await worf.click();
    await desk.page.getByRole('heading', { name: 'Messages with @worf' }).waitFor();
    const list = desk.page.getByRole('navigation', { name: 'Conversations' });
    // The list loads its own data: wait for it, then check it shows beside the thread.
    await list.getByRole('link', { name: /Andrew Brown/ }).waitFor();
    // Opening a conversation keeps the list where it was, under its heading, lined up with the thread's.
    assert.is((await list.getByRole('link', { name: /Worf/ }).boundingBox())!.y, before, 'the list did not jump');
    const listHeader = (await list.locator('.page-header').boundingBox())!;
    const threadHeader = (await desk.page.locator('.thread .page-header').boundingBox())!;
    assert.is(listHeader.y + listHeader.height, threadHeader.y + threadHeader.height, 'the two headers end on one line');
    assert.ok(await list.getByRole('heading', { name: 'Messages' }).isVisible());
    assert.is(await list.getByRole('link', { name: /Worf/ }).getAttribute('aria-current'), 'page', 'the open conversation is marked in the list');
    assert.ok(await list.isVisible(), 'the conversations are beside the thread');
    assert.ok(await list.getByRole('link', { name: /Andrew Brown/ }).isVisible());
    const send = desk.page.getByRole('button', { name: 'Send' });
    assert.ok(await send.isDisabled());
    await desk.page.getByRole('textbox', { name: 'Message' }).fill('See you on the holodeck');
    await send.click();
    await desk.page.locator('.messages .mine', { hasText: 'See you on the holodeck' }).waitFor();
    await list.getByRole('link', { name: /Andrew Brown/ }).click();
    await desk.page.getByRole('heading', { name: 'Messages with @andrewbrown' }).waitFor();
  } finally {
    await desk.context.close();
  }
  // At 1000 px the list is narrower: every name still whole.
  const narrow = await open(ctx, 'narrow');
  try {
    await narrow.page.goto(ctx.site.url + '/messages/@worf');
    const names = narrow.page.locator('.groups .display-name');
    await names.first().waitFor();
    const cut = await names.evaluateAll((els) => els.filter((e) => e.scrollWidth > e.clientWidth).map((e) => e.textContent));
    assert.equal(cut, [], 'no name cut short');
    // Nor drawn under the time beside it.
    const overlaps = await narrow.page.locator('.groups a').evaluateAll((links) =>
      links.filter((a) => {
        const n = a.querySelector('.display-name')!.getBoundingClientRect();
        const t = a.querySelector('time')!.getBoundingClientRect();
        return n.right > t.left && n.left < t.right && n.bottom > t.top && n.top < t.bottom;
      }).length,
    );
    assert.is(overlaps, 0, 'a name overlaps its time');
  } finally {
    await narrow.context.close();
  }
  const phone = await open(ctx, 'phone');
  try {
    await phone.page.goto(ctx.site.url + '/messages/@bayko');
    await phone.page.getByText('This platform is great!').waitFor();
    assert.not.ok(await phone.page.getByRole('navigation', { name: 'Conversations' }).isVisible(), 'no list squeezed beside the thread');
    // The box to write in sits at the bottom of the screen, where a thumb finds it.
    const box = (await phone.page.locator('.thread .message-box').boundingBox())!;
    assert.ok(Math.abs(box.y + box.height - 844) <= 1, `the message box ends at ${box.y + box.height} px of 844`);
    // A long conversation: each message sent is in sight, above the box, not under it.
    for (let i = 1; i <= 8; i++) {
      await phone.page.getByRole('textbox', { name: 'Message' }).fill(`Message ${i} of a long talk`);
      await phone.page.getByRole('button', { name: 'Send' }).click();
      const sent = phone.page.locator('.messages .mine', { hasText: `Message ${i} of a long talk` });
      await sent.waitFor();
      await phone.page.waitForFunction(() => true); // a frame for the scroll
      const top = (await phone.page.locator('.thread .message-box').boundingBox())!.y;
      const last = (await sent.boundingBox())!;
      assert.ok(last.y >= 0 && last.y + last.height <= top + 1, `message ${i} ends at ${last.y + last.height} px, the box starts at ${top} px`);
    }
    await phone.page.getByRole('link', { name: 'All conversations' }).click();
    await phone.page.getByRole('heading', { name: 'Messages' }).waitFor();
    await phone.page.getByRole('link', { name: /Worf/ }).waitFor();
    assert.not.ok(await phone.page.getByText('Choose a conversation').isVisible(), 'the list alone on a phone');
    assert.is(await overflow(phone.page), 0);
  } finally {
    await phone.context.close();
  }
});

flow('sign out and back in: the menu, the join box, the mock sign-in page', async (ctx) => {
  const { page, context } = await open(ctx, 'desktop');
  try {
    await page.goto(ctx.site.url);
    await page.getByRole('button', { name: /^Account: Andrew Brown/ }).click();
    // One line: "Sign out @andrewbrown" wrapped in the profile box's width.
    const signOut = page.getByRole('button', { name: 'Sign out @andrewbrown' });
    assert.ok((await signOut.boundingBox())!.height < 48, `the sign-out button is ${(await signOut.boundingBox())!.height} px high: two lines`);
    await signOut.click();
    await page.getByRole('heading', { name: 'Join the party!' }).waitFor();
    await page.screenshot({ path: join(SCREENSHOTS, 'signed-out-desktop.png') });
    assert.not.ok(await page.getByRole('textbox', { name: 'What would you like to say?' }).isVisible(), 'no posting signed out');
    assert.not.ok(await page.getByRole('link', { name: 'Notifications' }).isVisible());
    const visible = async (l: ReturnType<Page['getByRole']>) => (await Promise.all((await l.all()).map((x) => x.isVisible()))).filter(Boolean).length;
    assert.is(await visible(page.getByRole('link', { name: 'Sign in', exact: true })), 1, 'one Sign in on the screen');
    // Nothing acts as nobody: Reply (and repost, like) lead to the sign-in page instead.
    assert.is(await page.getByRole('button', { name: /^Reply/ }).count(), 0, 'no Reply button signed out');
    await page.getByRole('link', { name: /^Sign in to reply/ }).first().click();
    await page.getByRole('heading', { name: 'Sign into your Cruddur account' }).waitFor();
    await page.goBack();
    await page.reload();
    await page.getByRole('heading', { name: 'Join the party!' }).waitFor(); // kept across a reload
    await page.getByRole('link', { name: 'Sign in', exact: true }).click();
    await page.getByRole('textbox', { name: 'Email' }).fill('andrew@example.com');
    await page.getByLabel('Password').fill('anything');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Home' }).waitFor();
    assert.ok(await page.getByRole('link', { name: 'Notifications' }).isVisible());
  } finally {
    await context.close();
  }
});

flow('sign-up leads to confirmation with the address filled in, then to sign-in; recovery takes a code and a new password', async (ctx) => {
  const { page, context } = await open(ctx, 'phone');
  try {
    await page.goto(ctx.site.url + '/signup');
    await page.getByRole('textbox', { name: 'Name', exact: true }).fill('Ro Laren');
    await page.getByRole('textbox', { name: 'Email' }).fill('ro@example.com');
    await page.getByRole('textbox', { name: 'Username' }).fill('laren');
    await page.getByLabel('Password').fill('secret-but-mock');
    await page.getByRole('button', { name: 'Sign up' }).click();
    await page.getByRole('heading', { name: 'Confirm your email' }).waitFor();
    const email = page.getByRole('textbox', { name: 'Email' });
    assert.is(await email.inputValue(), 'ro@example.com');
    // Resend activation code: with no address, the page's error box says what to do.
    await email.fill('');
    await page.getByRole('button', { name: 'Resend activation code' }).click();
    assert.match(await page.getByRole('alert').innerText(), /Enter your email first/);
    await email.fill('ro@example.com');
    await page.getByRole('button', { name: 'Resend activation code' }).click();
    assert.match(await page.getByRole('status').innerText(), /A new activation code has been sent/);
    assert.is(await page.getByRole('alert').count(), 0, 'the error is gone once it worked');
    await page.getByRole('textbox', { name: 'Confirmation code' }).fill('123456');
    await page.getByRole('button', { name: 'Confirm email' }).click();
    await page.getByRole('heading', { name: 'Sign into your Cruddur account' }).waitFor();
    await page.getByRole('link', { name: 'Forgot password?' }).click();
    await page.getByRole('textbox', { name: 'Email' }).fill('ro@example.com');
    await page.getByRole('button', { name: 'Send recovery code' }).click();
    await page.getByRole('textbox', { name: 'Recovery code' }).fill('654321');
    await page.getByLabel('New password', { exact: true }).fill('another-mock');
    await page.getByLabel('New password again').fill('another-mokc');
    await page.getByRole('button', { name: 'Reset password' }).click();
    assert.match(await page.getByRole('alert').innerText(), /Passwords do not match/);
    await page.screenshot({ path: join(SCREENSHOTS, 'recover-error-phone.png') });
    await page.getByLabel('New password again').fill('another-mock');
    await page.getByRole('button', { name: 'Reset password' }).click();
    assert.match(await page.getByRole('status').innerText(), /has been reset/);
  } finally {
    await context.close();
  }
});

t('text contrast is at least 4.5:1 on every page, counts and times included', async (ctx) => {
  const { page, context } = await open(ctx, 'desktop');
  try {
    for (const p of PAGES) {
      await page.goto(ctx.site.url + p.path);
      await page.getByText(p.shows).first().waitFor();
      assert.equal(await lowContrast(page), [], p.path);
    }
  } finally {
    await context.close();
  }
});

t('every text field, search box and select stands out at 3:1 from what is around it (WCAG 1.4.11)', async (ctx) => {
  const { page, context } = await open(ctx, 'desktop');
  try {
    for (const p of PAGES) {
      await page.goto(ctx.site.url + p.path);
      await page.getByText(p.shows).first().waitFor();
      assert.equal(await lowControlContrast(page), [], p.path);
    }
  } finally {
    await context.close();
  }
});

t('the sign-in pages: a card that stands off the page, and no column lines down the edges', async (ctx) => {
  const { page, context } = await open(ctx, 'desktop');
  try {
    for (const p of PAGES.filter((x) => ['signin', 'signup', 'confirm', 'recover'].includes(x.name))) {
      await page.goto(ctx.site.url + p.path);
      await page.getByText(p.shows).first().waitFor();
      const look = await page.evaluate(() => {
        const main = getComputedStyle(document.querySelector('main')!);
        const card = getComputedStyle(document.querySelector('.auth .card')!);
        return { mainBorder: [main.borderLeftWidth, main.borderRightWidth], cardBackground: card.backgroundColor, cardBorder: card.borderTopWidth, pageBackground: getComputedStyle(document.body).backgroundColor };
      });
      assert.equal(look.mainBorder, ['0px', '0px'], `${p.path}: no 1 px line down the page's edges`);
      assert.is.not(look.cardBackground, 'rgb(0, 0, 0)', `${p.path}: the card is not black on black`);
      assert.is.not(look.cardBorder, '0px', `${p.path}: the card has an edge`);
    }
  } finally {
    await context.close();
  }
});

t('the skip link is the first thing Tab reaches, and leads to the content', async (ctx) => {
  const { page, context } = await open(ctx, 'desktop');
  try {
    await page.goto(ctx.site.url);
    await page.getByTestId('activity').first().waitFor();
    await page.keyboard.press('Tab');
    const skip = page.getByRole('link', { name: 'Skip to content' });
    assert.ok(await skip.evaluate((e) => e === document.activeElement), 'focused first');
    const box = (await skip.boundingBox())!;
    assert.ok(box.y >= 0 && box.y < 100, `visible when focused (y=${box.y})`);
    await page.keyboard.press('Enter');
    assert.is(await page.evaluate(() => document.activeElement?.id), 'main');
  } finally {
    await context.close();
  }
});

t('after a navigation, focus is on the new page’s heading; on the first page it is not moved', async (ctx) => {
  const { page, context } = await open(ctx, 'desktop');
  try {
    await page.goto(ctx.site.url);
    await page.getByTestId('activity').first().waitFor();
    assert.is(await page.evaluate(() => document.activeElement?.tagName), 'BODY');
    await page.getByRole('link', { name: 'Notifications' }).click();
    await page.getByText('I am white unicorn').waitFor();
    assert.is(await page.evaluate(() => [document.activeElement?.tagName, document.activeElement?.textContent].join(' ')), 'H1 Notifications');
  } finally {
    await context.close();
  }
});

t.run();

const dev = suite<Ctx>('the same flows under the Vite dev server, as compose runs it (StrictMode)');
setUp(dev, async (ctx) => {
  ctx.collector = await startTracePipeline();
  ctx.backend = await startBackend({ env: { OTEL_EXPORTER_OTLP_ENDPOINT: ctx.collector.url } });
  const server = await startDevServer({ API_PROXY_TARGET: ctx.backend.url, OTEL_PROXY_TARGET: ctx.collector.url });
  ctx.site = { url: server.url, close: server.stop } as unknown as Running;
  ctx.browser = await launchChromium();
}, closeTracedSite);
for (const [name, body] of flows) dev(`${name} (dev server)`, body);
dev.run();
