// b24im doctor: checks what a server needs before it starts, one line per finding; exit code 1 if anything fails.
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import type { Command } from 'commander';
import type { Config } from '../config.ts';
import { configFrom, withDbOptions, type DbOptions } from './options.ts';

type Level = 'ok' | 'warn' | 'FAIL';
interface Finding {
  level: Level;
  what: string;
  detail: string;
}

const MIN_FREE_BYTES = 1024 ** 3;

async function knownMigrations(dialect: 'sqlite' | 'postgres'): Promise<string[]> {
  const { migrationProvider } = await import('../store/migrations/index.ts');
  return Object.keys(await migrationProvider(dialect).getMigrations());
}

async function checkDatabase(config: Config): Promise<Finding> {
  if (config.databaseUrl) {
    const { default: pg } = await import('pg');
    const client = new pg.Client({ connectionString: config.databaseUrl, connectionTimeoutMillis: 5000 });
    try {
      await client.connect();
      const table = await client.query("select to_regclass('kysely_migration') as t");
      const applied = table.rows[0].t ? (await client.query('select name from kysely_migration')).rows.map((r) => r.name as string) : [];
      return migrationsFinding('PostgreSQL database', applied, await knownMigrations('postgres'));
    } catch (err) {
      return { level: 'FAIL', what: 'PostgreSQL database', detail: `cannot connect: ${(err as Error).message}` };
    } finally {
      await client.end().catch(() => {});
    }
  }
  if (!fs.existsSync(config.dbPath)) return { level: 'ok', what: 'SQLite database', detail: `${config.dbPath} will be created at the first start` };
  const { default: SQLite } = await import('better-sqlite3');
  try {
    const db = new SQLite(config.dbPath, { readonly: true, fileMustExist: true });
    try {
      const check = db.pragma('quick_check', { simple: true });
      if (check !== 'ok') return { level: 'FAIL', what: 'SQLite database', detail: `quick_check: ${String(check)}` };
      const hasTable = db.prepare("select 1 from sqlite_master where name = 'kysely_migration'").get();
      const applied = hasTable ? (db.prepare('select name from kysely_migration').all() as { name: string }[]).map((r) => r.name) : [];
      return migrationsFinding(`SQLite database ${config.dbPath}`, applied, await knownMigrations('sqlite'));
    } finally {
      db.close();
    }
  } catch (err) {
    return { level: 'FAIL', what: 'SQLite database', detail: `${config.dbPath}: ${(err as Error).message}` };
  }
}

function migrationsFinding(what: string, applied: string[], known: string[]): Finding {
  const pending = known.filter((m) => !applied.includes(m));
  const unknown = applied.filter((m) => !known.includes(m));
  if (unknown.length) return { level: 'FAIL', what, detail: `made by a newer b24im (migrations ${unknown.join(', ')}); upgrade this one` };
  if (pending.length) return { level: 'ok', what, detail: `reachable; ${pending.length} migration(s) will run at the next start` };
  return { level: 'ok', what, detail: `reachable, all ${known.length} migrations applied` };
}

function checkDataDir(config: Config): Finding[] {
  const dir = config.dataDir;
  const existing = fs.existsSync(dir) ? dir : path.dirname(dir);
  try {
    fs.accessSync(existing, fs.constants.W_OK);
  } catch {
    return [{ level: 'FAIL', what: 'data directory', detail: `${dir} is not writable by this user` }];
  }
  const out: Finding[] = [{ level: 'ok', what: 'data directory', detail: `${dir} is writable` }];
  const fsStats = fs.statfsSync(existing);
  const free = fsStats.bavail * fsStats.bsize;
  const gib = (free / 1024 ** 3).toFixed(1);
  out.push(free < MIN_FREE_BYTES ? { level: 'warn', what: 'free disk', detail: `${gib} GiB left under ${existing}` } : { level: 'ok', what: 'free disk', detail: `${gib} GiB` });
  return out;
}

function checkTls(config: Config): Finding {
  if (config.tlsCert || config.tlsKey) {
    if (!config.tlsCert || !config.tlsKey) return { level: 'FAIL', what: 'TLS', detail: 'set both B24IM_TLS_CERT and B24IM_TLS_KEY' };
    try {
      const cert = new crypto.X509Certificate(fs.readFileSync(config.tlsCert));
      const key = crypto.createPrivateKey(fs.readFileSync(config.tlsKey));
      if (!cert.checkPrivateKey(key)) return { level: 'FAIL', what: 'TLS', detail: 'the key does not belong to the certificate' };
      const expires = Date.parse(cert.validTo);
      if (expires < Date.now()) return { level: 'FAIL', what: 'TLS', detail: `the certificate expired ${cert.validTo}` };
      return { level: 'ok', what: 'TLS', detail: `${config.tlsCert}: ${cert.subject.replace(/\n/g, ', ')}, valid until ${cert.validTo}` };
    } catch (err) {
      return { level: 'FAIL', what: 'TLS', detail: (err as Error).message };
    }
  }
  if (config.httpsPort === undefined) return { level: 'ok', what: 'TLS', detail: 'HTTPS off (B24IM_HTTPS_PORT unset)' };
  return { level: 'ok', what: 'TLS', detail: `a local CA in ${path.join(config.dataDir, 'tls')} issues the certificate (b24im ca prints it)` };
}

function checkWeb(config: Config): Finding {
  if (!config.webDir) return { level: 'ok', what: 'web client', detail: 'off (B24IM_WEB_DIR=off)' };
  return fs.existsSync(path.join(config.webDir, 'index.html'))
    ? { level: 'ok', what: 'web client', detail: config.webDir }
    : { level: 'warn', what: 'web client', detail: `not built in ${config.webDir} (npm run build:web); / will say so` };
}

function checkPort(config: Config): Promise<Finding> {
  if (config.port === 0) return Promise.resolve({ level: 'ok', what: 'port', detail: 'a free port is picked at start (0)' });
  return new Promise((resolve) => {
    const probe = net.createServer();
    probe.once('error', (err: NodeJS.ErrnoException) =>
      resolve({ level: 'warn', what: 'port', detail: `${config.host}:${config.port} is taken (${err.code}): a server already running?` }),
    );
    probe.listen(config.port, config.host, () => probe.close(() => resolve({ level: 'ok', what: 'port', detail: `${config.host}:${config.port} is free` })));
  });
}

export function registerDoctor(program: Command): void {
  withDbOptions(program.command('doctor').description('Check the configuration, database, TLS files, data directory and disk; one line each')).action(
    async (opts: DbOptions) => {
      let config: Config;
      try {
        config = await configFrom(opts);
      } catch (err) {
        process.stdout.write(`FAIL configuration: ${(err as Error).message}\n`);
        process.exitCode = 1;
        return;
      }
      const findings: Finding[] = [
        { level: 'ok', what: 'configuration', detail: `${config.databaseUrl ? 'PostgreSQL' : 'SQLite'}, zone ${config.timezone}, language ${config.language}` },
        ...checkDataDir(config),
        await checkDatabase(config),
        checkTls(config),
        checkWeb(config),
        await checkPort(config),
      ];
      for (const f of findings) process.stdout.write(`${f.level.padEnd(4)} ${f.what}: ${f.detail}\n`);
      if (findings.some((f) => f.level === 'FAIL')) process.exitCode = 1;
    },
  );
}
