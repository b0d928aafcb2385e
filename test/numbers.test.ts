// Huge and odd numbers in every numeric parameter of every registered method (and in the REST `start`), in every
// encoding, against a lenient and a strict server: never a 5xx, always a Bitrix envelope, and a refused call leaves
// the database unchanged. On SQLite and PostgreSQL alike (ids beyond a 32-bit column must not reach SQL).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { buildRegistry } from '../src/methods/index.ts';
import { openProbe, type DbProbe } from './helpers/dump.ts';
import { ok, startServer, type TestServer } from './helpers/server.ts';

const NUMERIC = /(^|_)(ID|IDS)$|^(LIMIT|OFFSET|AGO|LINE|COUNT|auth_type)$/i;
/** Written into a JSON body as they stand: JSON numbers a PHP portal would decode to floats or saturated ints. */
const JSON_NUMBERS = ['1e300', '9223372036854775808', '9007199254740993', '1.5', '-0', '-1'];
/** Sent as text (query string, form, multipart), where every value is a string. */
const TEXTS = ['9223372036854775807', '-9223372036854775809', '1e300', 'NaN', '1.5', '2147483648'];

type Sent = { body?: BodyInit; headers?: Record<string, string>; query?: string };

function encodings(param: string): Sent[] {
  // The REST `start` is read in one place for every method: two values each reach it.
  if (param === 'start') return [{ body: '{"start":9223372036854775807}', headers: { 'content-type': 'application/json' } }, { query: 'start=-9223372036854775809' }];
  const out: Sent[] = JSON_NUMBERS.map((n) => ({ body: `{"${param}":${n}}`, headers: { 'content-type': 'application/json' } }));
  for (const t of TEXTS) out.push({ query: `${encodeURIComponent(param)}=${encodeURIComponent(t)}` });
  for (const t of TEXTS.slice(0, 3)) out.push({ body: `${encodeURIComponent(param)}=${encodeURIComponent(t)}`, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
  const form = new FormData();
  form.set(param, TEXTS[0]);
  out.push({ body: form });
  return out;
}

interface Target {
  name: string;
  srv: TestServer;
  token: string;
  probe: DbProbe;
  /** The last dump and the database version it was taken at. */
  snapshot: string;
  version: string;
  calls: number;
  refused: number;
}

async function target(name: string, args: string[]): Promise<Target> {
  const srv = await startServer({ args });
  const a = await srv.addUser('Nina');
  const b = await srv.addUser('Oleg');
  // An application token of the administrator reaches every method's parameters (imbot.*, event.* need an app).
  await srv.cliJson(['app', 'add', '--db', srv.dbPath, '--code', 'numbers', '--handler', 'http://127.0.0.1:9/numbers']);
  const token = (await srv.cliJson(['token', 'add', '--db', srv.dbPath, '--user', '1', '--app', 'numbers'])).access_token;
  const rest = `${srv.url}/rest/`;
  await ok(rest, 'imbot.register', { auth: token, CODE: 'n', EVENT_HANDLER: 'http://127.0.0.1:9/bot', PROPERTIES: { NAME: 'N' } });
  const chat = await ok(rest, 'im.chat.add', { auth: token, USERS: [a.id, b.id], TITLE: 'Numbers', MESSAGE: 'hello' });
  await ok(rest, 'im.message.add', { auth: token, DIALOG_ID: `chat${chat}`, MESSAGE: 'one' });
  await ok(rest, 'im.message.add', { auth: token, DIALOG_ID: String(a.id), MESSAGE: 'two' });
  const probe = await openProbe(srv);
  return { name, srv, token, probe, snapshot: await probe.dump(), version: await probe.version(), calls: 0, refused: 0 };
}

async function send(t: Target, method: string, sent: Sent): Promise<number> {
  const query = `auth=${t.token}${sent.query ? `&${sent.query}` : ''}`;
  const res = await fetch(`${t.srv.url}/rest/${method}?${query}`, sent.body === undefined ? {} : { method: 'POST', headers: sent.headers, body: sent.body });
  const raw = await res.text();
  const where = `${t.name}: ${method} ${sent.query ?? String(sent.body instanceof FormData ? 'multipart' : sent.body)} -> ${res.status} ${raw.slice(0, 200)}`;
  assert.ok(res.status < 500, `5xx: ${where}\n${t.srv.log.slice(-1200)}`);
  const body = JSON.parse(raw);
  if (res.status === 200) assert.ok('result' in body && !('error' in body), `bad success envelope: ${where}`);
  else assert.ok(typeof body.error === 'string' && typeof body.error_description === 'string', `bad error envelope: ${where}`);
  t.calls++;
  if (res.status !== 200) t.refused++;
  return res.status;
}

describe('numbers: huge and odd values in every numeric parameter', () => {
  const methods = buildRegistry().all();
  let targets: Target[];

  before(async () => {
    targets = await Promise.all([target('lenient', []), target('strict', ['--strict'])]);
  });
  after(async () => {
    console.log(`numbers: ${targets.reduce((n, t) => n + t.calls, 0)} calls, ${targets.reduce((n, t) => n + t.refused, 0)} refused`);
    for (const t of targets) {
      await t.probe.close();
      await t.srv.cleanup();
    }
  });

  it('every method and numeric parameter, in JSON numbers, query, form and multipart: no 5xx; refused calls change nothing', async () => {
    const pairs = methods.flatMap((def) => [...(def.params ?? []).filter((p) => NUMERIC.test(p)), 'start'].map((param) => ({ method: def.name, param })));
    assert.ok(pairs.length > 100, `${pairs.length} pairs`);
    await Promise.all(
      targets.map(async (t) => {
        for (const { method, param } of pairs) {
          let allRefused = true;
          for (const sent of encodings(param)) if ((await send(t, method, sent)) === 200) allRefused = false;
          const version = await t.probe.version();
          if (version === t.version) continue;
          const now = await t.probe.dump();
          if (allRefused) assert.equal(now, t.snapshot, `${t.name}: refused ${method} ${param} changed stored data`);
          t.snapshot = now;
          t.version = version;
        }
      }),
    );
  });

  it('strict mode refuses an out-of-range number with ERROR_ARGUMENT naming it; lenient mode clamps as a portal does', async () => {
    const [lenient, strict] = targets;
    const big = (t: Target) => fetch(`${t.srv.url}/rest/im.recent.list?auth=${t.token}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"OFFSET":1e300}' });
    const s = await big(strict);
    assert.equal(s.status, 400);
    const sb = await s.json();
    assert.equal(sb.error, 'ERROR_ARGUMENT');
    assert.equal(sb.argument, 'OFFSET');
    const l = await big(lenient);
    assert.equal(l.status, 200);
    assert.deepEqual((await l.json()).result.items, []);
    const page = await ok(`${lenient.srv.url}/rest/`, 'user.get', { auth: lenient.token, start: '9223372036854775807' });
    assert.deepEqual(page, []);
  });
});
