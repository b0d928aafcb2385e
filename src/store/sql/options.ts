import type { Kysely } from 'kysely';
import type { Database } from '../schema.ts';
import type { OptionRepo } from '../store.ts';

export class SqlOptionRepo implements OptionRepo {
  constructor(private readonly db: Kysely<Database>) {}

  async get(appId: number, userId: number, name?: string): Promise<{ name: string; value: string }[]> {
    if (userId === 0) {
      let q = this.db.selectFrom('app_options').select(['name', 'value']).where('app_id', '=', appId).orderBy('name');
      if (name !== undefined) q = q.where('name', '=', name);
      return q.execute();
    }
    let q = this.db.selectFrom('user_options').select(['name', 'value']).where('app_id', '=', appId).where('user_id', '=', userId).orderBy('name');
    if (name !== undefined) q = q.where('name', '=', name);
    return q.execute();
  }

  async set(appId: number, userId: number, entries: { name: string; value: string }[]): Promise<void> {
    for (const e of entries) {
      if (userId === 0) {
        await this.db
          .insertInto('app_options')
          .values({ app_id: appId, name: e.name, value: e.value })
          .onConflict((oc) => oc.columns(['app_id', 'name']).doUpdateSet({ value: e.value }))
          .execute();
      } else {
        await this.db
          .insertInto('user_options')
          .values({ app_id: appId, user_id: userId, name: e.name, value: e.value })
          .onConflict((oc) => oc.columns(['app_id', 'user_id', 'name']).doUpdateSet({ value: e.value }))
          .execute();
      }
    }
  }

  async clear(appId: number): Promise<void> {
    await this.db.deleteFrom('app_options').where('app_id', '=', appId).execute();
    await this.db.deleteFrom('user_options').where('app_id', '=', appId).execute();
  }
}
