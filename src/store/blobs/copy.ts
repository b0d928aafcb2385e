// Moves file bytes from a local store into the PostgreSQL store (b24im migrate-to-postgres), so nodes on the new
// database serve every file the SQLite node had. Each content is streamed, checked against its hash, published.
import type { Store } from '../store.ts';
import { blobLockKey } from './blobs.ts';
import { LocalBlobStore } from './local.ts';
import { PostgresBlobStore } from './postgres.ts';

export async function copyBlobsToPostgres(pgStore: Store, localDir: string, onBlob?: (key: string, size: number) => void): Promise<{ copied: number; missing: string[] }> {
  const local = new LocalBlobStore(localDir);
  const shared = new PostgresBlobStore(pgStore);
  const missing: string[] = [];
  let copied = 0;
  for (const key of await pgStore.files.blobKeys()) {
    if ((await pgStore.files.chunkCount(key)) > 0) continue;
    if (!(await local.exists(key))) {
      missing.push(key);
      continue;
    }
    const staged = await shared.stage(local.open(key), Number.MAX_SAFE_INTEGER);
    if (staged.key !== key) {
      await staged.discard();
      throw new Error(`stored bytes of ${key} do not match their hash (${staged.key}); not copied`);
    }
    await pgStore.transaction(async (tx) => {
      await tx.lock(blobLockKey(key));
      await staged.publish(tx);
    });
    copied++;
    onBlob?.(key, staged.size);
  }
  return { copied, missing };
}
