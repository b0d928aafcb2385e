// b24im migrate-to-postgres takes the files along: contents stored in the SQLite node's directory are moved into
// the shared PostgreSQL store, and a node on the new database serves the same bytes under the same ids.
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { createTestDatabase, type TestDatabase } from './helpers/pg.ts';
import { ok, startServer, type TestServer } from './helpers/server.ts';

const sha = (b: Uint8Array) => crypto.createHash('sha256').update(b).digest('hex');

describe('migrate-to-postgres with files', () => {
  let sqliteSrv: TestServer;
  let pgSrv: TestServer | undefined;
  let db: TestDatabase;

  before(async () => {
    sqliteSrv = await startServer({ backend: 'sqlite' });
    db = await createTestDatabase();
  });

  after(async () => {
    await pgSrv?.cleanup();
    await sqliteSrv?.cleanup();
    await db?.drop();
  });

  it('every file downloads byte for byte from a PostgreSQL node after the copy', async () => {
    const hook = await sqliteSrv.webhook(1);
    const b = await sqliteSrv.addUser('Boris', 'Migrate');
    const chatId = await ok(hook, 'im.chat.add', { TITLE: 'Before the move', USERS: [b.id] });
    const folder = (await ok(hook, 'im.disk.folder.get', { CHAT_ID: chatId })).ID;
    const contents = [crypto.randomBytes(700_000), crypto.randomBytes(10)];
    const ids: number[] = [];
    for (const [i, bytes] of contents.entries()) {
      const r = await ok(hook, 'disk.folder.uploadFile', { id: folder, data: { NAME: `f${i}.bin` }, fileContent: [`f${i}.bin`, bytes.toString('base64')] });
      ids.push(r.ID);
    }
    await ok(hook, 'im.disk.file.commit', { CHAT_ID: chatId, FILE_ID: ids });
    await sqliteSrv.stop();

    const run = await sqliteSrv.cli(['migrate-to-postgres', '--db', sqliteSrv.dbPath, '--database-url', db.url], { B24IM_DATABASE_URL: '' });
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /copied 2 file contents into PostgreSQL/);

    pgSrv = await startServer({ databaseUrl: db.url });
    const pgHook = hook.replace(sqliteSrv.url, pgSrv.url);
    const h = await ok(pgHook, 'im.dialog.messages.get', { DIALOG_ID: `chat${chatId}` });
    for (const [i, id] of ids.entries()) {
      const f = h.files.find((x: any) => x.id === id);
      const res = await fetch(f.urlDownload);
      assert.equal(res.status, 200);
      assert.equal(sha(Buffer.from(await res.arrayBuffer())), sha(contents[i]));
    }
    assert.equal((await pgSrv.cliJson(['files', 'quota', '--db', db.url])).store, 'postgres');
  });
});
