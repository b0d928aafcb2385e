// Server configuration: environment variables, overridable by command-line flags.
import path from 'node:path';
import { z } from 'zod';

const onOff = z
  .string()
  .optional()
  .transform((v) => ['1', 'on', 'true', 'yes', 'y'].includes((v ?? '').trim().toLowerCase()));

const EnvSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  HOST: z.string().default('0.0.0.0'),
  B24IM_DB: z.string().default('./data/b24im.sqlite'),
  B24IM_DATABASE_URL: z.string().optional(),
  B24IM_PUBLIC_URL: z.string().optional(),
  B24IM_TIMEZONE: z.string().default('UTC'),
  B24IM_LANGUAGE: z.enum(['en', 'ru']).default('en'),
  B24IM_STRICT: onOff,
  B24IM_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  B24IM_BODY_LIMIT: z.coerce.number().int().positive().default(4 * 1024 * 1024),
  B24IM_RECENT_WINDOW_DAYS: z.coerce.number().int().positive().default(30),
  B24IM_FANOUT_LIMIT: z.coerce.number().int().positive().default(100),
});

export interface Config {
  port: number;
  host: string;
  /** SQLite file path, used when databaseUrl is unset. */
  dbPath: string;
  /** postgres://... selects the PostgreSQL backend. */
  databaseUrl?: string;
  /** Base URL printed in webhook URLs; defaults to http://localhost:PORT. */
  publicUrl: string;
  /** IANA zone in which every ATOM date is rendered. */
  timezone: string;
  language: 'en' | 'ru';
  /** Decision 11: report a portal's silent fallbacks as 400 ERROR_ARGUMENT. */
  strict: boolean;
  logLevel: string;
  bodyLimit: number;
  /** im.recent.get without a date returns the items updated in this many days. */
  recentWindowDays: number;
  /** Chats with more members than this are read-side fanned out (see docs/performance.md). */
  fanoutLimit: number;
  /** Directory for generated files (certificates), next to the database. */
  dataDir: string;
}

export type ConfigOverrides = Partial<Pick<Config, 'port' | 'host' | 'dbPath' | 'databaseUrl' | 'strict' | 'publicUrl'>>;

export function loadConfig(overrides: ConfigOverrides = {}, env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`Invalid configuration ${issue.path.join('.')}: ${issue.message}`);
  }
  const e = parsed.data;
  const port = overrides.port ?? e.PORT;
  const dbPath = overrides.dbPath ?? e.B24IM_DB;
  const publicUrl = (overrides.publicUrl ?? e.B24IM_PUBLIC_URL ?? `http://localhost:${port}`).replace(/\/+$/, '');
  return {
    port,
    host: overrides.host ?? e.HOST,
    dbPath,
    databaseUrl: overrides.databaseUrl ?? e.B24IM_DATABASE_URL,
    publicUrl,
    timezone: e.B24IM_TIMEZONE,
    language: e.B24IM_LANGUAGE,
    strict: overrides.strict ?? e.B24IM_STRICT,
    logLevel: e.B24IM_LOG_LEVEL,
    bodyLimit: e.B24IM_BODY_LIMIT,
    recentWindowDays: e.B24IM_RECENT_WINDOW_DAYS,
    fanoutLimit: e.B24IM_FANOUT_LIMIT,
    dataDir: path.dirname(path.resolve(dbPath)),
  };
}
