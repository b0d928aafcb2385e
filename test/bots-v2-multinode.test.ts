// Two server nodes on one PostgreSQL database sharing one Bots 2.0 bot's fetch queue: writers on both, a fetcher
// alternating between them, one node killed mid-way; every event once, in order.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestDatabase, type TestDatabase } from './helpers/pg.ts';
import { ok, rest, startServer, type TestServer } from './helpers/server.ts';
import { assertOnceInOrder, drain, flood } from './helpers/fetch.ts';

describe('imbot.v2 fetch queue on two nodes of one PostgreSQL database', () => {
  let db: TestDatabase;
  let nodeA: TestServer;
  let nodeB: TestServer;

  before(async () => {
    db = await createTestDatabase();
    nodeA = await startServer({ databaseUrl: db.url, env: { B24IM_EVENT_POLL_MS: '100' } });
    nodeB = await startServer({ databaseUrl: db.url, env: { B24IM_EVENT_POLL_MS: '100' } });
  });
  after(async () => {
    await nodeA?.cleanup();
    await nodeB?.cleanup();
    await db?.drop();
  });

  it('writers on both nodes, one fetcher alternating between them, node A killed: every event once, in order', async () => {
    const owner = await nodeA.addUser('Olga', 'Owner');
    const hookA = await nodeA.webhook(owner.id, 'imbot,im');
    const hookB = hookA.replace(nodeA.url, nodeB.url);
    const users = [await nodeA.addUser('W1', 'Writer'), await nodeA.addUser('W2', 'Writer')];
    const writerHooks = await Promise.all(users.map((u) => nodeA.webhook(u.id, 'im')));
    const reg = await ok(hookA, 'imbot.v2.Bot.register', { botToken: 'twonodes', fields: { code: 'twonodes', type: 'supervisor', properties: { name: 'Two' } } });
    const bot = { id: reg.bot.id, token: 'twonodes' };
    const chatId = await ok(writerHooks[0], 'im.chat.add', { TITLE: 'Busy', USERS: [users[1].id, bot.id] });
    // Two writers at once, one through each node, while the fetcher alternates.
    const writing = Promise.all([
      flood(writerHooks[0], `chat${chatId}`, 0, 300),
      flood(writerHooks[1].replace(nodeA.url, nodeB.url), `chat${chatId}`, 1000, 300),
    ]);
    const first = await drain([hookA, hookB], bot, 200, 23);
    await writing;
    // Node A dies with no warning; whatever it recorded is dispatched by node B.
    await nodeA.stop('SIGKILL');
    const more = await ok(writerHooks[1].replace(nodeA.url, nodeB.url), 'im.message.add', { DIALOG_ID: `chat${chatId}`, MESSAGE: 'after the crash' });
    const rest2 = await drain([hookB], bot, 601 - first.events.filter((e) => e.type === 'ONIMBOTV2MESSAGEADD').length, 50, first.next);
    const events = [...first.events, ...rest2.events];
    assertOnceInOrder(events);
    const texts = events.filter((e) => e.type === 'ONIMBOTV2MESSAGEADD').map((e) => e.data.message.text);
    const expected = [...Array.from({ length: 300 }, (_, i) => `n${i}`), ...Array.from({ length: 300 }, (_, i) => `n${1000 + i}`), 'after the crash'];
    assert.deepEqual([...texts].sort(), [...expected].sort());
    // Per writer, in the order written.
    for (const prefix of [/^n\d{1,3}$/, /^n1\d{3}$/]) {
      const mine = texts.filter((t) => prefix.test(t)).map((t) => Number(t.slice(1)));
      assert.deepEqual(mine, [...mine].sort((a, b) => a - b));
    }
    assert.ok(events.some((e) => e.type === 'ONIMBOTV2MESSAGEADD' && e.data.message.id === more));
    const r = await rest(hookB, 'imbot.v2.Event.get', { botId: bot.id, botToken: bot.token, offset: rest2.next });
    assert.deepEqual(r.body.result.events, []);
  });
});
