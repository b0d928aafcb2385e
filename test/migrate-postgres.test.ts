// b24im migrate-to-postgres on a database filled through the API: afterwards every user sees exactly the same
// recent list, counters and history through a server on PostgreSQL, and new ids continue where SQLite stopped.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { openPostgres, openSqlite } from '../src/store/open.ts';
import type { SqlStore } from '../src/store/sql/index.ts';
import { createTestDatabase, type TestDatabase } from './helpers/pg.ts';
import { ok, startServer, type TestServer } from './helpers/server.ts';

interface Person {
  id: number;
  hook: string;
}

async function dumpTables(store: SqlStore): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {};
  for (const table of ['portal', 'users', 'webhooks', 'apps', 'tokens', 'chats', 'members', 'messages'] as const) {
    const order = table === 'portal' ? ['key'] : table === 'members' ? ['chat_id', 'user_id'] : ['id'];
    let q = store.kysely.selectFrom(table).selectAll() as any;
    for (const c of order) q = q.orderBy(c);
    out[table] = await q.execute();
  }
  return out;
}

describe('migrate-to-postgres', () => {
  let sqliteSrv: TestServer;
  let pgSrv: TestServer | undefined;
  let db: TestDatabase;
  let people: Person[];
  let groupId: number;

  /** What each user sees: recent list, counters, and the history of their first dialog. */
  async function snapshot(base: (p: Person) => string): Promise<unknown[]> {
    const out = [];
    for (const p of people) {
      out.push({
        id: p.id,
        recent: await ok(base(p), 'im.recent.get'),
        unreadOnly: await ok(base(p), 'im.recent.list', { UNREAD_ONLY: 'Y' }),
        counters: await ok(base(p), 'im.counters.get'),
        group: p.id === people[1].id ? await ok(base(p), 'im.dialog.messages.get', { DIALOG_ID: `chat${groupId}`, LIMIT: 50 }) : null,
      });
    }
    return out;
  }

  before(async () => {
    sqliteSrv = await startServer({ backend: 'sqlite' });
    db = await createTestDatabase();
    const admin = { id: 1, hook: await sqliteSrv.webhook(1) };
    // Users through the API, their webhooks through the CLI all at once (each CLI run starts a process).
    const ids: number[] = [];
    for (const name of ['Anna', 'Boris', 'Clara', 'Dmitry']) ids.push(await ok(admin.hook, 'user.add', { NAME: name, LAST_NAME: 'Copy' }));
    const hooks = await Promise.all(ids.map((id) => sqliteSrv.webhook(id)));
    const [anna, boris, clara, dmitry] = ids.map((id, i) => ({ id, hook: hooks[i] }));
    people = [admin, anna, boris, clara, dmitry];
    // Dialogs, reads, an edit and a deletion.
    const a1 = await ok(anna.hook, 'im.message.add', { DIALOG_ID: boris.id, MESSAGE: 'one' });
    await ok(anna.hook, 'im.message.add', { DIALOG_ID: boris.id, MESSAGE: 'two [b]bold[/b]' });
    await ok(anna.hook, 'im.message.add', { DIALOG_ID: boris.id, MESSAGE: 'three', ATTACH: [{ MESSAGE: 'card' }] });
    await ok(boris.hook, 'im.dialog.read', { DIALOG_ID: anna.id, MESSAGE_ID: a1 });
    const c1 = await ok(clara.hook, 'im.message.add', { DIALOG_ID: anna.id, MESSAGE: 'hello Anna' });
    const c2 = await ok(clara.hook, 'im.message.add', { DIALOG_ID: anna.id, MESSAGE: 'oops' });
    await ok(clara.hook, 'im.message.update', { MESSAGE_ID: c1, MESSAGE: 'hello Anna (edited)' });
    await ok(clara.hook, 'im.message.delete', { MESSAGE_ID: c2 });
    await ok(admin.hook, 'im.message.add', { DIALOG_ID: dmitry.id, MESSAGE: 'welcome' });
    // A group chat with joins, a leave, a mute, a pin and a manual unread mark.
    groupId = await ok(anna.hook, 'im.chat.add', { TITLE: 'Copy team', USERS: [boris.id, clara.id] });
    for (let i = 0; i < 4; i++) await ok([anna, boris, clara][i % 3].hook, 'im.message.add', { DIALOG_ID: `chat${groupId}`, MESSAGE: `group ${i}` });
    await ok(anna.hook, 'im.chat.user.add', { CHAT_ID: groupId, USERS: [dmitry.id], HIDE_HISTORY: 'Y' });
    await ok(dmitry.hook, 'im.message.add', { DIALOG_ID: `chat${groupId}`, MESSAGE: 'hi all' });
    await ok(clara.hook, 'im.chat.leave', { CHAT_ID: groupId });
    await ok(boris.hook, 'im.chat.mute', { CHAT_ID: groupId, ACTION: 'Y' });
    await ok(anna.hook, 'im.recent.pin', { DIALOG_ID: `chat${groupId}`, PIN: 'Y' });
    await ok(anna.hook, 'im.recent.unread', { DIALOG_ID: boris.id, ACTION: 'Y' });
    await ok(dmitry.hook, 'im.dialog.read', { DIALOG_ID: `chat${groupId}` });
  });

  after(async () => {
    await sqliteSrv?.cleanup();
    await pgSrv?.cleanup();
    await db?.drop();
  });

  it('copies everything: each user\'s im.recent.get, counters and history are identical; ids continue', async () => {
    const before = await snapshot((p) => p.hook);
    assert.ok((before[1] as any).recent.length >= 3, 'the seed produced recent items');
    await sqliteSrv.stop();

    const run = await sqliteSrv.cli(['migrate-to-postgres', '--db', sqliteSrv.dbPath, '--database-url', db.url], { B24IM_DATABASE_URL: '' });
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /messages: \d+ rows/);

    // Row by row, every table is the same.
    const [src, dst] = [await openSqlite(sqliteSrv.dbPath), await openPostgres(db.url)];
    try {
      assert.deepEqual(await dumpTables(dst), await dumpTables(src));
      // Both dialects in one process: statements cached for one are never run on the other.
      for (const id of [1, 2, 3]) assert.deepEqual(await dst.users.get(id), await src.users.get(id));
      assert.deepEqual(await dst.users.getMany([1, 2]), await src.users.getMany([1, 2]));
    } finally {
      await src.close();
      await dst.close();
    }

    pgSrv = await startServer({ databaseUrl: db.url });
    const onPg = (p: Person) => p.hook.replace(sqliteSrv.url, pgSrv!.url);
    const afterCopy = await snapshot(onPg);
    assert.deepEqual(afterCopy, before);

    // Sequences were moved past the copied ids: new rows get the next ids, nothing collides.
    const maxMessage = Math.max(...(before as any[]).flatMap((s) => s.recent.map((i: any) => i.message?.id ?? 0)));
    const [anna, boris] = [people[1], people[2]];
    const next = await ok(onPg(anna), 'im.message.add', { DIALOG_ID: boris.id, MESSAGE: 'after the move' });
    assert.ok(next > maxMessage);
    const user = await pgSrv.addUser('Eve', 'New');
    assert.equal(user.id, people[people.length - 1].id + 1);
    const chat = await ok(onPg(anna), 'im.chat.add', { TITLE: 'After', USERS: [boris.id] });
    assert.equal(chat, groupId + 1);
  });

  it('refuses a database that already has data, and non-PostgreSQL targets', async () => {
    const again = await sqliteSrv.cli(['migrate-to-postgres', '--db', sqliteSrv.dbPath, '--database-url', db.url], { B24IM_DATABASE_URL: '' });
    assert.notEqual(again.code, 0);
    assert.match(again.stderr, /not empty/);
    const bad = await sqliteSrv.cli(['migrate-to-postgres', '--db', sqliteSrv.dbPath, '--database-url', 'mysql://x'], { B24IM_DATABASE_URL: '' });
    assert.notEqual(bad.code, 0);
    assert.match(bad.stderr, /postgres/);
  });
});
