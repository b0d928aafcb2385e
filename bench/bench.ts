// npm run bench: load benchmark of b24im over loopback (autocannon), a bare node:http baseline in the same run,
// the growth table, and the server's peak RSS. Prints markdown tables; not a test.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { createApp } from '../src/app/index.ts';
import { loadConfig } from '../src/config.ts';
import { openStore } from '../src/store/open.ts';
import { CACHE, isUrl, portal } from './datasets.ts';
import { growthTables, median } from './growth.ts';
import { mixedPlan, readersOnly, type MixedPlan } from './mixed.ts';
import { cpuMs, peakRssMb, startB24im, startBaseline, type Child } from './server.ts';

const { values: args } = parseArgs({
  options: {
    db: { type: 'string' },
    size: { type: 'string', default: 'm' },
    seed: { type: 'string', default: '1' },
    duration: { type: 'string', default: '10' },
    runs: { type: 'string', default: '3' },
    connections: { type: 'string', default: '50' },
    workers: { type: 'string', default: '1' },
    'skip-load': { type: 'boolean', default: false },
    'skip-growth': { type: 'boolean', default: false },
    only: { type: 'string' },
    out: { type: 'string', default: path.join(CACHE, 'last.md') },
  },
});
const log = (l: string) => process.stderr.write(`${l}\n`);
const db = args.db ?? path.join(CACHE, `${args.size}-seed${args.seed}.sqlite`);
const duration = Number(args.duration);
const runs = Number(args.runs);
const connections = Number(args.connections);

interface Scenario {
  name: string;
  /** The process serving it (CPU per request). */
  pid: () => number;
  kind: 'baseline' | 'read' | 'write';
  url: () => string;
  method?: 'GET' | 'POST';
  body?: string;
  /** Runs before each measured run (e.g. makes a change for the delta scenario). */
  before?: () => Promise<void>;
  /** Requests made per call (autocannon's requests option), instead of url / method / body alone. */
  requests?: autocannon.Request[];
  /** Load running alongside the measured one for the same time (list reads while a write is measured). */
  alongside?: Pick<Scenario, 'url' | 'requests'> & { connections: number };
}

interface Run {
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  cpu: number;
}

/** Waits until a process is idle: a loaded server may still be working through requests autocannon sent. */
async function settle(pid: number): Promise<void> {
  for (let i = 0; i < 120; i++) {
    const c0 = cpuMs(pid);
    await new Promise((r) => setTimeout(r, 500));
    if (cpuMs(pid) - c0 < 50) return;
  }
}

async function load(s: Scenario): Promise<Run> {
  await settle(s.pid());
  await s.before?.();
  const cpu0 = cpuMs(s.pid());
  const beside = s.alongside && autocannon({ ...cannonOptions({ ...s, ...s.alongside, method: 'GET', body: undefined }, duration), connections: s.alongside.connections });
  const r = await autocannon({ ...cannonOptions(s, duration), ...(s.alongside ? { connections: 1 } : {}) });
  // With load alongside, CPU is shared by every request served, not only the measured ones.
  const served = r.requests.total + (beside ? (await beside).requests.total : 0);
  const cpu = (cpuMs(s.pid()) - cpu0) / Math.max(1, served);
  return { rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, errors: r.errors + r.non2xx, cpu };
}

function cannonOptions(s: Scenario, seconds: number): autocannon.Options {
  const headers = s.body ? { 'content-type': 'application/json' } : undefined;
  return { url: s.url(), connections, duration: seconds, method: s.method ?? 'GET', body: s.body, headers, requests: s.requests };
}

const hookPath = (webhook: string) => new URL(webhook).pathname;
const fmt = (n: number, d = 0) => n.toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d });
const isoAgo = (seconds: number) => new Date(Date.now() - seconds * 1000).toISOString().replace(/\.\d+Z$/, '+00:00');

async function post(url: string, body: unknown): Promise<any> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const json = await res.json();
  if (res.status !== 200 || json.error) throw new Error(`${url} -> ${res.status} ${JSON.stringify(json)}`);
  return json;
}

/** Right after im.message.add returns: every member of the large chat sees it in their list, with the right counter. */
async function checkLargeChat(server: Child, chatId: number, authorHook: string, authorId: number): Promise<string> {
  const config = loadConfig({ dbPath: isUrl(db) ? undefined : db, databaseUrl: isUrl(db) ? db : undefined });
  const store = await openStore({ dbPath: config.dbPath, databaseUrl: config.databaseUrl });
  try {
    const app = await createApp(store, config);
    // A loaded server may still be working through requests the load generator sent: wait until the chat is quiet.
    let seq = -1;
    for (;;) {
      const current = (await store.chats.get(chatId))!.last_seq;
      if (current === seq) break;
      seq = current;
      await new Promise((r) => setTimeout(r, 1500));
    }
    const members = await store.members.list(chatId);
    const users = new Map((await store.users.getMany(members.map((m) => m.user_id))).map((u) => [u.id, u]));
    const counterOf = async (userId: number) => {
      const items = await app.recent.get(users.get(userId)!, { skipDialog: true });
      return items.find((i) => i.chat.id === chatId);
    };
    const before = new Map<number, number>();
    for (const m of members) before.set(m.user_id, (await counterOf(m.user_id))?.counter ?? 0);
    const sample = members.filter((_, i) => i % Math.ceil(members.length / 20) === 0);
    const hooks = new Map<number, string>();
    for (const m of sample) hooks.set(m.user_id, `${server.url}/rest/${m.user_id}/${(await app.auth.createWebhook(m.user_id, ['im'])).code}/`);
    const { result: messageId } = await post(`${authorHook}im.message.add`, { DIALOG_ID: `chat${chatId}`, MESSAGE: 'check after return' });
    let wrong = 0;
    for (const m of members) {
      const item = await counterOf(m.user_id);
      const expected = m.user_id === authorId ? 0 : before.get(m.user_id)! + 1;
      if (!item || item.message?.id !== messageId || item.counter !== expected) wrong++;
    }
    for (const [userId, hook] of hooks) {
      const { result } = await post(`${hook}im.recent.get`, { SKIP_DIALOG: 'Y' });
      const item = result.find((i: any) => i.chat_id === chatId);
      const expected = userId === authorId ? 0 : before.get(userId)! + 1;
      if (!item || item.message.id !== messageId || item.counter !== expected) wrong++;
    }
    return wrong === 0
      ? `all ${members.length} members (and ${hooks.size} of them over HTTP) see message ${messageId} with counter +1 right after im.message.add returned`
      : `WRONG for ${wrong} members`;
  } finally {
    await store.close();
  }
}

async function main(): Promise<void> {
  const started = Date.now();
  const lines: string[] = [];
  const say = (l = '') => {
    lines.push(l);
    process.stdout.write(`${l}\n`);
  };
  const machine = `${os.cpus().length} × ${os.cpus()[0]?.model.trim()}, ${Math.round(os.totalmem() / 2 ** 30)} GB, Node ${process.versions.node}, ${isUrl(db) ? 'PostgreSQL' : 'SQLite'}`;
  const loadAverage = () => os.loadavg().map((l) => l.toFixed(2)).join(' / ');
  say(`b24im bench, ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC, ${machine}, load average ${loadAverage()} at start`);
  say();

  if (!args['skip-load']) {
    const manifest = await portal(db, args.size!, Number(args.seed), log);
    say(`Dataset: size ${manifest.size} (seed ${manifest.seed}): ${fmt(manifest.counts.users)} users, ${fmt(manifest.counts.chats)} chats, ` +
      `${fmt(manifest.counts.members)} memberships, ${fmt(manifest.counts.messages)} messages; typical user ${manifest.typical.items} items, ` +
      `heavy user ${manifest.heavy.items} items, largest chat ${fmt(manifest.bigChat.members)} members.`);
    say(`Load: autocannon, ${connections} connections, ${duration} s per run, medians of ${runs} runs, over loopback on the same machine; b24im serve --workers ${args.workers}.`);
    say();
    const server = await startB24im(db, {}, [], Number(args.workers) > 1 ? ['--workers', args.workers!] : []);
    let baseline: Child | undefined;
    try {
      const typical = server.url + hookPath(manifest.typical.webhook);
      const heavy = server.url + hookPath(manifest.heavy.webhook);
      const bytes = Buffer.from(await (await fetch(`${typical}im.recent.get`)).arrayBuffer());
      baseline = await startBaseline(bytes);
      const b = baseline;
      const mixed: MixedPlan = await mixedPlan(db, manifest.typical.userId);
      const scenarios: Scenario[] = [
        { name: 'baseline: node:http, same bytes', kind: 'baseline', pid: () => b.pid, url: () => `${b.url}/rest/im.recent.get` },
        { name: `im.recent.get hot: typical user again and again (${manifest.typical.items} items, ${fmt(bytes.length / 1024)} KB)`, kind: 'read', pid: () => server.pid, url: () => `${typical}im.recent.get` },
        {
          name: 'im.recent.get mixed: ten users in rotation, every tenth request im.message.add',
          kind: 'read', pid: () => server.pid, url: () => server.url, requests: mixed.requests,
        },
        { name: `im.recent.get heavy (${manifest.heavy.items} items)`, kind: 'read', pid: () => server.pid, url: () => `${heavy}im.recent.get` },
        { name: 'im.recent.get typical SKIP_CHAT=Y', kind: 'read', pid: () => server.pid, url: () => `${typical}im.recent.get?SKIP_CHAT=Y` },
        {
          name: 'im.recent.get typical LAST_UPDATE=1 min ago',
          kind: 'read', pid: () => server.pid,
          url: () => `${typical}im.recent.get?LAST_UPDATE=${encodeURIComponent(isoAgo(60))}`,
          before: async () => void (await post(`${typical}im.message.add`, { DIALOG_ID: String(manifest.typical.dialogPeer), MESSAGE: 'a change for the delta' })),
        },
        { name: 'im.recent.get typical LAST_SYNC_DATE=3 days ago', kind: 'read', pid: () => server.pid, url: () => `${typical}im.recent.get?LAST_SYNC_DATE=${encodeURIComponent(isoAgo(3 * 86400))}` },
        { name: 'im.message.add to a dialog', kind: 'write', pid: () => server.pid, method: 'POST', url: () => `${typical}im.message.add`, body: JSON.stringify({ DIALOG_ID: String(manifest.typical.dialogPeer), MESSAGE: 'bench message' }) },
        { name: `im.message.add to the ${fmt(manifest.bigChat.members)}-member chat`, kind: 'write', pid: () => server.pid, method: 'POST', url: () => `${heavy}im.message.add`, body: JSON.stringify({ DIALOG_ID: `chat${manifest.bigChat.chatId}`, MESSAGE: 'bench message' }) },
        {
          name: `im.message.add to the ${fmt(manifest.bigChat.members)}-member chat, one writer beside ${connections} connections reading the mixed lists`,
          kind: 'write', pid: () => server.pid, method: 'POST', url: () => `${heavy}im.message.add`,
          body: JSON.stringify({ DIALOG_ID: `chat${manifest.bigChat.chatId}`, MESSAGE: 'bench message under reads' }),
          alongside: { connections, url: () => server.url, requests: readersOnly(mixed.requests) },
        },
      ] satisfies Scenario[] as Scenario[];
      const chosen = scenarios.filter((s) => !args.only || s.kind === 'baseline' || s.name.includes(args.only));
      // Warm up every scenario once (JIT, caches), then rounds so drift hits all scenarios alike.
      for (const s of chosen) await autocannon(cannonOptions(s, 2));
      const results = new Map<string, Run[]>();
      for (let round = 1; round <= runs; round++) {
        for (const s of chosen) {
          log(`round ${round}/${runs}: ${s.name}`);
          const r = await load(s);
          results.set(s.name, [...(results.get(s.name) ?? []), r]);
        }
      }
      const med = (name: string) => {
        const rs = results.get(name)!;
        return { rps: median(rs.map((r) => r.rps)), p50: median(rs.map((r) => r.p50)), p99: median(rs.map((r) => r.p99)), cpu: median(rs.map((r) => r.cpu)), errors: rs.reduce((a, r) => a + r.errors, 0) };
      };
      const base = med(chosen[0].name).rps;
      say('| scenario | requests/s | p50 ms | p99 ms | vs baseline | server CPU ms/request |');
      say('|---|---:|---:|---:|---:|---:|');
      for (const s of chosen) {
        const m = med(s.name);
        const ratio = s.kind === 'read' ? `${fmt((100 * m.rps) / base)}%` : s.kind === 'baseline' ? '100%' : '';
        say(`| ${s.name}${m.errors ? ` (${m.errors} errors)` : ''} | ${fmt(m.rps)} | ${fmt(m.p50, 1)} | ${fmt(m.p99, 1)} | ${ratio} | ${fmt(m.cpu, 2)} |`);
      }
      say();
      const hot = chosen.find((s) => s.name.includes(' hot:'));
      const mix = chosen.find((s) => s.name.includes(' mixed:'));
      if (hot) {
        const m = med(hot.name);
        say(`Hot: ${fmt(m.rps / base, 2)} of the bare server (target ≥ 0.5), p99 ${fmt(m.p99, 1)} ms (target < 25).`);
      }
      if (mix) {
        const m = med(mix.name);
        const st = mixed.stats();
        say(`Mixed: ${fmt(m.rps / base, 2)} of the bare server (target ≥ 0.3), p99 ${fmt(m.p99, 1)} ms; answers ${fmt(st.readBytes / Math.max(1, st.reads) / 1024)} KB on average; ` +
          `${fmt(st.writes)} writes, ${fmt(st.checked)} checks of a read against a write answered before it was sent: ${st.stale === 0 ? 'no stale answer' : `${fmt(st.stale)} STALE`}.`);
      }
      say(`Load average at the end of the load runs: ${loadAverage()}.`);
      if (!args.only || chosen.some((s) => s.name.includes('member chat'))) {
        say(`Large chat check: ${await checkLargeChat(server, manifest.bigChat.chatId, heavy, manifest.heavy.userId)}.`);
      }
      say(`Server peak RSS (VmHWM): ${peakRssMb(server.pid)} MB.`);
      say();
    } finally {
      await baseline?.stop();
      await server.stop();
    }
  }

  if (!args['skip-growth']) {
    // On PostgreSQL (--db postgres://...) the growth sets are databases next to it on the same server.
    const g = await growthTables([10_000, 100_000, 1_000_000], 100_000, log, isUrl(db) ? db : undefined);
    say(`Growth (${isUrl(db) ? 'PostgreSQL' : 'SQLite'}): server-side CPU time of a cold im.recent.get (answer cache off; dispatch, query, presentation and JSON, in-process, median), ms`);
    say();
    say(`| list size (items) | ${g.listSize.map((r) => fmt(r.items)).join(' | ')} |`);
    say(`|---|${g.listSize.map(() => '---:').join('|')}|`);
    say(`| full list | ${g.listSize.map((r) => fmt(r.ms, 2)).join(' | ')} |`);
    say(`| per item, µs | ${g.listSize.map((r) => fmt((1000 * r.ms) / Math.max(1, r.items))).join(' | ')} |`);
    say();
    say(`| messages in the database | ${g.dbSize.map((r) => fmt(r.messages)).join(' | ')} |`);
    say(`|---|${g.dbSize.map(() => '---:').join('|')}|`);
    say(`| 50-item list | ${g.dbSize.map((r) => fmt(r.ms, 2)).join(' | ')} |`);
    say();
    say(`| list size (items) | ${g.delta.map((r) => fmt(r.size)).join(' | ')} |`);
    say(`|---|${g.delta.map(() => '---:').join('|')}|`);
    say(`| LAST_UPDATE delta, 10 changed items | ${g.delta.map((r) => fmt(r.ms, 3)).join(' | ')} |`);
    const spread = Math.max(...g.delta.map((r) => r.ms)) / Math.min(...g.delta.map((r) => r.ms)) - 1;
    say();
    say(`Delta spread from ${fmt(g.delta[0].size)} to ${fmt(g.delta[g.delta.length - 1].size)} items: ${fmt(spread * 100)}% (target: within 20%).`);
    say();
  }
  say(`Bench took ${fmt((Date.now() - started) / 1000)} s.`);
  fs.mkdirSync(path.dirname(args.out!), { recursive: true });
  fs.writeFileSync(args.out!, `${lines.join('\n')}\n`);
}

main().catch((err) => {
  process.stderr.write(`bench failed: ${err?.stack ?? err}\n`);
  process.exit(1);
});
