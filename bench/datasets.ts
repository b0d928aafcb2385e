// Seeded databases for the benchmark, generated once and cached under .tmp/bench/.
import fs from 'node:fs';
import path from 'node:path';
import { runSeed, type SeedManifest } from '../src/cli/seed.ts';
import { loadConfig } from '../src/config.ts';
import { growthPlan, type Plan } from '../src/seed/plan.ts';
import { seedPlan } from '../src/seed/run.ts';
import { openStore } from '../src/store/open.ts';

export const ROOT = path.resolve(import.meta.dirname, '..');
export const CACHE = path.join(ROOT, '.tmp', 'bench');

export function isUrl(db: string): boolean {
  return /^postgres(ql)?:\/\//.test(db);
}

/** The portal dataset (b24im seed --size SIZE): seeded into `db` unless its manifest exists. */
export async function portal(db: string, size: string, seed: number, log: (l: string) => void): Promise<SeedManifest> {
  fs.mkdirSync(CACHE, { recursive: true });
  const manifestFile = isUrl(db) ? path.join(CACHE, `pg-${size}-${seed}.json`) : `${db}.json`;
  if (fs.existsSync(manifestFile) && (isUrl(db) || fs.existsSync(db))) return JSON.parse(fs.readFileSync(manifestFile, 'utf8'));
  if (!isUrl(db)) for (const f of [db, `${db}-wal`, `${db}-shm`]) fs.rmSync(f, { force: true });
  log(`seeding the ${size} portal into ${db} (once; cached)...`);
  return runSeed({ size, seed, db, path: 'bulk', manifest: manifestFile, progress: process.stderr.isTTY === true }, log);
}

export interface GrowthSet {
  db: string;
  plan: Plan;
}

export const GROWTH_PROBES = [10, 100, 1000, 5000];
export const GROWTH_CHANGES = 10;

/** Growth datasets: probe users with fixed lists, and `filler` messages of other users around them. */
export async function growth(probes: number[], filler: number, log: (l: string) => void): Promise<GrowthSet> {
  fs.mkdirSync(CACHE, { recursive: true });
  const db = path.join(CACHE, `growth-${probes.join('_')}-${filler}.sqlite`);
  const stamp = `${db}.json`;
  const now = fs.existsSync(stamp) && fs.existsSync(db) ? (JSON.parse(fs.readFileSync(stamp, 'utf8')) as { now: number }).now : Math.floor(Date.now() / 1000);
  const plan = growthPlan({ seed: 11, now, probes, fillerMessages: filler, recentChanges: GROWTH_CHANGES });
  if (fs.existsSync(stamp) && fs.existsSync(db)) return { db, plan };
  for (const f of [db, `${db}-wal`, `${db}-shm`]) fs.rmSync(f, { force: true });
  log(`generating the growth dataset with ${filler} filler messages (once; cached)...`);
  const config = loadConfig({ dbPath: db });
  const store = await openStore({ dbPath: db });
  try {
    await seedPlan(store, config, plan, 'bulk');
  } finally {
    await store.close();
  }
  fs.writeFileSync(stamp, JSON.stringify({ now }));
  return { db, plan };
}
