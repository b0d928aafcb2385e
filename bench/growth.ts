// The growth table: server-side time of im.recent.get (dispatch + presentation + JSON), measured in-process.
import type { AuthContext } from '../src/app/auth.ts';
import { createApp } from '../src/app/index.ts';
import { loadConfig } from '../src/config.ts';
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

async function measure(set: GrowthSet, probeSize: number, params: Record<string, unknown>, iterations: number): Promise<Timing> {
  const config = loadConfig({ dbPath: set.db });
  const store = await openStore({ dbPath: set.db });
  try {
    const app = await createApp(store, config, { clock: () => set.plan.now });
    const dispatcher = createDispatcher(buildRegistry(), app);
    const user = (await app.users.get(set.plan.roles[`probe${probeSize}`]))!;
    const auth: AuthContext = { user, scopes: new Set(['im']), kind: 'webhook', credentialKey: 'bench' };
    let items = 0;
    const run = async () => {
      const t = process.hrtime.bigint();
      const out = await dispatcher.call(auth, 'im.recent.get', params, silentLog);
      JSON.stringify(out.result);
      items = (out.result as unknown[]).length;
      return Number(process.hrtime.bigint() - t) / 1e6;
    };
    for (let i = 0; i < 3; i++) await run();
    const times: number[] = [];
    for (let i = 0; i < iterations; i++) times.push(await run());
    return { ms: median(times), items };
  } finally {
    await store.close();
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
 */
export async function growthTables(dbSizes: number[], listDbMessages: number, log: (l: string) => void): Promise<GrowthTables> {
  const lists = await growth(GROWTH_PROBES, Math.max(0, listDbMessages - probeMessages(GROWTH_PROBES)), log);
  const sets: GrowthSet[] = [];
  for (const total of dbSizes) sets.push(await growth([50], total - probeMessages([50]), log));
  const iterations = (n: number) => (n >= 5000 ? 15 : n >= 1000 ? 30 : 100);
  const listSize = [];
  for (const size of GROWTH_PROBES) {
    const t = await measure(lists, size, {}, iterations(size));
    listSize.push({ size, ...t });
  }
  const dbSize = [];
  for (let i = 0; i < sets.length; i++) {
    const t = await measure(sets[i], 50, {}, 100);
    dbSize.push({ messages: dbSizes[i], ...t });
  }
  const largest = lists;
  const delta = [];
  const lastUpdate = new Date((largest.plan.now - 60) * 1000).toISOString();
  for (const size of GROWTH_PROBES.filter((n) => n >= 100)) {
    const t = await measure(largest, size, { LAST_UPDATE: lastUpdate }, 200);
    if (t.items !== GROWTH_CHANGES) throw new Error(`delta of probe ${size} returned ${t.items} items, expected ${GROWTH_CHANGES}`);
    delta.push({ size, ...t });
  }
  return { listSize, dbSize, delta };
}
