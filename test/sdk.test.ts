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

  before(async () => {
    srv = await startServer({ https: true, env: { B24IM_TIMEZONE: 'Europe/Berlin' } });
    ivan = await srv.addUser('Ivan', 'Petrov', ['--email', 'ivan@example.com']);
    adminHook = await srv.webhook(1);
    ivanHook = await srv.webhook(ivan.id);
    plainAdminHook = adminHook.replace(srv.httpsUrl!, srv.url);
    // More users than one page (50), created through the REST API in two batches of user.add.
    for (const [from, to] of [[0, 40], [40, EXTRA_USERS]]) {
      const cmd: Record<string, string> = {};
      for (let i = from; i < to; i++) cmd[`u${i}`] = `user.add?EMAIL=user${i}%40example.com&NAME=User${i}&LAST_NAME=Paged`;
      const r = await ok(plainAdminHook, 'batch', { halt: 1, cmd });
      assert.deepEqual(r.result_error, []);
    }
    sdk = SdkClient.start(await srv.caPath());
    await sdk.value('hook', { url: adminHook });
    await sdk.value('hook', { hook: 'ivan', url: ivanHook });
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
      assert.equal(total, EXTRA_USERS + 2);
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
      const missing = await sdk.request('call', { method: 'user.add', params: { NAME: 'No mail' } });
      assert.equal(missing.thrown?.code, 'ERROR_ARGUMENT');
      assert.equal(missing.thrown?.status, 400);
      const denied = await sdk.request('call', { hook: 'ivan', method: 'user.add', params: { EMAIL: 'x@example.com' } });
      assert.equal(denied.thrown?.code, 'ACCESS_DENIED');
      assert.equal(denied.thrown?.status, 403);
    });
  });
});
