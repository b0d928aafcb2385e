// Fresh PostgreSQL databases for tests: created on the server's `postgres` database, dropped afterwards.
import crypto from 'node:crypto';
import pg from 'pg';

/** Maintenance connection (creates and drops databases). */
export const PG_ADMIN_URL = process.env.B24IM_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** True when the suite runs on PostgreSQL (npm test's second pass sets B24IM_TEST_BACKEND=postgres). */
export const TEST_BACKEND: 'sqlite' | 'postgres' = process.env.B24IM_TEST_BACKEND === 'postgres' ? 'postgres' : 'sqlite';

/** Names start with a per-run prefix so the runner can drop what a crashed test left behind. */
const RUN_PREFIX = `b24im_t_${process.env.B24IM_TEST_RUN_ID ?? 'manual'}_`.toLowerCase().replace(/[^a-z0-9_]/g, '');

async function admin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: PG_ADMIN_URL });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

function urlOf(name: string): string {
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

export interface TestDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

/** CREATE DATABASE with a random name; drop() removes it (closing leftover connections). */
export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `${RUN_PREFIX}${crypto.randomBytes(5).toString('hex')}`;
  await admin((c) => c.query(`create database ${name}`));
  return { name, url: urlOf(name), drop: () => dropTestDatabase(name) };
}

export async function dropTestDatabase(name: string): Promise<void> {
  if (!/^b24im_t_[a-z0-9_]+$/.test(name)) throw new Error(`refusing to drop ${name}`);
  await admin((c) => c.query(`drop database if exists ${name} with (force)`));
}

/** Drops every test database of a run (or every test database when prefix is 'b24im_t_'). */
export async function dropTestDatabases(prefix: string): Promise<string[]> {
  return admin(async (c) => {
    const { rows } = await c.query<{ datname: string }>('select datname from pg_database where datname like $1', [`${prefix}%`]);
    for (const { datname } of rows) await c.query(`drop database if exists ${datname} with (force)`);
    return rows.map((r) => r.datname);
  });
}
