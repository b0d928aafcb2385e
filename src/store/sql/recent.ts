// The recent list's reads, written for speed: it is the hottest read of the messenger (docs/performance.md).
// A statement reads each listed row with its chat, its last message and the user it shows, and only the columns
// the answer needs. Each row is a JSON array and the statement answers all of them as one JSON text, parsed once
// here: better-sqlite3 hands each value over through the V8 API (about 0.1-0.2 µs each, 55 a row), which
// JSON.parse does far faster; pg likewise parses one text instead of every field. The values are the same either
// way (JSON numbers for integers, strings as stored, null). The arrays become small fixed-shape objects here. The
// SQL text of each shape is built once; every call binds its own parameters.
import { CompiledQuery, type Kysely } from 'kysely';
import type { Database, UserRow } from '../schema.ts';
import type { RecentPageQuery, RecentQuery, RecentRepo, RecentView } from '../store.ts';
import { placeholders, type SqlDialect } from './dialect.ts';

// The select list and toView() read the same columns in the same order: what every item shows, the two dates, then
// what only a chat item shows (a dialog shows its peer instead; one statement for both reads the index range once).
const COMMON = [
  'mb.item_id', 'mb.read_seq', 'mb.read_message_id', 'mb.last_own_seq', 'mb.muted', 'mb.pinned', 'mb.unread', 'mb.role',
  'mb.chat_id', 'c.type', 'c.entity_type', 'c.last_seq', 'c.deleted_seq_max',
  'm.id', 'm.author_id', 'm.text', 'm.has_file', 'm.has_attach', 'm.uuid', 'm.date', 'm.notify_read',
  'u.id', 'u.active', 'u.name', 'u.last_name', 'u.work_position', 'u.color', 'u.avatar', 'u.gender', 'u.birthday', 'u.extranet',
  'u.network', 'u.bot', 'u.connector', 'u.external_auth_id', 'u.status', 'u.last_activity_date', 'u.absent', 'u.departments',
  'u.phone', 'u.website', 'u.email',
].join(', ');
const CHAT_ONLY = [
  'c.title', 'c.color', 'c.avatar', 'c.owner_id', 'c.extranet', 'c.entity_id', 'c.entity_data_1', 'c.entity_data_2', 'c.entity_data_3',
  'c.date_create', 'c.member_count',
].join(', ');

function toView(r: any[], userId: number): RecentView {
  let i = 0;
  const member = {
    user_id: userId, item_id: r[i++], read_seq: r[i++], read_message_id: r[i++], last_own_seq: r[i++], muted: r[i++], pinned: r[i++],
    unread: r[i++], role: r[i++],
  };
  const id = r[i++], type = r[i++], entity_type = r[i++], last_seq = r[i++], deleted_seq_max = r[i++];
  const message = r[i] === null ? ((i += 8), undefined) : {
    id: r[i++], author_id: r[i++], text: r[i++], has_file: r[i++], has_attach: r[i++], uuid: r[i++], date: r[i++], notify_read: r[i++],
  };
  const user = r[i] === null ? ((i += 21), undefined) : {
    id: r[i++], active: r[i++], name: r[i++], last_name: r[i++], work_position: r[i++], color: r[i++], avatar: r[i++], gender: r[i++],
    birthday: r[i++], extranet: r[i++], network: r[i++], bot: r[i++], connector: r[i++], external_auth_id: r[i++], status: r[i++],
    last_activity_date: r[i++], absent: r[i++], departments: r[i++], phone: r[i++], website: r[i++], email: r[i++],
  };
  const dateUpdate = r[i++], dateLastActivity = r[i++];
  const chat = {
    id, type, entity_type, last_seq, deleted_seq_max, title: r[i++], color: r[i++], avatar: r[i++], owner_id: r[i++], extranet: r[i++],
    entity_id: r[i++], entity_data_1: r[i++], entity_data_2: r[i++], entity_data_3: r[i++], date_create: r[i++], member_count: r[i++],
  };
  return { member, chat, message, user, dateUpdate, dateLastActivity };
}

/** The larger of two values in a row (SQLite's max(a, b) is PostgreSQL's greatest). */
const MAX = { sqlite: 'max', postgres: 'greatest' } as const;

/** A large chat's row: the latest message date is kept on the chat row. */
function largeActivity(dialect: SqlDialect): string {
  return `${MAX[dialect]}(mb.date_last_activity, coalesce(c.last_message_date, 0))`;
}

/**
 * The user's listed small or large rows. A dialog shows its peer, a chat the author of its last message. Listed: not
 * hidden (or a message came since), and with a message (decision 9: a dialog without one only when pinned).
 */
function select(dialect: SqlDialect, large: boolean, where: string): string {
  // Small chats carry every change on the member row; large ones keep it on the chat row (read-side fan-out).
  const dates = large ? `${MAX[dialect]}(mb.date_update, c.date_update), ${largeActivity(dialect)}` : 'mb.date_update, mb.date_last_activity';
  const row = `${COMMON}, ${dates}, ${CHAT_ONLY}`;
  return (
    `select ${dialect === 'postgres' ? `json_build_array(${row})::text` : `json_array(${row})`} as r from members mb join chats c on c.id = mb.chat_id ` +
    'left join messages m on m.id = c.last_message_id ' +
    "left join users u on u.id = case when c.type = 'P' then mb.item_id else m.author_id end " +
    `where mb.user_id = ? and mb.large = ${large ? 1 : 0} and ${where}` +
    " and (mb.hidden = 0 or c.last_seq > mb.hidden_seq) and (c.last_message_id > 0 or (mb.item_type = 'P' and mb.pinned = 1))"
  );
}

/** `and mb.item_type in (?, ...)` for a type filter (an empty one matches nothing), '' without one. */
function typeFilter(types: readonly string[] | undefined): { sql: string; params: string[] } {
  if (!types) return { sql: '', params: [] };
  const params = types.length ? [...types] : ['-'];
  return { sql: ` and mb.item_type in (${params.map(() => '?').join(', ')})`, params };
}

/** SQL texts by dialect and shape (a handful: type filters and page options), built on first use. */
const texts = new Map<string, string>();

export class SqlRecentRepo implements RecentRepo {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly dialect: SqlDialect,
  ) {}

  private text(shape: string, build: () => string): string {
    const key = `${this.dialect}:${shape}`;
    let text = texts.get(key);
    if (text === undefined) {
      // Every row's JSON array in one JSON array (the order is the caller's to make).
      const all = this.dialect === 'postgres' ? "'[' || string_agg(r, ',') || ']'" : "'[' || group_concat(r, ',') || ']'";
      text = placeholders(this.dialect, `select coalesce(${all}, '[]') as j from (${build()}) rows_`);
      texts.set(key, text);
    }
    return text;
  }

  private async rows(text: string, params: unknown[]): Promise<any[][]> {
    const { rows } = await this.db.executeQuery<{ j: string }>(CompiledQuery.raw(text, params));
    return JSON.parse(rows[0].j);
  }

  async changedSince(q: RecentQuery): Promise<RecentView[]> {
    const t = typeFilter(q.types);
    const text = this.text(`since:${q.types ? t.params.length : '*'}`, () =>
      `${select(this.dialect, false, `mb.date_update >= ?${t.sql}`)} union all ` +
      select(this.dialect, true, `(mb.date_update >= ? or c.date_update >= ?)${t.sql}`),
    );
    const rows = await this.rows(text, [q.userId, q.since, ...t.params, q.userId, q.since, q.since, ...t.params]);
    return rows.map((r) => toView(r, q.userId));
  }

  async page(q: RecentPageQuery): Promise<RecentView[]> {
    const want = q.offset + q.limit;
    const t = typeFilter(q.types);
    const activity = q.activityAtOrBefore !== undefined;
    const shape = `page:${q.types ? t.params.length : '*'}:${q.unreadOnly ? 'u' : ''}:${activity ? 'a' : ''}`;
    // A superset of "counter > 0 or marked unread"; the caller drops rows whose exact counter is 0.
    const unread = q.unreadOnly ? ' and (c.last_seq > mb.read_seq or mb.unread = 1)' : '';
    // Small chats keep their activity on the row: the members_list index gives them in page order.
    const small = this.text(`${shape}:small`, () =>
      select(this.dialect, false, `true${t.sql}${unread}${activity ? ' and mb.date_last_activity <= ?' : ''}`) +
      ' order by mb.pinned desc, mb.date_last_activity desc, mb.item_id desc, mb.chat_id desc limit ?',
    );
    // Large chats keep their activity on the chat row: few per user, so they are merged in here.
    const large = this.text(`${shape}:large`, () =>
      select(this.dialect, true, `true${t.sql}${unread}${activity ? ` and ${largeActivity(this.dialect)} <= ?` : ''}`),
    );
    const at = activity ? [q.activityAtOrBefore] : [];
    const views = [
      ...(await this.rows(small, [q.userId, ...t.params, ...at, want])),
      ...(await this.rows(large, [q.userId, ...t.params, ...at])),
    ].map((r) => toView(r, q.userId));
    return views.sort(comparePage).slice(q.offset, want);
  }

  async names(ids: readonly number[]): Promise<Map<number, Pick<UserRow, 'name' | 'last_name'>>> {
    const out = new Map<number, Pick<UserRow, 'name' | 'last_name'>>();
    if (ids.length === 0) return out;
    const rows = await this.db.selectFrom('users').select(['id', 'name', 'last_name']).where('id', 'in', [...new Set(ids)]).execute();
    for (const r of rows) out.set(r.id, r);
    return out;
  }
}

/** im.recent.list order: pinned first, then last activity newest first, then item id and chat id descending. */
function comparePage(a: RecentView, b: RecentView): number {
  return (
    b.member.pinned - a.member.pinned ||
    b.dateLastActivity - a.dateLastActivity ||
    b.member.item_id - a.member.item_id ||
    b.chat.id - a.chat.id
  );
}
