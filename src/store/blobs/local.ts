// Blobs in a local directory: <dir>/ab/cd/<sha256>, written to <dir>/tmp/ first and renamed into place (atomic on
// one filesystem), fsynced before the rename so a crash never leaves a short file under a hash.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Readable } from 'node:stream';
import type { Store } from '../store.ts';
import { BlobTooLarge, isBlobKey, type BlobStore, type ByteRange, type StagedBlob } from './blobs.ts';

/** Staging files older than this are leftovers even if their process id is taken again. */
const STALE_STAGING_MS = 24 * 3600 * 1000;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export class LocalBlobStore implements BlobStore {
  readonly backend = 'local' as const;
  private readonly tmpDir: string;

  constructor(private readonly dir: string) {
    // Created on first upload: commands that never store a file leave no directory behind.
    this.tmpDir = path.join(dir, 'tmp');
  }

  private pathOf(key: string): string {
    if (!isBlobKey(key)) throw new Error(`not a blob key: ${key}`);
    return path.join(this.dir, key.slice(0, 2), key.slice(2, 4), key);
  }

  async stage(source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>, limit: number): Promise<StagedBlob> {
    // The staging name carries host and pid, so sweep() can tell a crashed upload from a running one.
    const tmp = path.join(this.tmpDir, `${os.hostname()}-${process.pid}-${crypto.randomBytes(8).toString('hex')}`);
    await fs.promises.mkdir(this.tmpDir, { recursive: true });
    const hash = crypto.createHash('sha256');
    let size = 0;
    const fh = await fs.promises.open(tmp, 'wx', 0o600);
    try {
      for await (const chunk of source) {
        size += chunk.length;
        if (size > limit) throw new BlobTooLarge(limit);
        hash.update(chunk);
        await fh.write(chunk);
      }
      await fh.sync();
    } catch (err) {
      await fh.close().catch(() => {});
      await fs.promises.rm(tmp, { force: true });
      throw err;
    }
    await fh.close();
    const key = hash.digest('hex');
    const final = this.pathOf(key);
    return {
      key,
      size,
      publish: async () => {
        await fs.promises.mkdir(path.dirname(final), { recursive: true });
        if (fs.existsSync(final)) {
          await fs.promises.rm(tmp, { force: true });
          return;
        }
        await fs.promises.rename(tmp, final);
        // The rename itself survives a power loss only once its directory is synced.
        const dh = await fs.promises.open(path.dirname(final), 'r');
        await dh.sync().finally(() => dh.close());
      },
      discard: () => fs.promises.rm(tmp, { force: true }),
    };
  }

  async exists(key: string): Promise<boolean> {
    return isBlobKey(key) && fs.existsSync(this.pathOf(key));
  }

  open(key: string, range?: ByteRange): Readable {
    return fs.createReadStream(this.pathOf(key), range ? { start: range.start, end: range.end } : {});
  }

  async remove(_tx: Store, key: string): Promise<void> {
    await fs.promises.rm(this.pathOf(key), { force: true });
  }

  async sweep(): Promise<number> {
    let removed = 0;
    const host = os.hostname();
    if (!fs.existsSync(this.tmpDir)) return 0;
    for (const name of await fs.promises.readdir(this.tmpDir)) {
      const m = /^(.*)-(\d+)-[0-9a-f]+$/.exec(name);
      const file = path.join(this.tmpDir, name);
      const stat = await fs.promises.stat(file).catch(() => undefined);
      if (!stat) continue;
      const crashed = !m || (m[1] === host && Number(m[2]) !== process.pid && !alive(Number(m[2])));
      if (crashed || Date.now() - stat.mtimeMs > STALE_STAGING_MS) {
        await fs.promises.rm(file, { force: true });
        removed++;
      }
    }
    return removed;
  }

  async storedKeys(): Promise<string[]> {
    const out: string[] = [];
    if (!fs.existsSync(this.dir)) return out;
    for (const a of await fs.promises.readdir(this.dir)) {
      if (!/^[0-9a-f]{2}$/.test(a)) continue;
      for (const b of await fs.promises.readdir(path.join(this.dir, a))) {
        for (const k of await fs.promises.readdir(path.join(this.dir, a, b))) if (isBlobKey(k)) out.push(k);
      }
    }
    return out;
  }
}
