// Event delivery: retries with backoff, the delivery log, giving up, retrying by hand, and surviving a restart.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ok, rest, startServer, type TestServer } from './helpers/server.ts';
import { addApp, HandlerServer, install, until } from './helpers/handler.ts';

const FAST_RETRIES = { B24IM_EVENT_RETRY_BASE_MS: '150', B24IM_EVENT_POLL_MS: '100', B24IM_EVENT_MAX_ATTEMPTS: '3', B24IM_EVENT_TIMEOUT_MS: '2000' };

describe('bot event delivery', () => {
  let srv: TestServer;
  let hook: string;
  let handler: HandlerServer;

  before(async () => {
    srv = await startServer({ env: FAST_RETRIES });
    handler = await HandlerServer.start();
    const ivan = await srv.addUser('Ivan', 'Petrov');
    hook = await srv.webhook(ivan.id);
    await addApp(srv, 'botapp', `${handler.url}/botapp`);
    await install(srv, 'botapp');
  });
  after(async () => {
    await handler.close();
    await srv.cleanup();
  });

  describe('retries', () => {
    let token: string;
    const register = async (code: string, url: string) =>
      (await rest(`${srv.url}/rest/`, 'imbot.register', { auth: token, CODE: code, EVENT_HANDLER: url, PROPERTIES: { NAME: code } })).body.result as number;

    before(async () => {
      token = (await handler.waitFor((r) => r.path === '/handler/botapp')).body.auth.access_token;
    });

    it('a failing handler is retried with backoff, every attempt is logged, and the sender never notices', async () => {
      const flaky = await HandlerServer.start();
      const added = (r: any) => r.body.event === 'ONIMBOTMESSAGEADD';
      flaky.respond = (r) => (added(r) && flaky.count(added) <= 2 ? 500 : 200);
      try {
        const botId = await register('flaky', flaky.url);
        const id = await ok(hook, 'im.message.add', { DIALOG_ID: botId, MESSAGE: 'hi flaky' });
        const isIt = (r: any) => added(r) && r.body.data.PARAMS.MESSAGE_ID === String(id);
        await until(async () => flaky.count(isIt) >= 3);
        const [row] = await until(async () => {
          const rows = await srv.cliJson(['event', 'queue', '--db', srv.dbPath, '--status', 'done', '--app', 'botapp', '--limit', '5']);
          return rows.filter((r: any) => r.data.PARAMS?.MESSAGE_ID === String(id)).length > 0 && rows.filter((r: any) => r.data.PARAMS?.MESSAGE_ID === String(id));
        });
        assert.equal(row.attempts, 3);
        const log = await srv.cliJson(['event', 'log', '--db', srv.dbPath, '--id', String(row.id)]);
        assert.deepEqual(log.map((r: any) => [r.attempt, r.ok, r.http_status, r.error]).reverse(), [[1, 0, 500, 'HTTP 500'], [2, 0, 500, 'HTTP 500'], [3, 1, 200, '']]);
        // Each attempt carries freshly minted tokens.
        const attempts = flaky.received.filter(isIt);
        assert.notEqual(attempts[0].body.auth.access_token, attempts[2].body.auth.access_token);
        // The sender's dialog is untouched by the handler's failures.
        const history = await ok(hook, 'im.dialog.messages.get', { DIALOG_ID: botId });
        assert.deepEqual(history.messages.map((m: any) => m.text), ['hi flaky']);
        await rest(`${srv.url}/rest/`, 'imbot.unregister', { auth: token, BOT_ID: botId });
      } finally {
        await flaky.close();
      }
    });

    it('gives up after the configured attempts; event retry queues it again', async () => {
      const dead = await HandlerServer.start();
      dead.respond = () => 503;
      try {
        const botId = await register('dead', dead.url);
        const id = await ok(hook, 'im.message.add', { DIALOG_ID: botId, MESSAGE: 'anyone?' });
        const isIt = (r: any) => r.body.event === 'ONIMBOTMESSAGEADD' && r.body.data.PARAMS.MESSAGE_ID === String(id);
        await until(async () => dead.count(isIt) >= 3);
        const row = await until(async () => {
          const rows = await srv.cliJson(['event', 'queue', '--db', srv.dbPath, '--status', 'failed', '--app', 'botapp']);
          return rows.find((r: any) => r.data.PARAMS?.MESSAGE_ID === String(id));
        });
        assert.equal(row.attempts, 3);
        assert.equal(row.last_error, 'HTTP 503');
        assert.equal(dead.count(isIt), 3);
        dead.respond = () => 200;
        await srv.cliJson(['event', 'retry', '--db', srv.dbPath, '--id', String(row.id)]);
        await until(async () => dead.count(isIt) >= 4);
        await rest(`${srv.url}/rest/`, 'imbot.unregister', { auth: token, BOT_ID: botId });
      } finally {
        await dead.close();
      }
    });
  });

  describe('restarts', () => {
    it('an event in flight when the server stops is delivered after the restart', async () => {
      const t = (await handler.waitFor((r) => r.path === '/handler/botapp')).body.auth.access_token;
      const botId = (await rest(`${srv.url}/rest/`, 'imbot.register', { auth: t, CODE: 'restartbot', EVENT_HANDLER: `${handler.url}/restart`, PROPERTIES: { NAME: 'R' } })).body.result;
      let release!: () => void;
      const gate = new Promise<void>((r) => (release = r));
      handler.respond = async (r) => {
        if (r.path === '/handler/restart' && r.body.event === 'ONIMBOTMESSAGEADD' && handler.count((x) => x.body.event === 'ONIMBOTMESSAGEADD' && x.path === '/handler/restart') === 1) await gate;
        return 200;
      };
      const id = await ok(hook, 'im.message.add', { DIALOG_ID: botId, MESSAGE: 'survive a restart' });
      const isIt = (r: any) => r.body.event === 'ONIMBOTMESSAGEADD' && r.body.data.PARAMS.MESSAGE_ID === String(id);
      await handler.waitFor(isIt);
      await srv.stop();
      release();
      srv = await startServer({ dir: srv.dir, env: FAST_RETRIES });
      // Normally at once (stop() hands the claim back); at worst when the claim's lease (timeout + 30 s) runs out.
      await until(async () => handler.count(isIt) >= 2, 45_000);
      const row = await until(async () => {
        const rows = await srv.cliJson(['event', 'queue', '--db', srv.dbPath, '--status', 'done', '--app', 'botapp', '--limit', '5']);
        return rows.find((r: any) => r.data.PARAMS?.MESSAGE_ID === String(id));
      });
      assert.equal(row.event, 'ONIMBOTMESSAGEADD');
      assert.equal(row.data.PARAMS.MESSAGE_ID, String(id));
    });
  });
});
