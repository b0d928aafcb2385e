import type { Kysely } from 'kysely';
import type { Database, NewUser, UserPatch, UserRow } from '../schema.ts';
import type { UserRepo } from '../store.ts';

export class SqlUserRepo implements UserRepo {
  constructor(private readonly db: Kysely<Database>) {}

  async create(user: NewUser): Promise<UserRow> {
    return this.db.insertInto('users').values(user).returningAll().executeTakeFirstOrThrow();
  }

  async get(id: number): Promise<UserRow | undefined> {
    return this.db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
  }

  async getMany(ids: readonly number[]): Promise<UserRow[]> {
    if (ids.length === 0) return [];
    return this.db.selectFrom('users').selectAll().where('id', 'in', [...new Set(ids)]).execute();
  }

  async list(opts: { ids?: number[]; activeOnly?: boolean; offset?: number; limit?: number }): Promise<UserRow[]> {
    let q = this.db.selectFrom('users').selectAll().orderBy('id');
    if (opts.ids) q = q.where('id', 'in', opts.ids.length ? opts.ids : [-1]);
    if (opts.activeOnly) q = q.where('active', '=', 1);
    if (opts.limit !== undefined) q = q.limit(opts.limit).offset(opts.offset ?? 0);
    return q.execute();
  }

  async count(opts: { ids?: number[]; activeOnly?: boolean }): Promise<number> {
    let q = this.db.selectFrom('users').select((eb) => eb.fn.countAll<number>().as('n'));
    if (opts.ids) q = q.where('id', 'in', opts.ids.length ? opts.ids : [-1]);
    if (opts.activeOnly) q = q.where('active', '=', 1);
    const row = await q.executeTakeFirstOrThrow();
    return Number(row.n);
  }

  async update(id: number, patch: UserPatch): Promise<void> {
    if (Object.keys(patch).length === 0) return;
    await this.db.updateTable('users').set(patch).where('id', '=', id).execute();
  }
}
