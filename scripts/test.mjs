#!/usr/bin/env node
// npm test: the whole suite once on SQLite and once on PostgreSQL (each server on a fresh database).
//   node scripts/test.mjs [files...]          default: test/*.test.ts
//   B24IM_TEST_BACKENDS=sqlite|postgres|sqlite,postgres   which passes to run (default both)
// Files that always use PostgreSQL themselves (several nodes, the migration) run only in the PostgreSQL pass;
// files that read the SQLite file directly only in the SQLite pass.
import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';

const ROOT = path.resolve(import.meta.dirname, '..');
const POSTGRES_ONLY = new Set(['test/multinode.test.ts', 'test/migrate-postgres.test.ts', 'test/files-multinode.test.ts', 'test/pull-multinode.test.ts', 'test/files-migrate.test.ts', 'test/bots-v2-multinode.test.ts']);
// b24im backup / restore are about the SQLite file, so that test runs in the SQLite pass only.
// The browser tests drive the web client, which knows nothing of the backend (every backend-specific behaviour is
// covered by the API tests in both passes): once is enough, and it keeps CI within its time.
const SQLITE_ONLY = new Set(['test/backup.test.ts', 'test/web.test.ts', 'test/web-files.test.ts', 'test/web-bell-search.test.ts']);
const ADMIN_URL = process.env.B24IM_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

const args = process.argv.slice(2);
const files = args.length
  ? args
  : fs.readdirSync(path.join(ROOT, 'test')).filter((f) => f.endsWith('.test.ts')).sort().map((f) => `test/${f}`);
const backends = (process.env.B24IM_TEST_BACKENDS ?? 'sqlite,postgres').split(',').map((s) => s.trim()).filter(Boolean);
const runId = crypto.randomBytes(3).toString('hex');

async function dropRunDatabases() {
  const client = new pg.Client({ connectionString: ADMIN_URL });
  await client.connect();
  try {
    const { rows } = await client.query("select datname from pg_database where starts_with(datname, $1)", [`b24im_t_${runId}_`]);
    for (const { datname } of rows) await client.query(`drop database if exists ${datname} with (force)`);
    if (rows.length) console.log(`# dropped ${rows.length} leftover test database(s)`);
  } finally {
    await client.end();
  }
}

// The tests run the real `b24im` command many times: build it so it starts compiled. bin/b24im.js runs the sources
// instead whenever they are newer than the build, so a failed build costs time, never correctness.
const build = spawnSync(process.execPath, [path.join(ROOT, 'scripts/build.mjs')], {
  cwd: ROOT,
  stdio: 'inherit',
});
if (build.status !== 0) console.log('# build failed: the tests run the TypeScript sources through tsx');

let failed = false;
for (const backend of backends) {
  const selected = files.filter((f) => !(backend === 'postgres' ? SQLITE_ONLY : POSTGRES_ONLY).has(f));
  if (!selected.length) continue;
  console.log(`# ===== backend: ${backend} (${selected.length} files) =====`);
  const started = Date.now();
  // fast-assert: a failing assert.ok without a message fails at once instead of spinning for minutes (see there).
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--import', './test/helpers/fast-assert.ts', '--test', '--test-concurrency=2', ...selected], {
    cwd: ROOT,
    stdio: 'inherit',
    env: { ...process.env, B24IM_TEST_BACKEND: backend, B24IM_TEST_RUN_ID: runId },
  });
  console.log(`# ===== backend: ${backend}: ${r.status === 0 ? 'pass' : 'FAIL'} in ${((Date.now() - started) / 1000).toFixed(1)} s =====`);
  if (r.status !== 0) failed = true;
}
if (backends.includes('postgres')) await dropRunDatabases();
process.exit(failed ? 1 : 0);
