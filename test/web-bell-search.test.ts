// The web client's bell and search box in a real browser (Debian's Chromium through playwright-core). The bell: the
// unread count arrives live over Push & Pull when an application sends a notification, the panel lists it, marks it
// read, presses a confirm button and deletes; the server's state is checked over REST after each step. The search
// box: people and chats found by name open their conversation and become recent searches.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { chromium, type Browser } from 'playwright-core';
import { eventually } from './helpers/eventually.ts';
import { ok, ROOT, startServer, type TestServer } from './helpers/server.ts';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

describe('web client: bell and search', () => {
  let srv: TestServer;
  let browser: Browser;
  let reader: any;
  let sender: any;
  let readerHook: string;
  let senderHook: string;

  before(async () => {
    await promisify(execFile)(process.execPath, [path.join(ROOT, 'web/build-if-stale.mjs')], { cwd: ROOT });
    assert.ok(fs.existsSync(CHROMIUM), `Chromium not found at ${CHROMIUM}: apt-get install chromium (.ci/run does)`);
    srv = await startServer();
    reader = await srv.addUser('Rita', 'Reader');
    sender = await srv.addUser('Sid', 'Sender');
    readerHook = await srv.webhook(reader.id);
    senderHook = await srv.webhook(sender.id);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run'] });
  });

  after(async () => {
    await browser?.close();
    await srv?.cleanup();
  });

  it('shows the count live, lists, marks read, confirms and deletes', async () => {
    const page = await (await browser.newContext()).newPage();
    page.setDefaultTimeout(15_000);
    await page.goto(`${srv.url}/#webhook=${encodeURIComponent(readerHook)}`);
    await page.locator('[data-testid=messenger][data-live=true]').waitFor();
    assert.equal(await page.locator('[data-testid=bell-count]').count(), 0);

    // Sent while the page is open: the count comes over the channel, without a reload.
    await ok(senderHook, 'im.notify.personal.add', { USER_ID: reader.id, MESSAGE: 'Please review [b]the plan[/b]' });
    await eventually(async () => assert.equal((await page.locator('[data-testid=bell-count]').textContent())?.trim(), '1'));
    const r = await srv.cli(['notify', 'add', '--db', srv.dbTarget, '--user', String(reader.id), '--text', 'Join the chat "Ops"?', '--button', 'Y:Accept', '--button', 'N:Decline']);
    assert.equal(r.code, 0, r.stderr);
    const inviteId = Number(r.stdout.trim());
    await eventually(async () => assert.equal((await page.locator('[data-testid=bell-count]').textContent())?.trim(), '2'));

    await page.click('[data-testid=bell]');
    const items = page.locator('[data-testid=notification]');
    await eventually(async () => assert.equal(await items.count(), 2));
    const review = page.locator('[data-testid=notification]', { hasText: 'Please review' });
    assert.equal(await review.locator('strong').textContent(), 'the plan', 'BBCode rendered as elements');
    assert.match((await review.textContent()) ?? '', /Sid Sender/);

    await review.locator('[data-testid=mark-read]').click();
    await eventually(async () => assert.equal(await review.getAttribute('data-read'), 'Y'));
    await eventually(async () => assert.equal((await page.locator('[data-testid=bell-count]').textContent())?.trim(), '1'));
    const afterRead = await ok(readerHook, 'im.notify.get');
    assert.equal(afterRead.total_unread_count, 1);

    await page.locator(`[data-notification-id="${inviteId}"] [data-testid=confirm-Y]`).click();
    await eventually(async () => assert.equal(await page.locator(`[data-notification-id="${inviteId}"]`).count(), 0));
    assert.ok(!(await ok(readerHook, 'im.notify.get')).notifications.some((n: any) => n.id === inviteId), 'the confirmed invitation is done');

    await review.locator('[data-testid=delete-notification]').click();
    await page.locator('[data-testid=bell-empty]').waitFor();
    assert.deepEqual((await ok(readerHook, 'im.notify.get')).notifications, []);
    assert.equal(await page.locator('[data-testid=bell-count]').count(), 0);
  });

  it('a quick answer typed in the bell reaches the author as a message', async () => {
    const r = await srv.cli(['notify', 'add', '--db', srv.dbTarget, '--user', String(reader.id), '--from', String(sender.id), '--text', 'Lunch at one?', '--answer']);
    assert.equal(r.code, 0, r.stderr);
    const id = Number(r.stdout.trim());
    const page = await (await browser.newContext()).newPage();
    page.setDefaultTimeout(15_000);
    await page.goto(`${srv.url}/#webhook=${encodeURIComponent(readerHook)}`);
    await page.locator('[data-testid=messenger][data-live=true]').waitFor();
    await page.click('[data-testid=bell]');
    const item = page.locator(`[data-notification-id="${id}"]`);
    await item.locator('[data-testid=answer-text]').fill('Yes, see you there');
    await item.locator('[data-testid=answer-send]').click();
    await eventually(async () => {
      const history = await ok(senderHook, 'im.dialog.messages.get', { DIALOG_ID: String(reader.id) });
      assert.ok(history.messages.some((m: any) => m.text === 'Yes, see you there' && m.author_id === reader.id));
    });
    await eventually(async () => assert.equal(await item.getAttribute('data-read'), 'Y'));
  });

  it('the search box finds people and chats, opens them, and remembers them', async () => {
    const chatId = await ok(senderHook, 'im.chat.add', { TITLE: 'Quarterly budget', USERS: [reader.id] });
    await ok(senderHook, 'im.chat.add', { TITLE: 'Budget secrets' });
    const page = await (await browser.newContext()).newPage();
    page.setDefaultTimeout(15_000);
    await page.goto(`${srv.url}/#webhook=${encodeURIComponent(readerHook)}`);
    await page.locator('[data-testid=messenger][data-live=true]').waitFor();

    await page.getByTestId('search').fill('budget');
    const hits = page.locator('[data-testid=search-hit]');
    await eventually(async () => assert.deepEqual(await hits.evaluateAll((els) => els.map((e) => e.getAttribute('data-dialog-id'))), [`chat${chatId}`]), 15_000);
    await page.getByTestId('search').fill('sender');
    await eventually(async () => assert.deepEqual(await hits.evaluateAll((els) => els.map((e) => e.getAttribute('data-dialog-id'))), [String(sender.id)]), 15_000);
    await hits.first().click();
    // The dialog with Sid opens (no messages yet: its title comes from the hit).
    await eventually(async () => assert.match((await page.locator('main').textContent()) ?? '', /Sid Sender/), 15_000);
    await eventually(async () => assert.deepEqual((await ok(readerHook, 'im.search.last.get')).map((i: any) => i.id), [sender.id]));
    await page.getByTestId('search').fill('zzzz-nobody');
    await page.getByTestId('search-empty').waitFor();
  });
});
