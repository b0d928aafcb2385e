// The REST transport, envelopes, auth, batch and CLI, over real HTTP against a real server process.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import fs from 'node:fs';
import net from 'node:net';
import { after, before, describe, it } from 'node:test';
import { ok, rest, startServer, type TestServer } from './helpers/server.ts';

const ATOM = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}$/;

describe('foundation', () => {
  let srv: TestServer;
  let hook: string;
  let ivan: any;

  before(async () => {
    srv = await startServer({ env: { B24IM_TIMEZONE: 'Europe/Berlin' } });
    ivan = await srv.addUser('Ivan', 'Petrov', ['--email', 'ivan@example.com', '--work-position', 'Tester', '--gender', 'M']);
    hook = await srv.webhook(ivan.id);
  });
  after(() => srv.cleanup());

  describe('CLI', () => {
    it('user add prints the new user; user 1 is the administrator', async () => {
      assert.equal(typeof ivan.id, 'number');
      assert.ok(ivan.id > 1);
      assert.equal(ivan.first_name, 'Ivan');
      assert.equal(ivan.last_name, 'Petrov');
      assert.equal(ivan.name, 'Ivan Petrov');
      assert.equal(ivan.gender, 'M');
      const admin = await ok(hook, 'im.user.get', { ID: 1 });
      assert.equal(admin.id, 1);
      const adminHook = await srv.webhook(1);
      const profile = await ok(adminHook, 'profile');
      assert.equal(profile.ADMIN, true);
      assert.equal((await ok(hook, 'profile')).ADMIN, false);
    });

    it('webhook add prints a base URL on the public URL that works at once', async () => {
      assert.match(hook, new RegExp(`^${srv.url}/rest/${ivan.id}/[a-z0-9]{16}/$`));
      const me = await ok(hook, 'user.current');
      assert.equal(me.ID, String(ivan.id));
    });

    it('credential commands work on a database no server has opened: created, migrated, with its administrator', async () => {
      // An SQLite file of its own in both passes (the PostgreSQL pass's database URL is blanked for these commands).
      const db = `${fs.mkdtempSync(`${srv.dir}/fresh-`)}/b24im.sqlite`;
      const cli = async (args: string[]) => {
        const r = await srv.cli([...args, '--db', db], { B24IM_DATABASE_URL: '' });
        assert.equal(r.code, 0, r.stderr);
        return r.stdout.trim();
      };
      assert.match(await cli(['webhook', 'add', '--user', '1']), /\/rest\/1\/[a-z0-9]{16}\/$/);
      assert.ok(JSON.parse(await cli(['token', 'add', '--user', '1'])).access_token);
      assert.deepEqual(JSON.parse(await cli(['webhook', 'list'])).map((h: any) => h.user), [1]);
    });

    it('rejects unknown scopes and users', async () => {
      const bad = await srv.cli(['webhook', 'add', '--db', srv.dbPath, '--user', '1', '--scope', 'im,nonsense']);
      assert.notEqual(bad.code, 0);
      assert.match(bad.stderr, /Unknown scope/);
      const noUser = await srv.cli(['webhook', 'add', '--db', srv.dbPath, '--user', '9999']);
      assert.notEqual(noUser.code, 0);
    });

    it('app add and token add issue a working access token', async () => {
      const app = await srv.cliJson(['app', 'add', '--db', srv.dbPath, '--code', 'testapp', '--scope', 'im,imbot']);
      assert.match(app.client_id, /^local\./);
      assert.ok(app.client_secret.length >= 32);
      const token = await srv.cliJson(['token', 'add', '--db', srv.dbPath, '--user', String(ivan.id), '--app', 'testapp']);
      assert.match(token.access_token, /^[0-9a-f]{64}$/);
      assert.ok(token.refresh_token);
      assert.equal(token.expires_in, 3600);
      const viaQuery = await rest(`${srv.url}/rest/`, `im.user.get?auth=${token.access_token}`, {}, 'query');
      assert.equal(viaQuery.status, 200);
      assert.equal(viaQuery.body.result.id, ivan.id);
      const viaBody = await ok(`${srv.url}/rest/`, 'im.revision.get.json', { auth: token.access_token }, 'form');
      assert.equal(typeof viaBody.rest, 'number');
      const viaBearer = await fetch(`${srv.url}/rest/user.current`, { headers: { authorization: `Bearer ${token.access_token}` } });
      assert.equal((await viaBearer.json()).result.ID, String(ivan.id));
      // The app's scopes bound the token.
      const denied = await rest(`${srv.url}/rest/`, 'user.get', { auth: token.access_token });
      assert.equal(denied.status, 401);
      assert.equal(denied.body.error, 'insufficient_scope');
    });

    it('every command has --help', async () => {
      for (const cmd of [['serve'], ['user', 'add'], ['webhook', 'add'], ['app', 'add'], ['token', 'add']]) {
        const r = await srv.cli([...cmd, '--help']);
        assert.equal(r.code, 0, cmd.join(' '));
        assert.match(r.stdout, /Usage: b24im/);
      }
    });
  });

  describe('URL forms and encodings', () => {
    it('answers /rest/METHOD, /rest/METHOD.json and webhook forms, any case, GET and POST', async () => {
      const token = await srv.cliJson(['token', 'add', '--db', srv.dbPath, '--user', String(ivan.id)]);
      for (const method of ['im.revision.get', 'im.revision.get.json', 'IM.Revision.Get', 'im.revision.get.JSON']) {
        const viaHook = await rest(hook, method, {}, 'query');
        assert.equal(viaHook.status, 200, method);
        assert.equal(viaHook.body.result.rest, 30);
        const viaToken = await rest(`${srv.url}/rest/`, method, { auth: token.access_token }, 'json');
        assert.equal(viaToken.status, 200, method);
      }
      assert.equal((await rest(hook.replace(/\/$/, ''), 'server.time', {}, 'form')).status, 200);
    });

    it('reads parameters from query strings, PHP-style forms and JSON; im.* names in any case', async () => {
      for (const as of ['query', 'form', 'json'] as const) {
        const user = await ok(hook, 'im.user.get', { id: 1 }, as);
        assert.equal(user.id, 1, as);
      }
      // Nested PHP keys reach the method as structures: user.get FILTER[ID][]=...
      const form = await fetch(`${hook}user.get`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: `FILTER%5BID%5D%5B%5D=1&FILTER%5BID%5D%5B%5D=${ivan.id}`,
      });
      const listed = await form.json();
      assert.deepEqual(listed.result.map((u: any) => u.ID), ['1', String(ivan.id)]);
      assert.equal(listed.total, 2);
      const get = await fetch(`${hook}user.get?FILTER[ID]=${ivan.id}`);
      assert.deepEqual((await get.json()).result.map((u: any) => u.ID), [String(ivan.id)]);
      // Query parameters, with body parameters winning.
      const mixed = await fetch(`${hook}im.user.get?ID=1`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ ID: ivan.id }),
      });
      assert.equal((await mixed.json()).result.id, ivan.id);
    });

    it('wraps results in the success envelope with the time block in the portal zone', async () => {
      const r = await rest(hook, 'server.time');
      assert.equal(r.status, 200);
      assert.match(r.headers.get('content-type') ?? '', /^application\/json/);
      assert.match(r.body.result, ATOM);
      assert.match(r.body.result, /\+0[12]:00$/); // Europe/Berlin
      const t = r.body.time;
      for (const k of ['start', 'finish', 'duration', 'processing']) assert.equal(typeof t[k], 'number', k);
      assert.ok(t.finish >= t.start);
      assert.match(t.date_start, ATOM);
      assert.match(t.date_finish, ATOM);
    });

    it('adds total and next on list methods', async () => {
      const extra = [];
      for (let i = 0; i < 3; i++) extra.push(await srv.addUser(`Page${i}`));
      const adminHook = await srv.webhook(1);
      const all = await rest(adminHook, 'user.get');
      assert.equal(all.body.total, all.body.result.length);
      assert.equal(all.body.next, undefined);
      assert.ok(all.body.total >= 5);
    });
  });

  describe('errors', () => {
    it('unknown method: 404 ERROR_METHOD_NOT_FOUND', async () => {
      const r = await rest(hook, 'im.nothing.here');
      assert.equal(r.status, 404);
      assert.deepEqual(r.body, { error: 'ERROR_METHOD_NOT_FOUND', error_description: 'Method not found!' });
    });

    it('no credentials: 401 NO_AUTH_FOUND', async () => {
      const r = await rest(`${srv.url}/rest/`, 'im.revision.get');
      assert.equal(r.status, 401);
      assert.equal(r.body.error, 'NO_AUTH_FOUND');
    });

    it('wrong webhook code or user: 401 INVALID_CREDENTIALS', async () => {
      const wrong = hook.replace(/\/[a-z0-9]{16}\/$/, '/aaaaaaaaaaaaaaaa/');
      for (const base of [wrong, hook.replace(`/rest/${ivan.id}/`, '/rest/1/'), `${srv.url}/rest/abc/def/`]) {
        const r = await rest(base, 'im.revision.get');
        assert.equal(r.status, 401, base);
        assert.equal(r.body.error, 'INVALID_CREDENTIALS');
      }
    });

    it('unknown token: 401 invalid_token; expired token: 401 expired_token', async () => {
      const r = await rest(`${srv.url}/rest/`, 'im.revision.get', { auth: 'f'.repeat(64) });
      assert.equal(r.status, 401);
      assert.equal(r.body.error, 'invalid_token');
      const t = await srv.cliJson(['token', 'add', '--db', srv.dbPath, '--user', String(ivan.id), '--ttl', '0']);
      const e = await rest(`${srv.url}/rest/`, 'im.revision.get', { auth: t.access_token });
      assert.equal(e.status, 401);
      assert.equal(e.body.error, 'expired_token');
    });

    it('a webhook is limited to its scopes: 401 insufficient_scope', async () => {
      const userOnly = await srv.webhook(ivan.id, 'user');
      assert.equal((await rest(userOnly, 'user.current')).status, 200);
      assert.equal((await rest(userOnly, 'user.get')).status, 200);
      const r = await rest(userOnly, 'im.revision.get');
      assert.equal(r.status, 401);
      assert.equal(r.body.error, 'insufficient_scope');
      const scopes = await ok(userOnly, 'scope');
      assert.deepEqual(scopes, ['user']);
      const methods: string[] = await ok(userOnly, 'methods');
      assert.ok(methods.includes('user.get'));
      assert.ok(!methods.includes('im.revision.get'));
    });

    it('a JSON body that is not an object is no parameters (as a portal reads it); wrong type, over-long: 4xx', async () => {
      // CRestUtil::getRequestData: only a JSON object carries parameters; [], null, scalars, malformed JSON are none.
      for (const body of ['{"a":', '[1]', '[]', 'null', '"text"', '42']) {
        const r = await fetch(`${hook}user.current`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
        assert.equal(r.status, 200, body);
        assert.equal((await r.json()).result.ID, String(ivan.id), body);
      }
      const xml = await fetch(`${hook}server.time`, { method: 'POST', headers: { 'content-type': 'text/xml' }, body: '<a/>' });
      assert.equal(xml.status, 400);
      assert.equal((await xml.json()).error, 'INVALID_REQUEST');
      const big = await fetch(`${hook}server.time`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ x: 'a'.repeat(5 * 1024 * 1024) }),
      });
      assert.equal(big.status, 413);
      const body = await big.json();
      assert.equal(body.error, 'INVALID_REQUEST');
      assert.ok(!JSON.stringify(body).includes('at '));
    });

    it('paths outside /rest and other HTTP methods get Bitrix errors', async () => {
      const r = await fetch(`${srv.url}/rest/a/b`);
      assert.equal(r.status, 404);
      assert.equal((await r.json()).error, 'ERROR_METHOD_NOT_FOUND');
      const del = await fetch(`${hook}server.time`, { method: 'DELETE' });
      assert.equal(del.status, 404);
      assert.equal((await del.json()).error, 'ERROR_METHOD_NOT_FOUND');
    });

    it('method errors: im.user.get with an unknown id', async () => {
      const r = await rest(hook, 'im.user.get', { ID: 99999 });
      assert.equal(r.status, 400);
      assert.equal(r.body.error, 'USER_NOT_EXISTS');
      const empty = await rest(hook, 'im.user.get', { ID: -5 });
      assert.equal(empty.body.error, 'ID_EMPTY');
    });
  });

  describe('batch', () => {
    it('runs commands with references and reports per-command results, errors and times', async () => {
      const r = await rest(hook, 'batch', {
        halt: 0,
        cmd: {
          me: 'user.current',
          peer: 'im.user.get?ID=$result[me][ID]',
          bad: 'im.user.get?ID=99999',
          list: 'user.get?FILTER[ID]=1',
        },
      });
      assert.equal(r.status, 200);
      const b = r.body.result;
      assert.equal(b.result.me.ID, String(ivan.id));
      assert.equal(b.result.peer.id, ivan.id);
      assert.equal(b.result_error.bad.error, 'USER_NOT_EXISTS');
      assert.equal(b.result_total.list, 1);
      assert.deepEqual(b.result_next, []);
      assert.deepEqual(Object.keys(b.result_time).sort(), ['bad', 'list', 'me', 'peer']);
    });

    it('halt stops at the first error; a list of commands gives lists', async () => {
      const r = await rest(hook, 'batch', { halt: 1, cmd: ['im.user.get?ID=99999', 'server.time'] }, 'form');
      const b = r.body.result;
      assert.deepEqual(b.result, []);
      assert.equal(b.result_error[0].error, 'USER_NOT_EXISTS');
      assert.equal(Object.keys(b.result_time).length, 1);
      const list = await ok(hook, 'batch', { cmd: ['server.time', 'user.current'] });
      assert.ok(Array.isArray(list.result));
      assert.equal(list.result.length, 2);
      assert.deepEqual(list.result_error, []);
    });

    it('checks scope per command, refuses nested batch and more than 50 commands', async () => {
      const userOnly = await srv.webhook(ivan.id, 'user');
      const scoped = await ok(userOnly, 'batch', { cmd: { a: 'im.revision.get', b: 'user.current' } });
      assert.equal(scoped.result_error.a.error, 'insufficient_scope');
      assert.equal(scoped.result.b.ID, String(ivan.id));
      const nested = await ok(hook, 'batch', { cmd: { a: 'batch?cmd[x]=server.time' } });
      assert.equal(nested.result_error.a.error, 'ERROR_BATCH_METHOD_NOT_ALLOWED');
      const cmd: Record<string, string> = {};
      for (let i = 0; i < 52; i++) cmd[`c${i}`] = 'server.time';
      const many = await ok(hook, 'batch', { cmd });
      assert.equal(Object.keys(many.result).length, 50);
      assert.equal(many.result_error.c50.error, 'ERROR_BATCH_LENGTH_EXCEEDED');
      assert.equal(many.result_error.c51.error, 'ERROR_BATCH_LENGTH_EXCEEDED');
    });
  });

  describe('common methods', () => {
    it('methods and scope come from the registry', async () => {
      const methods: string[] = await ok(hook, 'methods');
      for (const m of ['batch', 'server.time', 'user.current', 'profile', 'user.get', 'im.revision.get', 'im.user.get']) {
        assert.ok(methods.includes(m), m);
      }
      const im: string[] = await ok(hook, 'methods', { scope: 'im' });
      assert.ok(im.every((m) => m.startsWith('im.')));
      const scopes: string[] = await ok(hook, 'scope', { full: true });
      assert.ok(scopes.includes('im') && scopes.includes('user_basic'));
      assert.deepEqual(await ok(hook, 'method.get', { name: 'IM.USER.GET' }), { isExisting: true, isAvailable: true });
      assert.deepEqual(await ok(hook, 'method.get', { name: 'x.y' }), { isExisting: false, isAvailable: false });
    });

    it('user.current and im.user.get have the documented shapes and types', async () => {
      const me = await ok(hook, 'user.current');
      assert.equal(me.ID, String(ivan.id));
      assert.equal(me.NAME, 'Ivan');
      assert.equal(me.EMAIL, 'ivan@example.com');
      assert.equal(me.ACTIVE, true);
      assert.match(me.DATE_REGISTER, ATOM);
      const u = await ok(hook, 'im.user.get');
      assert.equal(u.id, ivan.id);
      assert.equal(u.work_position, 'Tester');
      assert.match(u.color, /^#[0-9a-f]{6}$/);
      for (const k of ['extranet', 'network', 'bot', 'connector', 'active']) assert.equal(typeof u[k], 'boolean', k);
      for (const k of ['idle', 'mobile_last_date', 'absent']) assert.equal(u[k], false, k);
    });
  });
});

describe('strict mode and shutdown', () => {
  it('strict mode answers silent fallbacks with 400 ERROR_ARGUMENT naming the parameter', async () => {
    const strict = await startServer({ args: ['--strict'] });
    try {
      const h = await strict.webhook(1);
      const r = await rest(h, 'im.user.get', { ID: 'abc' });
      assert.equal(r.status, 400);
      assert.equal(r.body.error, 'ERROR_ARGUMENT');
      assert.equal(r.body.argument, 'ID');
      const unknown = await rest(h, 'im.revision.get', { BOGUS: 1 });
      assert.equal(unknown.status, 400);
      assert.equal(unknown.body.argument, 'BOGUS');
      // The SDK's bx24_* parameters are not the method's.
      assert.equal((await rest(h, 'im.revision.get?bx24_request_id=1', {})).status, 200);
    } finally {
      await strict.cleanup();
    }
    const lenient = await startServer();
    try {
      const h = await lenient.webhook(1);
      assert.equal((await rest(h, 'im.revision.get', { BOGUS: 1 })).status, 200);
    } finally {
      await lenient.cleanup();
    }
  });

  it('SIGTERM finishes in-flight requests, closes the database and exits 0; data survives a restart', async () => {
    const srv = await startServer();
    const h = await srv.webhook(1);
    const target = new URL(`${h}im.message.add`);
    // A request the server is provably in the middle of: headers sent with "Expect: 100-continue", the server's
    // "100 Continue" read back, the body not yet sent. Then SIGTERM, then the body: a graceful stop answers it.
    const socket = net.connect(Number(target.port), target.hostname);
    await once(socket, 'connect');
    const body = JSON.stringify({ DIALOG_ID: 1, MESSAGE: 'written during shutdown' });
    socket.write(
      `POST ${target.pathname} HTTP/1.1\r\nHost: ${target.host}\r\nContent-Type: application/json\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\nExpect: 100-continue\r\n\r\n`,
    );
    let received = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (received += chunk));
    const closed = once(socket, 'close');
    while (!received.includes('100 Continue')) await once(socket, 'data');
    const exited = srv.stop('SIGTERM');
    // write, not end: a half-closed socket (FIN) makes node drop the request, which no real client does.
    socket.write(body);
    await closed;
    assert.match(received, /HTTP\/1\.1 200 OK/, `answer to the in-flight request: ${received}`);
    const messageId = JSON.parse(received.slice(received.indexOf('{'))).result;
    assert.equal(await exited, 0);
    // The database was closed: SQLite checkpoints and removes its write-ahead log only on a clean close.
    if (!srv.databaseUrl) assert.equal(fs.existsSync(`${srv.dbPath}-wal`), false, 'the WAL file is left behind');
    const again = await startServer({ dir: srv.dir });
    try {
      const url = h.replace(srv.url, again.url);
      assert.equal((await ok(url, 'user.current')).ID, '1');
      const history = await ok(url, 'im.dialog.messages.get', { DIALOG_ID: 1 });
      assert.ok(history.messages.some((m: any) => m.id === messageId && m.text === 'written during shutdown'));
    } finally {
      await again.cleanup();
    }
  });
});
