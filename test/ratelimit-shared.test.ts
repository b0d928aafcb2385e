// Two nodes sharing their rate-limit buckets through Redis: a client alternating between them gets the burst once,
// not once per node. A node whose Redis is away keeps answering with its own buckets.
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { rest, startServer, type TestServer } from './helpers/server.ts';

const REDIS = process.env.B24IM_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const BURST = 5;
// One request drains every 20 s: no load on the machine can refill a bucket during the test.
const LIMITS = { B24IM_RATE_LIMIT: 'on', B24IM_RATE_LIMIT_RPS: '0.05', B24IM_RATE_LIMIT_BURST: String(BURST) };

describe('rate limits shared by several nodes (Redis)', () => {
  let node1: TestServer;
  let node2: TestServer;
  let hook: string;

  before(async () => {
    const shared = { ...LIMITS, B24IM_RATE_LIMIT_REDIS: REDIS, B24IM_RATE_LIMIT_REDIS_PREFIX: `b24im-test:${crypto.randomBytes(6).toString('hex')}:` };
    node1 = await startServer({ env: shared });
    node2 = await startServer({ dir: node1.dir, env: shared });
    hook = await node1.webhook(1);
  });
  after(async () => {
    await node2.stop();
    await node1.cleanup();
  });

  it('a client alternating between two nodes gets one burst, not one per node', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 4 * BURST; i++) {
      const node = i % 2 === 0 ? node1 : node2;
      statuses.push((await rest(hook.replace(node1.url, node.url), 'server.time')).status);
    }
    const allowed = statuses.filter((s) => s === 200).length;
    assert.ok(allowed >= BURST && allowed <= BURST + 1, `allowed ${allowed} of ${statuses.length}: ${statuses.join(',')}`);
    assert.equal(statuses.filter((s) => s === 503).length, statuses.length - allowed);
    // Both nodes refuse: the bucket is one.
    for (const node of [node1, node2]) {
      const r = await rest(hook.replace(node1.url, node.url), 'server.time');
      assert.equal(r.body.error, 'QUERY_LIMIT_EXCEEDED');
      assert.ok(Number(r.headers.get('retry-after')) >= 1);
    }
  });

  it('a node whose Redis does not answer keeps serving, limited by its own buckets', async () => {
    const away = await startServer({ env: { ...LIMITS, B24IM_RATE_LIMIT_REDIS: 'redis://127.0.0.1:1' } });
    try {
      const own = await away.webhook(1);
      const statuses: number[] = [];
      for (let i = 0; i < BURST + 2; i++) statuses.push((await rest(own, 'server.time')).status);
      assert.deepEqual(statuses.slice(0, BURST), Array(BURST).fill(200));
      assert.equal(statuses[BURST + 1], 503);
      assert.match(away.log, /Redis unreachable/);
    } finally {
      await away.cleanup();
    }
  });
});
