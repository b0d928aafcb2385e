import type { Kysely } from 'kysely';
import type { Database, DepartmentRow } from '../schema.ts';
import type { DepartmentRepo } from '../store.ts';

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
