import type { Kysely } from 'kysely';
import type { Database, DepartmentRow } from '../schema.ts';
import type { DepartmentRepo, SearchLastRepo } from '../store.ts';

export class SqlDepartmentRepo implements DepartmentRepo {
  constructor(private readonly db: Kysely<Database>) {}

  all(): Promise<DepartmentRow[]> {
    return this.db.selectFrom('departments').selectAll().orderBy('id').execute();
  }

  get(id: number): Promise<DepartmentRow | undefined> {
    return this.db.selectFrom('departments').selectAll().where('id', '=', id).executeTakeFirst();
  }

  async add(row: Omit<DepartmentRow, 'id'>): Promise<DepartmentRow> {
    const top = await this.db.selectFrom('departments').select((eb) => eb.fn.max<number>('id').as('id')).executeTakeFirst();
    const created = { id: Number(top?.id ?? 0) + 1, ...row };
    await this.db.insertInto('departments').values(created).execute();
    return created;
  }

  async update(id: number, patch: Partial<Omit<DepartmentRow, 'id'>>): Promise<void> {
    if (Object.keys(patch).length === 0) return;
    await this.db.updateTable('departments').set(patch).where('id', '=', id).execute();
  }
}

export class SqlSearchLastRepo implements SearchLastRepo {
  constructor(private readonly db: Kysely<Database>) {}

  async list(userId: number, limit: number): Promise<string[]> {
    const rows = await this.db.selectFrom('search_last').select('dialog_id').where('user_id', '=', userId).orderBy('date', 'desc').orderBy('dialog_id').limit(limit).execute();
    return rows.map((r) => r.dialog_id);
  }

  async add(userId: number, dialogId: string, date: number, keep: number): Promise<void> {
    await this.db
      .insertInto('search_last')
      .values({ user_id: userId, dialog_id: dialogId, date })
      .onConflict((oc) => oc.columns(['user_id', 'dialog_id']).doUpdateSet({ date }))
      .execute();
    const stale = await this.db.selectFrom('search_last').select('dialog_id').where('user_id', '=', userId).orderBy('date', 'desc').orderBy('dialog_id').offset(keep).limit(1000).execute();
    if (stale.length) await this.db.deleteFrom('search_last').where('user_id', '=', userId).where('dialog_id', 'in', stale.map((r) => r.dialog_id)).execute();
  }

  async remove(userId: number, dialogId: string): Promise<boolean> {
    const r = await this.db.deleteFrom('search_last').where('user_id', '=', userId).where('dialog_id', '=', dialogId).executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }
}
