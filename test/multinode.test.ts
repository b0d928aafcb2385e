// Several stateless nodes: two real server processes on one PostgreSQL database, called alternately and at once.
// What one node writes, the other serves at once; concurrent writers through both lose nothing.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { createTestDatabase, type TestDatabase } from './helpers/pg.ts';
import { ok, startServer, type TestServer } from './helpers/server.ts';

interface Person {
  id: number;
  /** Webhook base URL on node A and the same webhook on node B. */
  a: string;
  b: string;
}

describe('two nodes on one PostgreSQL database', () => {
  let db: TestDatabase;
  let nodeA: TestServer;
  let nodeB: TestServer;
  let sql: pg.Client;
  let anna: Person;
  let boris: Person;
  let clara: Person;

  before(async () => {
    db = await createTestDatabase();
    // Both nodes start at once on the new database: one migration, one portal identity, one administrator.
    const nodes = await Promise.allSettled([1, 2].map(() => startServer({ databaseUrl: db.url, env: { B24IM_DATABASE_POOL: '8' } })));
    const failed = nodes.find((n) => n.status === 'rejected');
    if (failed) {
      for (const n of nodes) if (n.status === 'fulfilled') await n.value.cleanup();
      throw failed.reason;
    }
    [nodeA, nodeB] = nodes.map((n) => (n as PromiseFulfilledResult<TestServer>).value);
    sql = new pg.Client({ connectionString: db.url });
    await sql.connect();
    const mk = async (name: string): Promise<Person> => {
      const u = await nodeA.addUser(name, 'Multi');
      const a = await nodeA.webhook(u.id);
      return { id: u.id, a, b: a.replace(nodeA.url, nodeB.url) };
    };
    anna = await mk('Anna');
    boris = await mk('Boris');
    clara = await mk('Clara');
  });

  after(async () => {
    await sql?.end();
    await Promise.all([nodeA?.cleanup(), nodeB?.cleanup()]);
    await db?.drop();
  });

  it('start together on a new database: one schema, one identity, one administrator', async () => {
    const admins = await sql.query('select id from users where is_admin = 1');
    assert.deepEqual(admins.rows.map((r) => Number(r.id)), [1]);
    const ids = await sql.query("select value from portal where key = 'member_id'");
    assert.equal(ids.rowCount, 1);
    // Both nodes hand out that identity.
    const tokA = await nodeA.cliJson(['token', 'add', '--user', String(anna.id)]);
    assert.equal(tokA.member_id, ids.rows[0].value);
    // A credential made through one node works on the other at once.
    assert.equal((await ok(anna.b, 'user.current')).ID, String(anna.id));
    assert.equal((await ok(`${nodeB.url}/rest/`, 'user.current', { auth: tokA.access_token })).ID, String(anna.id));
  });

  it('a message sent through node A is in the recipient\'s im.recent.get through node B at once', async () => {
    const id = await ok(anna.a, 'im.message.add', { DIALOG_ID: boris.id, MESSAGE: 'through node A' });
    const recent = await ok(boris.b, 'im.recent.get');
    const item = recent.find((i: any) => i.id === String(anna.id) || i.id === anna.id);
    assert.ok(item, JSON.stringify(recent));
    assert.equal(item.message.id, id);
    assert.equal(item.message.text, 'through node A');
    assert.equal(item.counter, 1);
    // And the other way round.
    const back = await ok(boris.b, 'im.message.add', { DIALOG_ID: anna.id, MESSAGE: 'through node B' });
    const annaRecent = await ok(anna.a, 'im.recent.get');
    const annaItem = annaRecent.find((i: any) => String(i.id) === String(boris.id));
    assert.equal(annaItem.message.id, back);
  });

  it('read state and counters agree through either node', async () => {
    const ids: number[] = [];
    for (let i = 0; i < 4; i++) ids.push(await ok(i % 2 ? clara.a : clara.b, 'im.message.add', { DIALOG_ID: boris.id, MESSAGE: `c${i}` }));
    const both = async () => {
      const [ca, cb] = await Promise.all([ok(boris.a, 'im.counters.get'), ok(boris.b, 'im.counters.get')]);
      assert.deepEqual(ca, cb);
      const [ra, rb] = await Promise.all([ok(boris.a, 'im.recent.get'), ok(boris.b, 'im.recent.get')]);
      assert.deepEqual(ra, rb);
      return { counters: ca, recent: ra };
    };
    assert.equal((await both()).counters.DIALOG[clara.id], 4);
    const read = await ok(boris.a, 'im.dialog.read', { DIALOG_ID: clara.id, MESSAGE_ID: ids[1] });
    assert.equal(read.counter, 2);
    let seen = await both();
    assert.equal(seen.counters.DIALOG[clara.id], 2);
    assert.equal(seen.recent.find((i: any) => String(i.id) === String(clara.id)).counter, 2);
    // A read through B is seen through A; reading never moves back, whichever node is asked.
    await ok(boris.b, 'im.dialog.read', { DIALOG_ID: clara.id });
    await ok(boris.a, 'im.dialog.read', { DIALOG_ID: clara.id, MESSAGE_ID: ids[0] });
    seen = await both();
    assert.equal(seen.counters.DIALOG[clara.id], undefined);
    const messages = await ok(clara.b, 'im.dialog.messages.get', { DIALOG_ID: boris.id, LIMIT: 1 });
    assert.equal(messages.messages[0].id, ids[3]);
  });

  it('concurrent writers through both nodes lose nothing; sequences are gap-free; counters are exact', async () => {
    const chatId = await ok(anna.a, 'im.chat.add', { TITLE: 'Busy', USERS: [boris.id, clara.id] });
    const dialog = `chat${chatId}`;
    for (const p of [anna, boris, clara]) await ok(p.b, 'im.dialog.read', { DIALOG_ID: dialog });
    const PER = 12;
    const sends: { who: Person; text: string; node: 'a' | 'b' }[] = [];
    for (let i = 0; i < PER; i++) {
      for (const who of [anna, boris]) sends.push({ who, text: `${who.id}-${i}`, node: i % 2 ? 'a' : 'b' });
      if (i % 3 === 0) sends.push({ who: clara, text: `${clara.id}-${i}`, node: i % 2 ? 'b' : 'a' });
    }
    // Meanwhile a brand-new one-to-one dialog is opened from both nodes at once (both create it).
    const dialogSends = Array.from({ length: 6 }, (_, i) => ok(i % 2 ? clara.a : clara.b, 'im.message.add', { DIALOG_ID: anna.id, MESSAGE: `race ${i}` }));
    const results = await Promise.all([
      ...sends.map((s) => ok(s.node === 'a' ? s.who.a : s.who.b, 'im.message.add', { DIALOG_ID: dialog, MESSAGE: s.text })),
      ...dialogSends,
    ]);
    assert.equal(new Set(results).size, results.length, 'every message has its own id');

    // Every message is there once, with gap-free per-chat sequence numbers.
    const chat = (await sql.query('select last_seq, last_message_id from chats where id = $1', [chatId])).rows[0];
    const rows = (await sql.query('select id, seq, author_id, text from messages where chat_id = $1 order by seq', [chatId])).rows;
    assert.deepEqual(rows.map((r) => Number(r.seq)), Array.from({ length: rows.length }, (_, i) => i + 1));
    assert.equal(Number(chat.last_seq), rows.length);
    assert.equal(Number(chat.last_message_id), Math.max(...rows.map((r) => Number(r.id))));
    const texts = rows.filter((r) => Number(r.author_id) > 0).map((r) => r.text).sort();
    assert.deepEqual(texts, sends.map((s) => s.text).sort());
    // Ids grow with seq: the chat's order is the order of commits.
    const byId = [...rows].sort((x, y) => Number(x.id) - Number(y.id)).map((r) => Number(r.seq));
    assert.deepEqual(byId, rows.map((r) => Number(r.seq)));
    const pair = (await sql.query("select count(*) as n from chats where type = 'P' and dialog_key = $1", [`${anna.id}:${clara.id}`])).rows[0];
    assert.equal(Number(pair.n), 1, 'one dialog, however many nodes opened it at once');

    // Each member's counter = messages of others after their own last one (the author has read up to it).
    const expected = (p: Person) => {
      let lastOwn = -1;
      rows.forEach((r, i) => { if (Number(r.author_id) === p.id) lastOwn = i; });
      return rows.slice(lastOwn + 1).filter((r) => Number(r.author_id) !== p.id).length;
    };
    for (const p of [anna, boris, clara]) {
      const [ca, cb] = await Promise.all([ok(p.a, 'im.counters.get'), ok(p.b, 'im.counters.get')]);
      assert.deepEqual(ca, cb);
      const want = expected(p);
      assert.equal(ca.CHAT[chatId] ?? 0, want, `counter of user ${p.id}`);
      const item = (await ok(p.b, 'im.recent.get')).find((i: any) => String(i.id) === dialog);
      assert.equal(item.counter, want);
      assert.equal(item.message.id, Number(chat.last_message_id));
    }
    const annaDialog = (await ok(anna.a, 'im.counters.get')).DIALOG[clara.id];
    assert.equal(annaDialog, 6);
  });
});
