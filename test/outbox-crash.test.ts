// The transactional outbox under SIGKILL: a user streams messages to a bot while the server is killed again and
// again at random moments and restarted. Every stored message's ONIMBOTMESSAGEADD reaches the bot's handler at
// least once: the event is recorded in the message's own transaction, and an attempt a kill cut off is made again
// after the restart (one attempt per event otherwise, DECISIONS 17).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ok, rest, startServer, type TestServer } from './helpers/server.ts';
import { addApp, HandlerServer, install, until } from './helpers/handler.ts';

const ROUNDS = Number(process.env.B24IM_OUTBOX_CRASH_ROUNDS ?? 4);
const ENV = { B24IM_EVENT_POLL_MS: '100', B24IM_EVENT_TIMEOUT_MS: '2000' };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('transactional outbox under SIGKILL', () => {
  let srv: TestServer;
  let handler: HandlerServer;
  let hookPath: string;
  let botId: number;
  const acked = new Set<number>();

  before(async () => {
    srv = await startServer({ env: ENV });
    handler = await HandlerServer.start();
    // The handler takes a moment to answer, so kills also land while deliveries are in flight.
    handler.respond = async () => {
      await sleep(15);
      return 200;
    };
    const user = await srv.addUser('Stream', 'Writer');
    hookPath = new URL(await srv.webhook(user.id)).pathname;
    await addApp(srv, 'crashbot', `${handler.url}/app`);
    await install(srv, 'crashbot');
    const token = (await handler.waitFor((r) => r.path === '/handler/app')).body.auth.access_token;
    botId = await ok(`${srv.url}/rest/`, 'imbot.register', { auth: token, CODE: 'crashbot', EVENT_HANDLER: `${handler.url}/bot`, PROPERTIES: { NAME: 'Crash' } });
  });
  after(async () => {
    await handler.close();
    await srv.cleanup();
  });

  async function writer(): Promise<void> {
    for (let n = 0; ; n++) {
      try {
        const r = await rest(`${srv.url}${hookPath}`, 'im.message.add', { DIALOG_ID: botId, MESSAGE: `m${n}` });
        if (r.status !== 200) return;
        acked.add(r.body.result);
      } catch {
        return; // killed mid-request: stored or not, the check below reads what is stored
      }
    }
  }

  it(`delivers every stored message's event at least once across ${ROUNDS} SIGKILLs`, async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const writing = writer();
      // Kill after a few acknowledged messages (not after a fixed time: a loaded machine may be slow to answer),
      // at a random moment within the stream.
      const target = acked.size + 3 + Math.floor(Math.random() * 6);
      await until(async () => acked.size >= target, 30_000);
      await sleep(Math.floor(Math.random() * 40));
      await srv.stop('SIGKILL');
      await writing;
      srv = await startServer({ dir: srv.dir, env: ENV });
    }
    // Everything stored in the bot's dialog, read back after the last restart.
    const stored = new Set<number>();
    let lastId: number | undefined;
    for (;;) {
      const page = await ok(`${srv.url}${hookPath}`, 'im.dialog.messages.get', { DIALOG_ID: botId, LIMIT: 50, ...(lastId ? { LAST_ID: lastId } : {}) });
      for (const m of page.messages) if (m.author_id !== botId) stored.add(m.id);
      if (page.messages.length < 50) break;
      lastId = Math.min(...page.messages.map((m: any) => m.id));
    }
    for (const id of acked) assert.ok(stored.has(id), `acknowledged message ${id} is stored`);
    assert.ok(stored.size > ROUNDS, `messages were sent (${stored.size})`);
    const delivered = () => new Set(handler.received.filter((r) => r.path === '/handler/bot' && r.body.event === 'ONIMBOTMESSAGEADD').map((r) => Number(r.body.data.PARAMS.MESSAGE_ID)));
    await until(async () => [...stored].every((id) => delivered().has(id)), 30_000).catch(() => {
      const missing = [...stored].filter((id) => !delivered().has(id));
      assert.fail(`${missing.length} of ${stored.size} stored messages never reached the bot: ${missing.slice(0, 10).join(', ')}`);
    });
    const received = handler.received.filter((r) => r.path === '/handler/bot' && r.body.event === 'ONIMBOTMESSAGEADD').length;
    process.stdout.write(`# outbox crash: ${stored.size} messages, ${received} deliveries (${received - stored.size} repeated after a kill), ${ROUNDS} kills\n`);
  });
});
