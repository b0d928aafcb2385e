// Server configuration: environment variables, overridable by command-line flags.
import path from 'node:path';
import * as z from 'zod/mini';
import en from 'zod/v4/locales/en.js';

// zod's mini build with its English messages: the full build was most of every CLI command's start-up time.
z.config(en());

/** An integer variable (a string in the environment) within bounds. */
function int(min?: number, max?: number) {
  const checks = [z.int(), ...(min === undefined ? [] : [z.minimum(min)]), ...(max === undefined ? [] : [z.maximum(max)])];
  return z.coerce.number().check(...checks);
}

function positiveNumber() {
  return z.coerce.number().check(z.positive());
}

const onOff = z.pipe(
  z.optional(z.string()),
  z.transform((v: string | undefined) => ['1', 'on', 'true', 'yes', 'y'].includes((v ?? '').trim().toLowerCase())),
);

const EnvSchema = z.object({
  PORT: z._default(int(0, 65535), 8080),
  HOST: z._default(z.string(), '0.0.0.0'),
  B24IM_DB: z._default(z.string(), './data/b24im.sqlite'),
  B24IM_DATABASE_URL: z.optional(z.string()),
  B24IM_DATABASE_POOL: z._default(int(1), 10),
  B24IM_PUBLIC_URL: z.optional(z.string()),
  B24IM_TIMEZONE: z._default(z.string(), 'UTC'),
  B24IM_LANGUAGE: z._default(z.enum(['en', 'ru']), 'en'),
  B24IM_STRICT: onOff,
  B24IM_LOG_LEVEL: z._default(z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']), 'info'),
  B24IM_BODY_LIMIT: z._default(int(1), 4 * 1024 * 1024),
  B24IM_RECENT_WINDOW_DAYS: z._default(int(1), 30),
  B24IM_FANOUT_LIMIT: z._default(int(1), 100),
  B24IM_RECENT_CACHE_MB: z._default(z.coerce.number().check(z.minimum(0)), 64),
  B24IM_FETCH_QUEUE_CAP: z._default(int(100), 50000),
  B24IM_URL_LIMIT: z._default(int(256, 65536), 8192),
  B24IM_RATE_LIMIT: z.optional(z.string()),
  B24IM_RATE_LIMIT_RPS: z.optional(positiveNumber()),
  B24IM_RATE_LIMIT_BURST: z.optional(int(1)),
  B24IM_RATE_LIMIT_REDIS: z.optional(z.string().check(z.regex(/^rediss?:\/\//, 'must be a redis:// or rediss:// URL'))),
  B24IM_RATE_LIMIT_REDIS_PREFIX: z._default(z.string(), 'b24im:rl:'),
  B24IM_HTTPS_PORT: z.optional(int(0, 65535)),
  B24IM_PUBLIC_HTTPS_URL: z.optional(z.string()),
  B24IM_TLS_HOSTS: z.optional(z.string()),
  B24IM_TLS_CERT: z.optional(z.string()),
  B24IM_TLS_KEY: z.optional(z.string()),
  B24IM_WEB_DIR: z.optional(z.string()),
  B24IM_EVENT_TIMEOUT_MS: z._default(int(1), 10_000),
  B24IM_EVENT_RETRY_BASE_MS: z._default(int(1), 10_000),
  B24IM_EVENT_RETRY: z._default(z.enum(['on', 'off', '1', '0', 'true', 'false']), 'off'),
  B24IM_EVENT_MAX_ATTEMPTS: z._default(int(1, 100), 8),
  B24IM_EVENT_POLL_MS: z._default(int(1), 1000),
  B24IM_CLOCK_OFFSET: z._default(int(), 0),
  B24IM_HEADERS_TIMEOUT_MS: z._default(int(1), 20_000),
  B24IM_REQUEST_TIMEOUT_MS: z._default(int(1), 60_000),
  B24IM_IDLE_TIMEOUT_MS: z._default(int(1), 30_000),
  B24IM_KEEP_ALIVE_TIMEOUT_MS: z._default(int(1), 5_000),
  B24IM_MAX_CONNECTIONS: z._default(int(1), 1024),
  B24IM_METRICS: onOff,
  B24IM_FILE_LIMIT: z._default(int(1), 100 * 1024 * 1024),
  B24IM_FILE_STORE: z._default(z.enum(['auto', 'local', 'postgres']), 'auto'),
  B24IM_FILES_DIR: z.optional(z.string()),
  B24IM_METRICS_TOKEN: z.optional(z.string().check(z.minLength(16))),
  B24IM_PULL_VERSION: z._default(int(3, 5), 4),
  B24IM_PULL_RETENTION_S: z._default(int(60, 7 * 86400), 86400),
  B24IM_PULL_MAX_PER_USER: z._default(int(1), 20),
  B24IM_PULL_MAX_CONNECTIONS: z._default(int(1), 20_000),
});

/** The web client's build output (npm run build:web), served at /. This module sits one level below the package
 * root both as a source (src/) and bundled (dist/). */
const DEFAULT_WEB_DIR = path.resolve(import.meta.dirname, '../web/dist');

export interface RateLimitSettings {
  /** Drain rate, requests per second. */
  rps: number;
  /** Bucket size: requests allowed at once before the drain rate applies. */
  burst: number;
  /** redis://...: buckets shared by every node through Redis; unset: each node counts on its own. */
  redisUrl?: string;
  /** Prefix of the bucket keys in Redis (several b24im installations on one Redis). */
  redisPrefix: string;
}

/** The portal's published leaky-bucket numbers (decision 15). */
export const RATE_LIMIT_PRESETS = {
  standard: { rps: 2, burst: 50 },
  enterprise: { rps: 5, burst: 250 },
} as const satisfies Record<string, Pick<RateLimitSettings, "rps" | "burst">>;

/** off / on (= standard) / standard / enterprise, with RPS / BURST overriding the preset's numbers. */
export function rateLimitFrom(
  mode: string | undefined,
  rps?: number,
  burst?: number,
  shared: { redisUrl?: string; redisPrefix?: string } = {},
): RateLimitSettings | undefined {
  const m = (mode ?? '').trim().toLowerCase();
  if (['', '0', 'off', 'false', 'no', 'n'].includes(m)) return undefined;
  const preset = m === 'enterprise' ? RATE_LIMIT_PRESETS.enterprise
    : ['1', 'on', 'true', 'yes', 'y', 'standard'].includes(m) ? RATE_LIMIT_PRESETS.standard
      : undefined;
  if (!preset) throw new Error(`Invalid configuration B24IM_RATE_LIMIT: ${mode} (off, on, standard or enterprise)`);
  return { rps: rps ?? preset.rps, burst: burst ?? preset.burst, redisUrl: shared.redisUrl, redisPrefix: shared.redisPrefix ?? 'b24im:rl:' };
}

export interface ConnectionLimits {
  /** A request's headers must arrive within this time, however slowly they trickle (408, then closed). */
  headersTimeoutMs: number;
  /** The whole request (headers and body) must arrive within this time. */
  requestTimeoutMs: number;
  /** A socket with no traffic at all for this long is closed. */
  idleTimeoutMs: number;
  /** A kept-alive connection waits this long for its next request. */
  keepAliveTimeoutMs: number;
  /** Open connections per listener; further ones are closed at once. */
  maxConnections: number;
}

export interface Config {
  port: number;
  host: string;
  /** SQLite file path, used when databaseUrl is unset. */
  dbPath: string;
  /** postgres://... selects the PostgreSQL backend (so does a --db value that is such a URL). */
  databaseUrl?: string;
  /** Largest number of PostgreSQL connections of this process. */
  databasePoolSize: number;
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
  /** Bytes of serialized im.recent.get answers kept per process (src/app/recent-cache.ts); 0 turns the cache off. */
  recentCacheBytes: number;
  /** Most events a Bots 2.0 fetch queue holds; beyond it the oldest are dropped, leaving a marker. */
  fetchQueueCap: number;
  /** Longest request URL (path and query string) in characters: 414 beyond. */
  urlLimit: number;
  /** Connection limits against slow clients and floods (docs/reliability.md): see connectionLimitsFrom. */
  connections: ConnectionLimits;
  /** Leaky-bucket rate limit per credential; undefined when off (the default, decision 15). */
  rateLimit?: RateLimitSettings;
  /** Outgoing events (bots, event.bind): see docs/bots.md on retries. */
  events: { timeoutMs: number; retryBaseMs: number; maxAttempts: number; pollMs: number };
  /** Seconds added to the messenger's clock: runs a portal "in the future" to test date windows. */
  clockOffset: number;
  /** Directory for generated files (certificates), next to the database. */
  dataDir: string;
  /** HTTPS listener port; undefined when HTTPS is off. */
  httpsPort?: number;
  /** Base https:// URL printed in webhook URLs when HTTPS is on; defaults to https://localhost:HTTPS_PORT. */
  publicHttpsUrl?: string;
  /** Extra names (DNS or IP) the generated server certificate covers besides localhost, 127.0.0.1 and ::1. */
  tlsHosts: string[];
  /** A configured certificate and key (PEM files) that replace the generated ones. */
  tlsCert?: string;
  tlsKey?: string;
  /** Static files of the web client served at /; undefined when switched off (B24IM_WEB_DIR=off). */
  webDir?: string;
  /** Prometheus metrics at /metrics: off by default; with a token, only for `Authorization: Bearer <token>`. */
  metrics: { enabled: boolean; token?: string };
  /** Push & Pull (docs/realtime.md): protocol version advertised, replay window, connection limits. */
  pull: { version: number; retentionSec: number; maxPerUser: number; maxConnections: number };
  /** Files in chats: largest file in bytes, where the bytes live (auto: PostgreSQL when the server runs on it). */
  files: { limit: number; store: 'auto' | 'local' | 'postgres'; dir: string };
}

export type ConfigOverrides = Partial<
  Pick<Config, 'port' | 'host' | 'dbPath' | 'databaseUrl' | 'strict' | 'publicUrl' | 'httpsPort' | 'publicHttpsUrl'>
> & {
  /** A `serve --rate-limit [preset]` value, replacing B24IM_RATE_LIMIT. */
  rateLimitMode?: string;
};

export function loadConfig(overrides: ConfigOverrides = {}, env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`Invalid configuration ${issue.path.join('.')}: ${issue.message}`);
  }
  const e = parsed.data;
  const port = overrides.port ?? e.PORT;
  const dbPath = overrides.dbPath ?? e.B24IM_DB;
  const dbIsUrl = /^postgres(ql)?:\/\//i.test(dbPath);
  const publicUrl = (overrides.publicUrl ?? e.B24IM_PUBLIC_URL ?? `http://localhost:${port}`).replace(/\/+$/, '');
  const httpsPort = overrides.httpsPort ?? e.B24IM_HTTPS_PORT;
  const httpsUrl = overrides.publicHttpsUrl ?? e.B24IM_PUBLIC_HTTPS_URL ?? (httpsPort === undefined ? undefined : `https://localhost:${httpsPort}`);
  if ((e.B24IM_TLS_CERT === undefined) !== (e.B24IM_TLS_KEY === undefined)) {
    throw new Error('Invalid configuration: B24IM_TLS_CERT and B24IM_TLS_KEY go together');
  }
  return {
    port,
    host: overrides.host ?? e.HOST,
    dbPath,
    databaseUrl: overrides.databaseUrl ?? e.B24IM_DATABASE_URL ?? (dbIsUrl ? dbPath : undefined),
    databasePoolSize: e.B24IM_DATABASE_POOL,
    publicUrl,
    timezone: e.B24IM_TIMEZONE,
    language: e.B24IM_LANGUAGE,
    strict: overrides.strict ?? e.B24IM_STRICT,
    logLevel: e.B24IM_LOG_LEVEL,
    bodyLimit: e.B24IM_BODY_LIMIT,
    recentWindowDays: e.B24IM_RECENT_WINDOW_DAYS,
    fanoutLimit: e.B24IM_FANOUT_LIMIT,
    recentCacheBytes: Math.floor(e.B24IM_RECENT_CACHE_MB * 1024 * 1024),
    fetchQueueCap: e.B24IM_FETCH_QUEUE_CAP,
    urlLimit: e.B24IM_URL_LIMIT,
    connections: {
      headersTimeoutMs: Math.min(e.B24IM_HEADERS_TIMEOUT_MS, e.B24IM_REQUEST_TIMEOUT_MS),
      requestTimeoutMs: e.B24IM_REQUEST_TIMEOUT_MS,
      idleTimeoutMs: e.B24IM_IDLE_TIMEOUT_MS,
      keepAliveTimeoutMs: e.B24IM_KEEP_ALIVE_TIMEOUT_MS,
      maxConnections: e.B24IM_MAX_CONNECTIONS,
    },
    rateLimit: rateLimitFrom(overrides.rateLimitMode ?? e.B24IM_RATE_LIMIT, e.B24IM_RATE_LIMIT_RPS, e.B24IM_RATE_LIMIT_BURST, {
      redisUrl: e.B24IM_RATE_LIMIT_REDIS,
      redisPrefix: e.B24IM_RATE_LIMIT_REDIS_PREFIX,
    }),
    events: {
      timeoutMs: e.B24IM_EVENT_TIMEOUT_MS,
      retryBaseMs: e.B24IM_EVENT_RETRY_BASE_MS,
      // One attempt, as a portal makes (DECISIONS 17), unless resending is switched on.
      maxAttempts: ['on', '1', 'true'].includes(e.B24IM_EVENT_RETRY) ? e.B24IM_EVENT_MAX_ATTEMPTS : 1,
      pollMs: e.B24IM_EVENT_POLL_MS,
    },
    dataDir: dbIsUrl ? path.resolve('data') : path.dirname(path.resolve(dbPath)),
    clockOffset: e.B24IM_CLOCK_OFFSET,
    httpsPort,
    publicHttpsUrl: httpsUrl?.replace(/\/+$/, ''),
    tlsHosts: (e.B24IM_TLS_HOSTS ?? '').split(',').map((h) => h.trim()).filter(Boolean),
    tlsCert: e.B24IM_TLS_CERT,
    tlsKey: e.B24IM_TLS_KEY,
    webDir: e.B24IM_WEB_DIR === 'off' ? undefined : path.resolve(e.B24IM_WEB_DIR ?? DEFAULT_WEB_DIR),
    metrics: { enabled: e.B24IM_METRICS, token: e.B24IM_METRICS_TOKEN },
    pull: {
      version: e.B24IM_PULL_VERSION,
      retentionSec: e.B24IM_PULL_RETENTION_S,
      maxPerUser: e.B24IM_PULL_MAX_PER_USER,
      maxConnections: e.B24IM_PULL_MAX_CONNECTIONS,
    },
    files: {
      limit: e.B24IM_FILE_LIMIT,
      store: e.B24IM_FILE_STORE,
      dir: path.resolve(e.B24IM_FILES_DIR ?? path.join(dbIsUrl ? path.resolve('data') : path.dirname(path.resolve(dbPath)), 'files')),
    },
  };
}

/** The base URL clients are given for REST calls: the HTTPS one when HTTPS is on (the official SDK requires it). */
export function restBaseUrl(config: Pick<Config, 'publicUrl' | 'publicHttpsUrl'>): string {
  return config.publicHttpsUrl ?? config.publicUrl;
}
