// Bots 2.0 fetch queues under load: paging through a thousand events with nothing lost or repeated while messages
// keep coming, the cap (oldest dropped, a marker in their place) and `b24im event fetch`. Two nodes:
// bots-v2-multinode.test.ts.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ok, startServer, type TestServer } from './helpers/server.ts';
import { assertOnceInOrder, drain, flood } from './helpers/fetch.ts';

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

