// The official @bitrix24/b24jssdk against a real b24im server over HTTPS, configured from the webhook URL that
// `b24im webhook add` prints, exactly as the SDK's README shows. The SDK runs in a child process (helpers/sdk-child.ts)
// started with NODE_EXTRA_CA_CERTS=$(b24im ca).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { SdkClient } from './helpers/sdk.ts';
import { ok, rest, startServer, type TestServer } from './helpers/server.ts';

const ATOM = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}$/;
const EXTRA_USERS = 57;

describe('official JS SDK (@bitrix24/b24jssdk)', () => {
  let srv: TestServer;
  let sdk: SdkClient;
  let adminHook: string;
  let plainAdminHook: string;
  let ivan: any;
  let ivanHook: string;
  let maria: any;
  let mariaHook: string;

  before(async () => {
    srv = await startServer({ https: true, env: { B24IM_TIMEZONE: 'Europe/Berlin' } });
    // Each CLI run is a process start-up: run them side by side.
    let ca: string;
    [ivan, maria, ca] = await Promise.all([
      srv.addUser('Ivan', 'Petrov', ['--email', 'ivan@example.com']),
      srv.addUser('Maria', 'Sidorova'),
      srv.caPath(),
    ]);
    [adminHook, ivanHook, mariaHook] = await Promise.all([srv.webhook(1), srv.webhook(ivan.id), srv.webhook(maria.id)]);
    plainAdminHook = adminHook.replace(srv.httpsUrl!, srv.url);
    // More users than one page (50), created through the REST API in two batches of user.add.
    for (const [from, to] of [[0, 40], [40, EXTRA_USERS]]) {
      const cmd: Record<string, string> = {};
      for (let i = from; i < to; i++) cmd[`u${i}`] = `user.add?EMAIL=user${i}%40example.com&NAME=User${i}&LAST_NAME=Paged`;
      const r = await ok(plainAdminHook, 'batch', { halt: 1, cmd });
      assert.deepEqual(r.result_error, []);
    }
    sdk = SdkClient.start(ca);
    await sdk.value('hook', { url: adminHook });
    await sdk.value('hook', { hook: 'ivan', url: ivanHook });
    await sdk.value('hook', { hook: 'maria', url: mariaHook });
  });
  after(async () => {
    await sdk?.stop();
    await srv?.cleanup();
  });

  describe('configuration', () => {
    it('webhook add prints an https URL on the HTTPS port that B24Hook.fromWebhookUrl accepts', async () => {
      assert.match(adminHook, new RegExp(`^${srv.httpsUrl}/rest/1/[a-z0-9]{16}/$`));
      const { origin } = await sdk.value('hook', { hook: 'check', url: adminHook });
      assert.equal(origin, srv.httpsUrl);
      // The SDK refuses plain http, which is why b24im serves HTTPS at all.
      const refused = await sdk.request('hook', { hook: 'plain', url: plainAdminHook });
      assert.equal(refused.thrown?.code, 'JSSDK_HOOK_URL_NOT_HTTPS');
    });
  });

  describe('applications (B24OAuth)', () => {
    it('B24OAuth with the tokens `token add` prints for an `app add` application calls as that user over client_endpoint', async () => {
      const app = await srv.cliJson(['app', 'add', '--db', srv.dbPath, '--code', 'sdkapp', '--scope', 'im,user']);
      const token = await srv.cliJson(['token', 'add', '--db', srv.dbPath, '--user', String(ivan.id), '--app', 'sdkapp']);
      assert.equal(token.client_endpoint, `${srv.httpsUrl}/rest/`);
      assert.equal(`https://${token.domain}`, srv.httpsUrl);
      const { origin } = await sdk.value('oauth', { hook: 'app', token, app });
      assert.equal(origin, srv.httpsUrl);
      const me = await sdk.value('call', { hook: 'app', method: 'user.current' });
      assert.equal(me.data.result.ID, String(ivan.id));
      const user = await sdk.value('call', { hook: 'app', method: 'im.user.get', params: { ID: 1 } });
      assert.equal(user.data.result.id, 1);
      const b = await sdk.value('batch', { hook: 'app', calls: { me: { method: 'user.current' }, peer: { method: 'im.user.get', params: { ID: '$result[me][ID]' } } } });
      assert.equal(b.results.peer.data.result.id, ivan.id);
      // An expired access token: the SDK refreshes it at server_endpoint's /oauth/token/ with the app's secret, then calls.
      const expired = await srv.cliJson(['token', 'add', '--db', srv.dbPath, '--user', String(ivan.id), '--app', 'sdkapp', '--ttl', '0']);
      await sdk.value('oauth', { hook: 'expired', token: expired, app });
      const refreshed = await sdk.value('call', { hook: 'expired', method: 'user.current' });
      assert.equal(refreshed.data.result.ID, String(ivan.id));
      // The application's scopes bound the token, as on a portal.
      const denied = await sdk.request('call', { hook: 'app', method: 'imopenlines.config.list.get' });
      assert.equal(denied.thrown?.code, 'insufficient_scope');
      assert.equal(denied.thrown?.status, 401);
    });
  });

  describe('single calls', () => {
    it('user.current, im.revision.get, im.user.get and server.time answer as over plain HTTP', async () => {
      const me = await sdk.value('call', { method: 'user.current' });
      assert.equal(me.isSuccess, true);
      assert.equal(me.status, 200);
      assert.equal(me.data.result.ID, '1');
      assert.equal(me.data.result.NAME, 'Admin');
      for (const k of ['start', 'finish', 'duration', 'processing']) assert.equal(typeof me.data.time[k], 'number', k);
      assert.match(me.data.time.date_start, ATOM);

      const rev = await sdk.value('call', { method: 'im.revision.get' });
      assert.deepEqual(rev.data.result, await ok(plainAdminHook, 'im.revision.get'));

      const user = await sdk.value('call', { method: 'im.user.get', params: { ID: ivan.id } });
      assert.deepEqual(user.data.result, await ok(plainAdminHook, 'im.user.get', { ID: ivan.id }));
      assert.equal(user.data.result.id, ivan.id);
      assert.equal(user.data.result.name, 'Ivan Petrov');

      const asIvan = await sdk.value('call', { hook: 'ivan', method: 'im.user.get' });
      assert.equal(asIvan.data.result.id, ivan.id);

      const time = await sdk.value('call', { method: 'server.time' });
      assert.match(time.data.result, ATOM);
      assert.match(time.data.result, /\+0[12]:00$/);
    });

    it('the long-standing callMethod entry point works the same', async () => {
      const me = await sdk.value('callMethod', { method: 'user.current' });
      assert.equal(me.data.result.ID, '1');
      const user = await sdk.value('callMethod', { method: 'im.user.get', params: { id: ivan.id } });
      assert.equal(user.data.result.id, ivan.id);
    });
  });

  describe('lists', () => {
    it('callMethod + getNext follows next/total through every page of user.get', async () => {
      const first = await rest(plainAdminHook, 'user.get');
      const total = first.body.total;
      assert.equal(total, EXTRA_USERS + 3); // the administrator, Ivan and Maria
      const pages = await sdk.value('allPages', { method: 'user.get' });
      assert.equal(pages.length, 2);
      assert.equal(pages[0].total, total);
      assert.equal(pages[0].isMore, true);
      assert.equal(pages[0].data.result.length, 50);
      assert.equal(pages[1].isMore, false);
      assert.equal(pages[1].data.result.length, total - 50);
      const ids = pages.flatMap((p: any) => p.data.result.map((u: any) => Number(u.ID)));
      assert.equal(new Set(ids).size, total);
      assert.deepEqual(ids, [...ids].sort((a, b) => a - b));
    });

    it('actions.v2.callList and fetchList page user.get by id (filter >ID, start=-1) and get every user once', async () => {
      const total = (await rest(plainAdminHook, 'user.get')).body.total;
      const list = await sdk.value('callList', { method: 'user.get', idKey: 'ID' });
      assert.equal(list.isSuccess, true);
      const ids = list.data.map((u: any) => Number(u.ID));
      assert.equal(ids.length, total);
      assert.equal(new Set(ids).size, total);
      assert.deepEqual(ids, [...ids].sort((a, b) => a - b));

      const chunks = await sdk.value('fetchList', { method: 'user.get', idKey: 'ID' });
      assert.deepEqual(chunks.map((c: any[]) => c.length), [50, total - 50]);
      assert.deepEqual(chunks.flat().map((u: any) => Number(u.ID)), ids);

      // A filter the caller gives is kept beside the helper's cursor.
      const some = await sdk.value('callList', { method: 'user.get', idKey: 'ID', params: { filter: { ID: [1, ivan.id] } } });
      assert.deepEqual(some.data.map((u: any) => u.ID), ['1', String(ivan.id)]);
    });
  });

  describe('batch', () => {
    it('runs several commands with a reference between them', async () => {
      const b = await sdk.value('batch', {
        calls: {
          me: { method: 'user.current' },
          peer: { method: 'im.user.get', params: { ID: '$result[me][ID]' } },
          ivan: { method: 'im.user.get', params: { ID: ivan.id } },
          time: { method: 'server.time' },
          page: { method: 'user.get', params: { FILTER: { ID: [1, ivan.id] } } },
        },
      });
      assert.equal(b.isSuccess, true, JSON.stringify(b.errors));
      assert.equal(b.results.me.data.result.ID, '1');
      assert.equal(b.results.peer.data.result.id, 1);
      assert.equal(b.results.ivan.data.result.name, 'Ivan Petrov');
      assert.match(b.results.time.data.result, ATOM);
      assert.equal(b.results.page.data.result.length, 2);
      assert.equal(b.results.page.total, 2);
      assert.equal(typeof b.results.me.data.time.duration, 'number');
    });

    it('array form, and a failing command reported by key while the others succeed', async () => {
      const list = await sdk.value('batch', {
        calls: [
          ['user.current', {}],
          ['im.user.get', { ID: 99999 }],
          ['im.revision.get', {}],
        ],
      });
      assert.equal(list.isSuccess, false);
      assert.equal(list.results['0'].data.result.ID, '1');
      assert.equal(list.results['2'].data.result.rest, 30);
      assert.equal(list.errors['1'].code, 'USER_NOT_EXISTS');
    });
  });

  describe('messenger methods', () => {
    let chatId: number;
    let toAdmin: number;

    it('im.message.add and im.chat.add return numeric ids; nested ATTACH and unicode go through', async () => {
      const sent = await sdk.value('call', { hook: 'ivan', method: 'im.message.add', params: { DIALOG_ID: 1, MESSAGE: 'Привет, admin & co +1 = 2?' } });
      assert.equal(sent.isSuccess, true);
      toAdmin = sent.data.result;
      assert.equal(typeof toAdmin, 'number');
      const chat = await sdk.value('call', {
        method: 'im.chat.add',
        params: { TITLE: 'SDK team', USERS: [ivan.id, maria.id], MESSAGE: 'Welcome' },
      });
      chatId = chat.data.result;
      assert.equal(typeof chatId, 'number');
      const attach = [{ MESSAGE: 'Build #7 [b]passed[/b]' }, { LINK: { NAME: 'log', LINK: 'https://example.com/log?a=1&b=2' } }];
      const inChat = await sdk.value('call', { hook: 'ivan', method: 'im.message.add', params: { DIALOG_ID: `chat${chatId}`, MESSAGE: 'report', ATTACH: attach } });
      assert.equal(typeof inChat.data.result, 'number');
      const history = await ok(plainAdminHook, 'im.dialog.messages.get', { DIALOG_ID: `chat${chatId}` });
      const stored = history.messages.find((m: any) => m.id === inChat.data.result);
      assert.equal(stored.text, 'report');
      assert.ok(JSON.stringify(stored.params.ATTACH).includes('https://example.com/log?a=1&b=2'));
      const dialog = await ok(plainAdminHook, 'im.dialog.messages.get', { DIALOG_ID: ivan.id });
      assert.equal(dialog.messages.find((m: any) => m.id === toAdmin).text, 'Привет, admin & co +1 = 2?');
    });

    it('im.recent.get with each filter', async () => {
      const all = await sdk.value('call', { method: 'im.recent.get' });
      assert.equal(all.isSuccess, true);
      const items: any[] = all.data.result;
      assert.deepEqual(items, await ok(plainAdminHook, 'im.recent.get'));
      const user = items.find((i) => i.id === ivan.id);
      const chat = items.find((i) => i.id === `chat${chatId}`);
      assert.equal(user.type, 'user');
      assert.equal(user.counter, 1);
      assert.equal(user.message.id, toAdmin);
      assert.equal(user.message.text, 'Привет, admin & co +1 = 2?');
      assert.equal(chat.type, 'chat');
      assert.equal(chat.chat_id, chatId);
      assert.equal(chat.counter, 1);
      assert.match(chat.date_update, ATOM);
      const ids = (r: any) => r.data.result.map((i: any) => i.id);
      const onlyUsers = await sdk.value('call', { method: 'im.recent.get', params: { SKIP_CHAT: 'Y' } });
      assert.deepEqual(ids(onlyUsers), [ivan.id]);
      const onlyChats = await sdk.value('call', { method: 'im.recent.get', params: { SKIP_DIALOG: 'Y' } });
      assert.deepEqual(ids(onlyChats), [`chat${chatId}`]);
      const noLines = await sdk.value('call', { method: 'im.recent.get', params: { SKIP_OPENLINES: 'Y' } });
      assert.deepEqual(ids(noLines).sort(), ids(all).sort());
      const lines = await sdk.value('call', { method: 'im.recent.get', params: { ONLY_OPENLINES: 'Y' } });
      assert.deepEqual(lines.data.result, []);
      const future = await sdk.value('call', { method: 'im.recent.get', params: { LAST_UPDATE: '2099-01-01T00:00:00+00:00' } });
      assert.deepEqual(future.data.result, []);
      const since = await sdk.value('call', { method: 'im.recent.get', params: { LAST_SYNC_DATE: chat.date_update } });
      assert.ok(ids(since).includes(`chat${chatId}`));
    });

    it('im.recent.pin and im.dialog.read change what im.recent.get answers', async () => {
      const pin = await sdk.value('call', { method: 'im.recent.pin', params: { DIALOG_ID: `chat${chatId}`, PIN: 'Y' } });
      assert.equal(pin.data.result, true);
      const read = await sdk.value('call', { method: 'im.dialog.read', params: { DIALOG_ID: ivan.id } });
      assert.equal(read.isSuccess, true);
      assert.equal(read.data.result.counter, 0);
      const items: any[] = (await sdk.value('call', { method: 'im.recent.get' })).data.result;
      assert.equal(items[0].id, `chat${chatId}`);
      assert.equal(items[0].pinned, true);
      assert.equal(items.find((i) => i.id === ivan.id).counter, 0);
      const unpin = await sdk.value('call', { method: 'im.recent.pin', params: { DIALOG_ID: `chat${chatId}`, PIN: 'N' } });
      assert.equal(unpin.data.result, true);
    });

    it('a batch of messenger calls with references: create a chat, post into it, read it', async () => {
      const b = await sdk.value('batch', {
        calls: {
          chat: { method: 'im.chat.add', params: { TITLE: 'From batch', USERS: [maria.id] } },
          post: { method: 'im.message.add', params: { DIALOG_ID: 'chat$result[chat]', MESSAGE: 'first in $result[chat]' } },
          read: { method: 'im.dialog.read', params: { DIALOG_ID: 'chat$result[chat]' } },
          recent: { method: 'im.recent.get', params: { SKIP_DIALOG: 'Y' } },
        },
      });
      assert.equal(b.isSuccess, true, JSON.stringify(b.errors));
      const newChat = b.results.chat.data.result;
      assert.equal(typeof newChat, 'number');
      assert.equal(typeof b.results.post.data.result, 'number');
      assert.equal(b.results.read.data.result.chatId, newChat);
      const item = b.results.recent.data.result.find((i: any) => i.id === `chat${newChat}`);
      assert.equal(item.message.text, `first in ${newChat}`);
      // Maria sees the new chat with every message in it unread (the post and the chat's own system messages).
      const hers = await sdk.value('call', { hook: 'maria', method: 'im.recent.get' });
      const history = await ok(plainAdminHook, 'im.dialog.messages.get', { DIALOG_ID: `chat${newChat}` });
      assert.ok(history.messages.some((m: any) => m.id === b.results.post.data.result));
      assert.equal(hers.data.result.find((i: any) => i.id === `chat${newChat}`).counter, history.messages.length);
    });

    it('im.recent.get ONLY_OPENLINES / SKIP_OPENLINES on a real open-line chat', async () => {
      // An open line with the administrator as operator, fed by a custom connector (needs an application token).
      await srv.cliJson(['app', 'add', '--db', srv.dbPath, '--code', 'shop', '--scope', 'imopenlines,imconnector,im']);
      const app = await srv.cliJson(['token', 'add', '--db', srv.dbPath, '--user', '1', '--app', 'shop']);
      const api = `${srv.url}/rest/`;
      const asApp = (method: string, params: Record<string, unknown>) => ok(api, method, { ...params, auth: app.access_token });
      const line = await asApp('imopenlines.config.add', {
        PARAMS: { LINE_NAME: 'SDK support', QUEUE: [{ ENTITY_TYPE: 'user', ENTITY_ID: '1' }], QUEUE_TYPE: 'all' },
      });
      await asApp('imconnector.register', {
        ID: 'sdk_chat',
        NAME: 'SDK chat',
        ICON: { DATA_IMAGE: 'data:image/svg+xml;charset=US-ASCII,%3Csvg%3E%3C%2Fsvg%3E' },
        PLACEMENT_HANDLER: 'https://example.com/placement',
      });
      await asApp('imconnector.activate', { CONNECTOR: 'sdk_chat', LINE: line, ACTIVE: 1 });
      const sent = await asApp('imconnector.send.messages', {
        CONNECTOR: 'sdk_chat',
        LINE: line,
        MESSAGES: [{
          user: { id: 'c-1', name: 'Jane', last_name: 'Roe' },
          message: { id: 'm-1', date: Math.floor(Date.now() / 1000), text: 'Where is my order?' },
          chat: { id: 'chat-c-1' },
        }],
      });
      const linesChat = Number(sent.DATA.RESULT[0].session.CHAT_ID);

      const ids = (r: any) => r.data.result.map((i: any) => i.chat_id);
      const only = await sdk.value('call', { method: 'im.recent.get', params: { ONLY_OPENLINES: 'Y' } });
      assert.deepEqual(ids(only), [linesChat]);
      const item = only.data.result[0];
      assert.equal(item.id, `chat${linesChat}`);
      assert.equal(item.chat.type, 'lines');
      assert.equal(item.message.text, 'Where is my order?');
      assert.equal(typeof item.lines.id, 'number');
      const skip = await sdk.value('call', { method: 'im.recent.get', params: { SKIP_OPENLINES: 'Y' } });
      assert.ok(!ids(skip).includes(linesChat));
      assert.ok(skip.data.result.length > 0 && skip.data.result.every((i: any) => !i.lines));
      const all = await sdk.value('call', { method: 'im.recent.get' });
      assert.ok(ids(all).includes(linesChat));
      assert.equal(ids(all).length, ids(skip).length + 1);
      const noChats = await sdk.value('call', { method: 'im.recent.get', params: { SKIP_CHAT: 'Y', SKIP_DIALOG: 'Y' } });
      assert.deepEqual(ids(noChats), [linesChat]);
    });

    it('messenger errors surface with the portal\'s codes', async () => {
      const noDialog = await sdk.request('call', { method: 'im.message.add', params: { MESSAGE: 'x' } });
      assert.equal(noDialog.thrown?.code, 'PARAMS_ERROR');
      assert.equal(noDialog.thrown?.status, 400);
      const noPin = await sdk.request('call', { method: 'im.recent.pin', params: {} });
      assert.equal(noPin.thrown?.code, 'DIALOG_ID_EMPTY');
    });
  });

  describe('errors', () => {
    it('unknown method: AjaxError ERROR_METHOD_NOT_FOUND, status 404', async () => {
      const r = await sdk.request('call', { method: 'im.nothing.here' });
      assert.equal(r.thrown?.name, 'AjaxError');
      assert.equal(r.thrown?.code, 'ERROR_METHOD_NOT_FOUND');
      assert.equal(r.thrown?.status, 404);
    });

    it('wrong webhook code: AjaxError INVALID_CREDENTIALS, status 401', async () => {
      const wrong = adminHook.replace(/\/[a-z0-9]{16}\/$/, '/aaaaaaaaaaaaaaaa/');
      await sdk.value('hook', { hook: 'wrong', url: wrong });
      const r = await sdk.request('call', { hook: 'wrong', method: 'user.current' });
      assert.equal(r.thrown?.code, 'INVALID_CREDENTIALS');
      assert.equal(r.thrown?.status, 401);
    });

    it('a missing or invalid required parameter: the method\'s own error code', async () => {
      const empty = await sdk.request('call', { method: 'im.user.get', params: { ID: -5 } });
      assert.equal(empty.thrown?.code, 'ID_EMPTY');
      assert.equal(empty.thrown?.status, 400);
      const missing = await sdk.request('call', { method: 'user.add', params: {} });
      assert.equal(missing.thrown?.code, 'ERROR_CORE');
      assert.equal(missing.thrown?.status, 400);
      const denied = await sdk.request('call', { hook: 'ivan', method: 'user.add', params: { EMAIL: 'x@example.com' } });
      assert.equal(denied.thrown?.code, 'ACCESS_DENIED');
      assert.equal(denied.thrown?.status, 403);
    });
  });
});
