// Event delivery: one attempt by default (as a portal, DECISIONS 17), resending when switched on, the delivery log,
// retrying by hand, and surviving a restart.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ok, rest, startServer } from './helpers/server.ts';
import { addApp, HandlerServer, install, until } from './helpers/handler.ts';

const FAST = { B24IM_EVENT_RETRY_BASE_MS: '150', B24IM_EVENT_POLL_MS: '100', B24IM_EVENT_MAX_ATTEMPTS: '3', B24IM_EVENT_TIMEOUT_MS: '2000' };
const added = (r: any) => r.body.event === 'ONIMBOTMESSAGEADD';

/** A server with an installed application `botapp`, a user's webhook and the application's token. */
async function setup(env: Record<string, string>) {
  const srv = await startServer({ env });
  const handler = await HandlerServer.start();
  const ivan = await srv.addUser('Ivan', 'Petrov');
  const hook = await srv.webhook(ivan.id);
  await addApp(srv, 'botapp', `${handler.url}/botapp`);
  await install(srv, 'botapp');
  const token = (await handler.waitFor((r) => r.path === '/handler/botapp')).body.auth.access_token as string;
  const register = async (code: string, url: string) =>
    (await rest(`${srv.url}/rest/`, 'imbot.register', { auth: token, CODE: code, EVENT_HANDLER: url, PROPERTIES: { NAME: code } })).body.result as number;
  const rowOf = (id: number, status: string) =>
    until(async () => {
      const rows = await srv.cliJson(['event', 'queue', '--db', srv.dbPath, '--status', status, '--app', 'botapp', '--limit', '10']);
      return rows.find((r: any) => added({ body: r }) && r.data.PARAMS?.MESSAGE_ID === String(id));
    });
  return { srv, handler, hook, token, register, rowOf };
}

describe('bot event delivery', () => {
  describe('by default: one attempt, as a portal', () => {
    let s: Awaited<ReturnType<typeof setup>>;
    before(async () => {
      s = await setup(FAST);
    });
    after(async () => {
      await s.handler.close();
      await s.srv.cleanup();
    });

    it('a handler that fails once gets exactly one attempt; the failure is in the log; event retry sends it again', async () => {
      const flaky = await HandlerServer.start();
      flaky.respond = (r) => (added(r) && flaky.count(added) === 1 ? 500 : 200);
      try {
        const botId = await s.register('flaky', flaky.url);
        const id = await ok(s.hook, 'im.message.add', { DIALOG_ID: botId, MESSAGE: 'hi flaky' });
        const isIt = (r: any) => added(r) && r.body.data.PARAMS.MESSAGE_ID === String(id);
        const row = await s.rowOf(id, 'failed');
        assert.equal(row.attempts, 1);
        assert.equal(row.last_error, 'HTTP 500');
        const log = await s.srv.cliJson(['event', 'log', '--db', s.srv.dbPath, '--id', String(row.id)]);
        assert.deepEqual(log.map((r: any) => [r.attempt, r.ok, r.http_status, r.error]), [[1, 0, 500, 'HTTP 500']]);
        // The next message goes through; the failed one was not sent again meanwhile (it is failed, not pending).
        const next = await ok(s.hook, 'im.message.add', { DIALOG_ID: botId, MESSAGE: 'again' });
        await flaky.waitFor((r) => added(r) && r.body.data.PARAMS.MESSAGE_ID === String(next));
        assert.equal(flaky.count(isIt), 1);
        // By hand: b24im event retry makes one more attempt.
        await s.srv.cliJson(['event', 'retry', '--db', s.srv.dbPath, '--id', String(row.id)]);
        await until(async () => flaky.count(isIt) >= 2);
        const done = await s.rowOf(id, 'done');
        assert.equal(done.attempts, 1);
        // The sender's dialog is untouched by the handler's failure.
        const history = await ok(s.hook, 'im.dialog.messages.get', { DIALOG_ID: botId });
        assert.deepEqual(history.messages.map((m: any) => m.text).sort(), ['again', 'hi flaky']);
      } finally {
        await flaky.close();
      }
    });

    it('an event in flight when the server stops is delivered after the restart', async () => {
      const { handler } = s;
      const botId = await s.register('restartbot', `${handler.url}/restart`);
      let release!: () => void;
      const gate = new Promise<void>((r) => (release = r));
      handler.respond = async (r) => {
        if (r.path === '/handler/restart' && added(r) && handler.count((x) => added(x) && x.path === '/handler/restart') === 1) await gate;
        return 200;
      };
      const id = await ok(s.hook, 'im.message.add', { DIALOG_ID: botId, MESSAGE: 'survive a restart' });
      const isIt = (r: any) => added(r) && r.body.data.PARAMS.MESSAGE_ID === String(id);
      await handler.waitFor(isIt);
      await s.srv.stop();
      release();
      s.srv = await startServer({ dir: s.srv.dir, env: FAST });
      // stop() hands the claim back, so the interrupted attempt is made again at once.
      await until(async () => handler.count(isIt) >= 2, 20_000);
      const row = await s.rowOf(id, 'done');
      assert.equal(row.data.PARAMS.MESSAGE_ID, String(id));
    });
  });

  describe('with B24IM_EVENT_RETRY=on', () => {
    let s: Awaited<ReturnType<typeof setup>>;
    before(async () => {
      s = await setup({ ...FAST, B24IM_EVENT_RETRY: 'on' });
    });
    after(async () => {
      await s.handler.close();
      await s.srv.cleanup();
    });

    it('a failing handler is retried with backoff, every attempt is logged with fresh tokens', async () => {
      const flaky = await HandlerServer.start();
      flaky.respond = (r) => (added(r) && flaky.count(added) <= 2 ? 500 : 200);
      try {
        const botId = await s.register('flaky', flaky.url);
        const id = await ok(s.hook, 'im.message.add', { DIALOG_ID: botId, MESSAGE: 'hi flaky' });
        const isIt = (r: any) => added(r) && r.body.data.PARAMS.MESSAGE_ID === String(id);
        const row = await s.rowOf(id, 'done');
        assert.equal(row.attempts, 3);
        const log = await s.srv.cliJson(['event', 'log', '--db', s.srv.dbPath, '--id', String(row.id)]);
        assert.deepEqual(log.map((r: any) => [r.attempt, r.ok, r.http_status, r.error]).reverse(), [[1, 0, 500, 'HTTP 500'], [2, 0, 500, 'HTTP 500'], [3, 1, 200, '']]);
        const attempts = flaky.received.filter(isIt);
        assert.equal(attempts.length, 3);
        assert.notEqual(attempts[0].body.auth.access_token, attempts[2].body.auth.access_token);
        await rest(`${s.srv.url}/rest/`, 'imbot.unregister', { auth: s.token, BOT_ID: botId });
      } finally {
        await flaky.close();
      }
    });

    it('gives up after the configured attempts; event retry queues it again', async () => {
      const dead = await HandlerServer.start();
      dead.respond = () => 503;
      try {
        const botId = await s.register('dead', dead.url);
        const id = await ok(s.hook, 'im.message.add', { DIALOG_ID: botId, MESSAGE: 'anyone?' });
        const isIt = (r: any) => added(r) && r.body.data.PARAMS.MESSAGE_ID === String(id);
        const row = await s.rowOf(id, 'failed');
        assert.equal(row.attempts, 3);
        assert.equal(row.last_error, 'HTTP 503');
        assert.equal(dead.count(isIt), 3);
        dead.respond = () => 200;
        await s.srv.cliJson(['event', 'retry', '--db', s.srv.dbPath, '--id', String(row.id)]);
        await until(async () => dead.count(isIt) >= 4);
      } finally {
        await dead.close();
      }
    });
  });
});
