// A second "node" for store tests: opens the database (migrating it if new), bootstraps the portal like a
// server does, then runs COUNT read-modify-write transactions on one counter, all at once. Prints JSON.
import { createApp } from '../../src/app/index.ts';
import { loadConfig } from '../../src/config.ts';
import { openStoreAt } from '../../src/store/open.ts';

const [target, countText] = process.argv.slice(2);
const store = await openStoreAt(target);
try {
  const app = await createApp(store, loadConfig({ dbPath: target }, {}));
  await Promise.all(
    Array.from({ length: Number(countText) }, () =>
      store.transaction(async (tx) => {
        await tx.lock('n');
        const v = Number((await tx.portal.get('n')) ?? '0');
        await new Promise((r) => setImmediate(r));
        await tx.portal.set('n', String(v + 1));
      }),
    ),
  );
  process.stdout.write(JSON.stringify({ memberId: app.memberId }));
} finally {
  await store.close();
}
