// Chooses the blob store: PostgreSQL when the server runs on it (nodes share it), else the local directory.
import type { Store } from '../store.ts';
import type { BlobStore } from './blobs.ts';
import { LocalBlobStore } from './local.ts';
import { PostgresBlobStore } from './postgres.ts';

export type { BlobStore, StagedBlob, ByteRange } from './blobs.ts';
export { BlobTooLarge, blobLockKey } from './blobs.ts';

export function openBlobs(store: Store, opts: { store: 'auto' | 'local' | 'postgres'; dir: string }): BlobStore {
  const backend = opts.store === 'auto' ? (store.dialect === 'postgres' ? 'postgres' : 'local') : opts.store;
  if (backend === 'postgres') {
    if (store.dialect !== 'postgres') throw new Error('B24IM_FILE_STORE=postgres needs the PostgreSQL backend');
    return new PostgresBlobStore(store);
  }
  return new LocalBlobStore(opts.dir);
}
