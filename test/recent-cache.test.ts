// Property test of the im.recent.get cache (#18): random writes through three server processes on one database (one
// caching, one with the cache off, one whose clock is almost a window behind) and through the CLI; after each, the
// cached answer equals the uncached one byte for byte (all but the `time` block), for several users and filters.
// Writes through the other processes prove the invalidation holds across processes (versions in the database, not
// in memory); the clock moves across the 30-day window by restarting all three servers with a later clock, and
// within a run by a write dated just inside the window, which must drop out of a cached answer seconds later.
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { rest, startServer, type TestServer } from './helpers/server.ts';
import { Random } from '../src/seed/random.ts';

const SEED = Number(process.env.CACHE_SEED ?? Math.floor(Math.random() * 2 ** 31));
const STEPS = Number(process.env.CACHE_STEPS ?? 30);
const DAY = 86400;
const WINDOW = 30 * DAY;
/** Seconds a write through the "past" server stays inside the others' window. */
const EDGE = 3;
/** Clock offsets of the phases: the second moves every earlier write out of the window (none lands near its edge). */
const PHASES = [0, 31 * DAY + 3600];
const USERS = 5;
const VARIANTS: Record<string, string>[] = [{}, { SKIP_CHAT: 'Y' }, { SKIP_DIALOG: 'Y' }, { WITH_COUNTERS: 'N' }, { ONLY_OPENLINES: 'Y' }];

interface Chat {
  id: number;
  /** The two users of a dialog; undefined for a group chat. */
  pair?: [number, number];
  members: Set<number>;
  msgs: { id: number; author: number; deleted: boolean }[];
}

let cached: TestServer;
let uncached: TestServer;
let past: TestServer;
const hooks = new Map<number, string>();
const users: number[] = [];
let department = 0;

async function startAll(offset: number): Promise<void> {
  const env = { B24IM_FANOUT_LIMIT: '3', B24IM_CLOCK_OFFSET: String(offset) };
  cached = await startServer({ dir: cached?.dir, env: { ...env, B24IM_METRICS: 'on' } });
  [uncached, past] = await Promise.all([
    startServer({ dir: cached.dir, env: { ...env, B24IM_RECENT_CACHE_MB: '0' } }),
    startServer({ dir: cached.dir, env: { ...env, B24IM_RECENT_CACHE_MB: '0', B24IM_CLOCK_OFFSET: String(offset - WINDOW + EDGE) } }),
  ]);
}

async function stopAll(): Promise<void> {
  await Promise.all([uncached?.stop(), past?.stop(), cached?.stop()]);
}

/** A user's webhook on one of the servers. */
function via(server: TestServer, user: number): string {
  return new URL(new URL(hooks.get(user)!).pathname, server.url).toString();
}

/** The raw `result` text of an answer: the bytes the cache keeps (the `time` block is live in every answer). */
async function resultText(base: string, params: Record<string, string>): Promise<string> {
  const res = await fetch(`${base}im.recent.get`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(params) });
  const text = await res.text();
  assert.equal(res.status, 200, text);
  const m = /^\{"result":(.*),"time":\{[^{}]*\}\}$/s.exec(text);
  assert.ok(m, `unexpected envelope: ${text.slice(0, 200)}`);
  return m[1];
}

/** A series of the caching server's /metrics (the sum over its labels unless `labels` picks one). */
async function metric(name: string, labels = ''): Promise<number> {
  const text = await (await fetch(new URL('/metrics', cached.url))).text();
  const series = labels ? `\\{${labels}\\}` : '(?:\\{[^}]*\\})?';
  return [...text.matchAll(new RegExp(`^${name}${series} (\\S+)$`, 'gm'))].reduce((s, m) => s + Number(m[1]), 0);
}

before(async () => {
  await startAll(PHASES[0]);
  for (let i = 0; i < USERS; i++) {
    const u = await cached.addUser(`C${i}`, 'Cache');
    users.push(u.id);
    hooks.set(u.id, await cached.webhook(u.id));
  }
  department = (await cached.cliJson(['department', 'add', '--db', cached.dbPath, '--name', 'Cache dept'])).id;
});
after(async () => {
  await Promise.all([uncached?.stop(), past?.stop()]);
  await cached?.cleanup();
});

it(`cached im.recent.get equals the uncached one after random writes (seed ${SEED}, ${STEPS} steps per phase)`, async () => {
  const random = new Random(SEED);
  const rnd = () => random.float();
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)];
  const chats: Chat[] = [];
  const log: string[] = [];
  const context = () => `seed ${SEED} (CACHE_SEED=${SEED} replays it); last ops:\n${log.slice(-12).join('\n')}`;
  const writer = () => (rnd() < 0.5 ? cached : uncached);
  const dialogId = (c: Chat, u: number) => (c.pair ? String(c.pair[0] === u ? c.pair[1] : c.pair[0]) : `chat${c.id}`);
  const chatsOf = (u: number) => chats.filter((c) => c.members.has(u));
  const text = () => (rnd() < 0.3 ? `hi [USER=${pick(users)}][/USER]` : `m${log.length}`);
  /** A write that may be refused (rights this test does not model): a refused write changes nothing. */
  const call = async (server: TestServer, u: number, method: string, params: Record<string, unknown>) => {
    const r = await rest(via(server, u), method, params);
    log.push(`${server === cached ? 'A' : server === uncached ? 'B' : 'P'} u${u} ${method} ${JSON.stringify(params)} -> ${r.body?.error ?? JSON.stringify(r.body?.result)}`);
    return r.body?.error ? undefined : r.body.result;
  };

  async function send(server: TestServer, u: number, c: Chat): Promise<void> {
    const id = await call(server, u, 'im.message.add', { DIALOG_ID: dialogId(c, u), MESSAGE: text() });
    if (typeof id === 'number') c.msgs.push({ id, author: u, deleted: false });
  }

  /** Every reader and variant at once (other processes, so in parallel), then the cached one again (a hit). */
  async function check(readers: readonly number[], variants: readonly Record<string, string>[]): Promise<void> {
    const cases = readers.flatMap((u) => variants.map((v) => [u, v] as const));
    await Promise.all(
      cases.map(async ([u, v]) => {
        const [first, truth] = await Promise.all([resultText(via(cached, u), v), resultText(via(uncached, u), v)]);
        const again = await resultText(via(cached, u), v);
        assert.equal(first, truth, `user ${u} ${JSON.stringify(v)}: cached answer differs; ${context()}`);
        assert.equal(again, truth, `user ${u} ${JSON.stringify(v)}: cached answer (hit) differs; ${context()}`);
      }),
    );
  }

  const ops: Record<string, () => Promise<void>> = {
    async dialog() {
      const [a, b] = [pick(users), pick(users)];
      if (a === b) return;
      let c = chats.find((x) => x.pair && x.members.has(a) && x.members.has(b));
      if (!c) {
        const id = await call(writer(), a, 'im.message.add', { DIALOG_ID: b, MESSAGE: text() });
        if (typeof id !== 'number') return;
        const d = await call(cached, a, 'im.dialog.get', { DIALOG_ID: b });
        chats.push({ id: d.id, pair: [a, b], members: new Set([a, b]), msgs: [{ id, author: a, deleted: false }] });
        return;
      }
      await send(writer(), a, c);
    },
    async chat() {
      const u = pick(users);
      const mine = chatsOf(u).filter((c) => !c.pair);
      if (mine.length) await send(writer(), u, pick(mine));
    },
    async create() {
      const u = pick(users);
      const others = users.filter((x) => x !== u && rnd() < 0.6);
      const id = await call(writer(), u, 'im.chat.add', { USERS: others, TITLE: `t${chats.length}` });
      if (typeof id === 'number') chats.push({ id, members: new Set([u, ...others]), msgs: [] });
    },
    async read() {
      const u = pick(users);
      const c = pick(chatsOf(u));
      if (c) await call(writer(), u, 'im.dialog.read', { DIALOG_ID: dialogId(c, u) });
    },
    async unreadFrom() {
      const u = pick(users);
      const c = pick(chatsOf(u).filter((x) => x.msgs.length));
      if (c) await call(writer(), u, 'im.dialog.unread', { DIALOG_ID: dialogId(c, u), MESSAGE_ID: pick(c.msgs).id });
    },
    async mark() {
      const u = pick(users);
      const c = pick(chatsOf(u));
      if (c) await call(writer(), u, 'im.recent.unread', { DIALOG_ID: dialogId(c, u), ACTION: rnd() < 0.6 ? 'Y' : 'N' });
    },
    async pin() {
      const u = pick(users);
      const c = pick(chatsOf(u));
      if (c) await call(writer(), u, 'im.recent.pin', { DIALOG_ID: dialogId(c, u), PIN: rnd() < 0.6 ? 'Y' : 'N' });
    },
    async hide() {
      const u = pick(users);
      const c = pick(chatsOf(u));
      if (c) await call(writer(), u, 'im.recent.hide', { DIALOG_ID: dialogId(c, u) });
    },
    async mute() {
      const u = pick(users);
      const c = pick(chatsOf(u).filter((x) => !x.pair));
      if (c) await call(writer(), u, 'im.chat.mute', { CHAT_ID: c.id, ACTION: rnd() < 0.5 ? 'Y' : 'N' });
    },
    async rename() {
      const u = pick(users);
      const c = pick(chatsOf(u).filter((x) => !x.pair));
      if (c) await call(writer(), u, 'im.chat.updateTitle', { CHAT_ID: c.id, TITLE: `renamed ${log.length}` });
    },
    async color() {
      const u = pick(users);
      const c = pick(chatsOf(u).filter((x) => !x.pair));
      if (c) await call(writer(), u, 'im.chat.updateColor', { CHAT_ID: c.id, COLOR: pick(['RED', 'GREEN', 'MINT', 'PINK']) });
    },
    async join() {
      const u = pick(users);
      const c = pick(chatsOf(u).filter((x) => !x.pair));
      const outside = c ? users.filter((x) => !c.members.has(x)) : [];
      if (!outside.length) return;
      const newcomer = pick(outside);
      if ((await call(writer(), u, 'im.chat.user.add', { CHAT_ID: c.id, USERS: [newcomer] })) === true) c.members.add(newcomer);
    },
    async leave() {
      const u = pick(users);
      const c = pick(chatsOf(u).filter((x) => !x.pair));
      if (c && (await call(writer(), u, 'im.chat.leave', { CHAT_ID: c.id })) === true) c.members.delete(u);
    },
    async profile() {
      const u = pick(users);
      await call(writer(), u, 'user.update', { ID: u, ...(rnd() < 0.5 ? { NAME: `N${log.length}` } : { WORK_POSITION: `P${log.length}` }) });
    },
    async edit() {
      const u = pick(users);
      const own = chatsOf(u).map((c) => c.msgs.filter((m) => m.author === u && !m.deleted).at(-1)).filter((m) => m !== undefined);
      if (own.length) await call(writer(), u, 'im.message.update', { MESSAGE_ID: pick(own).id, MESSAGE: `edited ${log.length} [USER=${pick(users)}][/USER]` });
    },
    async remove() {
      const u = pick(users);
      const own = chatsOf(u).flatMap((c) => c.msgs.filter((m) => m.author === u && !m.deleted).slice(-2));
      if (!own.length) return;
      const m = pick(own);
      if ((await call(writer(), u, 'im.message.delete', { MESSAGE_ID: m.id })) === true) m.deleted = true;
    },
  };
  const weights: [string, number][] = [
    ['dialog', 5], ['chat', 5], ['create', 1], ['read', 3], ['unreadFrom', 1], ['mark', 1], ['pin', 1], ['hide', 1], ['mute', 1],
    ['rename', 1], ['color', 1], ['join', 2], ['leave', 1], ['profile', 1], ['edit', 1], ['remove', 1],
  ];
  const total = weights.reduce((s, [, w]) => s + w, 0);
  const chooseOp = () => {
    let r = rnd() * total;
    for (const [name, w] of weights) if ((r -= w) < 0) return name;
    return weights[0][0];
  };

  for (const [phase, offset] of PHASES.entries()) {
    let edgeChecked = false;
    if (phase > 0) {
      await stopAll();
      await startAll(offset);
      log.push(`clock +${offset}s`);
    }
    // Everything written before this phase is out of the window now (or still in it), in both answers alike.
    await check(users, VARIANTS);
    for (let step = 0; step < STEPS; step++) {
      const op = chooseOp();
      await ops[op]();
      await check([pick(users), pick(users)], [VARIANTS[0], pick(VARIANTS)]);
      // Once per phase, a profile change through the CLI (another process again) and a write near the window's edge.
      if (step === Math.floor(STEPS / 3)) {
        const u = pick(users);
        const r = await cached.cli(['department', 'assign', '--db', cached.dbPath, '--user', String(u), '--departments', rnd() < 0.5 ? '1' : `1,${department}`]);
        log.push(`cli department assign u${u} -> ${r.code} ${r.stderr.trim()}`);
        await check(users, [VARIANTS[0]]);
      }
      if (step === Math.floor((2 * STEPS) / 3)) {
        const c = pick(chats.filter((x) => x.members.size > 1));
        if (!c) continue;
        const u = pick([...c.members]);
        const t0 = Date.now();
        await send(past, u, c);
        const t1 = Date.now();
        // Inside the window until EDGE seconds after the write (whole seconds): check before, then after.
        edgeChecked = Date.now() < (Math.floor(t0 / 1000) + EDGE) * 1000;
        if (edgeChecked) await check([...c.members], [VARIANTS[0]]);
        else log.push('(edge check skipped: too slow)');
        await new Promise((r) => setTimeout(r, Math.max(0, (Math.floor(t1 / 1000) + EDGE + 1) * 1000 + 300 - Date.now())));
        await check([...c.members], [VARIANTS[0]]);
      }
    }
    await check(users, VARIANTS);
    // The cache did serve, was invalidated by versions, and expired by the clock (the edge write).
    assert.ok((await metric('b24im_recent_cache_hits_total')) > 0, 'no cache hits');
    assert.ok((await metric('b24im_recent_cache_invalidations_total', 'reason="version"')) > 0, 'no invalidations by version');
    if (edgeChecked) assert.ok((await metric('b24im_recent_cache_invalidations_total', 'reason="expired"')) > 0, 'no expiry by the clock');
  }
});
