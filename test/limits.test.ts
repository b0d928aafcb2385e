// Bounds on what a client controls and the portal-style rate limit, over real HTTP against a real server.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { MAX_PARAM_COUNT, MAX_PARAM_DEPTH } from '../src/methods/query.ts';
import { ok, rest, startServer, type TestServer } from './helpers/server.ts';

const post = (url: string, body: string | Buffer, type: string) =>
  fetch(url, { method: 'POST', headers: { 'content-type': type }, body: typeof body === 'string' ? body : new Uint8Array(body) });

function nested(depth: number): Record<string, unknown> {
  let v: unknown = 'x';
  for (let i = 0; i < depth; i++) v = { k: v };
  return v as Record<string, unknown>;
}

describe('bounds', () => {
  let srv: TestServer;
  let hook: string;

  before(async () => {
    srv = await startServer();
    hook = await srv.webhook(1);
  });
  after(() => srv.cleanup());

  it('a body that is not valid UTF-8 is 400 INVALID_REQUEST in JSON and form encodings', async () => {
    const bad = Buffer.concat([Buffer.from('{"MESSAGE":"'), Buffer.from([0xff, 0xfe, 0xc3]), Buffer.from('"}')]);
    for (const [body, type] of [[bad, 'application/json'], [Buffer.from([0x61, 0x3d, 0xc3, 0x28]), 'application/x-www-form-urlencoded']] as const) {
      const r = await post(`${hook}im.user.get`, body, type);
      assert.equal(r.status, 400, type);
      assert.deepEqual(await r.json(), { error: 'INVALID_REQUEST', error_description: 'Request body is not valid UTF-8' });
    }
    // Valid multi-byte text passes.
    const fine = await post(`${hook}server.time`, JSON.stringify({ x: 'Привет 👋' }), 'application/json');
    assert.equal(fine.status, 200);
    // Malformed percent-escapes in the path or query are read literally, not a crash.
    assert.equal((await fetch(`${hook}server.time?a=%FF%zz`)).status, 200);
    const path = await fetch(`${srv.url}/rest/1/%FF/server.time`);
    assert.equal(path.status, 400);
    assert.deepEqual(await path.json(), { error: 'INVALID_REQUEST', error_description: 'Request URL is malformed' });
  });

  it('parameter nesting deeper than the bound is 400 INVALID_REQUEST in every encoding', async () => {
    const okDepth = `a${'[k]'.repeat(MAX_PARAM_DEPTH)}=1`;
    const tooDeep = `a${'[k]'.repeat(MAX_PARAM_DEPTH + 1)}=1`;
    assert.equal((await fetch(`${hook}server.time?${okDepth}`)).status, 200);
    const q = await fetch(`${hook}server.time?${tooDeep}`);
    assert.equal(q.status, 400);
    assert.match((await q.json()).error_description, /nested too deeply/);
    assert.equal((await post(`${hook}server.time`, okDepth, 'application/x-www-form-urlencoded')).status, 200);
    const f = await post(`${hook}server.time`, tooDeep, 'application/x-www-form-urlencoded');
    assert.equal(f.status, 400);
    assert.equal((await f.json()).error, 'INVALID_REQUEST');
    assert.equal((await post(`${hook}server.time`, JSON.stringify({ a: nested(MAX_PARAM_DEPTH) }), 'application/json')).status, 200);
    const j = await post(`${hook}server.time`, JSON.stringify({ a: nested(MAX_PARAM_DEPTH + 1) }), 'application/json');
    assert.equal(j.status, 400);
    assert.match((await j.json()).error_description, /nested too deeply/);
    // Very deep JSON (stack-overflow territory for recursive code) is refused the same way.
    const deep = '{"a":'.repeat(50_000) + '1' + '}'.repeat(50_000);
    const d = await post(`${hook}server.time`, deep, 'application/json');
    assert.equal(d.status, 400);
    assert.equal((await d.json()).error, 'INVALID_REQUEST');
    // Inside a batch command the bound gives that command an error, not the whole batch.
    const b = await ok(hook, 'batch', { cmd: { deep: `server.time?${tooDeep}`, fine: 'server.time' } });
    assert.equal(b.result_error.deep.error, 'INVALID_REQUEST');
    assert.ok(b.result.fine);
  });

  it('more parameters than the bound is 400 INVALID_REQUEST in every encoding', async () => {
    const pairs = (n: number) => Array.from({ length: n }, (_, i) => `p${i}=1`).join('&');
    assert.equal((await post(`${hook}server.time`, pairs(MAX_PARAM_COUNT), 'application/x-www-form-urlencoded')).status, 200);
    const f = await post(`${hook}server.time`, pairs(MAX_PARAM_COUNT + 1), 'application/x-www-form-urlencoded');
    assert.equal(f.status, 400);
    assert.match((await f.json()).error_description, /Too many parameters/);
    const list = (n: number) => JSON.stringify({ USERS: Array.from({ length: n }, (_, i) => i + 1) });
    assert.equal((await post(`${hook}server.time`, list(MAX_PARAM_COUNT), 'application/json')).status, 200);
    const j = await post(`${hook}server.time`, list(MAX_PARAM_COUNT + 1), 'application/json');
    assert.equal(j.status, 400);
    assert.match((await j.json()).error_description, /Too many parameters/);
  });

  it('an over-long URL is 414 and over-large headers 431, both with Bitrix envelopes', async () => {
    const long = await fetch(`${hook}server.time?x=${'a'.repeat(9000)}`);
    assert.equal(long.status, 414);
    assert.equal((await long.json()).error, 'INVALID_REQUEST');
    const headers = await fetch(`${hook}server.time`, { headers: { 'x-big': 'a'.repeat(20_000) } });
    assert.equal(headers.status, 431);
    assert.deepEqual(await headers.json(), { error: 'INVALID_REQUEST', error_description: 'Request headers are too large' });
    // The server is still there.
    assert.equal((await rest(hook, 'server.time')).status, 200);
  });

  it('message text, ATTACH / KEYBOARD size, id lists and chat titles are bounded on every path', async () => {
    const peer = await srv.addUser('Peer');
    const longText = 'я'.repeat(20_001);
    const add = await rest(hook, 'im.message.add', { DIALOG_ID: peer.id, MESSAGE: longText });
    assert.equal(add.status, 400);
    assert.equal(add.body.error, 'MESSAGE_TOO_LONG');
    assert.ok(await ok(hook, 'im.message.add', { DIALOG_ID: peer.id, MESSAGE: 'я'.repeat(20_000) }));
    // im.chat.add's first message obeys the same bound, and a refused chat is not created.
    const chatsBefore = (await ok(hook, 'im.recent.get')).length;
    const chat = await rest(hook, 'im.chat.add', { USERS: [peer.id], TITLE: 'Long', MESSAGE: longText });
    assert.equal(chat.body.error, 'MESSAGE_TOO_LONG');
    assert.equal((await ok(hook, 'im.recent.get')).length, chatsBefore);
    const big = { BLOCKS: [{ MESSAGE: 'x'.repeat(60_001) }] };
    for (const [name, code] of [['ATTACH', 'ATTACH_OVERSIZE'], ['KEYBOARD', 'KEYBOARD_OVERSIZE'], ['MENU', 'MENU_OVERSIZE']]) {
      for (const as of ['json', 'form'] as const) {
        const r = await rest(hook, 'im.message.add', { DIALOG_ID: peer.id, MESSAGE: 'x', [name]: big }, as);
        assert.equal(r.status, 400, `${name} ${as}`);
        assert.equal(r.body.error, code);
      }
      const asJsonText = await rest(hook, 'im.message.add', { DIALOG_ID: peer.id, MESSAGE: 'x', [name]: JSON.stringify(big) });
      assert.equal(asJsonText.body.error, code);
    }
    const many = Array.from({ length: 1001 }, (_, i) => i + 1);
    const users = await rest(hook, 'im.chat.add', { USERS: many, TITLE: 'Crowd' });
    assert.equal(users.status, 400);
    assert.equal(users.body.error, 'ERROR_ARGUMENT');
    assert.equal(users.body.argument, 'USERS');
    const id = await ok(hook, 'im.chat.add', { USERS: [peer.id], TITLE: 'T'.repeat(300) });
    assert.equal((await ok(hook, 'im.chat.get', { CHAT_ID: id })).name, 'T'.repeat(255));
    await ok(hook, 'im.chat.updateTitle', { CHAT_ID: id, TITLE: '🙂'.repeat(400) });
    assert.equal((await ok(hook, 'im.chat.get', { CHAT_ID: id })).name, '🙂'.repeat(255));
    // Page sizes are clamped as a portal clamps them.
    for (let i = 0; i < 55; i++) await ok(hook, 'im.message.add', { DIALOG_ID: `chat${id}`, MESSAGE: `m${i}` });
    assert.equal((await ok(hook, 'im.dialog.messages.get', { DIALOG_ID: `chat${id}`, LIMIT: 1000 })).messages.length, 50);
    assert.equal((await ok(hook, 'im.dialog.messages.get', { DIALOG_ID: `chat${id}`, LIMIT: -3 })).messages.length, 20);
  });

  it('odd dates are dropped (lenient) or refused with ERROR_ARGUMENT (strict), never a crash', async () => {
    const strict = await startServer({ args: ['--strict'] });
    try {
      const strictHook = await strict.webhook(1);
      const peer = await srv.addUser('Dates', 'Peer');
      await ok(hook, 'im.message.add', { DIALOG_ID: peer.id, MESSAGE: 'dated' });
      const unfiltered = await ok(hook, 'im.recent.get');
      assert.ok(unfiltered.length > 0);
      for (const d of ['0000-01-01T00:00:00+00:00', '9999-12-31T23:59:59-14:00', '2024-02-30T25:61:61Z', '1e308', 'yesterday']) {
        for (const name of ['LAST_UPDATE', 'LAST_SYNC_DATE']) {
          // Lenient: the date a portal could not read is dropped, so the answer is the list without a date.
          assert.deepEqual(await ok(hook, 'im.recent.get', { [name]: d }), unfiltered, `${name}=${d}`);
          const r = await rest(strictHook, 'im.recent.get', { [name]: d });
          assert.equal(r.status, 400, `${name}=${d}`);
          assert.equal(r.body.error, 'ERROR_ARGUMENT', `${name}=${d}`);
          assert.equal(r.body.argument, name, `${name}=${d}`);
        }
      }
    } finally {
      await strict.cleanup();
    }
  });
});

describe('rate limit', () => {
  it('is off by default', async () => {
    const srv = await startServer();
    try {
      const h = await srv.webhook(1);
      const answers = await Promise.all(Array.from({ length: 80 }, () => rest(h, 'server.time')));
      assert.ok(answers.every((a) => a.status === 200));
    } finally {
      await srv.cleanup();
    }
  });

  it('a leaky bucket per credential: burst, then 503 QUERY_LIMIT_EXCEEDED, drained at the configured rate; batch counts once', async () => {
    // One request drains every 4 s: slow enough that a loaded machine cannot drain the bucket between the steps below.
    const srv = await startServer({ env: { B24IM_RATE_LIMIT: 'on', B24IM_RATE_LIMIT_RPS: '0.25', B24IM_RATE_LIMIT_BURST: '5' } });
    try {
      const a = await srv.webhook(1);
      const b = await srv.webhook(1);
      const cmd: Record<string, string> = {};
      for (let i = 0; i < 20; i++) cmd[`c${i}`] = 'server.time';
      const batch = await rest(a, 'batch', { cmd });
      assert.equal(batch.status, 200);
      assert.equal(Object.keys(batch.body.result.result).length, 20);
      for (let i = 0; i < 4; i++) assert.equal((await rest(a, 'server.time')).status, 200, `request ${i + 2}`);
      const refused = await rest(a, 'server.time');
      assert.equal(refused.status, 503);
      assert.deepEqual(refused.body, { error: 'QUERY_LIMIT_EXCEEDED', error_description: 'Too many requests' });
      assert.ok(Number(refused.headers.get('retry-after')) >= 1);
      // Another webhook has its own bucket.
      assert.equal((await rest(b, 'server.time')).status, 200);
      // The bucket drains at the configured rate.
      await new Promise((r) => setTimeout(r, 4200));
      assert.equal((await rest(a, 'server.time')).status, 200);
      assert.equal((await rest(a, 'server.time')).status, 503);
      // Tokens are limited per token.
      const t = await srv.cliJson(['token', 'add', '--db', srv.dbPath, '--user', '1']);
      const statuses = [];
      for (let i = 0; i < 7; i++) statuses.push((await rest(`${srv.url}/rest/`, 'server.time', { auth: t.access_token })).status);
      assert.deepEqual(statuses.slice(0, 5), [200, 200, 200, 200, 200]);
      assert.equal(statuses[6], 503);
      // A refusal is an expected condition: no error line with a stack trace in the server's log (level warn here).
      assert.doesNotMatch(srv.log, /unexpected error|QUERY_LIMIT_EXCEEDED/);
    } finally {
      await srv.cleanup();
    }
  });

  it('serve --rate-limit uses the portal numbers (2/s, burst 50); --rate-limit enterprise 5/s, burst 250', async () => {
    for (const [args, burst, rps] of [[['--rate-limit'], 50, 2], [['--rate-limit', 'enterprise'], 250, 5]] as const) {
      const srv = await startServer({ args: [...args] });
      try {
        const h = await srv.webhook(1);
        const started = Date.now();
        const answers = await Promise.all(Array.from({ length: burst + 20 }, () => rest(h, 'server.time')));
        const elapsed = (Date.now() - started) / 1000;
        const passed = answers.filter((x) => x.status === 200).length;
        const refused = answers.filter((x) => x.status === 503 && x.body.error === 'QUERY_LIMIT_EXCEEDED').length;
        assert.equal(passed + refused, burst + 20);
        assert.ok(passed >= burst, `${passed} passed`);
        assert.ok(passed <= burst + Math.ceil(elapsed * rps) + 1, `${passed} passed in ${elapsed}s`);
      } finally {
        await srv.cleanup();
      }
    }
  });
});
