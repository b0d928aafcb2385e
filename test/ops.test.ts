// What an operator watches: /healthz, /readyz and the Prometheus metrics, over real HTTP against a real server.
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { TEST_BACKEND } from './helpers/pg.ts';
import { ok, rest, startServer, type TestServer } from './helpers/server.ts';

/** The value of one series in Prometheus text format, e.g. series(text, 'x_total', { method: 'a' }). */
function series(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split('\n')) {
    if (!line.startsWith(name)) continue;
    const m = /^([^{\s]+)(?:\{([^}]*)\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const have = Object.fromEntries([...(m[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((x) => [x[1], x[2]]));
    if (Object.entries(labels).every(([k, v]) => have[k] === v)) return Number(m[3]);
  }
  return undefined;
}

describe('operations', () => {
  const TOKEN = 'scrape-token-0123456789';
  let srv: TestServer;
  let plain: TestServer;
  let hook: string;

  before(async () => {
    [srv, plain] = await Promise.all([startServer({ env: { B24IM_METRICS: 'on', B24IM_METRICS_TOKEN: TOKEN } }), startServer()]);
    hook = await srv.webhook(1);
  });
  after(async () => {
    await Promise.all([srv?.cleanup(), plain?.cleanup()]);
  });

  it('/healthz answers while the process runs; /readyz when the database answers', async () => {
    const health = await fetch(`${srv.url}/healthz`);
    assert.equal(health.status, 200);
    assert.deepEqual(await health.json(), { status: 'ok' });
    const ready = await fetch(`${srv.url}/readyz`);
    assert.equal(ready.status, 200);
    assert.deepEqual(await ready.json(), { status: 'ready', database: srv.databaseUrl ? 'postgres' : 'sqlite' });
  });

  it('metrics are off by default: /metrics is not served', async () => {
    const r = await fetch(`${plain.url}/metrics`);
    assert.equal(r.status, 404);
    assert.equal((await r.json()).error, 'ERROR_METHOD_NOT_FOUND');
  });

  it('with a token, only a scraper holding it reads the metrics', async () => {
    assert.equal((await fetch(`${srv.url}/metrics`)).status, 401);
    assert.equal((await fetch(`${srv.url}/metrics`, { headers: { authorization: 'Bearer wrong-token-0123456789' } })).status, 401);
    const r = await fetch(`${srv.url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
    assert.equal(r.status, 200);
    assert.match(r.headers.get('content-type') ?? '', /^text\/plain/);
  });

  it('REST calls move the counters by method and status; unknown names share one label', async () => {
    const scrape = async () => (await fetch(`${srv.url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } })).text();
    const before = await scrape();
    const count = (text: string, labels: Record<string, string>) => series(text, 'b24im_rest_requests_total', labels) ?? 0;
    for (let i = 0; i < 3; i++) await ok(hook, 'im.revision.get');
    assert.equal((await rest(hook, 'im.message.add', {})).status, 400);
    assert.equal((await rest(hook, `no.such.method.${Date.now()}`)).status, 404);
    const afterCalls = await scrape();
    assert.equal(count(afterCalls, { method: 'im.revision.get', status: '200' }) - count(before, { method: 'im.revision.get', status: '200' }), 3);
    assert.equal(count(afterCalls, { method: 'im.message.add', status: '400' }) - count(before, { method: 'im.message.add', status: '400' }), 1);
    assert.equal(count(afterCalls, { method: 'unknown', status: '404' }) - count(before, { method: 'unknown', status: '404' }), 1);
    assert.ok(!afterCalls.includes('no.such.method'));
    const histogram = series(afterCalls, 'b24im_rest_request_duration_seconds_count', { method: 'im.revision.get' }) ?? 0;
    assert.ok(histogram >= 3);
    for (const status of ['pending', 'done', 'failed']) assert.notEqual(series(afterCalls, 'b24im_outbox_events', { status }), undefined);
    assert.notEqual(series(afterCalls, 'b24im_event_delivery_failed_attempts'), undefined);
    assert.ok((series(afterCalls, 'b24im_process_resident_memory_bytes') ?? 0) > 0);
    // PostgreSQL's pool in use (the pass on SQLite has none and no such series).
    const poolMax = series(afterCalls, 'b24im_db_pool_connections', { state: 'max' });
    if (TEST_BACKEND === 'postgres') {
      assert.ok((poolMax ?? 0) >= 1);
      assert.ok((series(afterCalls, 'b24im_db_pool_connections', { state: 'total' }) ?? 0) >= 1, 'the calls opened connections');
    } else assert.equal(poolMax, undefined);
  });

  it('b24im doctor reports each check on one line and fails on a broken TLS pair', async () => {
    const good = await srv.cli(['doctor', '--db', srv.dbTarget]);
    assert.equal(good.code, 0, good.stdout + good.stderr);
    const lines = good.stdout.trim().split('\n');
    for (const what of ['configuration', 'data directory', 'free disk', 'TLS', 'web client', 'port']) {
      assert.ok(lines.some((l) => new RegExp(`^(ok|warn) +${what}: `).test(l)), `${what} in ${good.stdout}`);
    }
    assert.ok(lines.some((l) => /^ok +(SQLite|PostgreSQL) database.*all \d+ migrations applied$/.test(l)), good.stdout);
    // A certificate with a key that is not its own.
    const cert = await srv.caPath();
    const key = path.join(srv.dir, 'other.key');
    fs.writeFileSync(key, crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }));
    const bad = await srv.cli(['doctor', '--db', srv.dbTarget], { B24IM_TLS_CERT: cert, B24IM_TLS_KEY: key });
    assert.equal(bad.code, 1);
    assert.match(bad.stdout, /^FAIL TLS: the key does not belong to the certificate$/m);
  });
});
