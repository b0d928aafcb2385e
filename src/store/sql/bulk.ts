// Bulk loading for the dataset generator: multi-row parameterized inserts of complete rows (ids included).
import { sql, type Kysely } from 'kysely';
import type { ChatRow, Database, MemberRow, MessageRow } from '../schema.ts';
import type { BulkRepo } from '../store.ts';

/** Rows per INSERT: stays under SQLite's 32766 and PostgreSQL's 65535 bound parameters. */
const PARAMS_PER_STATEMENT = 16_000;

export class SqlBulkRepo implements BulkRepo {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly dialect: 'sqlite' | 'postgres',
  ) {}

  async insertChats(rows: readonly ChatRow[]): Promise<void> {
    await this.insert('chats', rows);
  }

  async insertMembers(rows: readonly MemberRow[]): Promise<void> {
    await this.insert('members', rows);
  }

  async insertMessages(rows: readonly MessageRow[]): Promise<void> {
    await this.insert('messages', rows);
  }

  /** Moves the id sequences past explicitly inserted ids. */
  async finish(): Promise<void> {
    if (this.dialect !== 'postgres') return;
    for (const table of ['chats', 'messages'] as const) {
      await sql`select setval(pg_get_serial_sequence(${table}, 'id'), coalesce((select max(id) from ${sql.table(table)}), 0) + 1, false)`.execute(this.db);
    }
  }

  private async insert<T extends 'chats' | 'members' | 'messages'>(table: T, rows: readonly object[]): Promise<void> {
    if (rows.length === 0) return;
    const per = Math.max(1, Math.floor(PARAMS_PER_STATEMENT / Object.keys(rows[0]).length));
    for (let i = 0; i < rows.length; i += per) {
      await this.db.insertInto(table).values(rows.slice(i, i + per) as never).execute();
    }
  }
}
