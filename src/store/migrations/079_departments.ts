// The company structure (im.department.*): departments in a tree under department 1, the company itself, which
// every employee belongs to from the start (users.departments holds each user's department ids).
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('departments')
    // Ids are given by the application (the root is 1 from the start), so no sequence has to be kept in step.
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('parent_id', 'integer', (c) => c.notNull())
    .addColumn('head_id', 'integer', (c) => c.notNull())
    .execute();
  await db.insertInto('departments').values({ id: 1, name: 'Company', parent_id: 0, head_id: 0 }).execute();
}
