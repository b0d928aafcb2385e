// Push & Pull benchmark: a b24im server (child process, SQLite by default or --db postgres://…) and many WebSocket
// subscribers in this process, reading the text framing. Three measurements:
//   idle    N idle connections held by one node: the server's RSS before and after, per connection
//   chat    one chat with M members, each connected: time from the end of the im.message.add call until each
//           member has the message (p50 / p99 / max over the members, several messages), and the server's CPU
//           time per message (user + system, from /proc: a figure that holds on a busy machine too), and how long
//           a REST call made as the fan-out starts waits (curl, another process: the server's event loop, not ours)
//   pairs   P dialog pairs, all connected: messages sent through REST by C concurrent senders for S seconds, and
//           how many reach their receiver per second, with the delivery latency
// Run it on a quiet machine (it reports the load average it ran under):
//   node --import tsx bench/pull.ts [--idle 10000] [--chat 5000] [--pairs 1000] [--seconds 10] [--senders 16] [--db URL]
import { execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { WebSocket } from 'ws';
import { PullChannels } from '../src/app/pull/channels.ts';
import { systemClock } from '../src/app/clock.ts';
import { openStore } from '../src/store/open.ts';

const ROOT = path.resolve(import.meta.dirname, '..');
const { values: args } = parseArgs({
  options: {
    idle: { type: 'string', default: '10000' },
    chat: { type: 'string', default: '5000' },
    pairs: { type: 'string', default: '1000' },
    seconds: { type: 'string', default: '10' },
    senders: { type: 'string', default: '16' },
    messages: { type: 'string', default: '5' },
    db: { type: 'string' },
  },
});
const IDLE = Number(args.idle);
const CHAT = Number(args.chat);
const PAIRS = Number(args.pairs);
const SECONDS = Number(args.seconds);
const SENDERS = Number(args.senders);
const MESSAGES = Number(args.messages);
const USERS = Math.max(CHAT, PAIRS * 2, Math.ceil(IDLE / 10), 2);
/** The server's connection limits: room for the largest phase (any one of them may run alone). */
const CONNECTIONS = Math.max(IDLE, CHAT, PAIRS * 2) + 1000;

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'b24im-pull-bench-'));
const dbPath = args.db ?? path.join(dir, 'b24im.sqlite');

function rssOf(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) * 1024 : 0;
}

/** CPU seconds (user + system) the process has used so far. */
function cpuOf(pid: number): number {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /s, '').split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((sorted.length - 1) * p))];
const ms = (n: number) => `${n.toFixed(1)} ms`;

async function startServer(): Promise<{ url: string; pid: number; stop(): Promise<void> }> {
  const log = path.join(dir, 'server.log');
  const out = fs.openSync(log, 'w');
  const child = spawn(process.execPath, [path.join(ROOT, 'bin/b24im.js'), 'serve', '--port', '0', '--host', '127.0.0.1', '--db', dbPath], {
    cwd: ROOT,
    env: {
      ...process.env,
      B24IM_LOG_LEVEL: 'warn',
      B24IM_MAX_CONNECTIONS: String(CONNECTIONS),
      B24IM_PULL_MAX_CONNECTIONS: String(CONNECTIONS),
      B24IM_PULL_MAX_PER_USER: '100',
    },
    stdio: ['ignore', out, out],
  });
  const deadline = Date.now() + 90_000;
  for (;;) {
    const m = /b24im listening on (http:\/\/\S+)/.exec(fs.readFileSync(log, 'utf8'));
    if (m) return { url: m[1], pid: child.pid!, stop: () => new Promise((r) => (child.once('exit', r), child.kill('SIGTERM'))) };
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(fs.readFileSync(log, 'utf8'));
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function call(url: string, method: string, params: Record<string, unknown>): Promise<any> {
  const res = await fetch(`${url}${method}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(params) });
  const body: any = await res.json();
  if (body.error) throw new Error(`${method}: ${body.error} ${body.error_description}`);
  return body.result;
}

/** server.time through curl: the seconds the server took to answer, measured outside this busy process. */
function probe(url: string): Promise<number> {
  return new Promise((resolve, reject) =>
    execFile('curl', ['-s', '-o', '/dev/null', '-w', '%{time_total}', '-X', 'POST', `${url}server.time`], (err, out) => (err ? reject(err) : resolve(Number(out) * 1000))),
  );
}

async function webhook(userId: number): Promise<string> {
  const { execFileSync } = await import('node:child_process');
  const out = execFileSync(process.execPath, [path.join(ROOT, 'bin/b24im.js'), 'webhook', 'add', '--db', dbPath, '--user', String(userId)], { encoding: 'utf8' });
  return out.trim();
}

/** A subscriber: the messages it got, with the time each arrived. */
interface Sub {
  userId: number;
  ws: WebSocket;
  arrivals: Map<number, number>;
}

const MESSAGE_ID = Buffer.from('"message":{"id":');

/**
 * The ids of the im messages in a text frame, found in its bytes rather than by parsing it: the clients here stand
 * for thousands of devices but share one process, and parsing every member's copy of a chat message (tens of KB
 * with the member list) cost them several times the server's CPU, which the latency figures then measured.
 */
function messageIds(data: Buffer): number[] {
  const ids: number[] = [];
  for (let at = data.indexOf(MESSAGE_ID); at >= 0; at = data.indexOf(MESSAGE_ID, at + MESSAGE_ID.length)) {
    let i = at + MESSAGE_ID.length;
    let id = 0;
    while (data[i] >= 0x30 && data[i] <= 0x39) id = id * 10 + data[i++] - 0x30;
    ids.push(id);
  }
  return ids;
}

function connect(base: string, channelIds: string, userId: number): Promise<Sub> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${base}/bitrix/subws/?CHANNEL_ID=${encodeURIComponent(channelIds)}`, { perMessageDeflate: false });
    const sub: Sub = { userId, ws, arrivals: new Map() };
    ws.on('message', (data: Buffer) => {
      const at = performance.now();
      for (const id of messageIds(data)) sub.arrivals.set(id, at);
    });
    ws.once('open', () => resolve(sub));
    ws.once('error', reject);
  });
}

async function connectMany(base: string, ids: Map<number, string>, userIds: number[]): Promise<Sub[]> {
  const subs: Sub[] = [];
  for (let i = 0; i < userIds.length; i += 200) {
    subs.push(...(await Promise.all(userIds.slice(i, i + 200).map((u) => connect(base, ids.get(u)!, u)))));
  }
  return subs;
}

const server = await startServer();
const base = server.url.replace(/^http/, 'ws');
try {
  console.log(`load average before: ${os.loadavg().map((n) => n.toFixed(2)).join(' ')}; ${os.cpus().length} cores`);
  // Users through the REST API (batches of 50 user.add), as an administrator would add them.
  const admin = server.url + new URL(await webhook(1)).pathname;
  const userIds: number[] = [];
  for (let i = 0; i < USERS; i += 50) {
    const cmd: Record<string, string> = {};
    for (let j = i; j < Math.min(USERS, i + 50); j++) cmd[`u${j}`] = `user.add?NAME=U${j}&LAST_NAME=Bench&EMAIL=u${j}%40bench.test`;
    const r = await call(admin, 'batch', { halt: 1, cmd });
    userIds.push(...Object.values(r.result as Record<string, number>));
  }
  // Each user's signed channels, as pull.config.get would give them (made here directly: one webhook per user would
  // cost a CLI start each).
  const store = await openStore({ dbPath, databaseUrl: args.db });
  const channels = new PullChannels(store, systemClock);
  const ids = new Map<number, string>();
  for (const u of userIds) {
    const { own, shared } = await channels.channelsOf(u, 'private');
    ids.set(u, `${await channels.signedId(own, true)}/${await channels.signedId(shared, false)}`);
  }
  await store.close();
  console.log(`${USERS} users ready`);

  // --- idle connections
  if (IDLE > 0) {
    const before = rssOf(server.pid);
    const who = Array.from({ length: IDLE }, (_, i) => userIds[i % userIds.length]);
    const subs = await connectMany(base, ids, who);
    await new Promise((r) => setTimeout(r, 2000));
    const after = rssOf(server.pid);
    console.log(`idle: ${subs.length} connections; server RSS ${(before / 2 ** 20).toFixed(1)} -> ${(after / 2 ** 20).toFixed(1)} MiB, ${((after - before) / subs.length / 1024).toFixed(1)} KiB per connection`);
    for (const s of subs) s.ws.terminate();
    await new Promise((r) => setTimeout(r, 1000));
  }

  // --- one chat, every member connected
  if (CHAT > 1) {
    const members = userIds.slice(0, CHAT);
    const chatId = await call(admin, 'im.chat.add', { TITLE: 'Everyone', USERS: members.slice(0, 50) });
    for (let i = 50; i < members.length; i += 500) await call(admin, 'im.chat.user.add', { CHAT_ID: chatId, USERS: members.slice(i, i + 500) });
    const subs = await connectMany(base, ids, members);
    const lat: number[] = [];
    const probes: number[] = [];
    const cpuBefore = cpuOf(server.pid);
    const clientBefore = process.cpuUsage();
    for (let k = 0; k < MESSAGES; k++) {
      const id: number = await call(admin, 'im.message.add', { DIALOG_ID: `chat${chatId}`, MESSAGE: `to all ${k}` });
      const returned = performance.now();
      const probing = probe(admin).then((t) => probes.push(t));
      const deadline = Date.now() + 30_000;
      while (subs.some((s) => !s.arrivals.has(id)) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
      const missing = subs.filter((s) => !s.arrivals.has(id)).length;
      if (missing) console.log(`chat: message ${k}: ${missing} of ${subs.length} members did not get it in 30 s`);
      for (const s of subs) if (s.arrivals.has(id)) lat.push(Math.max(0, s.arrivals.get(id)! - returned));
      await probing;
    }
    const cpu = ((cpuOf(server.pid) - cpuBefore) * 1000) / MESSAGES;
    const used = process.cpuUsage(clientBefore);
    const clientCpu = (used.user + used.system) / 1000 / MESSAGES;
    lat.sort((a, b) => a - b);
    console.log(`chat: ${CHAT} members connected, ${MESSAGES} messages; after the call returned: p50 ${ms(pct(lat, 0.5))}, p99 ${ms(pct(lat, 0.99))}, max ${ms(lat[lat.length - 1])}; server CPU ${ms(cpu)} per message (these ${CHAT} clients: ${ms(clientCpu)}); a REST call meanwhile: max ${ms(Math.max(...probes))}`);
    for (const s of subs) s.ws.terminate();
    await new Promise((r) => setTimeout(r, 1000));
  }

  // --- dialog pairs
  if (PAIRS > 0) {
    const senders = userIds.slice(0, PAIRS);
    const receivers = userIds.slice(PAIRS, PAIRS * 2);
    const subs = await connectMany(base, ids, [...senders, ...receivers]);
    const byUser = new Map(subs.map((s) => [s.userId, s]));
    // The administrator writes to each pair's receiver (a webhook per sender would cost a CLI start each); the
    // pair's other member stays connected, as the load of a real pair would.
    const sentAt = new Map<number, { at: number; to: number }>();
    const end = Date.now() + SECONDS * 1000;
    let n = 0;
    const t0 = performance.now();
    await Promise.all(
      Array.from({ length: SENDERS }, async () => {
        while (Date.now() < end) {
          const to = receivers[n++ % receivers.length];
          const id: number = await call(admin, 'im.message.add', { DIALOG_ID: to, MESSAGE: 'hi' });
          sentAt.set(id, { at: performance.now(), to });
        }
      }),
    );
    const sendSeconds = (performance.now() - t0) / 1000;
    await new Promise((r) => setTimeout(r, 2000));
    const lat: number[] = [];
    let delivered = 0;
    for (const [id, { at, to }] of sentAt) {
      const got = byUser.get(to)!.arrivals.get(id);
      if (got !== undefined) {
        delivered++;
        lat.push(Math.max(0, got - at));
      }
    }
    lat.sort((a, b) => a - b);
    console.log(
      `pairs: ${PAIRS} dialog pairs connected, ${SENDERS} concurrent senders for ${SECONDS} s: ${sentAt.size} sent (${(sentAt.size / sendSeconds).toFixed(0)}/s), ${delivered} delivered; latency after the call returned p50 ${ms(pct(lat, 0.5))}, p99 ${ms(pct(lat, 0.99))}`,
    );
    for (const s of subs) s.ws.terminate();
  }
  console.log(`load average after: ${os.loadavg().map((n) => n.toFixed(2)).join(' ')}`);
} finally {
  await server.stop();
  if (!args.db) fs.rmSync(dir, { recursive: true, force: true });
}
