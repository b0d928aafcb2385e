// Application lifecycle: OnApp* bindings, b24im app update / uninstall sending ONAPPUPDATE / ONAPPUNINSTALL as a
// portal does, uninstall revoking the application's tokens and removing its bots, app.option.* and user.option.*.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ok, rest, startServer, type TestServer } from './helpers/server.ts';
import { addApp, HandlerServer, install } from './helpers/handler.ts';

describe('application lifecycle', () => {
  let srv: TestServer;
  let handler: HandlerServer;
  let token: string;
  let userToken: string;
  const call = (method: string, params: Record<string, unknown> = {}, t = token) => rest(`${srv.url}/rest/`, method, { auth: t, ...params });

  before(async () => {
    srv = await startServer({ env: { B24IM_EVENT_POLL_MS: '100' } });
    handler = await HandlerServer.start();
    await srv.addUser('Uma', 'User');
    await addApp(srv, 'life', `${handler.url}/install`);
    await install(srv, 'life');
    token = (await handler.waitFor((r) => r.path === '/handler/install')).body.auth.access_token;
    userToken = (await srv.cliJson(['token', 'add', '--db', srv.dbPath, '--user', '2', '--app', 'life'])).access_token;
  });
  after(async () => {
    await handler.close();
    await srv.cleanup();
  });

  it('every OnApp* event can be bound; events lists them', async () => {
    for (const event of ['OnAppUpdate', 'OnAppUninstall', 'OnAppPayment', 'OnAppMethodConfirm']) {
      assert.equal((await call('event.bind', { event, handler: `${handler.url}/${event.toLowerCase()}` })).body.result, true, event);
    }
    const events = (await call('events')).body.result;
    for (const e of ['ONAPPINSTALL', 'ONAPPUPDATE', 'ONAPPUNINSTALL', 'ONAPPPAYMENT', 'ONAPPMETHODCONFIRM']) assert.ok(events.includes(e), e);
  });

  it('app.option.* and user.option.*: set, get one, get all; the portal errors', async () => {
    assert.deepEqual((await call('app.option.get')).body.result, []);
    assert.equal((await call('app.option.set', { options: { mode: 'strict', limit: 5 } })).body.result, true);
    assert.equal((await call('app.option.set', { options: { mode: 'relaxed' } })).body.result, true);
    assert.deepEqual((await call('app.option.get')).body.result, { limit: 5, mode: 'relaxed' });
    assert.equal((await call('app.option.get', { option: 'mode' })).body.result, 'relaxed');
    const empty = await call('app.option.set', { options: {} });
    assert.equal(empty.status, 400);
    assert.deepEqual(empty.body, { error: 'ArgumentNullException', error_description: 'options is empty' });
    const notAdmin = await call('app.option.set', { options: { x: 1 } }, userToken);
    assert.deepEqual(notAdmin.body, { error: 'AccessException', error_description: 'Administrator authorization required' });
    // Users read the application's options and keep their own.
    assert.equal((await call('app.option.get', { option: 'mode' }, userToken)).body.result, 'relaxed');
    assert.equal((await call('user.option.set', { options: { theme: 'dark' } }, userToken)).body.result, true);
    assert.equal((await call('user.option.set', { options: { theme: 'light' } })).body.result, true);
    assert.deepEqual((await call('user.option.get', {}, userToken)).body.result, { theme: 'dark' });
    assert.equal((await call('user.option.get', { option: 'theme' })).body.result, 'light');
    const hook = await srv.webhook(1);
    const viaWebhook = await rest(hook, 'app.option.get');
    assert.deepEqual(viaWebhook.body, { error: 'AccessException', error_description: 'Application context required' });
  });

  it('app update posts ONAPPUPDATE with the new and previous version; app.info shows it', async () => {
    const out = await srv.cliJson(['app', 'update', '--db', srv.dbPath, '--code', 'life']);
    assert.equal(out.version, 2);
    assert.equal(out.events.length, 1);
    assert.equal(out.events[0].ok, true);
    const got = await handler.waitFor((r) => r.body.event === 'ONAPPUPDATE');
    assert.equal(got.path, '/handler/onappupdate');
    assert.deepEqual(got.body.data, { VERSION: '2', PREVIOUS_VERSION: '1', LANGUAGE_ID: 'en' });
    assert.ok(got.body.auth.access_token, 'an update carries tokens');
    assert.equal((await call('app.info')).body.result.VERSION, 2);
    const again = await srv.cliJson(['app', 'update', '--db', srv.dbPath, '--code', 'life', '--version', '7']);
    assert.equal(again.version, 7);
  });

  it('app uninstall posts ONAPPUNINSTALL without tokens, revokes the tokens, removes the bots; CLEAN forgets options', async () => {
    const botId = (await call('imbot.register', { CODE: 'lifebot', EVENT_HANDLER: `${handler.url}/bot`, PROPERTIES: { NAME: 'Life' } })).body.result;
    assert.ok(botId > 0);
    const out = await srv.cliJson(['app', 'uninstall', '--db', srv.dbPath, '--code', 'life', '--clean']);
    assert.equal(out.uninstalled, true);
    assert.equal(out.removedBots, 1);
    assert.ok(out.revokedTokens >= 2, String(out.revokedTokens));
    assert.equal(out.events[0].ok, true);
    const got = await handler.waitFor((r) => r.body.event === 'ONAPPUNINSTALL');
    assert.equal(got.path, '/handler/onappuninstall');
    assert.deepEqual(got.body.data, { LANGUAGE_ID: 'en', CLEAN: '1' });
    assert.deepEqual(Object.keys(got.body.auth).sort(), ['application_token', 'client_endpoint', 'domain', 'member_id', 'server_endpoint']);
    // The tokens stop working at once; the bot is gone.
    const revoked = await call('app.info');
    assert.equal(revoked.status, 401);
    const hook = await srv.webhook(1);
    assert.equal((await ok(hook, 'im.user.get', { ID: botId })).active, false);
    const second = await srv.cli(['app', 'uninstall', '--db', srv.dbPath, '--code', 'life']);
    assert.notEqual(second.code, 0);
    assert.match(second.stderr, /not installed/);
    // Installed again, it starts with no options (CLEAN) and without the old bindings.
    await install(srv, 'life');
    token = (await handler.waitFor((r) => r.path === '/handler/install' && r.body.auth.access_token !== token)).body.auth.access_token;
    assert.deepEqual((await call('app.option.get')).body.result, []);
    assert.deepEqual((await call('event.get')).body.result, []);
  });
});
