// A server killed (SIGKILL) in the middle of an upload: after the restart there is no partial file, no file record,
// and the staged bytes are gone (local tmp directory, or PostgreSQL's staging chunks).
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { ok, startServer, type TestServer } from './helpers/server.ts';

async function waitFor(check: () => Promise<boolean>, what: string, ms = 30_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('killed mid-upload', () => {
  let srv: TestServer;
  let anna: string;
  let folderId: number;
  let sql: pg.Client | undefined;

  before(async () => {
    srv = await startServer();
    anna = await srv.webhook(1);
    const b = await srv.addUser('Boris', 'Crash');
    const chatId = await ok(anna, 'im.chat.add', { TITLE: 'Crash', USERS: [b.id] });
    folderId = (await ok(anna, 'im.disk.folder.get', { CHAT_ID: chatId })).ID;
    if (srv.databaseUrl) {
      sql = new pg.Client({ connectionString: srv.databaseUrl });
      await sql.connect();
    }
  });

  after(async () => {
    await sql?.end();
    await srv?.cleanup();
  });

  const tmpDir = () => path.join(srv.dir, 'files', 'tmp');

  /** Bytes of unfinished uploads the store holds right now. */
  async function staged(): Promise<number> {
    if (sql) {
      const r = await sql.query("select coalesce(sum(length(data)), 0)::int as n from blob_chunks where key like 'tmp:%'");
      return r.rows[0].n;
    }
    if (!fs.existsSync(tmpDir())) return 0;
    return fs.readdirSync(tmpDir()).reduce((n, f) => n + fs.statSync(path.join(tmpDir(), f)).size, 0);
  }

  it('leaves no partial file and no record, and the store works after the restart', async () => {
    // One complete file first, so "nothing changed" is measured against a store that has content.
    const kept = crypto.randomBytes(10_000);
    await ok(anna, 'disk.folder.uploadFile', { id: folderId, data: { NAME: 'kept.bin' }, fileContent: ['kept.bin', kept.toString('base64')] });
    const before = await srv.cliJson(['files', 'quota', '--db', srv.dbTarget]);

    const { uploadUrl } = await ok(anna, 'disk.folder.uploadFile', { id: folderId });
    const boundary = '----b24imcrash' + crypto.randomBytes(6).toString('hex');
    const head = `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="half.bin"\r\nContent-Type: application/octet-stream\r\n\r\n`;
    const total = 8 * 1024 * 1024;
    const req = http.request(uploadUrl, {
      method: 'POST',
      headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, 'content-length': String(Buffer.byteLength(head) + total + boundary.length + 8) },
    });
    req.on('error', () => {}); // the server dies under it
    req.write(head);
    // Half the content, then wait until the server has staged some of it.
    const half = crypto.randomBytes(total / 2);
    for (let i = 0; i < half.length; i += 64 * 1024) req.write(half.subarray(i, i + 64 * 1024));
    await waitFor(async () => (await staged()) > 0, 'staged bytes');
    assert.equal(await srv.stop('SIGKILL'), null);
    req.destroy();

    // Until the restart the leftovers are only staging bytes, never a file under its hash or a record.
    const mid = await srv.cliJson(['files', 'quota', '--db', srv.dbTarget]);
    assert.deepEqual(mid, before);

    srv = await startServer({ dir: srv.dir });
    assert.equal(await staged(), 0, 'staging leftovers are swept at start');
    if (sql) {
      const rows = await sql.query('select count(*)::int as n from blob_staging');
      assert.equal(rows.rows[0].n, 0);
    } else {
      assert.deepEqual(fs.readdirSync(tmpDir()), []);
    }
    assert.deepEqual(await srv.cliJson(['files', 'quota', '--db', srv.dbTarget]), before);

    // The same upload, complete this time, works.
    const again = await ok(anna.replace(/^http:\/\/[^/]+/, srv.url), 'disk.folder.uploadFile', {
      id: folderId,
      data: { NAME: 'whole.bin' },
      fileContent: ['whole.bin', half.subarray(0, 1_000_000).toString('base64')],
    });
    assert.equal(again.SIZE, '1000000');
  });
});
