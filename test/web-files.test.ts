// Files in the web client, in a real browser (Chromium through playwright-core): Ann attaches an image and a PDF
// (the attach button's file picker; the upload shows progress), and Boris sees the image inline and the PDF as a
// card in his dialog with her, and downloads the exact bytes.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { chromium, type Browser, type Page } from 'playwright-core';
import { ok, ROOT, startServer, type TestServer } from './helpers/server.ts';
import { png } from './helpers/images.ts';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

const PDF = Buffer.from(
  '%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n',
  'latin1',
);

describe('web client: files', () => {
  let srv: TestServer;
  let browser: Browser;
  const hooks: Record<string, string> = {};
  const ids: Record<string, number> = {};

  before(async () => {
    await promisify(execFile)(process.execPath, [path.join(ROOT, 'web/build-if-stale.mjs')], { cwd: ROOT });
    assert.ok(fs.existsSync(CHROMIUM), `Chromium not found at ${CHROMIUM}: apt-get install chromium (.ci/run does)`);
    srv = await startServer();
    const admin = await srv.webhook(1);
    for (const [name, last] of [['Ann', 'Lee'], ['Boris', 'Ivanov']]) ids[name] = await ok(admin, 'user.add', { NAME: name, LAST_NAME: last });
    for (const name of Object.keys(ids)) hooks[name] = await srv.webhook(ids[name]);
    await ok(hooks.Boris, 'im.message.add', { DIALOG_ID: ids.Ann, MESSAGE: 'Send me the photo and the contract, please' });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
  });

  after(async () => {
    await browser?.close();
    await srv?.cleanup();
  });

  async function openDialog(who: string, title: string): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    context.setDefaultTimeout(15_000);
    const page = await context.newPage();
    await page.goto(`${srv.url}/#webhook=${encodeURIComponent(hooks[who])}`);
    const item = page.locator('[data-testid=recent-item]', { has: page.locator('[data-testid=title]', { hasText: title }) });
    await item.locator('.recent-open').click();
    await page.getByTestId('message').first().waitFor();
    return page;
  }

  it('Ann sends an image and a PDF; Boris sees the image inline and the PDF as a card, and downloads it', async () => {
    const image = png(120, 80);
    const ann = await openDialog('Ann', 'Boris Ivanov');
    await ann.getByRole('textbox', { name: 'Message' }).fill('Here they are');
    await ann.getByTestId('file-input').setInputFiles([
      { name: 'photo.png', mimeType: 'image/png', buffer: image },
      { name: 'Договор №5.pdf', mimeType: 'application/pdf', buffer: PDF },
    ]);
    // The message appears in Ann's own dialog with both files; the draft became its text.
    await ann.locator('[data-testid=file-card] [data-testid=file-name]', { hasText: 'Договор №5.pdf' }).waitFor();
    await ann.getByTestId('file-image').waitFor();
    assert.equal(await ann.getByTestId('uploads').count(), 0, 'the progress rows are gone when the upload is done');

    const boris = await openDialog('Boris', 'Ann Lee');
    const img = boris.getByTestId('file-image');
    await img.waitFor();
    // The browser loaded and decoded the image (its natural size is the uploaded one).
    await boris.waitForFunction(() => {
      const el = document.querySelector<HTMLImageElement>('[data-testid=file-image]');
      return !!el && el.complete && el.naturalWidth > 0;
    });
    assert.deepEqual(await img.evaluate((el: HTMLImageElement) => [el.naturalWidth, el.naturalHeight]), [120, 80]);
    const card = boris.getByTestId('file-card');
    assert.equal((await card.getByTestId('file-name').textContent())?.trim(), 'Договор №5.pdf');
    const text = await boris.getByTestId('message').last().getByTestId('message-text').textContent();
    assert.equal(text?.trim(), 'Here they are');
    // One click downloads the exact bytes under the UTF-8 name.
    const [download] = await Promise.all([boris.waitForEvent('download'), card.click()]);
    assert.equal(download.suggestedFilename(), 'Договор №5.pdf');
    const saved = fs.readFileSync((await download.path())!);
    assert.ok(saved.equals(PDF));
    await ann.context().close();
    await boris.context().close();
  });
});
