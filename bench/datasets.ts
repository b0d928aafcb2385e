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

/** A database next to `url` on the same PostgreSQL server (growth sets, one per shape); `fresh` empties it first. */
async function siblingDatabase(url: string, name: string, fresh: boolean): Promise<string> {
  const { default: pg } = await import('pg');
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    // A name made of letters, digits and underscores (below), so it is safe as an identifier.
    if (fresh) await client.query(`drop database if exists ${name} with (force)`);
    const { rowCount } = await client.query('select 1 from pg_database where datname = $1', [name]);
    if (!rowCount) await client.query(`create database ${name}`);
  } finally {
    await client.end();
  }
  const target = new URL(url);
  target.pathname = `/${name}`;
  return target.toString();
}

/**
 * Growth datasets: probe users with fixed lists, and `filler` messages of other users around them. In SQLite files
 * under .tmp/bench/, or, given `pgUrl`, in databases next to it on that PostgreSQL server.
 */
export async function growth(probes: number[], filler: number, log: (l: string) => void, pgUrl?: string): Promise<GrowthSet> {
  fs.mkdirSync(CACHE, { recursive: true });
  const shape = `growth_${probes.join('_')}_${filler}`;
  const file = path.join(CACHE, `${shape.replaceAll('_', '-')}.sqlite`);
  const stamp = pgUrl ? path.join(CACHE, `pg-${shape}.json`) : `${file}.json`;
  const ready = () => fs.existsSync(stamp) && (pgUrl !== undefined || fs.existsSync(file));
  // Without its stamp a PostgreSQL set may be half seeded: it starts again from an empty database.
  const db = pgUrl ? await siblingDatabase(pgUrl, `b24im_${shape}`, !ready()) : file;
  const now = ready() ? (JSON.parse(fs.readFileSync(stamp, 'utf8')) as { now: number }).now : Math.floor(Date.now() / 1000);
  const plan = growthPlan({ seed: 11, now, probes, fillerMessages: filler, recentChanges: GROWTH_CHANGES });
  if (ready()) return { db, plan };
  if (!pgUrl) for (const f of [db, `${db}-wal`, `${db}-shm`]) fs.rmSync(f, { force: true });
  log(`generating the growth dataset with ${filler} filler messages (once; cached)...`);
  // dbPath takes a postgres:// URL as well.
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
