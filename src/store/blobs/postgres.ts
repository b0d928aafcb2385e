// Blobs in PostgreSQL, the database every node already shares: fixed-size bytea chunks, written as the upload
// streams in (one short statement per chunk, so memory holds one chunk) under a staging key, renamed to the
// content hash inside the transaction that records the file. Reads fetch a few chunks at a time.
import crypto from 'node:crypto';
import os from 'node:os';
import { Readable } from 'node:stream';
import type { Store } from '../store.ts';
import { BlobTooLarge, type BlobStore, type ByteRange, type StagedBlob } from './blobs.ts';

export const CHUNK_BYTES = 256 * 1024;
/** Chunks fetched per query when reading. */
const READ_BATCH = 4;
const STALE_STAGING_S = 24 * 3600;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export class PostgresBlobStore implements BlobStore {
  readonly backend = 'postgres' as const;

  constructor(
    private readonly store: Store,
    private readonly now: () => number = () => Math.floor(Date.now() / 1000),
  ) {}

  async stage(source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>, limit: number): Promise<StagedBlob> {
    const tmp = `tmp:${os.hostname()}:${process.pid}:${crypto.randomBytes(8).toString('hex')}`;
    await this.store.files.stagingAdd(tmp, this.now());
    const hash = crypto.createHash('sha256');
    let size = 0;
    let seq = 0;
    let pending: Buffer[] = [];
    let pendingBytes = 0;
    const flush = async (all: boolean) => {
      while (pendingBytes >= CHUNK_BYTES || (all && pendingBytes > 0)) {
        const joined = Buffer.concat(pending, pendingBytes);
        const take = Math.min(CHUNK_BYTES, joined.length);
        await this.store.files.chunkWrite(tmp, seq++, joined.subarray(0, take));
        pending = take < joined.length ? [joined.subarray(take)] : [];
        pendingBytes = joined.length - take;
      }
    };
    try {
      for await (const chunk of source) {
        size += chunk.length;
        if (size > limit) throw new BlobTooLarge(limit);
        hash.update(chunk);
        pending.push(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
        pendingBytes += chunk.length;
        await flush(false);
      }
      await flush(true);
    } catch (err) {
      await this.drop(tmp).catch(() => {});
      throw err;
    }
    const key = hash.digest('hex');
    return {
      key,
      size,
      publish: async (tx: Store) => {
        // The same content may be there already (another upload of it): keep that copy, drop ours.
        if ((await tx.files.chunkCount(key)) > 0) await tx.files.chunkDelete(tmp);
        else await tx.files.chunkRename(tmp, key);
        await tx.files.stagingRemove(tmp);
      },
      discard: () => this.drop(tmp),
    };
  }

  private async drop(tmp: string): Promise<void> {
    await this.store.transaction(async (tx) => {
      await tx.files.chunkDelete(tmp);
      await tx.files.stagingRemove(tmp);
    });
  }

  async exists(key: string): Promise<boolean> {
    return (await this.store.files.blob(key)) !== undefined;
  }

  open(key: string, range?: ByteRange): Readable {
    const files = this.store.files;
    const start = range?.start ?? 0;
    const end = range?.end;
    async function* chunks() {
      let seq = Math.floor(start / CHUNK_BYTES);
      const last = end === undefined ? Number.MAX_SAFE_INTEGER : Math.floor(end / CHUNK_BYTES);
      while (seq <= last) {
        const rows = await files.chunkRead(key, seq, Math.min(last, seq + READ_BATCH - 1));
        if (rows.length === 0) return;
        for (const row of rows) {
          if (row.seq !== seq) throw new Error(`blob ${key} is missing chunk ${seq}`);
          const base = seq * CHUNK_BYTES;
          const from = Math.max(0, start - base);
          const to = end === undefined ? row.data.length : Math.min(row.data.length, end - base + 1);
          if (to > from) yield row.data.subarray(from, to);
          seq++;
        }
      }
    }
    return Readable.from(chunks(), { objectMode: false });
  }

  async remove(tx: Store, key: string): Promise<void> {
    await tx.files.chunkDelete(key);
  }

  async sweep(): Promise<number> {
    const host = os.hostname();
    const stale = await this.store.files.stagingOlderThan(this.now() - STALE_STAGING_S);
    const all = await this.store.files.stagingOlderThan(this.now() + 1);
    const crashed = all.filter((k) => {
      const [, h, pid] = k.split(':');
      return h === host && Number(pid) !== process.pid && !alive(Number(pid));
    });
    const leftovers = [...new Set([...stale, ...crashed])];
    for (const tmp of leftovers) await this.drop(tmp);
    return leftovers.length;
  }

  async storedKeys(): Promise<string[]> {
    // Every published key is a blob row's (chunks are renamed in the transaction that adds the row).
    return this.store.files.blobKeys();
  }
}
