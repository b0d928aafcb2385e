// A fresh database on the backend under test (B24IM_TEST_BACKEND), for tests that talk to the Store directly.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openStoreAt } from '../../src/store/open.ts';
import type { SqlStore } from '../../src/store/sql/index.ts';
import { createTestDatabase, TEST_BACKEND } from './pg.ts';

export interface TestTarget {
  backend: 'sqlite' | 'postgres';
  /** SQLite file path or postgres:// URL: what openStoreAt / --db take. */
  target: string;
  open(): Promise<SqlStore>;
  drop(): Promise<void>;
}

/** An empty database: a temporary SQLite file, or a new PostgreSQL database. */
export async function testTarget(backend: 'sqlite' | 'postgres' = TEST_BACKEND): Promise<TestTarget> {
  if (backend === 'postgres') {
    const db = await createTestDatabase();
    return { backend, target: db.url, open: () => openStoreAt(db.url), drop: db.drop };
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'b24im-store-'));
  const file = path.join(dir, 'b24im.sqlite');
  return {
    backend,
    target: file,
    open: () => openStoreAt(file),
    drop: async () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}
