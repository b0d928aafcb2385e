// b24im backup while writers stream messages, then b24im restore into a new place and a server on it: every message
// acknowledged before the backup began is there, every user's im.recent.get agrees with the restored history, and
// users the later writes did not touch see exactly what the original server shows them.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ok, startServer, type TestServer } from './helpers/server.ts';

async function history(hook: string, dialogId: string): Promise<any[]> {
  const out: any[] = [];
  let lastId: number | undefined;
  for (;;) {
    const page = await ok(hook, 'im.dialog.messages.get', { DIALOG_ID: dialogId, LIMIT: 50, ...(lastId ? { LAST_ID: lastId } : {}) });
    out.push(...page.messages);
    if (page.messages.length < 50) return out;
    lastId = Math.min(...page.messages.map((m: any) => m.id));
  }
}

describe('backup and restore under load (SQLite)', () => {
  let srv: TestServer;
  let restored: TestServer;
  const hooks: Record<string, string> = {};
  const ids: Record<string, number> = {};

  before(async () => {
    srv = await startServer();
    for (const n of ['Ann', 'Ben', 'Cat', 'Dan']) ids[n] = (await srv.addUser(n)).id;
    for (const n of Object.keys(ids)) hooks[n] = await srv.webhook(ids[n]);
  });
  after(async () => {
    await restored?.cleanup();
    await srv.cleanup();
  });

  it('restores a consistent copy taken while the server writes', async () => {
    const chat = await ok(hooks.Ann, 'im.chat.add', { USERS: [ids.Ben, ids.Cat], TITLE: 'Busy', MESSAGE: 'start' });
    await ok(hooks.Cat, 'im.message.add', { DIALOG_ID: ids.Dan, MESSAGE: 'quiet dialog' });
    await ok(hooks.Dan, 'im.message.add', { DIALOG_ID: ids.Cat, MESSAGE: 'quiet answer' });
    // Writers: Ann and Ben post into the group chat and their dialog; Ben reads as he goes.
    const acked: { id: number; at: number }[] = [];
    let writing = true;
    const writer = async (from: string, dialogs: string[]) => {
      for (let i = 0; writing; i++) {
        const id = await ok(hooks[from], 'im.message.add', { DIALOG_ID: dialogs[i % dialogs.length], MESSAGE: `${from} ${i}` });
        acked.push({ id, at: Date.now() });
      }
    };
    const reader = async () => {
      while (writing) await ok(hooks.Ben, 'im.dialog.read', { DIALOG_ID: `chat${chat}` });
    };
    const load = Promise.all([writer('Ann', [`chat${chat}`, String(ids.Ben)]), writer('Ben', [`chat${chat}`, String(ids.Ann)]), reader()]);
    while (acked.length < 20) await new Promise((r) => setTimeout(r, 20));
    const backupFile = path.join(srv.dir, 'backup.sqlite');
    const started = Date.now();
    const backup = await srv.cli(['backup', '--db', srv.dbPath, '--out', backupFile]);
    const writtenDuring = acked.filter((a) => a.at >= started).length;
    writing = false;
    await load;
    assert.equal(backup.code, 0, backup.stderr);
    assert.ok(writtenDuring > 0, 'the server kept writing while the backup ran');
    const ackedBefore = acked.filter((a) => a.at < started).map((a) => a.id);

    const dir = fs.mkdtempSync(path.join(path.dirname(srv.dir), 'b24im-restored-'));
    const target = path.join(dir, 'b24im.sqlite');
    const r = await srv.cli(['restore', '--db', target, '--from', backupFile]);
    assert.equal(r.code, 0, r.stderr);
    restored = await startServer({ dir });
    const on = (n: string) => hooks[n].replace(srv.url, restored.url);

    // Every message acknowledged before the backup began survived.
    const group = await history(on('Ann'), `chat${chat}`);
    const dialog = await history(on('Ann'), String(ids.Ben));
    const have = new Set([...group, ...dialog].map((m) => m.id));
    for (const id of ackedBefore) assert.ok(have.has(id), `message ${id} acknowledged before the backup is missing`);

    // Every user's recent list agrees with the restored history: last message and unread counter.
    for (const n of Object.keys(ids)) {
      for (const item of await ok(on(n), 'im.recent.get')) {
        const messages = await history(on(n), String(item.id));
        const newest = messages.reduce((a, m) => (m.id > a.id ? m : a));
        assert.equal(item.message.id, newest.id, `${n}: ${item.id} last message`);
        assert.equal(item.counter, messages.filter((m) => m.unread).length, `${n}: ${item.id} counter`);
      }
    }
    // Cat and Dan's dialog was not written after the backup: Dan sees exactly what the original server shows.
    assert.deepEqual(await ok(on('Dan'), 'im.recent.get'), await ok(hooks.Dan, 'im.recent.get'));
  });

  it('refuses a damaged backup and a PostgreSQL target', async () => {
    const junk = path.join(srv.dir, 'junk.sqlite');
    fs.writeFileSync(junk, 'not a database');
    const r = await srv.cli(['restore', '--db', path.join(srv.dir, 'other.sqlite'), '--from', junk]);
    assert.notEqual(r.code, 0);
    assert.ok(!fs.existsSync(path.join(srv.dir, 'other.sqlite')));
    const pgTarget = await srv.cli(['backup', '--db', 'postgres://nobody@127.0.0.1:1/none', '--out', path.join(srv.dir, 'x.sqlite')]);
    assert.match(pgTarget.stderr, /pg_dump/);
  });
});
