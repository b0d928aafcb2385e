// Bots 2.0 fetch queues under load: paging through thousands of events with nothing lost or repeated while
// messages keep coming, the cap (oldest dropped, a marker in their place), `b24im event fetch`, and two server
// nodes on one PostgreSQL database sharing one bot's queue (writes on both, a fetcher alternating between them, a
// node killed mid-way).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestDatabase, type TestDatabase } from './helpers/pg.ts';
import { ok, rest, startServer, type TestServer } from './helpers/server.ts';

/** Sends `count` messages to a dialog in batches of 50 (batch's most), numbered from `from`. */
async function flood(hook: string, dialogId: string | number, from: number, count: number): Promise<void> {
  for (let i = 0; i < count; i += 50) {
    const cmd: Record<string, string> = {};
    for (let j = i; j < Math.min(i + 50, count); j++) cmd[`m${j}`] = `im.message.add?DIALOG_ID=${dialogId}&MESSAGE=n${from + j}`;
    const r = await ok(hook, 'batch', { halt: 1, cmd });
    assert.deepEqual(r.result_error, [], JSON.stringify(r.result_error));
  }
}

/** Fetches until `want` message events arrived, pages of `limit`, through the given hooks in turn; every event once. */
async function drain(hooks: string[], bot: { id: number; token: string }, want: number, limit: number, offset?: number) {
  const events: any[] = [];
  let next = offset;
  let turn = 0;
  const deadline = Date.now() + 120_000;
  while (events.filter((e) => e.type === 'ONIMBOTV2MESSAGEADD').length < want) {
    if (Date.now() > deadline) throw new Error(`only ${events.length} events arrived`);
    const hook = hooks[turn++ % hooks.length];
    const r = await ok(hook, 'imbot.v2.Event.get', { botId: bot.id, botToken: bot.token, limit, ...(next !== undefined ? { offset: next } : {}) });
    assert.ok(r.events.length <= limit);
    events.push(...r.events);
    if (r.events.length > 0) assert.equal(r.nextOffset, r.events[r.events.length - 1].eventId + 1);
    next = r.nextOffset;
    if (r.events.length === 0) await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return { events, next: next! };
}

function assertOnceInOrder(events: any[]): void {
  const ids = events.map((e) => e.eventId);
  assert.equal(new Set(ids).size, ids.length, 'no event twice');
  assert.deepEqual(ids, [...ids].sort((a, b) => a - b), 'in id order');
}

async function server(env: Record<string, string> = {}) {
  const srv = await startServer({ env: { B24IM_EVENT_POLL_MS: '100', ...env } });
  const owner = await srv.addUser('Olga', 'Owner');
  const user = await srv.addUser('Ursula', 'User');
  return { srv, hook: await srv.webhook(owner.id, 'imbot,im'), userHook: await srv.webhook(user.id, 'im') };
}

describe('imbot.v2 fetch queues: volume', () => {
  let srv: TestServer;
  let hook: string;
  let userHook: string;
  before(async () => {
    ({ srv, hook, userHook } = await server());
  });
  after(async () => {
    await srv?.cleanup();
  });

  it('pages through events arriving while it fetches: each once, in order, none lost', async () => {
    const reg = await ok(hook, 'imbot.v2.Bot.register', { botToken: 'volume', fields: { code: 'volume', properties: { name: 'Volume' } } });
    const bot = { id: reg.bot.id, token: 'volume' };
    // The fetcher starts before the writer and runs beside it.
    const writing = flood(userHook, bot.id, 0, 1000);
    const { events } = await drain([hook], bot, 1000, 37);
    await writing;
    assertOnceInOrder(events);
    const texts = events.filter((e) => e.type === 'ONIMBOTV2MESSAGEADD').map((e) => e.data.message.text);
    assert.deepEqual(texts, Array.from({ length: 1000 }, (_, i) => `n${i}`));
    assert.ok(!events.some((e) => e.type === 'B24IM_EVENTS_DROPPED'));
  });

});

describe('imbot.v2 fetch queues: the cap and the CLI', () => {
  let srv: TestServer;
  let hook: string;
  let userHook: string;
  before(async () => {
    ({ srv, hook, userHook } = await server({ B24IM_FETCH_QUEUE_CAP: '300' }));
  });
  after(async () => {
    await srv?.cleanup();
  });

  it('a full queue drops its oldest events and leaves a marker; b24im event fetch shows it', async () => {
    const reg = await ok(hook, 'imbot.v2.Bot.register', { botToken: 'capped', fields: { code: 'capped', properties: { name: 'Capped' } } });
    const bot = { id: reg.bot.id, token: 'capped' };
    await flood(userHook, bot.id, 0, 400);
    // JOINCHAT + 400 messages into a queue of 300: the oldest give way to one marker.
    let status: any;
    const deadline = Date.now() + 60_000;
    do {
      const r = await srv.cli(['event', 'fetch', '--db', srv.dbTarget, '--bot', String(bot.id), '--limit', '2']);
      assert.equal(r.code, 0, r.stderr);
      status = JSON.parse(r.stdout);
      if (status.dropped >= 102 || Date.now() > deadline) break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    } while (true);
    assert.equal(status.kind, 'bot');
    assert.equal(status.cap, 300);
    assert.equal(status.queued, 300);
    assert.equal(status.dropped, 102, '401 events, 300 places, one of them the marker');
    const marker = status.events[0];
    assert.equal(marker.type, 'B24IM_EVENTS_DROPPED');
    assert.equal(marker.data.count, 102);
    assert.ok(marker.data.firstEventId <= marker.data.lastEventId);
    assert.equal(marker.eventId, marker.data.lastEventId);
    // Nothing was acknowledged by looking: the bot reads the marker, then the newest 299 messages.
    const { events } = await drain([hook], bot, 299, 1000);
    assertOnceInOrder(events);
    assert.equal(events[0].type, 'B24IM_EVENTS_DROPPED');
    assert.deepEqual(events.slice(1).map((e) => e.data.message.text), Array.from({ length: 299 }, (_, i) => `n${101 + i}`));
    const all = await srv.cli(['event', 'fetch', '--db', srv.dbTarget]);
    const streams = JSON.parse(all.stdout);
    assert.ok(streams.some((s: any) => s.kind === 'bot' && s.ownerId === bot.id));
    const missing = await srv.cli(['event', 'fetch', '--db', srv.dbTarget, '--bot', '999999']);
    assert.notEqual(missing.code, 0);
  });
});

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
