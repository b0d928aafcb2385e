// Bots 2.0 fetch queues under load: paging through a thousand events with nothing lost or repeated while messages
// keep coming, the cap (oldest dropped, a marker in their place) and `b24im event fetch`; a user's queue keeps its
// events a day (im.v2). Two nodes: bots-v2-multinode.test.ts.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ok, startServer, type TestServer } from './helpers/server.ts';
import { assertOnceInOrder, drain, flood } from './helpers/fetch.ts';
import { until } from './helpers/handler.ts';

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

describe('im.v2 user queues keep events a day; a bot\'s keeps them until read', () => {
  const DAY = 24 * 3600;
  let srv: TestServer | undefined;
  after(async () => {
    await srv?.cleanup();
  });

  it('a day later the user\'s events are gone, the bot\'s are not; a new subscription starts from what is left', async () => {
    const first = await server();
    srv = first.srv;
    const reg = await ok(first.hook, 'imbot.v2.Bot.register', { botToken: 'keeper', fields: { code: 'keeper', properties: { name: 'Keeper' } } });
    const bot = { id: reg.bot.id, token: 'keeper' };
    // The owner subscribes; the user writes to the owner and to the bot.
    await ok(first.hook, 'im.v2.Event.subscribe', {});
    const owner = (await ok(first.hook, 'user.current', {})).ID;
    await ok(first.userHook, 'im.message.add', { DIALOG_ID: owner, MESSAGE: 'to the owner' });
    await flood(first.userHook, bot.id, 0, 1);
    await drain([first.hook], bot, 1, 10);
    const userEvents = async (h: string) => (await ok(h, 'im.v2.Event.get', {})).events.map((e: any) => e.type);
    await until(async () => (await userEvents(first.hook)).length === 1, 15_000, 50);
    // A day and a minute later (the same database, the clock moved on).
    const dir = srv.dir;
    await srv.stop();
    srv = await startServer({ dir, env: { B24IM_EVENT_POLL_MS: '100', B24IM_CLOCK_OFFSET: String(DAY + 60) } });
    const hook = first.hook.replace(first.srv.url, srv.url);
    assert.deepEqual(await userEvents(hook), [], 'expired');
    const botEvents = await ok(hook, 'imbot.v2.Event.get', { botId: bot.id, botToken: bot.token });
    assert.deepEqual(botEvents.events.map((e: any) => e.type), ['ONIMBOTV2JOINCHAT', 'ONIMBOTV2MESSAGEADD'], 'a bot reads its events when it comes back');
    // Still subscribed: new events are recorded as before.
    await ok(first.userHook.replace(first.srv.url, srv.url), 'im.message.add', { DIALOG_ID: owner, MESSAGE: 'a day later' });
    await until(async () => (await userEvents(hook)).length === 1, 15_000, 50);
  });
});
