// Soak: a mixed load against a server this script starts, for N minutes; reports throughput, errors and the
// server's RSS over time. Not part of CI.   npm run soak -- --minutes 10 [--connections 16] [--users 20]
import { spawn, execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs, promisify } from 'node:util';
import autocannon from 'autocannon';

const execFileP = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, '..');
const BIN = path.join(ROOT, 'bin/b24im.js');

const { values: args } = parseArgs({
  options: {
    minutes: { type: 'string', default: '10' },
    connections: { type: 'string', default: '16' },
    users: { type: 'string', default: '20' },
    interval: { type: 'string', default: '10' },
  },
});
const MINUTES = Number(args.minutes);
const CONNECTIONS = Number(args.connections);
const USERS = Number(args.users);
const INTERVAL_S = Number(args.interval);

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'b24im-soak-'));
const dbPath = path.join(dir, 'b24im.sqlite');
const env = { ...process.env, B24IM_DB: dbPath, B24IM_LOG_LEVEL: 'error', B24IM_RATE_LIMIT: 'off' };

async function cli(argv: string[]): Promise<string> {
  const { stdout } = await execFileP(process.execPath, [BIN, ...argv, '--db', dbPath], { cwd: ROOT, env });
  return stdout.trim();
}

function rssMb(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return kb / 1024;
}

async function startServer(): Promise<{ url: string; pid: number; stop: () => void }> {
  const child = spawn(process.execPath, [BIN, 'serve', '--port', '0', '--host', '127.0.0.1', '--db', dbPath], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      const m = /b24im listening on (http:\/\/\S+)/.exec(out);
      if (m) resolve(m[1]);
    });
    child.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
  });
  return { url, pid: child.pid!, stop: () => child.kill('SIGTERM') };
}

async function post(url: string, body: unknown): Promise<any> {
  const r = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const json = (await r.json()) as any;
  if (json.error) throw new Error(`${url}: ${json.error}`);
  return json.result;
}

const pick = <T>(list: T[]): T => list[Math.floor(Math.random() * list.length)];

async function main(): Promise<void> {
  const server = await startServer();
  process.on('exit', () => server.stop());
  process.stdout.write(`soak: server ${server.url} (pid ${server.pid}), database ${dbPath}\n`);

  // Users with webhooks, and group chats of various sizes.
  const hooks: { id: number; path: string }[] = [];
  const makeUser = async (i: number) => {
    const user = JSON.parse(await cli(['user', 'add', '--name', `Soak${i}`, '--last-name', 'User']));
    const url = new URL(await cli(['webhook', 'add', '--user', String(user.id)]));
    hooks.push({ id: user.id, path: url.pathname });
  };
  for (let i = 0; i < USERS; i += 5) await Promise.all(Array.from({ length: Math.min(5, USERS - i) }, (_, j) => makeUser(i + j)));
  hooks.sort((a, b) => a.id - b.id);
  const chats: { id: number; members: number[] }[] = [];
  for (let i = 0; i < 5; i++) {
    const members = hooks.filter((_, j) => j % (i + 1) === 0).map((h) => h.id);
    const ownerHook = hooks.find((h) => h.id === members[0])!;
    const id = await post(`${server.url}${ownerHook.path}im.chat.add`, { TITLE: `Soak chat ${i}`, USERS: members.slice(1), MESSAGE: 'start' });
    chats.push({ id, members });
  }
  process.stdout.write(`soak: ${USERS} users, ${chats.length} group chats; ${CONNECTIONS} connections for ${MINUTES} min\n`);

  /** One request of the mix: what a messenger's clients do most. */
  function nextRequest(): { method: 'POST'; path: string; headers: Record<string, string>; body: string } {
    const me = pick(hooks);
    const peer = pick(hooks.filter((h) => h.id !== me.id));
    const myChats = chats.filter((c) => c.members.includes(me.id));
    const dialog = myChats.length && Math.random() < 0.5 ? `chat${pick(myChats).id}` : String(peer.id);
    const r = Math.random();
    let method: string;
    let params: Record<string, unknown>;
    if (r < 0.3) [method, params] = ['im.message.add', { DIALOG_ID: dialog, MESSAGE: `soak ${Date.now()} [b]load[/b]` }];
    else if (r < 0.55) [method, params] = ['im.recent.get', {}];
    else if (r < 0.68) [method, params] = ['im.dialog.messages.get', { DIALOG_ID: dialog, LIMIT: 20 }];
    else if (r < 0.78) [method, params] = ['im.dialog.read', { DIALOG_ID: dialog }];
    else if (r < 0.88) [method, params] = ['im.counters.get', {}];
    else if (r < 0.93) [method, params] = ['batch', { cmd: { me: 'user.current', recent: 'im.recent.get', counters: 'im.counters.get' } }];
    else if (r < 0.97) [method, params] = ['im.recent.list', { LIMIT: 50 }];
    else [method, params] = ['im.user.get', { ID: peer.id }];
    return { method: 'POST', path: `${me.path}${method}`, headers: { 'content-type': 'application/json' }, body: JSON.stringify(params) };
  }

  interface Sample {
    t: number;
    requests: number;
    rps: number;
    errors: number;
    non2xx: number;
    p99: number;
    rssMb: number;
  }
  const samples: Sample[] = [];
  let windowCount = 0;
  let windowErrors = 0;
  let windowNon2xx = 0;
  let windowLatencies: number[] = [];
  let total = 0;
  const statusCounts = new Map<number, number>();

  let finished!: (r: autocannon.Result) => void;
  const done = new Promise<autocannon.Result>((resolve) => (finished = resolve));
  const instance = autocannon(
    {
      url: server.url,
      connections: CONNECTIONS,
      duration: MINUTES * 60,
      requests: [{ setupRequest: (req) => ({ ...req, ...nextRequest() }) }],
    },
    (err, result) => {
      if (err) throw err;
      finished(result);
    },
  );
  instance.on('response', (_client: unknown, statusCode: number, _bytes: number, responseTime: number) => {
    windowCount++;
    total++;
    windowLatencies.push(responseTime);
    statusCounts.set(statusCode, (statusCounts.get(statusCode) ?? 0) + 1);
    if (statusCode !== 200) windowNon2xx++;
  });
  instance.on('reqError', () => windowErrors++);

  const started = Date.now();
  const rss0 = rssMb(server.pid);
  process.stdout.write(`soak: RSS before load ${rss0.toFixed(1)} MB\n`);
  process.stdout.write('   time    req/s   p99 ms  errors  non-200   RSS MB\n');
  const timer = setInterval(() => {
    const t = Math.round((Date.now() - started) / 1000);
    windowLatencies.sort((a, b) => a - b);
    const s: Sample = {
      t,
      requests: windowCount,
      rps: windowCount / INTERVAL_S,
      errors: windowErrors,
      non2xx: windowNon2xx,
      p99: windowLatencies[Math.floor(windowLatencies.length * 0.99)] ?? 0,
      rssMb: rssMb(server.pid),
    };
    samples.push(s);
    const bar = '#'.repeat(Math.round((t / (MINUTES * 60)) * 20)).padEnd(20, '.');
    process.stdout.write(
      `${String(t).padStart(6)}s ${s.rps.toFixed(0).padStart(8)} ${s.p99.toFixed(1).padStart(8)} ${String(s.errors).padStart(7)} ${String(s.non2xx).padStart(8)} ${s.rssMb.toFixed(1).padStart(8)}  [${bar}]\n`,
    );
    windowCount = 0;
    windowErrors = 0;
    windowNon2xx = 0;
    windowLatencies = [];
  }, INTERVAL_S * 1000);

  const result = await done;
  clearInterval(timer);

  // Memory: compare the RSS of the first and last fifths of the run (after warm-up), and fit a line.
  const rss = samples.map((s) => s.rssMb);
  const fifth = Math.max(1, Math.floor(rss.length / 5));
  const avg = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
  const early = avg(rss.slice(fifth, 2 * fifth));
  const late = avg(rss.slice(-fifth));
  const xs = samples.map((s) => s.t / 60);
  const mx = avg(xs);
  const my = avg(rss);
  const slope = xs.reduce((a, x, i) => a + (x - mx) * (rss[i] - my), 0) / Math.max(1e-9, xs.reduce((a, x) => a + (x - mx) ** 2, 0));
  const size = (f: string) => (fs.existsSync(f) ? fs.statSync(f).size : 0);
  const dbMb = (size(dbPath) + size(`${dbPath}-wal`)) / 1024 / 1024;
  const summary = {
    minutes: MINUTES,
    connections: CONNECTIONS,
    requests: total,
    throughput_rps: Math.round(total / (MINUTES * 60)),
    latency_ms: { p50: result.latency.p50, p90: result.latency.p90, p99: result.latency.p99, max: result.latency.max },
    errors: result.errors,
    timeouts: result.timeouts,
    statuses: Object.fromEntries(statusCounts),
    rss_mb: { before_load: +rss0.toFixed(1), min: +Math.min(...rss).toFixed(1), max: +Math.max(...rss).toFixed(1), second_fifth_avg: +early.toFixed(1), last_fifth_avg: +late.toFixed(1), slope_mb_per_min: +slope.toFixed(2) },
    database_mb: +dbMb.toFixed(1),
  };
  process.stdout.write(`\nsoak summary:\n${JSON.stringify(summary, null, 2)}\n`);
  server.stop();
  fs.rmSync(dir, { recursive: true, force: true });
  const ok = result.errors === 0 && [...statusCounts.keys()].every((s) => s === 200);
  process.exit(ok ? 0 : 1);
}

main().catch((err) => {
  process.stderr.write(`soak failed: ${(err as Error).stack}\n`);
  process.exit(1);
});
