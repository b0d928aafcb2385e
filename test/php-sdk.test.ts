// What Bitrix24's official PHP SDK and its family put on the wire: JSON bodies that are `[]` for a call without
// parameters (json_encode of an empty PHP array), `null`, malformed or scalar JSON, forms, multipart; and the SDK's
// URL shape (lower-case method, trailing slash, bx24_request_id in the query). A portal reads any JSON body that is
// not an object as no parameters (CRestUtil::getRequestData). Also app.info, user.fields, user.search.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { curlMultipart, httpBuildQuery, rawRequest, type PhpValue } from './helpers/php.ts';
import { ok, rest, ROOT, startServer, type TestServer } from './helpers/server.ts';

const execFileP = promisify(execFile);
const SDK_CLIENT = path.join(ROOT, 'test/fixtures/php/sdk-style-client.php');

async function post(url: string, contentType: string, body: string | Buffer) {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': contentType }, body: typeof body === 'string' ? body : new Uint8Array(body) });
  return { status: res.status, body: await res.json() };
}

describe('PHP SDK wire forms', () => {
  let srv: TestServer;
  let strict: TestServer;
  let ivan: any;
  let anna: any;
  let hook: string;

  before(async () => {
    [srv, strict] = await Promise.all([startServer({ https: true }), startServer({ env: { B24IM_STRICT: 'on' } })]);
    ivan = await srv.addUser('Ivan', 'Petrov', ['--work-position', 'Tester', '--email', 'ivan@example.com']);
    anna = await srv.addUser('Анна', 'Смирнова', ['--work-position', 'Главный бухгалтер']);
    await srv.addUser('Maria Anna', 'Lopez', ['--work-position', 'Designer']);
    // The server also serves HTTPS, so webhook add prints https:// URLs; this suite's own calls use plain HTTP.
    hook = (await srv.webhook(ivan.id)).replace(srv.httpsUrl!, srv.url);
  });
  after(async () => {
    await Promise.all([srv?.cleanup(), strict?.cleanup()]);
  });

  it('[], {}, null, scalars and malformed JSON are "no parameters" to methods without parameters', async () => {
    for (const body of ['[]', '{}', 'null', '', '[1,2]', '"x"', '7', 'true', '{"a":']) {
      const r = await post(`${hook}user.current`, 'application/json', body);
      assert.equal(r.status, 200, `body ${body}`);
      assert.equal(r.body.result.ID, String(ivan.id), `body ${body}`);
    }
    // A method with optional parameters answers as if none were given: im.recent.get with no filter.
    await ok(hook, 'im.message.add', { DIALOG_ID: anna.id, MESSAGE: 'hello' });
    const plain = await ok(hook, 'im.recent.get');
    const viaArray = await post(`${hook}im.recent.get`, 'application/json', '[]');
    assert.equal(viaArray.status, 200);
    assert.deepEqual(viaArray.body.result.map((i: any) => i.id), plain.map((i: any) => i.id));
    assert.ok(plain.some((i: any) => i.id === anna.id));
    // An unknown method still answers ERROR_METHOD_NOT_FOUND (the SDK's MethodNotFoundException), not a body error.
    const missing = await post(`${hook}no.such.method`, 'application/json', '[]');
    assert.equal(missing.status, 404);
    assert.equal(missing.body.error, 'ERROR_METHOD_NOT_FOUND');
  });

  it('the same message sent as JSON with a nested ATTACH, as a form and as multipart is stored alike', async () => {
    const attach: PhpValue = [{ MESSAGE: 'Build [b]#7[/b]' }, { LINK: { NAME: 'Log', LINK: 'https://ci.example.com/7' } }];
    const params: { [key: string]: PhpValue } = { DIALOG_ID: anna.id, MESSAGE: 'Отчёт & 50%', ATTACH: attach };
    const ids = [
      (await post(`${hook}im.message.add`, 'application/json', JSON.stringify(params))).body.result,
      (await post(`${hook}im.message.add.json`, 'application/x-www-form-urlencoded', httpBuildQuery(params))).body.result,
    ];
    // curl's multipart form of the same PHP array: one part per flattened key, as CURLOPT_POSTFIELDS sends it.
    const parts = httpBuildQuery(params).split('&').map((pair) => {
      const [name, value] = pair.split('=').map((x) => decodeURIComponent(x.replace(/\+/g, ' ')));
      return { name, value };
    });
    const multipart = curlMultipart(parts);
    ids.push((await post(`${hook}im.message.add`, multipart.contentType, multipart.body)).body.result);
    assert.ok(ids.every((id) => Number.isInteger(id) && id > 0), JSON.stringify(ids));
    const history = await ok(hook, 'im.dialog.messages.get', { DIALOG_ID: anna.id, LIMIT: 10 });
    const stored = ids.map((id) => history.messages.find((m: any) => m.id === id));
    for (const m of stored) {
      assert.equal(m.text, 'Отчёт & 50%');
      // The portal gives each attachment its own ID (and colour); the blocks are what was sent.
      assert.deepEqual(m.params.ATTACH.map((a: any) => a.BLOCKS), stored[0].params.ATTACH.map((a: any) => a.BLOCKS));
    }
  });

  it('strict mode reports a body it cannot read as parameters; [] and null stay "no parameters"', async () => {
    const strictHook = await strict.webhook(1);
    for (const body of ['[]', 'null', '{}']) {
      const r = await post(`${strictHook}user.current`, 'application/json', body);
      assert.equal(r.status, 200, body);
    }
    for (const body of ['[1]', '"x"', '{"a":']) {
      const r = await post(`${strictHook}user.current`, 'application/json', body);
      assert.equal(r.status, 400, body);
      assert.equal(r.body.error, 'ERROR_ARGUMENT', body);
      assert.equal(r.body.argument, 'body', body);
    }
  });

  it('a PHP client calling like the official SDK (JSON POST, trailing slash, bx24_request_id) over HTTPS', async () => {
    const httpsHook = await srv.webhook(ivan.id); // https:// when the server serves HTTPS
    assert.match(httpsHook, /^https:/);
    const calls = [
      ['user.current', []],
      ['server.time', []],
      ['app.info', []],
      ['profile', []],
      ['user.fields', []],
      ['im.recent.get', []],
      ['im.message.add', { DIALOG_ID: anna.id, MESSAGE: 'from the SDK', ATTACH: [{ MESSAGE: 'nested' }] }],
      ['user.search', { FILTER: { FIND: 'анна' } }],
      ['Not.A.Method', []],
    ];
    const ca = await srv.caPath();
    // The SDK is given the webhook URL without (WebhookUrl as documented) and with its trailing slash.
    for (const base of [httpsHook.replace(/\/$/, ''), httpsHook]) {
      const { stdout } = await execFileP('php', [SDK_CLIENT, base, ca, JSON.stringify(calls)]);
      const answers = JSON.parse(stdout) as { status: number; body: any }[];
      const [current, time, info, profile, fields, recent, added, search, missing] = answers;
      assert.equal(current.status, 200);
      assert.equal(current.body.result.ID, String(ivan.id));
      assert.match(time.body.result, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$/);
      assert.deepEqual(info.body.result.LICENSE, 'en_selfhosted');
      assert.ok(info.body.result.SCOPE.includes('im'));
      assert.equal(profile.body.result.ID, String(ivan.id));
      assert.equal(fields.body.result.NAME, 'First name');
      assert.ok(Array.isArray(recent.body.result));
      assert.ok(Number.isInteger(added.body.result));
      assert.deepEqual(search.body.result.map((u: any) => u.ID), [String(anna.id)]);
      assert.equal(search.body.total, 1);
      assert.equal(missing.status, 404);
      assert.equal(missing.body.error, 'ERROR_METHOD_NOT_FOUND');
    }
  });

  it('app.info: a webhook gets SCOPE and LICENSE, an application its record, a plain user token ACCESS_DENIED', async () => {
    const limited = (await srv.webhook(ivan.id, 'im,user')).replace(srv.httpsUrl!, srv.url);
    assert.deepEqual(await ok(limited, 'app.info'), { SCOPE: ['im', 'user'], LICENSE: 'en_selfhosted' });
    await srv.cliJson(['app', 'add', '--db', srv.dbPath, '--code', 'crm.sync', '--scope', 'im,user']);
    const appToken = await srv.cliJson(['token', 'add', '--db', srv.dbPath, '--user', String(ivan.id), '--app', 'crm.sync']);
    const info = await ok(`${srv.url}/rest/`, 'app.info', { auth: appToken.access_token });
    assert.equal(info.CODE, 'crm.sync');
    assert.equal(typeof info.ID, 'number');
    assert.equal(info.STATUS, 'L');
    assert.equal(info.LICENSE, 'en_selfhosted');
    assert.equal(info.LANGUAGE_ID, 'en');
    const userToken = await srv.cliJson(['token', 'add', '--db', srv.dbPath, '--user', String(ivan.id)]);
    const denied = await rest(`${srv.url}/rest/`, 'app.info', { auth: userToken.access_token });
    assert.equal(denied.status, 403);
    assert.deepEqual(denied.body, { error: 'ACCESS_DENIED', error_description: 'Access denied! Application context required' });
  });

  it('user.search matches word beginnings in any letters; user.get filters whole values; both page with total', async () => {
    const ids = (r: any[]) => r.map((u) => Number(u.ID)).sort((a, b) => a - b);
    assert.deepEqual(ids(await ok(hook, 'user.search', { FILTER: { FIND: 'АНН' } })), [anna.id]);
    assert.deepEqual(ids(await ok(hook, 'user.search', { FILTER: { FIND: 'anna' } })).length, 1); // "Maria Anna"
    assert.deepEqual(ids(await ok(hook, 'user.search', { FILTER: { WORK_POSITION: 'бухгалтер' } })), [anna.id]);
    assert.deepEqual(ids(await ok(hook, 'user.search', { FILTER: { FIND: 'ivan tester' } })), [ivan.id]);
    assert.deepEqual(await ok(hook, 'user.search', { FILTER: { FIND: 'nobody' } }), []);
    // A LIKE wildcard in the text is text, not a pattern.
    assert.deepEqual(await ok(hook, 'user.search', { FILTER: { FIND: '%' } }), []);
    assert.deepEqual(ids(await ok(hook, 'user.get', { FILTER: { NAME: 'ivan' } })), [ivan.id]);
    assert.deepEqual(await ok(hook, 'user.get', { FILTER: { NAME: 'iva' } }), []);
    assert.deepEqual(ids(await ok(hook, 'user.get', { FILTER: { LAST_NAME: 'СМИРНОВА' } })), [anna.id]);
    const page = await rest(hook, 'user.search', { FILTER: { USER_TYPE: 'employee' } });
    assert.equal(page.body.total, page.body.result.length);
    assert.ok(page.body.total >= 4);
  });

  it('user.admin and user.access answer for the caller; an administrator passes every access check', async () => {
    assert.equal(await ok(hook, 'user.admin'), false);
    assert.equal(await ok(hook, 'user.access', { ACCESS: [`U${ivan.id}`] }), true);
    assert.equal(await ok(hook, 'user.access', { ACCESS: ['AU'] }), true);
    assert.equal(await ok(hook, 'user.access', { ACCESS: [`U${anna.id}`, 'G1'] }), false);
    const admin = (await srv.webhook(1)).replace(srv.httpsUrl!, srv.url);
    assert.equal(await ok(admin, 'user.admin'), true);
    assert.equal(await ok(admin, 'user.access', { ACCESS: [`U${anna.id}`] }), true);
  });

  it('user.fields names every field user.get returns', async () => {
    const [user] = await ok(hook, 'user.get', { ID: ivan.id });
    const fields = await ok(hook, 'user.fields');
    assert.deepEqual(Object.keys(fields).sort(), Object.keys(user).sort());
  });

  it('raw bytes as curl sends them: json_encode([]) to METHOD/ with bx24_request_id', async () => {
    const answer = await rawRequest(`${srv.url}/rest/${ivan.id}/${hook.split('/').at(-2)}/user.current/?bx24_request_id=1`, {
      body: '[]',
      contentType: 'application/json',
    });
    assert.equal(answer.status, 200);
    assert.equal(JSON.parse(answer.text).result.ID, String(ivan.id));
  });
});
