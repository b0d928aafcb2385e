// Applications, OAuth refresh, imbot.*, event.*, and event delivery (outbox, retries, log) over real HTTP,
// with the example echo bot running as its own process.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ROOT, ok, rest, startServer, type TestServer } from './helpers/server.ts';
import { addApp, allStrings, HandlerServer, install, until } from './helpers/handler.ts';

const FAST_RETRIES = { B24IM_EVENT_RETRY_BASE_MS: '150', B24IM_EVENT_POLL_MS: '100', B24IM_EVENT_MAX_ATTEMPTS: '3', B24IM_EVENT_TIMEOUT_MS: '2000' };

async function startEchoBot(): Promise<{ url: string; child: ChildProcess; output: () => string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'examples/echo-bot/bot.ts')], {
    cwd: ROOT,
    env: { ...process.env, PORT: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let text = '';
  child.stderr!.on('data', (c: Buffer) => (text += c.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`echo bot did not start: ${text}`)), 20_000);
    child.stdout!.on('data', (c: Buffer) => {
      text += c.toString();
      const m = /listening on (http:\/\/\S+)/.exec(text);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
  });
  return { url, child, output: () => text };
}

describe('bots', () => {
  let srv: TestServer;
  let hook: string;
  let handler: HandlerServer;
  let ivan: any;

  before(async () => {
    srv = await startServer({ env: FAST_RETRIES });
    handler = await HandlerServer.start();
    ivan = await srv.addUser('Ivan', 'Petrov');
    hook = await srv.webhook(ivan.id);
  });
  after(async () => {
    await handler.close();
    await srv.cleanup();
  });

  describe('applications and OAuth', () => {
    let app: any;
    let install1: any;

    before(async () => {
      app = await addApp(srv, 'oauthapp', `${handler.url}/oauthapp`);
      await install(srv, 'oauthapp', ivan.id);
      install1 = await handler.waitFor((r) => r.path === '/handler/oauthapp');
    });

    it('app install posts ONAPPINSTALL as a form with the portal\'s auth block', async () => {
      assert.equal(install1.headers['content-type'], 'application/x-www-form-urlencoded');
      const b = install1.body;
      assert.equal(b.event, 'ONAPPINSTALL');
      assert.ok(allStrings(b), 'every value is a string');
      assert.deepEqual(b.data, { VERSION: '1', ACTIVE: 'Y', INSTALLED: 'Y', LANGUAGE_ID: 'en' });
      assert.match(b.ts, /^\d{10}$/);
      const a = b.auth;
      for (const key of ['access_token', 'expires', 'expires_in', 'scope', 'domain', 'server_endpoint', 'status', 'client_endpoint', 'member_id', 'user_id', 'refresh_token', 'application_token']) {
        assert.equal(typeof a[key], 'string', key);
      }
      assert.equal(a.client_endpoint, `${srv.url}/rest/`);
      assert.equal(a.domain, new URL(srv.url).host);
      assert.equal(a.user_id, String(ivan.id));
      assert.equal(a.application_token, app.application_token);
      assert.equal(a.expires_in, '3600');
      assert.equal(a.status, 'L');
      // The token works as the installing user, in the application's scopes.
      const me = await ok(`${srv.url}/rest/`, 'im.user.get', { auth: a.access_token });
      assert.equal(me.id, ivan.id);
    });

    it('refreshes tokens at /oauth/token/ with the application\'s client id and secret', async () => {
      const a = install1.body.auth;
      const bad = await fetch(`${srv.url}/oauth/token/?grant_type=refresh_token&client_id=${app.client_id}&client_secret=wrong&refresh_token=${a.refresh_token}`);
      assert.equal(bad.status, 401);
      assert.equal((await bad.json()).error, 'invalid_client');
      const grant = await fetch(`${srv.url}/oauth/token/`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ grant_type: 'refresh_token', client_id: app.client_id, client_secret: app.client_secret, refresh_token: a.refresh_token }),
      });
      assert.equal(grant.status, 200);
      const fresh = await grant.json();
      assert.match(fresh.access_token, /^[0-9a-f]{64}$/);
      assert.notEqual(fresh.refresh_token, a.refresh_token);
      assert.equal(fresh.user_id, ivan.id);
      assert.equal(fresh.client_endpoint, `${srv.url}/rest/`);
      assert.equal((await ok(`${srv.url}/rest/`, 'im.user.get', { auth: fresh.access_token })).id, ivan.id);
      // A refresh token is good once.
      const again = await fetch(`${srv.url}/oauth/token/?grant_type=refresh_token&client_id=${app.client_id}&client_secret=${app.client_secret}&refresh_token=${a.refresh_token}`);
      assert.equal(again.status, 400);
      assert.equal((await again.json()).error, 'invalid_grant');
      const other = await fetch(`${srv.url}/oauth/token/?grant_type=password&client_id=${app.client_id}`);
      assert.equal((await other.json()).error, 'unsupported_grant_type');
    });

    it('an expired access token answers expired_token, and the refresh grant gives a working one', async () => {
      const t = await srv.cliJson(['token', 'add', '--db', srv.dbPath, '--user', String(ivan.id), '--app', 'oauthapp', '--ttl', '1']);
      await new Promise((r) => setTimeout(r, 2100));
      const expired = await rest(`${srv.url}/rest/`, 'im.user.get', { auth: t.access_token });
      assert.equal(expired.status, 401);
      assert.equal(expired.body.error, 'expired_token');
      const res = await fetch(`${srv.url}/oauth/token/?grant_type=refresh_token&client_id=${app.client_id}&client_secret=${app.client_secret}&refresh_token=${t.refresh_token}`);
      const fresh = await res.json();
      assert.equal((await ok(`${srv.url}/rest/`, 'im.user.get', { auth: fresh.access_token })).id, ivan.id);
    });
  });

  describe('imbot.* and event.*', () => {
    let token: string;

    before(async () => {
      await addApp(srv, 'botapp', `${handler.url}/botapp`);
      await install(srv, 'botapp');
      token = (await handler.waitFor((r) => r.path === '/handler/botapp')).body.auth.access_token;
    });

    const call = (method: string, params: Record<string, unknown> = {}) => rest(`${srv.url}/rest/`, method, { ...params, auth: token });
    const handlers = (name: string) => ({
      EVENT_MESSAGE_ADD: `${handler.url}/${name}`,
      EVENT_WELCOME_MESSAGE: `${handler.url}/${name}`,
      EVENT_BOT_DELETE: `${handler.url}/${name}`,
    });

    it('imbot.register creates a bot user; the same code answers the same bot', async () => {
      const r = await call('imbot.register', {
        CODE: 'helper',
        TYPE: 'B',
        ...handlers('helper'),
        PROPERTIES: { NAME: 'Helper', LAST_NAME: 'Bot', COLOR: 'AQUA', WORK_POSITION: 'Answers', PERSONAL_GENDER: 'F', PERSONAL_BIRTHDAY: '2020-03-15' },
      });
      assert.equal(r.status, 200, JSON.stringify(r.body));
      const botId = r.body.result;
      assert.equal(typeof botId, 'number');
      const u = await ok(hook, 'im.user.get', { ID: botId });
      assert.equal(u.bot, true);
      assert.equal(u.type, 'bot');
      assert.equal(u.name, 'Helper Bot');
      assert.equal(u.work_position, 'Answers');
      assert.equal(u.color, '#1eb4aa');
      assert.equal(u.gender, 'F');
      assert.equal(u.birthday, '15-03');
      const again = await call('imbot.register', { CODE: 'helper', ...handlers('helper'), PROPERTIES: { NAME: 'Helper' } });
      assert.equal(again.body.result, botId);
      const list = (await call('imbot.bot.list')).body.result;
      assert.deepEqual(list[String(botId)], { ID: botId, NAME: 'Helper Bot', CODE: 'helper', OPENLINE: 'N' });
      // imbot.register bound the application's bot handlers.
      const bound = (await call('event.get')).body.result;
      assert.deepEqual(
        bound.map((h: any) => h.event).sort(),
        ['ONIMBOTDELETE', 'ONIMBOTJOINCHAT', 'ONIMBOTMESSAGEADD'],
      );
      assert.ok(bound.every((h: any) => h.handler === `${handler.url}/helper` && h.auth_type === '0'));
    });

    it('imbot.register answers the portal\'s errors', async () => {
      const viaHook = await rest(hook, 'imbot.register', { CODE: 'x', ...handlers('x'), PROPERTIES: { NAME: 'X' } });
      assert.equal(viaHook.status, 403);
      assert.equal(viaHook.body.error, 'ACCESS_DENIED');
      const cases: [Record<string, unknown>, string][] = [
        [{ ...handlers('x'), PROPERTIES: { NAME: 'X' } }, 'CODE_ERROR'],
        [{ CODE: 'x', EVENT_WELCOME_MESSAGE: handler.url, EVENT_BOT_DELETE: handler.url, PROPERTIES: { NAME: 'X' } }, 'EVENT_MESSAGE_ADD_ERROR'],
        [{ CODE: 'x', ...handlers('x'), EVENT_BOT_DELETE: 'not a url', PROPERTIES: { NAME: 'X' } }, 'EVENT_BOT_DELETE_ERROR'],
        [{ CODE: 'x', ...handlers('x'), PROPERTIES: { COLOR: 'RED' } }, 'NAME_ERROR'],
      ];
      for (const [params, code] of cases) {
        const r = await call('imbot.register', params);
        assert.equal(r.status, 400, code);
        assert.equal(r.body.error, code);
      }
      const other = await rest(`${srv.url}/rest/`, 'imbot.update', { BOT_ID: 999999, FIELDS: { CODE: 'y' }, auth: token });
      assert.equal(other.body.error, 'BOT_ID_ERROR');
    });

    it('EVENT_HANDLER fills every handler; imbot.update changes profile and handlers', async () => {
      const id = (await call('imbot.register', { CODE: 'updater', EVENT_HANDLER: `${handler.url}/common`, PROPERTIES: { NAME: 'Up' } })).body.result;
      const bound = (await call('event.get')).body.result;
      assert.ok(bound.filter((h: any) => h.event === 'ONIMBOTMESSAGEADD').every((h: any) => h.handler === `${handler.url}/common`));
      const empty = await call('imbot.update', { BOT_ID: id, FIELDS: {} });
      assert.equal(empty.body.error, 'WRONG_REQUEST');
      const r = await call('imbot.update', { BOT_ID: id, FIELDS: { CODE: 'updated', PROPERTIES: { NAME: 'Updated', WORK_POSITION: 'New job' } } });
      assert.equal(r.body.result, true);
      const u = await ok(hook, 'im.user.get', { ID: id });
      assert.equal(u.first_name, 'Updated');
      assert.equal(u.work_position, 'New job');
      assert.equal((await call('imbot.bot.list')).body.result[String(id)].CODE, 'updated');
      await call('imbot.update', { BOT_ID: id, FIELDS: { ...handlers('helper') } });
    });

    it('imbot.unregister posts ONIMBOTDELETE to the bot handler and deactivates the bot', async () => {
      const id = (await call('imbot.register', { CODE: 'shortlived', ...handlers('helper'), PROPERTIES: { NAME: 'Short' } })).body.result;
      assert.equal((await call('imbot.unregister', { BOT_ID: id })).body.result, true);
      const got = await handler.waitFor((r) => r.body.event === 'ONIMBOTDELETE' && r.body.data?.BOT_ID === String(id));
      assert.equal(got.path, '/handler/helper');
      assert.deepEqual(got.body.data, { BOT_ID: String(id), BOT_CODE: 'shortlived' });
      assert.match(got.body.event_handler_id, /^\d+$/);
      assert.equal(got.body.auth.user_id, '1');
      assert.ok(allStrings(got.body));
      assert.equal((await ok(hook, 'im.user.get', { ID: id })).active, false);
      assert.equal((await call('imbot.bot.list')).body.result[String(id)], undefined);
      assert.equal((await call('imbot.unregister', { BOT_ID: id })).body.error, 'BOT_ID_ERROR');
    });

    it('event.bind / event.get / event.unbind need an application and answer the portal\'s errors', async () => {
      const viaHook = await rest(hook, 'event.bind', { event: 'ONIMBOTJOINCHAT', handler: handler.url });
      assert.equal(viaHook.status, 401);
      assert.equal(viaHook.body.error, 'WRONG_AUTH_TYPE');
      assert.equal((await call('event.bind', { event: 'ONNOSUCHEVENT', handler: handler.url })).body.error, 'ERROR_EVENT_NOT_FOUND');
      assert.equal((await call('event.bind', { event: 'onImBotJoinChat', handler: `${handler.url}/extra` })).body.result, true);
      const dup = await call('event.bind', { event: 'ONIMBOTJOINCHAT', handler: `${handler.url}/extra` });
      assert.equal(dup.body.error, 'ERROR_CORE');
      const list = (await call('event.get')).body.result;
      assert.ok(list.some((h: any) => h.event === 'ONIMBOTJOINCHAT' && h.handler === `${handler.url}/extra`));
      assert.deepEqual((await call('event.unbind', { event: 'ONIMBOTJOINCHAT', handler: `${handler.url}/extra` })).body.result, { count: 1 });
      assert.deepEqual((await call('event.unbind', { event: 'ONIMBOTJOINCHAT', handler: `${handler.url}/extra` })).body.result, { count: 0 });
      const names = (await call('events')).body.result;
      assert.ok(names.includes('ONIMBOTMESSAGEADD') && names.includes('ONAPPINSTALL'));
    });
  });

  describe('messages to bots', () => {
    let token: string;
    let botId: number;

    before(async () => {
      const auth = (await handler.waitFor((r) => r.path === '/handler/botapp')).body.auth;
      token = auth.access_token;
      botId = (await rest(`${srv.url}/rest/`, 'imbot.register', {
        auth: token,
        CODE: 'capture',
        EVENT_HANDLER: `${handler.url}/capture`,
        PROPERTIES: { NAME: 'Capture' },
      })).body.result;
    });

    after(async () => {
      const list = (await rest(`${srv.url}/rest/`, 'imbot.bot.list', { auth: token })).body.result;
      for (const b of Object.values(list) as any[]) {
        if (b.CODE === 'capture' || b.CODE === 'slow') await rest(`${srv.url}/rest/`, 'imbot.unregister', { auth: token, BOT_ID: b.ID });
      }
    });

    it('a message in a dialog with a bot posts ONIMBOTJOINCHAT, then ONIMBOTMESSAGEADD, as a portal does', async () => {
      // A handler bound with event.bind gets the same events through the same machinery.
      assert.equal((await rest(`${srv.url}/rest/`, 'event.bind', { auth: token, event: 'ONIMBOTMESSAGEADD', handler: `${handler.url}/bound` })).body.result, true);
      const messageId = await ok(hook, 'im.message.add', { DIALOG_ID: botId, MESSAGE: 'Hello [b]bot[/b]' });
      const bound = await handler.waitFor((r) => r.path === '/handler/bound' && r.body.data.PARAMS.MESSAGE_ID === String(messageId));
      assert.ok(bound.body.data.BOT[String(botId)]);
      await rest(`${srv.url}/rest/`, 'event.unbind', { auth: token, event: 'ONIMBOTMESSAGEADD', handler: `${handler.url}/bound` });
      const join = await handler.waitFor((r) => r.path === '/handler/capture' && r.body.event === 'ONIMBOTJOINCHAT' && r.body.data.PARAMS.USER_ID === String(ivan.id));
      assert.deepEqual(join.body.data.PARAMS, {
        CHAT_TYPE: 'P', MESSAGE_TYPE: 'P', BOT_ID: String(botId), USER_ID: String(ivan.id), TO_USER_ID: String(ivan.id),
        FROM_USER_ID: String(botId), DIALOG_ID: String(ivan.id), LANGUAGE: 'en',
      });
      const got = await handler.waitFor((r) => r.path === '/handler/capture' && r.body.event === 'ONIMBOTMESSAGEADD' && r.body.data.PARAMS.MESSAGE_ID === String(messageId));
      const b = got.body;
      assert.notEqual(b.event_handler_id, bound.body.event_handler_id);
      assert.ok(allStrings(b), 'every value is a string');
      assert.match(b.event_handler_id, /^\d+$/);
      assert.match(b.ts, /^\d{10}$/);
      const bot = b.data.BOT[String(botId)];
      assert.equal(bot.BOT_ID, String(botId));
      assert.equal(bot.BOT_CODE, 'capture');
      assert.equal(bot.user_id, String(botId));
      assert.equal(bot.client_endpoint, `${srv.url}/rest/`);
      assert.deepEqual(bot.AUTH.access_token, bot.access_token);
      assert.ok(bot.client_id.startsWith('local.'));
      const p = b.data.PARAMS;
      assert.equal(p.MESSAGE, 'Hello [b]bot[/b]');
      assert.equal(p.MESSAGE_TYPE, 'P');
      assert.equal(p.DIALOG_ID, String(ivan.id));
      assert.equal(p.FROM_USER_ID, String(ivan.id));
      assert.equal(p.AUTHOR_ID, String(ivan.id));
      assert.equal(p.TO_USER_ID, String(botId));
      assert.equal(p.SYSTEM, 'N');
      assert.deepEqual(b.data.USER, {
        ID: String(ivan.id), NAME: 'Ivan Petrov', FIRST_NAME: 'Ivan', LAST_NAME: 'Petrov', WORK_POSITION: '', GENDER: '',
        IS_BOT: 'N', IS_CONNECTOR: 'N', IS_NETWORK: 'N', IS_EXTRANET: 'N',
      });
      assert.equal(b.auth.user_id, String(ivan.id));
      assert.equal(b.auth.client_id, undefined);
      // The bot's token acts as the bot: it answers into the same dialog.
      const answerId = await ok(`${srv.url}/rest/`, 'imbot.message.add', { auth: bot.access_token, BOT_ID: botId, DIALOG_ID: p.DIALOG_ID, MESSAGE: 'Got it' });
      const history = await ok(hook, 'im.dialog.messages.get', { DIALOG_ID: botId });
      assert.ok(history.messages.some((m: any) => m.id === answerId && m.author_id === botId && m.text === 'Got it'));
      // The bot itself gets no event for its own message: a later message's event arrives, the answer's never did.
      const marker = await ok(hook, 'im.message.add', { DIALOG_ID: botId, MESSAGE: 'marker after the answer' });
      await handler.waitFor((r) => r.body.event === 'ONIMBOTMESSAGEADD' && r.body.data?.PARAMS?.MESSAGE_ID === String(marker));
      assert.equal(handler.count((r) => r.body.event === 'ONIMBOTMESSAGEADD' && r.body.data?.PARAMS?.MESSAGE_ID === String(answerId)), 0);
    });

    it('in a group chat a bot gets only the messages that mention it; imbot.chat.* act as the bot', async () => {
      const chatId = await ok(hook, 'im.chat.add', { TITLE: 'Team', USERS: [botId] });
      const join = await handler.waitFor((r) => r.body.event === 'ONIMBOTJOINCHAT' && r.body.data.PARAMS.CHAT_ID === String(chatId));
      assert.equal(join.body.data.PARAMS.DIALOG_ID, `chat${chatId}`);
      assert.equal(join.body.data.PARAMS.ACCESS_HISTORY, '1');
      const quiet = await ok(hook, 'im.message.add', { DIALOG_ID: `chat${chatId}`, MESSAGE: 'not for the bot' });
      const loud = await ok(hook, 'im.message.add', { DIALOG_ID: `chat${chatId}`, MESSAGE: `[USER=${botId}]Capture[/USER] status?` });
      const got = await handler.waitFor((r) => r.body.event === 'ONIMBOTMESSAGEADD' && r.body.data.PARAMS.MESSAGE_ID === String(loud));
      const p = got.body.data.PARAMS;
      assert.equal(p.MESSAGE, 'status?');
      assert.equal(p.MESSAGE_ORIGINAL, `[USER=${botId}]Capture[/USER] status?`);
      assert.equal(p.DIALOG_ID, `chat${chatId}`);
      assert.equal(p.CHAT_ID, String(chatId));
      assert.equal(p.CHAT_TITLE, 'Team');
      assert.equal(p.MESSAGE_TYPE, 'C');
      assert.equal(p.TO_USER_ID, String(botId));
      assert.equal(p.CHAT_PREV_MESSAGE_ID, String(quiet));
      assert.deepEqual(p.MENTIONED_LIST, { [String(botId)]: String(botId) });
      assert.equal(handler.count((r) => r.body.data?.PARAMS?.MESSAGE_ID === String(quiet)), 0);
      // imbot.chat.add / user.add / leave act as the bot.
      const botChat = (await rest(`${srv.url}/rest/`, 'imbot.chat.add', { auth: token, BOT_ID: botId, TITLE: 'Bot room', USERS: [ivan.id] })).body.result;
      assert.equal(typeof botChat, 'number');
      const seen = await ok(hook, 'im.dialog.get', { DIALOG_ID: `chat${botChat}` });
      assert.equal(seen.name, 'Bot room');
      assert.equal(seen.owner, botId);
      // imbot.dialog.get answers for the token's user: the bot's own token (from an event) sees the bot's chat.
      const botToken = join.body.data.BOT[String(botId)].access_token;
      assert.equal((await ok(`${srv.url}/rest/`, 'imbot.dialog.get', { auth: botToken, DIALOG_ID: `chat${botChat}` })).id, botChat);
      assert.equal((await rest(`${srv.url}/rest/`, 'imbot.dialog.get', { auth: token, DIALOG_ID: `chat${botChat}` })).body.error, 'ACCESS_ERROR');
      assert.equal((await rest(`${srv.url}/rest/`, 'imbot.chat.leave', { auth: token, BOT_ID: botId, CHAT_ID: chatId })).body.result, true);
      assert.equal((await rest(`${srv.url}/rest/`, 'imbot.chat.sendTyping', { auth: token, BOT_ID: botId, DIALOG_ID: ivan.id })).body.result, true);
      const foreign = await rest(`${srv.url}/rest/`, 'imbot.message.add', { auth: token, BOT_ID: ivan.id, DIALOG_ID: ivan.id, MESSAGE: 'x' });
      assert.equal(foreign.body.error, 'BOT_ID_ERROR');
    });

    it('a hanging handler never holds up the sender', async () => {
      const slowId = (await rest(`${srv.url}/rest/`, 'imbot.register', { auth: token, CODE: 'slow', EVENT_HANDLER: `${handler.url}/capture`, PROPERTIES: { NAME: 'Slow' } })).body.result;
      let release!: () => void;
      const gate = new Promise<void>((r) => (release = r));
      const previous = handler.respond;
      handler.respond = async (r, i) => {
        if (r.body.data?.BOT?.[String(slowId)]) await gate;
        return previous(r, i);
      };
      try {
        const id = await ok(hook, 'im.message.add', { DIALOG_ID: slowId, MESSAGE: 'are you there?' });
        const held = await handler.waitFor((r) => r.body.event === 'ONIMBOTMESSAGEADD' && r.body.data.PARAMS.MESSAGE_ID === String(id));
        // The sender got its answer and can go on while the handler still holds the delivery.
        const again = await ok(hook, 'im.message.add', { DIALOG_ID: slowId, MESSAGE: 'still waiting' });
        assert.ok(again > id);
        assert.ok(held);
      } finally {
        release();
        handler.respond = previous;
      }
    });
  });

  describe('the echo bot example', () => {
    let bot: Awaited<ReturnType<typeof startEchoBot>>;
    let botId: number;

    before(async () => {
      bot = await startEchoBot();
    });
    after(() => {
      bot.child.kill();
    });

    it('registers itself when its application is installed', async () => {
      await addApp(srv, 'echo', bot.url);
      const out = await install(srv, 'echo', ivan.id);
      assert.equal(out.events[0].ok, true, bot.output());
      const appToken = (await srv.cliJson(['token', 'add', '--db', srv.dbPath, '--user', String(ivan.id), '--app', 'echo'])).access_token;
      const list = await ok(`${srv.url}/rest/`, 'imbot.bot.list', { auth: appToken });
      const entry = Object.values(list).find((b: any) => b.CODE === 'echobot') as any;
      assert.ok(entry, JSON.stringify(list));
      botId = entry.ID;
      assert.equal((await ok(hook, 'im.user.get', { ID: botId })).bot, true);
    });

    it('answers a user\'s message; the answer is in the user\'s dialog and recent list', async () => {
      await ok(hook, 'im.message.add', { DIALOG_ID: botId, MESSAGE: 'ping 42' });
      const answer = await until(async () => {
        const h = await ok(hook, 'im.dialog.messages.get', { DIALOG_ID: botId });
        return h.messages.find((m: any) => m.author_id === botId && m.text === 'echo: ping 42');
      }, 15_000);
      assert.ok(answer.unread);
      // The bot answers ONIMBOTJOINCHAT and ONIMBOTMESSAGEADD as they come, each with its own REST call: its welcome
      // may land after its echo.
      const welcome = await until(async () => {
        const h = await ok(hook, 'im.dialog.messages.get', { DIALOG_ID: botId });
        return h.messages.find((m: any) => m.author_id === botId && m.text === 'Hello! I repeat what you write.');
      }, 15_000);
      assert.ok(welcome, 'welcome message');
      const recent = await ok(hook, 'im.recent.get');
      const item = recent.find((i: any) => i.id === botId);
      assert.ok(item, 'the bot dialog is in the recent list');
      assert.equal(item.user.bot, true);
      assert.ok(item.counter >= 1);
      assert.ok(['echo: ping 42', 'Hello! I repeat what you write.'].includes(item.message.text));
    });
  });

});
