// Bots registered through an inbound webhook with a CLIENT_ID (DECISIONS 18) belong to an application row that
// stands for (webhook, CLIENT_ID); webhook_id marks such rows (their events carry a webhook's auth block).
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('apps').addColumn('webhook_id', 'integer').execute();
}
