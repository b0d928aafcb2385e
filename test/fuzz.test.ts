// Property-based tests: every registered method gets random and malformed parameters in all three encodings.
// Never a 5xx, always a success or a Bitrix error envelope, and a rejected call leaves the stored data as it was.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import qs from 'qs';
import { buildRegistry } from '../src/methods/index.ts';
import type { MethodDef } from '../src/methods/registry.ts';
import { openProbe, type DbProbe } from './helpers/dump.ts';
import { ok, startServer, type TestServer } from './helpers/server.ts';

/** Time for the random phase, per server (two servers run side by side: lenient and strict). */
const RANDOM_SECONDS = Number(process.env.B24IM_FUZZ_SECONDS ?? 30);

type Encoding = 'json' | 'form' | 'query';
type Corruption = 'none' | 'utf8' | 'truncate' | 'content-type' | 'nul';

interface Input {
  method: string;
  params: Record<string, unknown>;
  encoding: Encoding;
  corruption: Corruption;
  path: 'plain' | 'json' | 'upper';
  auth: 'hook' | 'token' | 'bad-token';
}

const registry = buildRegistry();
const METHODS: MethodDef[] = registry.all();

// ---- values ---------------------------------------------------------------------------------------------

const INJECTIONS = [
  "'; DROP TABLE users; --", '1 OR 1=1', '1; DELETE FROM messages', '" OR ""="', "1' UNION SELECT * FROM tokens --",
  '<script>alert(1)</script>', '$result[a][0]', '$result[me][ID]', '$next[x]', '__proto__', 'constructor', 'prototype',
  'toString', 'hasOwnProperty', '%00', '\u0000', '\u0000abc', '../../etc/passwd', '${7*7}', '{{7*7}}', 'chat1 OR 1=1',
  'NaN', 'Infinity', '-0', '1e309', '0x10', ' 1 ', '１２３', '٣', 'chat-1', 'chat0', 'chat99999999999', 'chat1chat2', 'sg1',
  'Y', 'N', 'y', 'n', '', ' ', 'null', 'undefined', 'true', 'false', '[]', '{}', '{"a":', '[1,2', 'chat1', '1', '2', '3',
  '[b]bold[/b] [url=javascript:alert(1)]x[/url]', '[USER=1]x[/USER]', '\r\n\t', '\u202e\u200b', '🙂'.repeat(3),
];

const ODD_DATES = [
  '2024-02-30T00:00:00+03:00', '0000-01-01T00:00:00Z', '0999-12-31T23:59:59Z', '9999-12-31T23:59:59+14:00',
  '2024-01-01 00:00:00', '2024-13-01T00:00:00Z', '1969-12-31T23:59:59-12:00', '2024-01-01T00:00:00+99:99',
  '2024-01-01T24:00:00Z', '2024-01-01T00:00:00.123456789+02:00', '2024-01-01', 'yesterday', '-1', '1700000000',
  '+275760-09-13T00:00:00Z', '2024-06-01T12:00:00+0200', '2100-01-01T00:00:00z',
];

const surrogate = fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c));
const hugeString = fc.oneof(
  fc.integer({ min: 19_990, max: 20_010 }).map((n) => 'x'.repeat(n)),
  fc.integer({ min: 10_001, max: 10_010 }).map((n) => 'я'.repeat(n) + '🙂'),
  fc.constant('a'.repeat(70_000)),
);
const text = fc.oneof(
  { weight: 4, arbitrary: fc.string({ maxLength: 30 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 30 }) },
  { weight: 1, arbitrary: fc.string({ unit: surrogate, minLength: 1, maxLength: 4 }) },
  { weight: 1, arbitrary: hugeString },
);
const dates = fc.oneof(
  fc.constantFrom(...ODD_DATES),
  fc.date({ noInvalidDate: true, min: new Date(-62_000_000_000_000), max: new Date(253_402_300_000_000) }).map((d) => d.toISOString()),
  fc.date({ noInvalidDate: true }).map((d) => d.toISOString().replace('Z', '+03:00')),
);
const numbers = fc.oneof(
  fc.integer({ min: -3, max: 15 }),
  fc.integer(),
  fc.double(),
  fc.constantFrom(2 ** 31, 2 ** 53, 2 ** 53 + 2, -(2 ** 31), 1e20, -1e20, 0.5, -0, Number.MAX_VALUE),
  // Beyond every column and beyond PHP's int64 (issue 24): a portal's intval saturates them.
  fc.constantFrom(1e300, -1e300, 2 ** 63, -(2 ** 63), 2 ** 64, 2 ** 53 + 1, 1.5, -1.5),
  fc.constantFrom('9223372036854775807', '9223372036854775808', '-9223372036854775809', '99999999999999999999', '1e300', '2147483648', '-2147483649', 'NaN', '-0', '1.5'),
);
const ids = fc.oneof(fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 12 }).map((n) => `chat${n}`), fc.integer({ min: 1, max: 12 }).map(String));
const scalar: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...INJECTIONS) },
  { weight: 3, arbitrary: ids },
  { weight: 2, arbitrary: text },
  { weight: 2, arbitrary: numbers },
  { weight: 1, arbitrary: dates },
  { weight: 1, arbitrary: fc.boolean() },
  { weight: 1, arbitrary: fc.constant(null) },
);
function nest(depth: number, leaf: unknown): unknown {
  let v = leaf;
  for (let i = 0; i < depth; i++) v = i % 2 ? [v] : { k: v };
  return v;
}
const keyName = fc.oneof(fc.string({ maxLength: 8 }), fc.constantFrom('__proto__', 'constructor', 'toString', 'valueOf', 'ID', '0', 'a[b]', 'x]', '[', 'BLOCKS'));
const value: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 8, arbitrary: scalar },
  { weight: 2, arbitrary: fc.array(scalar, { maxLength: 6 }) },
  { weight: 2, arbitrary: fc.dictionary(keyName, scalar, { maxKeys: 5 }) },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 4 }) },
  { weight: 1, arbitrary: fc.tuple(fc.integer({ min: 1, max: 14 }), scalar).map(([d, leaf]) => nest(d, leaf)) },
  { weight: 1, arbitrary: fc.integer({ min: 990, max: 2100 }).map((n) => Array.from({ length: n }, (_, i) => (i % 7) + 1)) },
);

const plausible: fc.Arbitrary<unknown> = fc.oneof(
  ids,
  fc.constantFrom('Y', 'N', 'OPEN', 'CHAT', 'RED', 'array', 'lines', 'hello [b]world[/b]', 'text', 0, 1),
  fc.string({ minLength: 1, maxLength: 12 }),
  fc.array(fc.integer({ min: 1, max: 8 }), { minLength: 1, maxLength: 3 }),
  fc.date({ noInvalidDate: true, min: new Date(0), max: new Date(4_102_444_800_000) }).map((d) => d.toISOString().replace(/\.\d+Z$/, '+00:00')),
);

function casing(name: string) {
  return fc.constantFrom(name, name.toLowerCase(), name.toUpperCase());
}

const UNKNOWN_KEYS = ['BOGUS', 'auth', 'access_token', 'start', 'state', 'bx24_request_id', '__proto__', 'constructor', 'halt', 'cmd'];

function paramsFor(def: MethodDef): fc.Arbitrary<Record<string, unknown>> {
  const known = def.params ?? [];
  const key = known.length
    ? fc.oneof({ weight: 5, arbitrary: fc.constantFrom(...known).chain(casing) }, { weight: 1, arbitrary: fc.constantFrom(...UNKNOWN_KEYS) }, { weight: 1, arbitrary: fc.string({ maxLength: 10 }) })
    : fc.oneof(fc.constantFrom(...UNKNOWN_KEYS), fc.string({ maxLength: 10 }));
  // Known names mostly get plausible values, so calls get past validation into the methods' own code.
  const knownEntry = known.length ? fc.tuple(fc.constantFrom(...known).chain(casing), fc.oneof({ weight: 3, arbitrary: plausible }, { weight: 2, arbitrary: value })) : undefined;
  const entries = knownEntry
    ? fc.array(fc.oneof({ weight: 3, arbitrary: knownEntry }, { weight: 1, arbitrary: fc.tuple(key, value) }), { maxLength: 6 })
    : fc.array(fc.tuple(key, value), { maxLength: 6 });
  if (def.name === 'batch') {
    const command = fc
      .tuple(fc.oneof(fc.constantFrom(...METHODS.map((m) => m.name)), fc.constantFrom('batch', 'nope', '', '?')), fc.dictionary(fc.string({ maxLength: 6 }), scalar, { maxKeys: 4 }))
      .map(([m, p]) => `${m}?${qs.stringify(p)}`);
    const cmd = fc.oneof(fc.array(command, { maxLength: 8 }), fc.dictionary(fc.string({ maxLength: 5 }), command, { maxKeys: 8 }), value);
    return fc.tuple(cmd, fc.constantFrom(0, 1, '', 'Y', null), entries).map(([c, halt, extra]) => toParams([['cmd', c], ['halt', halt], ...extra]));
  }
  return entries.map(toParams);
}

/** A parameter object without a prototype, so "__proto__" is an ordinary key. */
function toParams(entries: [string, unknown][]): Record<string, unknown> {
  const out: Record<string, unknown> = Object.create(null);
  for (const [k, v] of entries) out[k] = v;
  return out;
}

const inputArb: fc.Arbitrary<Input> = fc.constantFrom(...METHODS).chain((def) =>
  fc.record({
    method: fc.constant(def.name),
    params: paramsFor(def),
    encoding: fc.constantFrom<Encoding>('json', 'form', 'query'),
    corruption: fc.oneof(
      { weight: 10, arbitrary: fc.constant<Corruption>('none') },
      { weight: 1, arbitrary: fc.constantFrom<Corruption>('utf8', 'truncate', 'content-type', 'nul') },
    ),
    path: fc.constantFrom<Input['path']>('plain', 'plain', 'json', 'upper'),
    auth: fc.oneof({ weight: 12, arbitrary: fc.constant<Input['auth']>('hook') }, { weight: 3, arbitrary: fc.constant<Input['auth']>('token') }, { weight: 1, arbitrary: fc.constant<Input['auth']>('bad-token') }),
  }),
);

// ---- calling and checking ---------------------------------------------------------------------------------

interface Target {
  name: string;
  srv: TestServer;
  hook: string;
  token: string;
  /** Reads the database beside the server (SQLite or PostgreSQL): its version and a digest of every row. */
  probe: DbProbe;
  snapshot: string;
  version: string;
  calls: number;
  rejected: number;
}

function bodyOf(input: Input): { url: (base: string) => string; init: RequestInit } {
  const method = input.path === 'json' ? `${input.method}.json` : input.path === 'upper' ? input.method.toUpperCase() : input.method;
  let body: Buffer | undefined;
  let type = input.encoding === 'json' ? 'application/json' : 'application/x-www-form-urlencoded';
  let query = '';
  if (input.encoding === 'json') body = Buffer.from(JSON.stringify(input.params) ?? '{}');
  else if (input.encoding === 'form') body = Buffer.from(qs.stringify(input.params, { arrayFormat: 'indices' }));
  else query = qs.stringify(input.params, { arrayFormat: 'brackets' });
  if (body && input.corruption !== 'none') {
    const at = body.length ? body.length >> 1 : 0;
    if (input.corruption === 'utf8') body = Buffer.concat([body.subarray(0, at), Buffer.from([0xff, 0xc3, 0x28, 0xed, 0xa0, 0x80]), body.subarray(at)]);
    if (input.corruption === 'truncate') body = body.subarray(0, at);
    if (input.corruption === 'nul') body = Buffer.concat([body.subarray(0, at), Buffer.from([0]), body.subarray(at)]);
    if (input.corruption === 'content-type') type = 'text/plain; charset=koi8-r';
  }
  if (!body && input.corruption === 'utf8') query += '&X=%FF%FE%C3%28';
  return {
    url: (base) => `${base}${method}${query ? `?${query}` : ''}`,
    init: body ? { method: 'POST', headers: { 'content-type': type }, body: new Uint8Array(body) } : { method: 'GET' },
  };
}

const STATUSES = new Set([200, 400, 401, 403, 404, 405, 413, 414, 431, 503]);

function isErrorEnvelope(x: unknown): boolean {
  const e = x as { error?: unknown; error_description?: unknown };
  return !!e && typeof e === 'object' && typeof e.error === 'string' && e.error !== '' && typeof e.error_description === 'string';
}

function describeInput(input: Input): string {
  const p = JSON.stringify(input.params, (_k, v) => (typeof v === 'string' && v.length > 80 ? `${v.slice(0, 80)}...(${v.length})` : v));
  return `${input.method} [${input.encoding}, ${input.corruption}, ${input.path}, ${input.auth}] ${p?.slice(0, 600)}`;
}

async function call(t: Target, input: Input): Promise<void> {
  const { url, init } = bodyOf(input);
  const base = input.auth === 'hook' ? t.hook : `${t.srv.url}/rest/`;
  let href = url(base);
  if (input.auth !== 'hook') {
    const auth = input.auth === 'token' ? t.token : 'f'.repeat(64);
    href += `${href.includes('?') ? '&' : '?'}auth=${auth}`;
  }
  let res: Response;
  let raw: string;
  try {
    res = await fetch(href, { ...init, signal: AbortSignal.timeout(30_000) });
    raw = await res.text();
  } catch (err) {
    assert.fail(`no answer (${(err as Error).message}): ${t.name}: ${describeInput(input)}\nserver log: ${t.srv.log.slice(-1500)}`);
  }
  t.calls++;
  const where = `${t.name}: ${describeInput(input)} -> ${res.status} ${raw.slice(0, 300)}`;
  assert.ok(res.status < 500, `5xx: ${where}\nserver log: ${t.srv.log.slice(-1500)}`);
  assert.ok(STATUSES.has(res.status), `unexpected status: ${where}`);
  assert.doesNotMatch(raw, /\bat .+\.(ts|js):\d+/, `stack trace in body: ${where}`);
  let body: any;
  try {
    body = JSON.parse(raw);
  } catch {
    assert.fail(`not JSON: ${where}`);
  }
  if (res.status === 200) {
    assert.ok(body && typeof body === 'object' && 'result' in body && !('error' in body), `bad success envelope: ${where}`);
    if (input.method === 'batch' && body.result && typeof body.result === 'object') {
      const errors = body.result.result_error;
      for (const e of Object.values(Array.isArray(errors) ? errors : (errors ?? {}))) assert.ok(isErrorEnvelope(e), `bad batch error: ${where}`);
    }
  } else {
    assert.ok(isErrorEnvelope(body), `bad error envelope: ${where}`);
    t.rejected++;
  }
  const version = await t.probe.version();
  if (version !== t.version) {
    const now = await t.probe.dump();
    if (res.status !== 200) assert.equal(now, t.snapshot, `a rejected call changed stored data: ${where}`);
    t.snapshot = now;
    t.version = version;
  }
}

// ---- the suite --------------------------------------------------------------------------------------------

async function target(name: string, args: string[]): Promise<Target> {
  const srv = await startServer({ args });
  const ids: number[] = [];
  for (const n of ['Anna', 'Boris', 'Vera']) ids.push((await srv.addUser(n)).id);
  const hook = await srv.webhook(ids[0]);
  const peer = await srv.webhook(ids[1]);
  const token = (await srv.cliJson(['token', 'add', '--db', srv.dbPath, '--user', String(ids[0])])).access_token;
  // Some data for plausible ids to hit: a group chat with messages, an open chat, a one-to-one dialog.
  const chat = await ok(hook, 'im.chat.add', { USERS: [ids[1], ids[2]], TITLE: 'Fuzz', MESSAGE: 'hello' });
  await ok(peer, 'im.chat.add', { TYPE: 'OPEN', TITLE: 'Open', MESSAGE: 'open' });
  await ok(hook, 'im.message.add', { DIALOG_ID: `chat${chat}`, MESSAGE: 'first' });
  await ok(peer, 'im.message.add', { DIALOG_ID: String(ids[0]), MESSAGE: 'hi' });
  const probe = await openProbe(srv);
  return { name, srv, hook, token, probe, snapshot: await probe.dump(), version: await probe.version(), calls: 0, rejected: 0 };
}

/** Fixed malformed inputs every method gets in every encoding, so coverage does not depend on chance. */
function cannedInputs(def: MethodDef): Record<string, unknown>[] {
  const known = def.params?.length ? def.params : ['X'];
  const all = (v: unknown) => toParams(known.map((k) => [k, v]));
  return [
    toParams([]),
    all("'; DROP TABLE users; --"),
    all('x'.repeat(20_001)),
    all(nest(12, 1)),
    all([1, 'chat1', null, { a: [] }]),
    all(-1),
    all(2 ** 53),
    all(1e300),
    all('9223372036854775808'),
    all('0000-01-01T00:00:00Z'),
    all(toParams([['__proto__', 'x'], ['constructor', { prototype: 1 }]])),
    all({ toString: 1, valueOf: 'x' }),
    toParams([['BOGUS', 'x'], ['__proto__', { polluted: 1 }], ['start', '-5']]),
  ];
}

describe('fuzz: every method, malformed parameters, three encodings', () => {
  let targets: Target[];

  before(async () => {
    targets = await Promise.all([target('lenient', []), target('strict', ['--strict'])]);
  });
  after(async () => {
    const total = targets.reduce((n, t) => n + t.calls, 0);
    const rejected = targets.reduce((n, t) => n + t.rejected, 0);
    console.log(`fuzz: ${total} generated inputs tried over ${METHODS.length} methods (${rejected} rejected with a Bitrix error)`);
    for (const t of targets) {
      await t.probe.close();
      await t.srv.cleanup();
    }
  });

  it('the server registers exactly the methods the registry holds', async () => {
    const listed: string[] = await ok(targets[0].hook, 'methods', { full: 1 });
    assert.deepEqual([...listed].sort(), METHODS.map((m) => m.name).sort());
  });

  it('fixed malformed inputs for every method in every encoding', async () => {
    await Promise.all(
      targets.map(async (t) => {
        for (const def of METHODS) {
          for (const params of cannedInputs(def)) {
            for (const encoding of ['json', 'form', 'query'] as const) {
              await call(t, { method: def.name, params, encoding, corruption: 'none', path: 'plain', auth: 'hook' });
            }
          }
          await call(t, { method: def.name, params: toParams([['X', 'y']]), encoding: 'json', corruption: 'utf8', path: 'plain', auth: 'hook' });
          await call(t, { method: def.name, params: toParams([['X', 'y']]), encoding: 'form', corruption: 'utf8', path: 'json', auth: 'token' });
        }
      }),
    );
  });

  it(`random inputs for ${RANDOM_SECONDS} s`, async () => {
    await Promise.all(
      targets.map((t) =>
        fc.assert(
          fc.asyncProperty(inputArb, (input) => call(t, input)),
          {
            numRuns: 1_000_000,
            interruptAfterTimeLimit: RANDOM_SECONDS * 1000,
            markInterruptAsFailure: false,
            endOnFailure: true,
            // The failing assertion's own message in the report (without it only the counterexample is printed), and a
            // replay of a reported failure: B24IM_FUZZ_SEED=<seed> B24IM_FUZZ_PATH=<path> from the report.
            includeErrorInReport: true,
            ...(process.env.B24IM_FUZZ_SEED ? { seed: Number(process.env.B24IM_FUZZ_SEED), path: process.env.B24IM_FUZZ_PATH } : {}),
          },
        ),
      ),
    );
  });

  it('the servers are healthy and the databases intact afterwards', async () => {
    for (const t of targets) {
      assert.equal(await t.probe.integrity(), 'ok');
      assert.equal(typeof (await ok(t.hook, 'server.time')), 'string');
    }
  });
});
