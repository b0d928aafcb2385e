// The bytes of files, behind one interface: a local content-addressed directory, or PostgreSQL shared by nodes.
// A blob is named by the sha256 of its content (hex), so two uploads of the same bytes share one copy.
//
// Writing is two-phase so that no partial file is ever visible: stage() streams the content into a private place
// (hashing and counting as it goes); publish() (inside the transaction that records the file, holding the blob's
// lock) makes it visible under its hash. A crash before publish leaves only staging leftovers, which sweep()
// removes when the node starts again.
import type { Readable } from 'node:stream';
import type { Store } from '../store.ts';

/** Raised by stage() when the content exceeds the limit (nothing of it is kept). */
export class BlobTooLarge extends Error {
  constructor(readonly limit: number) {
    super(`content exceeds ${limit} bytes`);
  }
}

export interface StagedBlob {
  /** sha256 of the content, hex. */
  readonly key: string;
  readonly size: number;
  /** Inside a transaction holding blobLockKey(key): the bytes become readable under `key`. */
  publish(tx: Store): Promise<void>;
  /** Drops the staged bytes (the upload failed or was refused). */
  discard(): Promise<void>;
}

export interface ByteRange {
  start: number;
  /** Inclusive, as in an HTTP Range header. */
  end: number;
}

export interface BlobStore {
  readonly backend: 'local' | 'postgres';
  stage(source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>, limit: number): Promise<StagedBlob>;
  exists(key: string): Promise<boolean>;
  /** The content (or a slice of it) as a stream, read a chunk at a time. */
  open(key: string, range?: ByteRange): Readable;
  /** Inside a transaction holding blobLockKey(key), once no file record points at it: frees the bytes. */
  remove(tx: Store, key: string): Promise<void>;
  /** Removes staging leftovers of uploads a crash cut off; returns how many. */
  sweep(): Promise<number>;
  /** Keys whose bytes are kept (orphan checks). */
  storedKeys(): Promise<string[]>;
}

/** The lock that orders publishing and freeing the same content. */
export function blobLockKey(key: string): string {
  return `blob:${key}`;
}

export function isBlobKey(key: string): boolean {
  return /^[0-9a-f]{64}$/.test(key);
}
