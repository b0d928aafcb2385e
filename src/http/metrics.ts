// Prometheus metrics at /metrics (prom-client): REST calls by method and status with their latency, the event
// outbox by status and failed delivery attempts, PostgreSQL's connection pool, the im.recent.get cache, and the
// process's own figures (memory, CPU, event-loop lag).
// Off unless B24IM_METRICS=on; with B24IM_METRICS_TOKEN set, only `Authorization: Bearer <token>` may read them.
import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import client from 'prom-client';
import type { App } from '../app/index.ts';
import type { Registry as MethodRegistry } from '../methods/registry.ts';

export class Metrics {
  readonly registry = new client.Registry();
  private readonly calls: client.Counter<'method' | 'status'>;
  private readonly latency: client.Histogram<'method'>;

  constructor(
    app: App,
    private readonly methods: MethodRegistry,
  ) {
    client.collectDefaultMetrics({ register: this.registry, prefix: 'b24im_' });
    const registers = [this.registry];
    this.calls = new client.Counter({
      name: 'b24im_rest_requests_total',
      help: 'REST calls answered, by method and HTTP status',
      labelNames: ['method', 'status'],
      registers,
    });
    this.latency = new client.Histogram({
      name: 'b24im_rest_request_duration_seconds',
      help: 'Time from the request to the answer of REST calls, by method',
      labelNames: ['method'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers,
    });
    // Read from the database at scrape time, so every node reports the same shared outbox.
    let stats: Promise<{ byStatus: Record<string, number>; failedAttempts: number }> | undefined;
    const outboxStats = () => (stats ??= app.store.events.outboxStats().finally(() => setImmediate(() => (stats = undefined))));
    new client.Gauge({
      name: 'b24im_outbox_events',
      help: 'Outgoing events (bots, event.bind handlers) by status: pending, done, failed',
      labelNames: ['status'],
      registers,
      async collect() {
        const { byStatus } = await outboxStats();
        this.reset();
        for (const status of ['pending', 'done', 'failed']) this.set({ status }, byStatus[status] ?? 0);
      },
    });
    new client.Gauge({
      name: 'b24im_event_delivery_failed_attempts',
      help: 'Delivery attempts of outgoing events that failed (no 2xx answer in time), as kept in the event log',
      registers,
      async collect() {
        this.set((await outboxStats()).failedAttempts);
      },
    });
    this.poolGauge(app, registers);
    this.recentCacheMetrics(app, registers);
  }

  /** The im.recent.get cache of this process (src/app/recent-cache.ts): counted there, read at scrape time. */
  private recentCacheMetrics(app: App, registers: client.Registry[]): void {
    const cache = app.recentCache;
    const counter = (name: string, help: string, value: () => number) =>
      new client.Counter({ name, help, registers, collect() { this.reset(); this.inc(value()); } });
    counter('b24im_recent_cache_hits_total', 'im.recent.get answers served from the cache', () => cache.stats().hits);
    counter('b24im_recent_cache_misses_total', 'im.recent.get answers built (not cached, or the cached one was out of date)', () => cache.stats().misses);
    counter('b24im_recent_cache_evictions_total', 'Cached answers dropped to stay within B24IM_RECENT_CACHE_MB', () => cache.stats().evictions);
    new client.Counter({
      name: 'b24im_recent_cache_invalidations_total',
      help: 'Cached answers found out of date: the database versions moved (version) or the date window passed (expired)',
      labelNames: ['reason'],
      registers,
      collect() {
        const { invalidations } = cache.stats();
        this.reset();
        this.inc({ reason: 'version' }, invalidations.version);
        this.inc({ reason: 'expired' }, invalidations.expired);
      },
    });
    new client.Gauge({
      name: 'b24im_recent_cache_entries',
      help: 'Answers in the im.recent.get cache',
      registers,
      collect() {
        this.set(cache.stats().entries);
      },
    });
    new client.Gauge({
      name: 'b24im_recent_cache_bytes',
      help: 'Bytes held by the im.recent.get cache (used) and its bound (max, B24IM_RECENT_CACHE_MB)',
      labelNames: ['kind'],
      registers,
      collect() {
        const s = cache.stats();
        this.set({ kind: 'used' }, s.bytes);
        this.set({ kind: 'max' }, s.maxBytes);
      },
    });
  }

  /** PostgreSQL's pool: connections open, idle, callers waiting for one, and the most it opens. */
  private poolGauge(app: App, registers: client.Registry[]): void {
    const stats = app.store.poolStats?.bind(app.store);
    if (!stats) return;
    new client.Gauge({
      name: 'b24im_db_pool_connections',
      help: 'PostgreSQL connection pool of this node: total open, idle, waiting callers, max',
      labelNames: ['state'],
      registers,
      collect() {
        const s = stats();
        this.set({ state: 'total' }, s.total);
        this.set({ state: 'idle' }, s.idle);
        this.set({ state: 'waiting' }, s.waiting);
        this.set({ state: 'max' }, s.max);
      },
    });
  }

  /** One answered REST call. Unknown method names share one label, so clients cannot grow the series without end. */
  observe(method: string | undefined, status: number, seconds: number): void {
    const name = method && this.methods.get(method) ? method.toLowerCase() : 'unknown';
    this.calls.inc({ method: name, status: String(status) });
    this.latency.observe({ method: name }, seconds);
  }
}

/** One Metrics per app, so the HTTP and HTTPS listeners of one server count into the same series. */
const perApp = new WeakMap<App, Metrics>();
export function metricsFor(app: App, methods: MethodRegistry): Metrics | undefined {
  if (!app.config.metrics.enabled) return undefined;
  let m = perApp.get(app);
  if (!m) {
    m = new Metrics(app, methods);
    perApp.set(app, m);
  }
  return m;
}

function bearerMatches(req: FastifyRequest, token: string): boolean {
  const given = Buffer.from(/^Bearer (.+)$/i.exec(req.headers.authorization ?? '')?.[1] ?? '');
  const want = Buffer.from(token);
  return given.length === want.length && timingSafeEqual(given, want);
}

export function registerMetrics(server: FastifyInstance, app: App, metrics: Metrics): void {
  server.get('/metrics', async (req: FastifyRequest, reply: FastifyReply) => {
    const token = app.config.metrics.token;
    if (token && !bearerMatches(req, token)) {
      return reply.code(401).header('www-authenticate', 'Bearer').type('text/plain; charset=utf-8').send('unauthorized\n');
    }
    return reply.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });
}
