// Offline events (event.bind event_type=offline, event.offline.*): the reliable path an application can choose
// (DECISIONS 17). Events recorded before a SIGKILL are all there after the restart, and fetching with a process id
// and clearing gets every event exactly once.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ok, rest, startServer, type TestServer } from './helpers/server.ts';
import { addApp, HandlerServer, install, until } from './helpers/handler.ts';

const ENV = { B24IM_EVENT_POLL_MS: '100' };

describe('offline events', () => {
  let srv: TestServer;
  let handler: HandlerServer;
  let adminToken: string;
  let hookPath: string;
  const userHook = () => `${srv.url}${hookPath}`;
  let botId: number;
  const call = (method: string, params: Record<string, unknown> = {}) => ok(`${srv.url}/rest/`, method, { auth: adminToken, ...params });

  before(async () => {
    srv = await startServer({ env: ENV });
    handler = await HandlerServer.start();
    const user = await srv.addUser('Fiona', 'Fetch');
    hookPath = new URL(await srv.webhook(user.id)).pathname;
    await addApp(srv, 'offapp', `${handler.url}/app`);
    await install(srv, 'offapp');
    adminToken = (await handler.waitFor((r) => r.path === '/handler/app')).body.auth.access_token;
    botId = await call('imbot.register', { CODE: 'offbot', EVENT_HANDLER: `${handler.url}/bot`, PROPERTIES: { NAME: 'Offline' } });
  });
  after(async () => {
    await handler.close();
    await srv.cleanup();
  });

  it('event.bind event_type=offline needs no handler; event.get shows it; only administrators may', async () => {
    assert.equal(await call('event.bind', { event: 'ONIMBOTMESSAGEADD', event_type: 'offline' }), true);
    const again = await rest(`${srv.url}/rest/`, 'event.bind', { auth: adminToken, event: 'ONIMBOTMESSAGEADD', event_type: 'offline' });
    assert.equal(again.body.error, 'ERROR_CORE');
    const bound = await call('event.get');
    assert.ok(bound.some((h: any) => h.event === 'ONIMBOTMESSAGEADD' && h.offline === 1 && h.handler === ''), JSON.stringify(bound));
    const userToken = (await srv.cliJson(['token', 'add', '--db', srv.dbPath, '--user', '2', '--app', 'offapp'])).access_token;
    const denied = await rest(`${srv.url}/rest/`, 'event.offline.get', { auth: userToken });
    assert.equal(denied.status, 403);
    assert.equal(denied.body.error, 'ACCESS_DENIED');
    const viaWebhook = await rest(userHook(), 'event.offline.get');
    assert.equal(viaWebhook.body.error, 'WRONG_AUTH_TYPE');
  });

  it('every event is fetched exactly once across a SIGKILL and restart', async () => {
    const sent: number[] = [];
    for (let i = 0; i < 7; i++) sent.push(await ok(userHook(), 'im.message.add', { DIALOG_ID: botId, MESSAGE: `offline ${i}` }));
    // Killed at once: some changes may not have been handled yet; they are after the restart.
    await srv.stop('SIGKILL');
    srv = await startServer({ dir: srv.dir, env: ENV });
    await until(async () => {
      const r = await rest(`${srv.url}/rest/`, 'event.offline.list', { auth: adminToken, filter: { EVENT_NAME: 'ONIMBOTMESSAGEADD' } });
      return r.body.total === sent.length;
    }, 20_000);

    const fetched: string[] = [];
    // A batch reserved with clear=0, one of its events marked failed, the rest cleared.
    const first = await call('event.offline.get', { clear: 0, limit: 3 });
    assert.match(first.process_id, /^[0-9a-f]{32}$/);
    assert.equal(first.events.length, 3);
    for (const e of first.events) {
      assert.equal(e.EVENT_NAME, 'ONIMBOTMESSAGEADD');
      assert.equal(e.EVENT_DATA.BOT[String(botId)].BOT_ID, String(botId));
      assert.equal(e.EVENT_DATA.BOT[String(botId)].access_token, undefined);
      assert.match(e.TIMESTAMP_X, /^\d{4}-\d\d-\d\dT/);
    }
    const listed = await rest(`${srv.url}/rest/`, 'event.offline.list', { auth: adminToken, filter: { PROCESS_ID: first.process_id } });
    assert.equal(listed.body.total, 3);
    // Reserved events are not handed out again.
    const failed = first.events[0];
    await call('event.offline.error', { process_id: first.process_id, message_id: [failed.MESSAGE_ID] });
    await call('event.offline.clear', { process_id: first.process_id, message_id: first.events.slice(1).map((e: any) => e.MESSAGE_ID) });
    fetched.push(...first.events.slice(1).map((e: any) => e.EVENT_DATA.PARAMS.MESSAGE_ID));
    // The rest with the default clear=1, two at a time.
    for (;;) {
      const page = await call('event.offline.get', { limit: 2 });
      assert.equal(page.process_id, null);
      if (page.events.length === 0) break;
      fetched.push(...page.events.map((e: any) => e.EVENT_DATA.PARAMS.MESSAGE_ID));
    }
    // The failed one comes back with error=1, once.
    const retry = await call('event.offline.get', { error: 1 });
    assert.deepEqual(retry.events.map((e: any) => e.MESSAGE_ID), [failed.MESSAGE_ID]);
    fetched.push(retry.events[0].EVENT_DATA.PARAMS.MESSAGE_ID);
    assert.deepEqual((await call('event.offline.get', { error: 1 })).events, []);
    assert.deepEqual(fetched.map(Number).sort((a, b) => a - b), [...sent].sort((a, b) => a - b));
    assert.equal((await rest(`${srv.url}/rest/`, 'event.offline.list', { auth: adminToken })).body.total, 0);
  });

  it('event.unbind event_type=offline stops keeping events', async () => {
    assert.deepEqual(await call('event.unbind', { event: 'ONIMBOTMESSAGEADD', event_type: 'offline' }), { count: 1 });
    const id = await ok(userHook(), 'im.message.add', { DIALOG_ID: botId, MESSAGE: 'online only' });
    await handler.waitFor((r) => r.path === '/handler/bot' && r.body.data?.PARAMS?.MESSAGE_ID === String(id));
    assert.equal((await rest(`${srv.url}/rest/`, 'event.offline.list', { auth: adminToken })).body.total, 0);
  });
});
