// imconnector.connector.data.set: the external channel's data (ID, URL, URL_IM, NAME) per connector and line.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('ol_connector_lines').addColumn('data', 'text', (c) => c.notNull().defaultTo('{}')).execute();
}
