import { sql, type Kysely, type SelectQueryBuilder } from 'kysely';
import { precompiled } from './precompiled.ts';
import { escapeLike, lowerLike, type SqlDialect } from './dialect.ts';
import type { Database, NewUser, UserPatch, UserRow } from '../schema.ts';
import type { UserQuery, UserRepo, UserSortField } from '../store.ts';

function filtered<O>(
  q: SelectQueryBuilder<Database, 'users', O>,
  f: UserQuery,
  dialect: SqlDialect,
): SelectQueryBuilder<Database, 'users', O> {
  if (f.ids) q = q.where('id', 'in', f.ids.length ? f.ids : [-1]);
  if (f.notIds?.length) q = q.where('id', 'not in', f.notIds);
  if (f.active !== undefined) q = q.where('active', '=', f.active ? 1 : 0);
  else if (f.activeOnly) q = q.where('active', '=', 1);
  if (f.extranet !== undefined) q = q.where('extranet', '=', f.extranet ? 1 : 0);
  // departments is a JSON list of ids ("[1,5]"): wrapped in commas, one department is a ",5," substring.
  if (f.departments?.length) {
    const list = sql<string>`(',' || replace(replace(departments, '[', ''), ']', '') || ',')`;
    const ids = f.departments;
    q = q.where((eb) => eb.or(ids.map((id) => eb(list, 'like', `%,${id},%`))));
  }
  if (f.idGt !== undefined) q = q.where('id', '>', f.idGt);
  if (f.idGte !== undefined) q = q.where('id', '>=', f.idGte);
  if (f.idLt !== undefined) q = q.where('id', '<', f.idLt);
  if (f.idLte !== undefined) q = q.where('id', '<=', f.idLte);
  for (const [field, value] of Object.entries(f.equals ?? {})) {
    q = q.where(lowerLike(dialect, field, escapeLike(value.toLowerCase())));
  }
  for (const { fields, words } of f.words ?? []) {
    for (const word of words) {
      const prefix = escapeLike(word.toLowerCase());
      // The word starts the field or follows a space in it ("Anna Maria" is found by "mar").
      q = q.where((eb) => eb.or(fields.flatMap((c) => [lowerLike(dialect, c, `${prefix}%`), lowerLike(dialect, c, `% ${prefix}%`)])));
    }
  }
  return q;
}

export class SqlUserRepo implements UserRepo {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly dialect: SqlDialect,
  ) {}

  async create(user: NewUser): Promise<UserRow> {
    return this.db.insertInto('users').values(user).returningAll().executeTakeFirstOrThrow();
  }

  async get(id: number): Promise<UserRow | undefined> {
    const rows = await precompiled<UserRow>(this.db, 'users.get', [id], () => this.db.selectFrom('users').selectAll().where('id', '=', id));
    return rows[0];
  }

  async getMany(ids: readonly number[]): Promise<UserRow[]> {
    if (ids.length === 0) return [];
    const list = [...new Set(ids)];
    return precompiled<UserRow>(this.db, `users.getMany:${list.length}`, list, () => this.db.selectFrom('users').selectAll().where('id', 'in', list));
  }

  async list(opts: UserQuery & { offset?: number; limit?: number; sort?: UserSortField; desc?: boolean }): Promise<UserRow[]> {
    const dir = opts.desc ? 'desc' : 'asc';
    let q = filtered(this.db.selectFrom('users').selectAll(), opts, this.dialect);
    if (opts.sort && opts.sort !== 'id') q = q.orderBy(opts.sort, dir);
    q = q.orderBy('id', dir);
    if (opts.limit !== undefined) q = q.limit(opts.limit).offset(opts.offset ?? 0);
    return q.execute();
  }

  async count(opts: UserQuery): Promise<number> {
    const q = filtered(this.db.selectFrom('users').select((eb) => eb.fn.countAll<number>().as('n')), opts, this.dialect);
    const row = await q.executeTakeFirstOrThrow();
    return Number(row.n);
  }

  async update(id: number, patch: UserPatch): Promise<void> {
    if (Object.keys(patch).length === 0) return;
    await this.db.updateTable('users').set(patch).where('id', '=', id).execute();
  }
}
