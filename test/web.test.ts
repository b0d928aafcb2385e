// The web client in a real browser (Debian's Chromium driven by playwright-core) against a real server seeded
// through the REST API: sign-in, the recent list, filters, dialogs, sending, live updates, pin, hide, unread.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { eventually } from './helpers/eventually.ts';
import { until } from './helpers/handler.ts';
import { ok, rest, ROOT, startServer, type TestServer } from './helpers/server.ts';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
// README's picture. Refreshed only on request, so that running the suite leaves the working tree clean.
const SCREENSHOT = process.env.B24IM_UPDATE_SCREENSHOT === '1' ? path.join(ROOT, 'docs/screenshot.png') : path.join(os.tmpdir(), 'b24im-web-screenshot.png');

/** Dates on the wire have whole seconds: a pause makes "newer" unambiguous. */
const nextSecond = () => new Promise((r) => setTimeout(r, 1100));

const titles = (page: Page) => page.$$eval('[data-testid=recent-item] [data-testid=title]', (els) => els.map((e) => e.textContent!.trim()));

async function row(page: Page, title: string) {
  const r = page.locator('[data-testid=recent-item]', { has: page.locator('[data-testid=title]', { hasText: title }) });
  return {
    locator: r,
    // A badge can vanish between count() and textContent(): a short timeout lets eventually() retry instead of hanging.
    counter: async () => ((await r.locator('[data-testid=counter]').count()) ? (await r.locator('[data-testid=counter]').textContent({ timeout: 500 }))!.trim() : ''),
    preview: async () => (await r.locator('[data-testid=preview]').textContent())!.trim(),
  };
}

describe('web client', () => {
  let srv: TestServer;
  let browser: Browser;
  const hooks: Record<string, string> = {};
  const ids: Record<string, number> = {};
  let chatId = 0;
  let appToken = '';

  before(async () => {
    // Builds web/dist when it is missing or older than its sources (npm test does this in pretest too).
    await promisify(execFile)(process.execPath, [path.join(ROOT, 'web/build-if-stale.mjs')], { cwd: ROOT });
    assert.ok(fs.existsSync(CHROMIUM), `Chromium not found at ${CHROMIUM}: apt-get install chromium (.ci/run does)`);
    srv = await startServer({ env: { B24IM_LOG_LEVEL: 'info' } });
    // CLI runs are slow process start-ups: few of them, in parallel waves. Users come through the API.
    const [admin] = await Promise.all([srv.webhook(1), srv.cliJson(['app', 'add', '--db', srv.dbPath, '--code', 'shop', '--scope', 'imopenlines,im,imbot'])]);
    for (const [name, last] of [['Ann', 'Lee'], ['Boris', 'Ivanov'], ['Clara', 'Petrova'], ['Dmitry', 'Orlov']]) {
      ids[name] = await ok(admin, 'user.add', { NAME: name, LAST_NAME: last });
    }
    [appToken] = await Promise.all([
      srv.cliJson(['token', 'add', '--db', srv.dbPath, '--user', '1', '--app', 'shop']).then((t) => t.access_token as string),
      ...Object.keys(ids).map(async (name) => (hooks[name] = await srv.webhook(ids[name]))),
    ]);
    // An open line with Ann as its operator, and a customer writing through a custom connector.
    const asApp = (method: string, params: Record<string, unknown>) => ok(`${srv.url}/rest/`, method, { ...params, auth: appToken });
    const line = await asApp('imopenlines.config.add', { PARAMS: { LINE_NAME: 'Shop help', QUEUE: [{ ENTITY_TYPE: 'user', ENTITY_ID: String(ids.Ann) }] } });
    const icon = { DATA_IMAGE: 'data:image/svg+xml;charset=US-ASCII,%3Csvg%3E%3C%2Fsvg%3E', COLOR: '#a6ffa3' };
    await asApp('imconnector.register', { ID: 'shop_chat', NAME: 'Shop chat', ICON: icon, PLACEMENT_HANDLER: 'https://example.com/placement' });
    await asApp('imconnector.activate', { CONNECTOR: 'shop_chat', LINE: line, ACTIVE: 1 });
    await asApp('imconnector.send.messages', {
      CONNECTOR: 'shop_chat',
      LINE: line,
      MESSAGES: [
        {
          user: { id: 'c1', name: 'Jane', last_name: 'Roe' },
          message: { id: 'm1', date: Math.floor(Date.now() / 1000), text: 'Where is my order?' },
          chat: { id: 'shop-c1' },
        },
      ],
    });
    await nextSecond();
    // Then, oldest activity first: a group chat, a dialog Ann started, a dialog with two unread messages.
    chatId = await ok(hooks.Boris, 'im.chat.add', { TITLE: 'Release planning', USERS: [ids.Ann, ids.Clara], COLOR: 'MINT' });
    await ok(hooks.Clara, 'im.message.add', { DIALOG_ID: `chat${chatId}`, MESSAGE: 'Let us ship on Friday' });
    await nextSecond();
    await ok(hooks.Ann, 'im.message.add', { DIALOG_ID: ids.Dmitry, MESSAGE: 'Dmitry, the report is ready' });
    await nextSecond();
    await ok(hooks.Boris, 'im.message.add', { DIALOG_ID: ids.Ann, MESSAGE: 'Hi Ann!' });
    await ok(hooks.Boris, 'im.message.add', { DIALOG_ID: ids.Ann, MESSAGE: 'Did you see the [b]new build[/b]?' });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
  });

  after(async () => {
    await browser?.close();
    await srv?.cleanup();
  });

  async function recentOf(name: string): Promise<any[]> {
    return ok(hooks[name], 'im.recent.get');
  }

  describe('signing in', () => {
    let context: BrowserContext;
    before(async () => {
      context = await browser.newContext();
      context.setDefaultTimeout(10_000);
    });
    after(() => context.close());

    it('serves the client at / with its security headers; the assets are long-cached', async () => {
      const res = await fetch(`${srv.url}/`);
      assert.equal(res.status, 200);
      assert.match(res.headers.get('content-type') ?? '', /text\/html/);
      assert.match(res.headers.get('content-security-policy') ?? '', /default-src 'self'/);
      assert.equal(res.headers.get('referrer-policy'), 'no-referrer');
      const html = await res.text();
      const asset = /src="(\/assets\/[^"]+\.js)"/.exec(html)?.[1];
      assert.ok(asset, html);
      const js = await fetch(`${srv.url}${asset}`);
      assert.equal(js.status, 200);
      assert.match(js.headers.get('cache-control') ?? '', /immutable/);
      // The REST API beside it is untouched.
      const missing = await fetch(`${srv.url}/rest/im.nothing`, { method: 'POST' });
      assert.equal((await missing.json()).error, 'NO_AUTH_FOUND');
    });

    it('rejects a wrong credential with a clear message, accepts a webhook URL, signs out', async () => {
      const page = await context.newPage();
      await page.goto(srv.url);
      await page.getByTestId('credential').fill('f'.repeat(64));
      await page.getByTestId('sign-in-submit').click();
      await page.getByText('This access token is not valid.').waitFor();
      await page.getByTestId('credential').fill('not a credential');
      await page.getByTestId('sign-in-submit').click();
      await page.getByText('Paste an access token or a webhook URL').waitFor();
      await page.getByTestId('credential').fill(hooks.Clara);
      await page.getByTestId('credential').press('Enter');
      await eventually(async () => assert.equal((await page.getByTestId('me').textContent())?.trim(), 'Clara Petrova'));
      await page.getByTestId('recent-item').first().waitFor();
      // The credential survives a reload; signing out forgets it.
      await page.reload();
      await page.getByTestId('me').waitFor();
      await page.getByTestId('sign-out').click();
      await page.getByTestId('sign-in').waitFor();
      await page.reload();
      await page.getByTestId('sign-in').waitFor();
      await page.close();
    });

    it('shows a retryable error when the list cannot be loaded, and an empty state for an empty filter', async () => {
      const page = await context.newPage();
      let fail = true;
      await page.route('**/rest/*/*/im.recent.get', (route) =>
        fail
          ? route.fulfill({ status: 500, contentType: 'application/json', body: JSON.stringify({ error: 'INTERNAL_SERVER_ERROR', error_description: 'Internal server error' }) })
          : route.continue(),
      );
      await page.goto(`${srv.url}/#webhook=${encodeURIComponent(hooks.Clara)}`);
      await page.getByTestId('recent-error').waitFor();
      assert.match((await page.getByTestId('recent-error').textContent()) ?? '', /Internal server error/);
      fail = false;
      await page.getByRole('button', { name: 'Try again' }).click();
      await page.getByTestId('recent-item').first().waitFor();
      await page.getByRole('tab', { name: 'Open lines' }).click();
      await page.getByTestId('recent-empty').waitFor();
      assert.match((await page.getByTestId('recent-empty').textContent()) ?? '', /No open-line conversations/);
      // A message that cannot be sent stays in the composer with the reason.
      await page.getByRole('tab', { name: 'All' }).click();
      await page.getByTestId('recent-item').first().locator('.recent-open').click();
      await page.getByTestId('message').first().waitFor();
      await page.route('**/rest/*/*/im.message.add', (route) =>
        route.fulfill({ status: 400, contentType: 'application/json', body: JSON.stringify({ error: 'ACCESS_ERROR', error_description: 'Action unavailable' }) }),
      );
      const input = page.getByRole('textbox', { name: 'Message' });
      await input.fill('Draft that fails');
      await input.press('Enter');
      await page.getByTestId('send-error').filter({ hasText: 'Action unavailable' }).waitFor();
      assert.equal(await input.inputValue(), 'Draft that fails');
      await page.close();
    });

    it('opens a bot from a BOT_CONTEXT link: the dialog opens, the bot gets the context once, the address bar drops it', async () => {
      // A Bots 2.0 bot in fetch mode; Boris follows a link to it that carries a context.
      const botHook = await srv.webhook(ids.Dmitry, 'imbot,im');
      const bot = (await ok(botHook, 'imbot.v2.Bot.register', { botToken: 'web_ctx', fields: { code: 'web_ctx', properties: { name: 'Context Bot' } } })).bot;
      const events = () => ok(botHook, 'imbot.v2.Event.get', { botId: bot.id, botToken: 'web_ctx' }).then((r) => r.events as any[]);
      const botContext = { action: 'openTask', taskId: 456 };
      const page = await context.newPage();
      // The portal's address of the messenger (/online/) leads to the client with the same query.
      const query = `?IM_DIALOG=${bot.id}&BOT_CONTEXT=${encodeURIComponent(JSON.stringify(botContext))}`;
      const portalLink = await fetch(`${srv.url}/online/${query}`, { redirect: 'manual' });
      assert.equal(portalLink.status, 302);
      assert.equal(portalLink.headers.get('location'), `/${query}`);
      await page.goto(`${srv.url}/online/${query}#webhook=${encodeURIComponent(hooks.Boris)}`);
      await eventually(async () => assert.equal((await page.getByTestId('dialog-title').textContent())?.trim(), 'Context Bot'));
      const address = new URL(page.url());
      assert.equal(address.searchParams.get('BOT_CONTEXT'), null, 'the context left the address bar');
      assert.equal(address.searchParams.get('IM_DIALOG'), String(bot.id));
      const got = await until(async () => (await events()).find((e) => e.type === 'ONIMBOTV2CONTEXTGET'));
      assert.deepEqual(got.data.context, botContext);
      assert.equal(got.data.user.id, ids.Boris);
      assert.equal(got.data.dialogId, String(ids.Boris));
      // A reload opens the dialog again but sends no context: Boris's message is the next thing the bot gets.
      await page.reload();
      await page.getByTestId('dialog-title').waitFor();
      const input = page.getByRole('textbox', { name: 'Message' });
      await input.fill('Hello bot');
      await input.press('Enter');
      const all = await until(async () => {
        const list = await events();
        return list.some((e) => e.type === 'ONIMBOTV2MESSAGEADD') && list;
      });
      assert.deepEqual(all.map((e: any) => e.type), ['ONIMBOTV2CONTEXTGET', 'ONIMBOTV2JOINCHAT', 'ONIMBOTV2MESSAGEADD']);
      await page.close();
    });
  });

  describe('the messenger, signed in with a login link', () => {
    let page: Page;
    const problems: string[] = [];
    let token = '';

    before(async () => {
      const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
      context.setDefaultTimeout(10_000);
      page = await context.newPage();
      page.on('console', (m) => {
        if (m.type() === 'error' || m.type() === 'warning') problems.push(`${m.type()}: ${m.text()}`);
      });
      page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
      const link = await srv.cli(['login-link', '--db', srv.dbPath, '--user', String(ids.Ann)]);
      assert.equal(link.code, 0, link.stderr);
      const url = link.stdout.trim();
      assert.match(url, new RegExp(`^${srv.url}/#token=[0-9a-f]{64}$`));
      token = url.split('#token=')[1];
      await page.goto(url);
    });

    it('opens signed in as the link\'s user and takes the token out of the address bar and the server log', async () => {
      await eventually(async () => assert.equal((await page.getByTestId('me').textContent())?.trim(), 'Ann Lee'));
      assert.equal(new URL(page.url()).hash, '');
      assert.ok(srv.log.includes('rest call'), 'REST calls are logged at info level');
      assert.ok(!srv.log.includes(token), 'the token never reaches the server log');
    });

    it('shows the recent list in the server\'s order with previews, authors and counters', async () => {
      await eventually(async () => assert.deepEqual(await titles(page), ['Boris Ivanov', 'Dmitry Orlov', 'Release planning', 'Jane Roe - Shop help']));
      const api = await recentOf('Ann');
      assert.deepEqual(await titles(page), api.map((i) => i.title));
      const boris = await row(page, 'Boris Ivanov');
      assert.equal(await boris.counter(), '2');
      assert.equal(await boris.preview(), 'Did you see the new build?');
      const dmitry = await row(page, 'Dmitry Orlov');
      assert.equal(await dmitry.counter(), '');
      assert.equal(await dmitry.preview(), 'You: Dmitry, the report is ready');
      const chat = await row(page, 'Release planning');
      assert.equal(await chat.preview(), 'Clara: Let us ship on Friday');
      assert.equal(await chat.counter(), String(api.find((i) => i.id === `chat${chatId}`).counter));
      // Avatars without an image show initials on the item's colour.
      const avatar = chat.locator.locator('[data-testid=avatar]');
      assert.equal((await avatar.textContent())?.trim(), 'RP');
      const color = await avatar.evaluate((e) => getComputedStyle(e.parentElement!).backgroundColor);
      assert.equal(color, 'rgb(75, 169, 132)'); // MINT, #4ba984
      // The label is relative to the reader's clock: "now" within a minute of the message, then "N min". Bound it by
      // the message's age before and after reading, so a slow machine cannot make it wrong.
      const sentAt = Date.parse(api.find((i) => i.id === ids.Boris).message.date);
      const label = (ms: number) => (ms < 60_000 ? 'now' : `${Math.floor(ms / 60_000)} min`);
      const atStart = label(Date.now() - sentAt);
      const shown = (await boris.locator.locator('[data-testid=time]').textContent())?.trim();
      assert.ok([atStart, label(Date.now() - sentAt)].includes(shown!), `time label ${shown}`);
      // The open-line item is marked; the others are not.
      const lineItem = await row(page, 'Jane Roe - Shop help');
      assert.equal(await lineItem.preview(), 'Jane: Where is my order?');
      assert.equal(await lineItem.counter(), String(api.find((i) => i.title === 'Jane Roe - Shop help').counter));
      assert.equal(await lineItem.locator.getByTestId('open-line').count(), 1);
      assert.equal(await page.getByTestId('open-line').count(), 1);
    });

    it('filters: chats, dialogs, open lines, all', async () => {
      await page.getByRole('tab', { name: 'Chats' }).click();
      await eventually(async () => assert.deepEqual(await titles(page), ['Release planning']));
      await page.getByRole('tab', { name: 'Dialogs' }).click();
      await eventually(async () => assert.deepEqual(await titles(page), ['Boris Ivanov', 'Dmitry Orlov']));
      await page.getByRole('tab', { name: 'Open lines' }).click();
      await eventually(async () => assert.deepEqual(await titles(page), ['Jane Roe - Shop help']));
      await page.getByRole('tab', { name: 'All' }).click();
      await eventually(async () => assert.deepEqual(await titles(page), ['Boris Ivanov', 'Dmitry Orlov', 'Release planning', 'Jane Roe - Shop help']));
    });

    it('opens a dialog: its history, and the dialog is marked read', async () => {
      await (await row(page, 'Boris Ivanov')).locator.locator('.recent-open').click();
      await page.getByTestId('dialog-title').filter({ hasText: 'Boris Ivanov' }).waitFor();
      await eventually(async () =>
        assert.deepEqual(await page.getByTestId('message-text').allTextContents(), ['Hi Ann!', 'Did you see the new build?']),
      );
      await eventually(async () => assert.equal(await (await row(page, 'Boris Ivanov')).counter(), ''));
      await eventually(async () => assert.equal((await recentOf('Ann')).find((i) => i.id === ids.Boris).counter, 0));
    });

    it('sends a message with the composer; the dialog moves to the top', async () => {
      await nextSecond();
      await (await row(page, 'Release planning')).locator.locator('.recent-open').click();
      await page.getByTestId('dialog-title').filter({ hasText: 'Release planning' }).waitFor();
      await page.getByTestId('message-text').filter({ hasText: 'Let us ship on Friday' }).waitFor();
      const input = page.getByRole('textbox', { name: 'Message' });
      await input.fill('Friday works for me');
      await input.press('Enter');
      await page.getByTestId('message-text').filter({ hasText: 'Friday works for me' }).waitFor();
      assert.equal(await input.inputValue(), '');
      await eventually(async () => assert.deepEqual(await titles(page), ['Release planning', 'Boris Ivanov', 'Dmitry Orlov', 'Jane Roe - Shop help']));
      assert.equal(await (await row(page, 'Release planning')).preview(), 'You: Friday works for me');
      // Everyone else sees it through the API.
      const history = await ok(hooks.Clara, 'im.dialog.messages.get', { DIALOG_ID: `chat${chatId}` });
      assert.ok(history.messages.some((m: any) => m.text === 'Friday works for me' && m.author_id === ids.Ann));
    });

    it('shows messages from others without a reload: in the open dialog, and as a raised counter in the list', async () => {
      await nextSecond();
      await ok(hooks.Clara, 'im.message.add', { DIALOG_ID: `chat${chatId}`, MESSAGE: 'Great, see you then' });
      await page.getByTestId('message-text').filter({ hasText: 'Great, see you then' }).waitFor();
      await nextSecond();
      await ok(hooks.Dmitry, 'im.message.add', { DIALOG_ID: ids.Ann, MESSAGE: 'Thanks! Lunch at 1?' });
      await eventually(async () => assert.deepEqual(await titles(page), ['Dmitry Orlov', 'Release planning', 'Boris Ivanov', 'Jane Roe - Shop help']));
      const dmitry = await row(page, 'Dmitry Orlov');
      assert.equal(await dmitry.counter(), '1');
      assert.equal(await dmitry.preview(), 'Thanks! Lunch at 1?');
      await ok(hooks.Dmitry, 'im.message.add', { DIALOG_ID: ids.Ann, MESSAGE: 'Or at 2?' });
      await eventually(async () => assert.equal(await dmitry.counter(), '2'));
      // The open chat stayed read.
      assert.equal(await (await row(page, 'Release planning')).counter(), '');
      assert.equal((await recentOf('Ann')).find((i) => i.id === `chat${chatId}`).counter, 0);
    });

    it('follows Push & Pull instead of polling: at most 2 REST calls in 10 idle seconds, a new message within 1 s, typing shown', async () => {
      await page.locator('[data-testid=messenger][data-live=true]').waitFor();
      const calls: string[] = [];
      const onRequest = (r: { url(): string }) => {
        if (new URL(r.url()).pathname.startsWith('/rest/')) calls.push(new URL(r.url()).pathname);
      };
      page.on('request', onRequest);
      await new Promise((r) => setTimeout(r, 10_000));
      page.off('request', onRequest);
      assert.ok(calls.length <= 2, `REST calls while idle: ${calls.join(', ')}`);
      await nextSecond();
      await ok(hooks.Boris, 'im.message.add', { DIALOG_ID: ids.Ann, MESSAGE: 'Pushed, not polled' });
      const sentAt = Date.now();
      await eventually(async () => assert.equal(await (await row(page, 'Boris Ivanov')).preview(), 'Pushed, not polled'), 5000);
      const took = Date.now() - sentAt;
      assert.ok(took < 1000, `shown ${took} ms after the call returned`);
      // Clara types in the open chat: Ann sees it under the title.
      await ok(hooks.Clara, 'im.dialog.writing', { DIALOG_ID: `chat${chatId}` });
      await eventually(async () => assert.equal((await page.getByTestId('typing').textContent())?.trim(), 'Clara Petrova is typing…'), 3000);
    });

    it('pins from the context menu: the item goes on top, marked, and stays there after a reload', async () => {
      await (await row(page, 'Boris Ivanov')).locator.click({ button: 'right' });
      await page.getByRole('menuitem', { name: 'Pin' }).click();
      await eventually(async () => assert.deepEqual(await titles(page), ['Boris Ivanov', 'Dmitry Orlov', 'Release planning', 'Jane Roe - Shop help']));
      assert.equal(await (await row(page, 'Boris Ivanov')).locator.getAttribute('data-pinned'), 'Y');
      await eventually(async () => assert.equal((await recentOf('Ann')).find((i) => i.id === ids.Boris).pinned, true));
      const png = await page.screenshot({ path: SCREENSHOT });
      assert.ok(png.length > 10_000 && png.subarray(1, 4).toString() === 'PNG');
      await page.reload();
      await eventually(async () => assert.deepEqual(await titles(page), ['Boris Ivanov', 'Dmitry Orlov', 'Release planning', 'Jane Roe - Shop help']));
    });

    it('marks unread, marks read and hides from the actions menu', async () => {
      const chat = await row(page, 'Release planning');
      await chat.locator.getByTestId('item-actions').click();
      await page.getByRole('menuitem', { name: 'Mark as unread' }).click();
      await chat.locator.getByTestId('unread-mark').waitFor();
      await eventually(async () => assert.equal((await recentOf('Ann')).find((i) => i.id === `chat${chatId}`).unread, true));
      await chat.locator.getByTestId('item-actions').click();
      await page.getByRole('menuitem', { name: 'Mark as read' }).click();
      await eventually(async () => assert.equal(await chat.locator.getByTestId('unread-mark').count(), 0));
      await eventually(async () => assert.equal((await recentOf('Ann')).find((i) => i.id === `chat${chatId}`).unread, false));
      const dmitry = await row(page, 'Dmitry Orlov');
      await dmitry.locator.getByTestId('item-actions').click();
      await page.getByRole('menuitem', { name: 'Hide' }).click();
      await eventually(async () => assert.deepEqual(await titles(page), ['Boris Ivanov', 'Release planning', 'Jane Roe - Shop help']));
      await eventually(async () => assert.ok(!(await recentOf('Ann')).some((i) => i.id === ids.Dmitry)));
      // New activity brings it back.
      await ok(hooks.Dmitry, 'im.message.add', { DIALOG_ID: ids.Ann, MESSAGE: 'Hello again' });
      await eventually(async () => assert.deepEqual(await titles(page), ['Boris Ivanov', 'Dmitry Orlov', 'Release planning', 'Jane Roe - Shop help']));
    });

    it('is usable with the keyboard and at phone width', async () => {
      await page.getByTestId('recent-item').first().locator('.recent-open').focus();
      await page.keyboard.press('ArrowDown');
      await page.keyboard.press('Enter');
      await page.getByTestId('dialog-title').filter({ hasText: 'Dmitry Orlov' }).waitFor();
      await page.getByTestId('message-text').filter({ hasText: 'Hello again' }).waitFor();
      await page.setViewportSize({ width: 390, height: 800 });
      assert.equal(await page.getByTestId('recent-list').isVisible(), false);
      assert.equal(await page.getByTestId('dialog').isVisible(), true);
      await page.keyboard.press('Escape');
      await page.getByTestId('recent-list').waitFor();
      assert.equal(await page.getByTestId('no-dialog').isVisible(), false);
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      assert.ok(width <= 390, `no horizontal scrolling at phone width (${width}px)`);
      await page.getByTestId('recent-item').first().locator('.recent-open').click();
      await page.getByTestId('back').click();
      await page.getByTestId('recent-list').waitFor();
    });

    it('pages back through a long history as the reader scrolls up', async () => {
      await page.setViewportSize({ width: 1280, height: 800 });
      // Dates have whole seconds: starting in a fresh second puts Clara's messages after every earlier item's, so
      // her dialog is second whatever ties the steps before left (the portal breaks a tie by the higher id).
      await new Promise((r) => setTimeout(r, 1005 - (Date.now() % 1000)));
      for (const from of [1, 51]) {
        const cmd: Record<string, string> = {};
        for (let n = from; n < from + 50 && n <= 70; n++) cmd[`m${n}`] = `im.message.add?DIALOG_ID=${ids.Ann}&MESSAGE=Line ${n}`;
        const out = await ok(hooks.Clara, 'batch', { halt: 1, cmd });
        assert.deepEqual(out.result_error, []);
      }
      await eventually(async () => assert.equal((await titles(page))[1], 'Clara Petrova'));
      await (await row(page, 'Clara Petrova')).locator.locator('.recent-open').click();
      await page.getByTestId('message-text').filter({ hasText: 'Line 70' }).waitFor();
      assert.equal(await page.getByTestId('message').count(), 50);
      assert.equal(await page.getByTestId('history-start').count(), 0);
      await page.getByTestId('messages').evaluate((el) => (el.scrollTop = 0));
      await page.getByTestId('history-start').waitFor();
      const texts = await page.getByTestId('message-text').allTextContents();
      assert.deepEqual(texts, Array.from({ length: 70 }, (_, i) => `Line ${i + 1}`));
    });

    it('starts a group chat from "New conversation"', async () => {
      await page.getByTestId('new-conversation-open').click();
      await page.getByTestId('person').first().waitFor();
      const people = await page.getByTestId('person-name').allTextContents();
      assert.ok(people.some((p) => p.includes('Clara Petrova')));
      assert.ok(!people.some((p) => p.includes('Ann Lee')), 'the signed-in user is not offered');
      await page.getByTestId('people-search').fill('clara');
      await eventually(async () => assert.deepEqual(await page.getByTestId('person-name').allTextContents(), ['Clara Petrova']));
      await page.getByRole('checkbox', { name: 'Clara Petrova' }).click();
      await page.getByTestId('people-search').fill('');
      await page.getByRole('checkbox', { name: 'Dmitry Orlov' }).click();
      await page.getByTestId('chat-title').fill('Design review');
      await page.getByTestId('new-conversation-submit').click();
      await page.getByTestId('dialog-title').filter({ hasText: 'Design review' }).waitFor();
      // im.chat.add posts the "invited" system message.
      await page.getByTestId('message').first().waitFor();
      const input = page.getByRole('textbox', { name: 'Message' });
      await input.fill('Mockups are in the shared folder');
      await input.press('Enter');
      await page.getByTestId('message-text').filter({ hasText: 'Mockups are in the shared folder' }).waitFor();
      await eventually(async () => assert.equal((await titles(page))[1], 'Design review'));
      const clara = (await recentOf('Clara')).find((i) => i.title === 'Design review');
      assert.ok(clara, 'the chat is in the other members\' lists');
      assert.equal(clara.message.text, 'Mockups are in the shared folder');
    });

    it('renders what bots send: BB-codes, attachments, keyboards; a button runs im.message.command; hostile text stays text', async () => {
      const call = (method: string, params: Record<string, unknown>) => ok(`${srv.url}/rest/`, method, { ...params, auth: appToken });
      const botId = await call('imbot.register', { CODE: 'web_bot', EVENT_HANDLER: 'http://127.0.0.1:9/bot', PROPERTIES: { NAME: 'Helper' } });
      await call('imbot.command.register', { BOT_ID: botId, COMMAND: 'help', LANG: [{ LANGUAGE_ID: 'en', TITLE: 'Help' }], EVENT_COMMAND_ADD: 'http://127.0.0.1:9/bot' });
      const hostile = '<img src=x onerror="window.__pwned=1">';
      await call('imbot.message.add', {
        BOT_ID: botId,
        DIALOG_ID: ids.Ann,
        MESSAGE: `[b]Bold[/b] and [i]it[/i] [url=https://example.com/a]site[/url] [url=javascript:window.__pwned=2]bad[/url] ${hostile}`,
        ATTACH: [{ MESSAGE: `[b]Note[/b] ${hostile}` }, { GRID: [{ NAME: 'Status', VALUE: '<script>window.__pwned=3</script>', DISPLAY: 'LINE' }] }],
        KEYBOARD: [{ TEXT: 'Help', COMMAND: 'help', COMMAND_PARAMS: 'me', DISPLAY: 'LINE' }, { TEXT: 'Site', LINK: 'https://example.com/?a=1&b=2', DISPLAY: 'LINE' }],
      });
      await eventually(async () => assert.equal(await (await row(page, 'Helper')).locator.count(), 1));
      await (await row(page, 'Helper')).locator.locator('.recent-open').click();
      await page.getByTestId('dialog-title').filter({ hasText: 'Helper' }).waitFor();
      const text = page.getByTestId('message-text').last();
      await text.waitFor();
      const html = await text.innerHTML();
      assert.match(html, /<strong>Bold<\/strong>/);
      assert.match(html, /<em>it<\/em>/);
      assert.deepEqual(await text.locator('a').evaluateAll((as) => as.map((a) => a.getAttribute('href'))), ['https://example.com/a']);
      assert.ok((await text.textContent())!.includes(hostile), 'the markup is shown as text');
      const messages = page.getByTestId('messages');
      assert.equal(await messages.locator('img').count(), 0);
      assert.equal(await messages.locator('script').count(), 0);
      assert.equal(await page.getByTestId('attach-message').locator('strong').textContent(), 'Note');
      assert.ok((await page.getByTestId('attach-grid').textContent())!.includes('<script>window.__pwned=3</script>'));
      assert.equal(await page.getByTestId('keyboard-button').filter({ hasText: 'Site' }).getAttribute('href'), 'https://example.com/?a=1&b=2');
      const answered = page.waitForResponse((r) => r.url().includes('im.message.command'));
      await page.getByTestId('keyboard-button').filter({ hasText: 'Help' }).click();
      const response = await answered;
      assert.equal(response.status(), 200);
      assert.equal((await response.json()).result, true);
      assert.equal(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned), undefined);
      // The bot pages the message in place: the open dialog shows the new attachment without a reload.
      const [last] = (await ok(hooks.Ann, 'im.dialog.messages.get', { DIALOG_ID: botId, LIMIT: 1 })).messages;
      await call('imbot.message.update', { BOT_ID: botId, MESSAGE_ID: last.id, ATTACH: [{ MESSAGE: 'Page 2' }], KEYBOARD: [{ TEXT: 'Back', COMMAND: 'help', DISPLAY: 'LINE' }] });
      await page.getByTestId('attach-message').filter({ hasText: 'Page 2' }).waitFor();
      await page.getByTestId('keyboard-button').filter({ hasText: 'Back' }).waitFor();
    });

    it('logged no errors or warnings in the console', () => {
      assert.deepEqual(problems, []);
    });

    it('signing out revokes the link\'s token on the server', async () => {
      assert.equal((await rest(`${srv.url}/rest/`, 'im.user.get', { auth: token })).status, 200);
      await page.getByTestId('sign-out').click();
      await page.getByTestId('sign-in').waitFor();
      await eventually(async () => assert.equal((await rest(`${srv.url}/rest/`, 'im.user.get', { auth: token })).body.error, 'invalid_token'));
    });
  });
});
