// Options every command that touches the database shares, and the runtime such a command works in.
import type { Command } from 'commander';
import type { AuthService } from '../app/auth.ts';
import type { Runtime } from '../boot.ts';
import type { Config, ConfigOverrides } from '../config.ts';
import type { Store } from '../store/store.ts';

export interface DbOptions {
  db?: string;
  databaseUrl?: string;
  port?: number;
  publicUrl?: string;
}

export function withDbOptions(cmd: Command): Command {
  return cmd
    .option('--db <path>', 'SQLite database file (default: $B24IM_DB or ./data/b24im.sqlite)')
    .option('--database-url <url>', 'postgres://... to use PostgreSQL (default: $B24IM_DATABASE_URL)')
    .option('--public-url <url>', 'base URL printed in links (default: $B24IM_PUBLIC_URL or http://localhost:PORT)');
}

/** The configuration (environment plus these options); imported when a command runs, so `--help` stays fast. */
export async function configFrom(opts: DbOptions, extra: ConfigOverrides = {}): Promise<Config> {
  const { loadConfig } = await import('../config.ts');
  return loadConfig({
    dbPath: opts.db,
    databaseUrl: opts.databaseUrl,
    port: opts.port,
    publicUrl: opts.publicUrl,
    ...extra,
  });
}

/**
 * Runs a command against the database and closes it after. The messenger is imported only here, when a command
 * runs, so `b24im --help` and commands that need no database start fast.
 */
export async function withRuntime<T>(opts: DbOptions, fn: (rt: Runtime) => Promise<T>): Promise<T> {
  const { boot } = await import('../boot.ts');
  const rt = await boot(await configFrom(opts));
  try {
    return await fn(rt);
  } finally {
    await rt.close();
  }
}

export interface CredentialsRuntime {
  auth: AuthService;
  store: Store;
  config: Config;
}

/**
 * Runs a command about credentials (webhooks, tokens, login links) with the store and the auth service only: they
 * need none of the messenger, whose loading and wiring was most of their start-up time.
 */
export async function withCredentials<T>(opts: DbOptions, fn: (rt: CredentialsRuntime) => Promise<T>): Promise<T> {
  const config = await configFrom(opts);
  const [{ openStore }, { bootstrapPortal }, { AuthService }, { configuredClock }] = await Promise.all([
    import('../store/open.ts'),
    import('../app/portal.ts'),
    import('../app/auth.ts'),
    import('../app/clock.ts'),
  ]);
  const store = await openStore({ dbPath: config.dbPath, databaseUrl: config.databaseUrl, poolSize: 1 });
  try {
    const clock = configuredClock(config.clockOffset);
    const { memberId } = await bootstrapPortal(store, clock);
    return await fn({ auth: new AuthService(store, clock, () => memberId), store, config });
  } finally {
    await store.close();
  }
}

/** A command's output: text as it is, anything else as indented JSON. */
export function print(value: unknown): void {
  process.stdout.write(`${typeof value === 'string' ? value : JSON.stringify(value, null, 2)}\n`);
}
