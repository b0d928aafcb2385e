import { CompiledQuery, sql, type Kysely } from 'kysely';
import type { SqlDialect } from './dialect.ts';
import type { ChatRow, Database, MemberPatch, MemberRow, NewMember } from '../schema.ts';
import type { ActiveMemberQuery, MemberRepo, RecentRow, RosterMember } from '../store.ts';
import { precompiled } from './precompiled.ts';

const CHAT_COLUMNS = [
  'id', 'type', 'dialog_key', 'title', 'description', 'color', 'avatar', 'owner_id', 'author_id',
  'entity_type', 'entity_id', 'entity_data_1', 'entity_data_2', 'entity_data_3', 'date_create', 'date_update',
  'last_message_id', 'last_message_date', 'last_seq', 'deleted_seq_max', 'member_count', 'large', 'extranet',
] as const satisfies readonly (keyof ChatRow)[];

/** Member columns as they are, chat columns prefixed with c_ so one row carries both. */
const JOINED_SELECT = [sql`members.*`, ...CHAT_COLUMNS.map((c) => sql.ref(`chats.${c}`).as(`c_${c}`))];

/** Splits joined rows into member and chat parts; the key layout is worked out once per result, not per row. */
function splitAll(rows: Record<string, unknown>[]): RecentRow[] {
  if (rows.length === 0) return [];
  const keys = Object.keys(rows[0]);
  const memberKeys = keys.filter((k) => !k.startsWith('c_'));
  const chatKeys = keys.filter((k) => k.startsWith('c_'));
  const chatNames = chatKeys.map((k) => k.slice(2));
  const out: RecentRow[] = new Array(rows.length);
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r];
    const member: Record<string, unknown> = {};
    const chat: Record<string, unknown> = {};
    for (let i = 0; i < memberKeys.length; i++) member[memberKeys[i]] = row[memberKeys[i]];
    for (let i = 0; i < chatKeys.length; i++) chat[chatNames[i]] = row[chatKeys[i]];
    out[r] = { member: member as unknown as MemberRow, chat: chat as unknown as ChatRow };
  }
  return out;
}

/** The roster in join order as one JSON array of [user_id, role, read_seq, last_own_seq, muted]. */
const ROSTER_SQL: Record<SqlDialect, string> = {
  // The ordered subquery runs as a co-routine walking members_roster in order, which the aggregate consumes as it
  // comes (SQLite never flattens an ORDER BY subquery into an aggregate); group_concat(... order by ...) would sort
  // the 5,000 rows again in a temporary B-tree (about a third of the statement).
  sqlite:
    "select '[' || group_concat(json_array(user_id, role, read_seq, last_own_seq, muted), ',') || ']' as j " +
    'from (select user_id, role, read_seq, last_own_seq, muted from members where chat_id = ? order by date_join, user_id)',
  postgres:
    "select '[' || string_agg(json_build_array(user_id, role, read_seq, last_own_seq, muted)::text, ',' order by date_join, user_id) || ']' as j " +
    'from members where chat_id = $1',
};

export class SqlMemberRepo implements MemberRepo {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly dialect: SqlDialect,
  ) {}

  async add(row: NewMember): Promise<void> {
    await this.db.insertInto('members').values(row).execute();
  }

  async get(chatId: number, userId: number): Promise<MemberRow | undefined> {
    const build = () => this.db.selectFrom('members').selectAll().where('chat_id', '=', chatId).where('user_id', '=', userId);
    return (await precompiled<MemberRow>(this.db, 'members.get', [chatId, userId], build))[0];
  }

  byItem(userId: number, itemType: string, itemId: number): Promise<MemberRow | undefined> {
    return this.db
      .selectFrom('members')
      .selectAll()
      .where('user_id', '=', userId)
      .where('item_type', '=', itemType)
      .where('item_id', '=', itemId)
      .executeTakeFirst();
  }

  list(chatId: number, opts: { offset?: number; limit?: number } = {}): Promise<MemberRow[]> {
    let q = this.db.selectFrom('members').selectAll().where('chat_id', '=', chatId).orderBy('date_join').orderBy('user_id');
    if (opts.limit !== undefined) q = q.limit(opts.limit).offset(opts.offset ?? 0);
    return q.execute();
  }

  /**
   * One JSON text for the whole roster (5,000 members in the largest chat): better-sqlite3 and pg hand over each
   * value separately, which cost more than the index scan; the members_roster index covers the columns in order.
   */
  async roster(chatId: number): Promise<RosterMember[]> {
    const { rows } = await this.db.executeQuery<{ j: string | null }>(CompiledQuery.raw(ROSTER_SQL[this.dialect], [chatId]));
    const values = JSON.parse(rows[0].j ?? '[]') as [number, string, number, number, number][];
    const out = new Array<RosterMember>(values.length);
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      out[i] = { user_id: v[0], role: v[1], read_seq: v[2], last_own_seq: v[3], muted: v[4] };
    }
    return out;
  }

  async userIds(chatId: number): Promise<number[]> {
    const rows = await this.db.selectFrom('members').select('user_id').where('chat_id', '=', chatId).execute();
    return rows.map((r) => r.user_id);
  }

  async activeUserIds(q: ActiveMemberQuery): Promise<number[]> {
    let query = this.activeMembers(q.chatId, q.skipTypes).select('members.user_id').limit(q.limit);
    if (q.afterUserId !== undefined) query = query.where('members.user_id', '>', q.afterUserId).orderBy('members.user_id');
    else query = query.orderBy('members.date_join').orderBy('members.user_id').offset(q.offset ?? 0);
    const rows = await query.execute();
    return rows.map((r) => r.user_id);
  }

  async countActive(chatId: number, skipTypes: readonly string[]): Promise<number> {
    const row = await this.activeMembers(chatId, skipTypes).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    return Number(row.n);
  }

  private activeMembers(chatId: number, skipTypes: readonly string[]) {
    let q = this.db
      .selectFrom('members')
      .innerJoin('users', 'users.id', 'members.user_id')
      .where('members.chat_id', '=', chatId)
      .where('users.active', '=', 1);
    if (skipTypes.length) q = q.where('users.external_auth_id', 'not in', skipTypes);
    return q;
  }

  async remove(chatId: number, userId: number): Promise<void> {
    await this.db.deleteFrom('members').where('chat_id', '=', chatId).where('user_id', '=', userId).execute();
  }

  async update(chatId: number, userId: number, patch: MemberPatch): Promise<void> {
    if (Object.keys(patch).length === 0) return;
    await this.db.updateTable('members').set(patch).where('chat_id', '=', chatId).where('user_id', '=', userId).execute();
  }

  async touchAll(chatId: number, date: number, activity: boolean): Promise<void> {
    await this.db
      .updateTable('members')
      .set(activity ? { date_update: date, date_last_activity: date } : { date_update: date })
      .where('chat_id', '=', chatId)
      .execute();
  }

  async raiseActivity(chatId: number, date: number): Promise<void> {
    await this.db
      .updateTable('members')
      .set({ date_last_activity: date })
      .where('chat_id', '=', chatId)
      .where('date_last_activity', '<', date)
      .execute();
  }

  async setLarge(chatId: number, large: boolean): Promise<void> {
    await this.db.updateTable('members').set({ large: large ? 1 : 0 }).where('chat_id', '=', chatId).execute();
  }

  async allOfUser(userId: number): Promise<RecentRow[]> {
    const rows = await this.db
      .selectFrom('members')
      .innerJoin('chats', 'chats.id', 'members.chat_id')
      .select(JOINED_SELECT as never)
      .where('members.user_id', '=', userId)
      .execute();
    return splitAll(rows as Record<string, unknown>[]);
  }

  async pinnedCount(userId: number): Promise<number> {
    const row = await this.db
      .selectFrom('members')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('user_id', '=', userId)
      .where('pinned', '=', 1)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  async maxPinSort(userId: number): Promise<number> {
    const row = await this.db
      .selectFrom('members')
      .select((eb) => eb.fn.max('pin_sort').as('m'))
      .where('user_id', '=', userId)
      .executeTakeFirst();
    return Number(row?.m ?? 0);
  }
}
