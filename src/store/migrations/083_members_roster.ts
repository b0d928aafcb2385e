// A chat's roster in join order straight from one index: the Push & Pull message event reads every member's read
// position of the chat (5,000 rows in the largest), which through the primary key cost a table lookup per member
// and a sort; with the columns in the index it is one ordered range scan.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createIndex('members_roster')
    .on('members')
    .columns(['chat_id', 'date_join', 'user_id', 'role', 'read_seq', 'last_own_seq', 'muted'])
    .execute();
}
