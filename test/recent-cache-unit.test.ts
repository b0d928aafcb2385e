// The answer cache's own rules, in-process with a stand-in for the database's version token and the clock: served
// while the token and window hold, rebuilt when either moves, bounded in bytes (least recently used out first), and
// one build for concurrent misses. The end-to-end equality with uncached answers is test/recent-cache.test.ts.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RecentCache, windowExpiry, type BuiltAnswer } from '../src/app/recent-cache.ts';
import type { RecentService } from '../src/app/recent.ts';
import type { Store } from '../src/store/store.ts';

function setup(maxBytes: number) {
  const tokens = new Map<number, string>();
  const world = { now: 1_000, builds: 0 };
  const store = { recentVersions: { token: async (userId: number) => tokens.get(userId) ?? '0' } } as unknown as Store;
  const cache = new RecentCache(store, () => world.now, {} as RecentService, 30, maxBytes);
  const build = (text: string, expiresAt = Infinity) => async (): Promise<BuiltAnswer> => {
    world.builds++;
    return { json: Buffer.from(text), expiresAt };
  };
  return { cache, tokens, world, build };
}

test('served while the version token holds; a moved token rebuilds', async () => {
  const { cache, tokens, world, build } = setup(1 << 20);
  assert.equal((await cache.answer(1, 'v', build('[1]'))).toString(), '[1]');
  assert.equal((await cache.answer(1, 'v', build('[never]'))).toString(), '[1]');
  tokens.set(1, '1.0.0');
  assert.equal((await cache.answer(1, 'v', build('[2]'))).toString(), '[2]');
  // Another user's token is another user's business.
  tokens.set(2, '5.0.0');
  assert.equal((await cache.answer(1, 'v', build('[never]'))).toString(), '[2]');
  assert.equal(world.builds, 2);
  const s = cache.stats();
  assert.deepEqual([s.hits, s.misses, s.invalidations.version, s.invalidations.expired, s.entries], [2, 2, 1, 0, 1]);
});

test('an answer expires with the window, without any write', async () => {
  const { cache, world, build } = setup(1 << 20);
  await cache.answer(1, 'v', build('[old]', 1_010));
  world.now = 1_009;
  assert.equal((await cache.answer(1, 'v', build('[never]'))).toString(), '[old]');
  world.now = 1_010;
  assert.equal((await cache.answer(1, 'v', build('[new]'))).toString(), '[new]');
  assert.equal(cache.stats().invalidations.expired, 1);
  // The oldest item leaves one second after its date plus the window; no window or no items: never.
  assert.equal(windowExpiry([500, 300, 900], 100), 401);
  assert.equal(windowExpiry([], 100), Infinity);
  assert.equal(windowExpiry([300], undefined), Infinity);
});

test('bounded in bytes: least recently used out first, oversized answers not kept', async () => {
  // Each entry: 1,000 bytes of answer, its key and 200 of overhead; four fit, a quarter holds one.
  const answer = 'x'.repeat(1000);
  const { cache, build } = setup(4 * 1203 + 100);
  for (const user of [1, 2, 3, 4]) await cache.answer(user, 'v', build(answer));
  await cache.answer(1, 'v', build('[never]')); // user 1 is now the most recent
  await cache.answer(5, 'v', build(answer)); // over the bound: user 2, the least recently used, goes
  const s = cache.stats();
  assert.ok(s.bytes <= s.maxBytes, `${s.bytes} > ${s.maxBytes}`);
  assert.equal(s.evictions, 1);
  assert.equal((await cache.answer(1, 'v', build('[rebuilt]'))).toString(), answer);
  assert.equal((await cache.answer(2, 'v', build('[rebuilt]'))).toString(), '[rebuilt]');
  const before = cache.stats().entries;
  await cache.answer(9, 'v', build('y'.repeat(2000))); // more than a quarter of the cache
  assert.equal(cache.stats().entries, before);
});

test('concurrent misses on the same versions build once', async () => {
  const { cache, world, build } = setup(1 << 20);
  const answers = await Promise.all([1, 2, 3, 4].map(() => cache.answer(7, 'v', build('[7]'))));
  assert.deepEqual(answers.map(String), ['[7]', '[7]', '[7]', '[7]']);
  assert.equal(world.builds, 1);
});
