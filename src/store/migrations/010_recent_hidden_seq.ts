// im.recent.hide: a hidden item comes back with the chat's next message. The chat seq never goes back (a deleted
// message keeps its seq), so remembering the seq at hide time, not the last message id, keeps it hidden or shown
// correctly when messages are deleted afterwards. The list index serves im.recent.list by pin and activity.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('members').renameColumn('hidden_mid', 'hidden_seq').execute();
  await db.schema.createIndex('members_list').on('members').columns(['user_id', 'large', 'pinned', 'date_last_activity', 'item_id', 'chat_id']).execute();
}
