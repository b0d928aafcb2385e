// Attacks on event handlers and bots, each written as an attacker would try it: a non-administrator holding one of
// an application's tokens tries to capture other users' tokens, to read or remove others' handlers, to point the
// bot's handlers elsewhere, and to post a message that looks as if another user wrote it.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ok, rest, startServer, type TestServer } from './helpers/server.ts';
import { addApp, HandlerServer, install } from './helpers/handler.ts';

/** Every access_token anywhere in an event's form. */
function accessTokens(value: unknown, out: string[] = []): string[] {
  if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (k === 'access_token' && typeof v === 'string') out.push(v);
      else accessTokens(v, out);
    }
  }
  return out;
}

describe('security: application tokens in the hands of a non-administrator', () => {
  let srv: TestServer;
  let handler: HandlerServer;
  let alice: any;
  let bob: any;
  let bobHook: string;
  let adminToken: string;
  let aliceToken: string;
  let botId: number;
  const as = (token: string, method: string, params: Record<string, unknown> = {}) => rest(`${srv.url}/rest/`, method, { ...params, auth: token });

  before(async () => {
    srv = await startServer();
    handler = await HandlerServer.start();
    alice = await srv.addUser('Alice', 'Attacker');
    bob = await srv.addUser('Bob', 'Victim');
    bobHook = await srv.webhook(bob.id);
    await addApp(srv, 'shared', `${handler.url}/app`);
    await install(srv, 'shared', 1);
    adminToken = (await srv.cliJson(['token', 'add', '--db', srv.dbPath, '--user', '1', '--app', 'shared'])).access_token;
    aliceToken = (await srv.cliJson(['token', 'add', '--db', srv.dbPath, '--user', String(alice.id), '--app', 'shared'])).access_token;
    const reg = await as(adminToken, 'imbot.register', { CODE: 'desk', EVENT_HANDLER: `${handler.url}/desk`, PROPERTIES: { NAME: 'Desk' } });
    botId = reg.body.result;
    assert.equal(typeof botId, 'number', JSON.stringify(reg.body));
  });
  after(async () => {
    await handler.close();
    await srv.cleanup();
  });

  it('event.bind with no auth_type by a non-administrator runs as the caller: no other user\'s token reaches the handler', async () => {
    assert.equal((await as(aliceToken, 'event.bind', { event: 'ONIMBOTMESSAGEADD', handler: `${handler.url}/capture` })).body.result, true);
    const forBob = await as(aliceToken, 'event.bind', { event: 'ONIMBOTMESSAGEADD', handler: `${handler.url}/capture2`, auth_type: bob.id });
    assert.equal(forBob.status, 403);
    assert.equal(forBob.body.error, 'ACCESS_DENIED');
    const messageId = await ok(bobHook, 'im.message.add', { DIALOG_ID: botId, MESSAGE: 'my secret question' });
    const got = await handler.waitFor((r) => r.path === '/handler/capture' && r.body.data?.PARAMS?.MESSAGE_ID === String(messageId));
    assert.equal(got.body.auth.user_id, String(alice.id));
    const tokens = accessTokens(got.body);
    assert.ok(tokens.length > 0);
    for (const token of tokens) {
      const me = await ok(`${srv.url}/rest/`, 'user.current', { auth: token });
      assert.ok([String(alice.id), String(botId)].includes(String(me.ID)), `the handler got user ${me.ID}'s token`);
    }
    // The bot's own handler still gets the writer's authorisation, as on a portal.
    const desk = await handler.waitFor((r) => r.path === '/handler/desk' && r.body.data?.PARAMS?.MESSAGE_ID === String(messageId));
    assert.equal(desk.body.auth.user_id, String(bob.id));
  });

  it('event.get and event.unbind show and remove only the caller\'s own handlers', async () => {
    assert.equal((await as(adminToken, 'event.bind', { event: 'ONIMBOTJOINCHAT', handler: `${handler.url}/audit` })).body.result, true);
    assert.equal((await as(aliceToken, 'event.bind', { event: 'ONIMBOTJOINCHAT', handler: `${handler.url}/mine` })).body.result, true);
    const seen = (await as(aliceToken, 'event.get')).body.result.map((h: any) => h.handler);
    assert.ok(seen.includes(`${handler.url}/mine`));
    assert.ok(!seen.includes(`${handler.url}/audit`), 'a non-administrator sees another user\'s handler');
    assert.deepEqual((await as(aliceToken, 'event.unbind', { event: 'ONIMBOTJOINCHAT', handler: `${handler.url}/audit` })).body.result, { count: 0 });
    assert.deepEqual((await as(aliceToken, 'event.unbind', { event: 'ONIMBOTJOINCHAT' })).body.result, { count: 1 });
    const left = (await as(adminToken, 'event.get')).body.result.map((h: any) => h.handler);
    assert.ok(left.includes(`${handler.url}/audit`) && !left.includes(`${handler.url}/mine`));
  });

  it('handler URLs must be on the application\'s host (imbot.update, imbot.register, event.bind)', async () => {
    const moved = await as(aliceToken, 'imbot.update', { BOT_ID: botId, FIELDS: { EVENT_MESSAGE_ADD: 'http://attacker.example/steal' } });
    assert.equal(moved.status, 400);
    assert.equal(moved.body.error, 'EVENT_MESSAGE_ADD_ERROR');
    const registered = await as(aliceToken, 'imbot.register', { CODE: 'spy', EVENT_HANDLER: 'https://attacker.example/', PROPERTIES: { NAME: 'Spy' } });
    assert.equal(registered.body.error, 'EVENT_MESSAGE_ADD_ERROR');
    const bound = await as(aliceToken, 'event.bind', { event: 'ONIMBOTMESSAGEADD', handler: 'http://attacker.example/steal' });
    assert.equal(bound.body.error, 'ERROR_HANDLER_URL_MATCH');
    const handlers = (await as(adminToken, 'event.get')).body.result;
    assert.ok(!handlers.some((h: any) => h.handler.includes('attacker.example')));
    assert.ok(handlers.some((h: any) => h.event === 'ONIMBOTMESSAGEADD' && h.handler === `${handler.url}/desk`));
  });

  it('imbot.message.add with FROM_USER_ID / TO_USER_ID is a system message, not one the user seems to have written', async () => {
    const id = await ok(`${srv.url}/rest/`, 'imbot.message.add', { auth: aliceToken, BOT_ID: botId, FROM_USER_ID: bob.id, TO_USER_ID: alice.id, MESSAGE: 'I resign. Bob' });
    const history = await ok(bobHook, 'im.dialog.messages.get', { DIALOG_ID: alice.id });
    const message = history.messages.find((m: any) => m.id === id);
    assert.ok(message, 'the notice is in the dialog');
    assert.equal(message.author_id, 0);
    // Bob did not write it, so it is unread for him too.
    assert.equal(message.unread, true);
  });
});
