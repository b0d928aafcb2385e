// Handlers that a non-administrator bound with no auth_type ran as whoever triggered the event, so the binder's
// URL received other users' tokens. As on a portal, such a binding runs as the user who made it.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`update event_handlers set auth_type = user_id
            where auth_type = 0 and user_id > 0 and user_id in (select id from users where is_admin = 0)`.execute(db);
}
