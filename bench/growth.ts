// The growth table: server-side time of im.recent.get (dispatch + presentation + JSON), measured in-process.
import type { AuthContext } from '../src/app/auth.ts';
import { createApp } from '../src/app/index.ts';
import { loadConfig } from '../src/config.ts';
import { successBody } from '../src/http/envelope.ts';
import { buildRegistry } from '../src/methods/index.ts';
import { createDispatcher } from '../src/methods/dispatch.ts';
import { openStore } from '../src/store/open.ts';
import { GROWTH_CHANGES, GROWTH_PROBES, growth, type GrowthSet } from './datasets.ts';

const silentLog = { info() {}, warn() {}, error() {}, debug() {} } as never;

export interface Timing {
  ms: number;
  items: number;
}

export function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

interface Case {
  set: GrowthSet;
  probe: number;
  params: Record<string, unknown>;
  iterations: number;
}

/**
 * Times the cases round-robin (one call of each in turn), so that load changes on a shared machine hit every case
 * alike; the median of each case is reported.
 */
async function measureAll(cases: Case[]): Promise<Timing[]> {
  const runners: (() => Promise<number>)[] = [];
  const items: number[] = [];
  const stores: { close(): Promise<void> }[] = [];
  try {
    const opened = new Map<string, Awaited<ReturnType<typeof openStore>>>();
    for (const [i, c] of cases.entries()) {
      let store = opened.get(c.set.db);
      if (!store) {
        store = await openStore({ dbPath: c.set.db });
        opened.set(c.set.db, store);
        stores.push(store);
      }
      // The answer cache off: the table is the cost of building a list (every call a cold one).
      const config = loadConfig({ dbPath: c.set.db }, { ...process.env, B24IM_RECENT_CACHE_MB: '0' });
      const app = await createApp(store, config, { clock: () => c.set.plan.now });
      const dispatcher = createDispatcher(buildRegistry(), app);
      const user = (await app.users.get(c.set.plan.roles[`probe${c.probe}`]))!;
      const auth: AuthContext = { user, scopes: new Set(['im']), kind: 'webhook', credentialKey: 'bench' };
      runners.push(async () => {
        // CPU time, not wall time: on a shared machine a call of a few ms is often preempted, which would
        // inflate long calls far more than short ones.
        const t = process.cpuUsage();
        const out = await dispatcher.call(auth, 'im.recent.get', c.params, silentLog);
        // The answer as the envelope writes it (a RawJson result is spliced, not serialized again).
        Buffer.byteLength(successBody(out, { startMs: 0, handlerStartMs: 0, handlerEndMs: 0 }, config.timezone));
        const d = process.cpuUsage(t);
        items[i] = (JSON.parse(JSON.stringify(out.result)) as unknown[]).length;
        return (d.user + d.system) / 1000;
      });
    }
    for (const run of runners) for (let k = 0; k < 3; k++) await run();
    const times: number[][] = cases.map(() => []);
    const rounds = Math.max(...cases.map((c) => c.iterations));
    for (let r = 0; r < rounds; r++) {
      for (let i = 0; i < cases.length; i++) if (r < cases[i].iterations) times[i].push(await runners[i]());
    }
    return cases.map((_, i) => ({ ms: median(times[i]), items: items[i] }));
  } finally {
    for (const s of stores) await s.close();
  }
}

export interface GrowthTables {
  listSize: { size: number; ms: number; items: number }[];
  dbSize: { messages: number; ms: number; items: number }[];
  delta: { size: number; ms: number; items: number }[];
}

/** Probe messages: two per dialog. */
const probeMessages = (probes: number[]) => probes.reduce((s, n) => s + 2 * n, 0);

/**
 * Row 1 and the delta row: probes with 10..5,000 items in a database of `listDbMessages` messages.
 * Row 2: one 50-item probe in databases of exactly `dbSizes` messages.
 * With `pgUrl` the datasets live on that PostgreSQL server (databases next to it), else in SQLite files.
 */
export async function growthTables(dbSizes: number[], listDbMessages: number, log: (l: string) => void, pgUrl?: string): Promise<GrowthTables> {
  const lists = await growth(GROWTH_PROBES, Math.max(0, listDbMessages - probeMessages(GROWTH_PROBES)), log, pgUrl);
  const sets: GrowthSet[] = [];
  for (const total of dbSizes) sets.push(await growth([50], total - probeMessages([50]), log, pgUrl));
  const iterations = (n: number) => (n >= 5000 ? 15 : n >= 1000 ? 40 : 300);
  const lastUpdate = new Date((lists.plan.now - 60) * 1000).toISOString();
  const deltaSizes = GROWTH_PROBES.filter((n) => n >= 100);
  // The database sizes and the deltas are each timed as a round-robin group.
  const listCases = GROWTH_PROBES.map((size) => ({ set: lists, probe: size, params: {}, iterations: iterations(size) }));
  const dbCases = sets.map((set) => ({ set, probe: 50, params: {}, iterations: 300 }));
  const deltaCases = deltaSizes.map((size) => ({ set: lists, probe: size, params: { LAST_UPDATE: lastUpdate }, iterations: 1000 }));
  // List sizes one at a time: a 5,000-item call leaves a heap that would slow the small calls next to it.
  const listT: Timing[] = [];
  for (const c of listCases) listT.push(...(await measureAll([c])));
  const dbT = await measureAll(dbCases);
  const deltaT = await measureAll(deltaCases);
  const listSize = GROWTH_PROBES.map((size, i) => ({ size, ...listT[i] }));
  const dbSize = dbSizes.map((messages, i) => ({ messages, ...dbT[i] }));
  const delta = deltaSizes.map((size, i) => ({ size, ...deltaT[i] }));
  for (const d of delta) {
    if (d.items !== GROWTH_CHANGES) throw new Error(`delta of probe ${d.size} returned ${d.items} items, expected ${GROWTH_CHANGES}`);
  }
  return { listSize, dbSize, delta };
}
