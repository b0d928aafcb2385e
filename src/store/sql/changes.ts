import { sql, type Kysely } from 'kysely';
import { advisoryLockKey } from './dialect.ts';
import type { ChangeRow, Database, NewChangeRow } from '../schema.ts';
import type { ChangeRepo } from '../store.ts';

function changeRow(r: ChangeRow): ChangeRow {
  return { ...r, id: Number(r.id), date_create: Number(r.date_create) };
}

export class SqlChangeRepo implements ChangeRepo {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly dialect: 'sqlite' | 'postgres',
  ) {}

  async record(row: Omit<NewChangeRow, 'pending' | 'error'>): Promise<number> {
    const out = await this.db.insertInto('change_log').values({ ...row, pending: 1, error: '' }).returning('id').executeTakeFirstOrThrow();
    return Number(out.id);
  }

  async takePending(limit: number): Promise<ChangeRow[]> {
    let q = this.db.selectFrom('change_log').selectAll().where('pending', '=', 1).orderBy('id').limit(limit);
    if (this.dialect === 'postgres') {
      // Nodes take turns (SQLite is serial anyway): were two nodes to handle two batches at once, the later batch could
      // commit first and a chat's events would reach a bot's fetch queue or a handler out of the order the messages
      // were written. A chat's changes get ids in commit order (they are written under the chat's lock), so handling
      // rows in id order, one transaction at a time, keeps every chat's order.
      await sql`select pg_advisory_xact_lock(${advisoryLockKey('change-dispatch')}::bigint)`.execute(this.db);
      q = q.forUpdate().skipLocked();
    }
    return (await q.execute()).map(changeRow);
  }

  async finish(id: number, error = ''): Promise<void> {
    await this.db.updateTable('change_log').set({ pending: 0, error }).where('id', '=', id).execute();
  }

  async get(id: number): Promise<ChangeRow | undefined> {
    const row = await this.db.selectFrom('change_log').selectAll().where('id', '=', id).executeTakeFirst();
    return row && changeRow(row);
  }

  async countPending(): Promise<number> {
    const row = await this.db.selectFrom('change_log').select((eb) => eb.fn.countAll().as('n')).where('pending', '=', 1).executeTakeFirst();
    return Number(row?.n ?? 0);
  }

  async prune(beforeSec: number): Promise<number> {
    const res = await this.db.deleteFrom('change_log').where('pending', '=', 0).where('date_create', '<', beforeSec).executeTakeFirst();
    return Number(res.numDeletedRows);
  }
}
