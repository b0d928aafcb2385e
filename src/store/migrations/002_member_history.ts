// HIDE_HISTORY: a member sees a chat's messages from start_seq on (0 = the whole history).
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('members').addColumn('start_seq', 'integer', (c) => c.notNull().defaultTo(0)).execute();
}
