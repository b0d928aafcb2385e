// Starts the real b24im server as a child process on a temporary database, and runs the real CLI against it.
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import qs from 'qs';
import { createTestDatabase, dropTestDatabase, TEST_BACKEND } from './pg.ts';

const execFileP = promisify(execFile);
export const ROOT = path.resolve(import.meta.dirname, '../..');
const BIN = path.join(ROOT, 'bin/b24im.js');

export interface CliResult {
  stdout: string;
  stderr: string;
  code: number;
}

export interface RestAnswer {
  status: number;
  body: any;
  headers: Headers;
}

export type Encoding = 'json' | 'form' | 'query';

export class TestServer {
  constructor(
    readonly url: string,
    readonly dbPath: string,
    readonly dir: string,
    private readonly child: ChildProcess,
    readonly env: Record<string, string>,
    private readonly output: { text: string },
    /** The HTTPS base URL when started with `https: true`. */
    readonly httpsUrl?: string,
    /** postgres://... when this server runs on PostgreSQL (B24IM_TEST_BACKEND=postgres or StartOptions.databaseUrl). */
    readonly databaseUrl?: string,
    /** The test database this server's dir owns (dropped by cleanup). */
    private readonly ownedDatabase?: string,
  ) {}

  /** The database argument of scripts and the benchmark: the postgres:// URL or the SQLite path. */
  get dbTarget(): string {
    return this.databaseUrl ?? this.dbPath;
  }

  get log(): string {
    return this.output.text;
  }

  /** Runs `b24im ARGS` on this server's database, with links pointing at this server. */
  async cli(args: string[], extraEnv: Record<string, string> = {}): Promise<CliResult> {
    try {
      const { stdout, stderr } = await execFileP(process.execPath, [BIN, ...args], {
        cwd: ROOT,
        env: {
          ...process.env,
          ...this.env,
          B24IM_PUBLIC_URL: this.url,
          ...(this.httpsUrl ? { B24IM_PUBLIC_HTTPS_URL: this.httpsUrl } : {}),
          ...extraEnv,
        },
      });
      return { stdout, stderr, code: 0 };
    } catch (err) {
      const e = err as { stdout?: string; stderr?: string; code?: number };
      return { stdout: e.stdout ?? '', stderr: e.stderr ?? '', code: typeof e.code === 'number' ? e.code : 1 };
    }
  }

  async cliJson(args: string[]): Promise<any> {
    const r = await this.cli(args);
    if (r.code !== 0) throw new Error(`b24im ${args.join(' ')} failed: ${r.stderr}`);
    return JSON.parse(r.stdout);
  }

  async addUser(name: string, lastName = 'Test', extra: string[] = []): Promise<any> {
    return this.cliJson(['user', 'add', '--db', this.dbPath, '--name', name, '--last-name', lastName, ...extra]);
  }

  /** A webhook base URL (ending in /) for a user. */
  async webhook(userId: number, scope?: string): Promise<string> {
    const args = ['webhook', 'add', '--db', this.dbPath, '--user', String(userId)];
    if (scope !== undefined) args.push('--scope', scope);
    const r = await this.cli(args);
    if (r.code !== 0) throw new Error(`webhook add failed: ${r.stderr}`);
    return r.stdout.trim();
  }

  /** The local CA certificate's path (`b24im ca`), for NODE_EXTRA_CA_CERTS. */
  async caPath(): Promise<string> {
    const r = await this.cli(['ca', '--db', this.dbPath]);
    if (r.code !== 0) throw new Error(`b24im ca failed: ${r.stderr}`);
    return r.stdout.trim();
  }

  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<number | null> {
    // A process killed by a signal has no exit code but a signal code; either way it is gone.
    if (this.child.exitCode !== null || this.child.signalCode !== null) return this.child.exitCode;
    const exited = new Promise<number | null>((resolve) => this.child.once('exit', (code) => resolve(code)));
    this.child.kill(signal);
    return exited;
  }

  async cleanup(): Promise<void> {
    await this.stop();
    if (this.ownedDatabase) await dropTestDatabase(this.ownedDatabase);
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

export interface StartOptions {
  env?: Record<string, string>;
  args?: string[];
  /** Reuse a database directory (restarts; on PostgreSQL the directory remembers its database). */
  dir?: string;
  /** Also serve HTTPS on a free port (B24IM_HTTPS_PORT=0); its URL is `httpsUrl` and webhook URLs use it. */
  https?: boolean;
  /** Run on this PostgreSQL database (several nodes on one database); the caller creates and drops it. */
  databaseUrl?: string;
  /** Force a backend regardless of B24IM_TEST_BACKEND (tests of the SQLite-to-PostgreSQL copy). */
  backend?: 'sqlite' | 'postgres';
}

const PG_MARKER = 'test-database.json';
/** Generous: on a loaded 2-core machine a cold start (tsx, migrations) can take tens of seconds. */
const STARTUP_TIMEOUT_MS = 90_000;

/** On PostgreSQL, each new directory gets a fresh database; a reused directory keeps its own. */
async function databaseFor(dir: string, opts: StartOptions): Promise<{ url?: string; owned?: string }> {
  if (opts.databaseUrl) return { url: opts.databaseUrl };
  if ((opts.backend ?? TEST_BACKEND) !== 'postgres') return {};
  const marker = path.join(dir, PG_MARKER);
  if (fs.existsSync(marker)) return JSON.parse(fs.readFileSync(marker, 'utf8'));
  const db = await createTestDatabase();
  const info = { url: db.url, owned: db.name };
  fs.writeFileSync(marker, JSON.stringify(info));
  return info;
}

export async function startServer(opts: StartOptions = {}): Promise<TestServer> {
  const dir = opts.dir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'b24im-test-'));
  const dbPath = path.join(dir, 'b24im.sqlite');
  const pgdb = await databaseFor(dir, opts);
  const env: Record<string, string> = {
    B24IM_LOG_LEVEL: 'warn',
    B24IM_DB: dbPath,
    ...(pgdb.url ? { B24IM_DATABASE_URL: pgdb.url, B24IM_DATABASE_POOL: '4' } : {}),
    ...(opts.https ? { B24IM_HTTPS_PORT: '0' } : {}),
    ...opts.env,
  };
  const child = spawn(process.execPath, [BIN, 'serve', '--port', '0', '--host', '127.0.0.1', '--db', dbPath, ...(opts.args ?? [])], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output = { text: '' };
  const started = new Promise<[string, string | undefined]>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${output.text}`)), STARTUP_TIMEOUT_MS);
    const onData = (chunk: Buffer) => {
      output.text += chunk.toString();
      const m = /b24im listening on (http:\/\/[^\s]+)/.exec(output.text);
      const tls = /b24im listening on (https:\/\/[^\s]+)/.exec(output.text);
      if (m && (!opts.https || tls)) {
        clearTimeout(timer);
        resolve([m[1], tls?.[1]]);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (c: Buffer) => (output.text += c.toString()));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}:\n${output.text}`));
    });
  });
  let url: string;
  let httpsUrl: string | undefined;
  try {
    [url, httpsUrl] = await started;
  } catch (err) {
    // A server that did not come up must not outlive the test (it would keep the test process waiting forever).
    child.kill('SIGKILL');
    if (pgdb.owned && !opts.dir) await dropTestDatabase(pgdb.owned).catch(() => {});
    throw err;
  }
  return new TestServer(url, dbPath, dir, child, env, output, httpsUrl, env.B24IM_DATABASE_URL, pgdb.owned);
}

/** Calls a REST method the way clients do: JSON POST, PHP-style form POST, or GET with a query string. */
export async function rest(base: string, method: string, params: Record<string, unknown> = {}, as: Encoding = 'json'): Promise<RestAnswer> {
  const url = base.endsWith('/') ? `${base}${method}` : `${base}/${method}`;
  let res: Response;
  if (as === 'json') {
    res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(params) });
  } else if (as === 'form') {
    res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: qs.stringify(params, { arrayFormat: 'indices' }),
    });
  } else {
    const query = qs.stringify(params, { arrayFormat: 'brackets' });
    res = await fetch(query ? `${url}?${query}` : url);
  }
  const text = await res.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = text;
  }
  return { status: res.status, body, headers: res.headers };
}

/** The result of a successful call, or a thrown error naming the Bitrix error. */
export async function ok(base: string, method: string, params: Record<string, unknown> = {}, as: Encoding = 'json'): Promise<any> {
  const r = await rest(base, method, params, as);
  if (r.status !== 200 || r.body?.error) throw new Error(`${method} -> ${r.status} ${JSON.stringify(r.body)}`);
  return r.body.result;
}
