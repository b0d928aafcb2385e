// The recent list: a user's dialogs and chats with their last message and unread counter.
import type { Config } from '../config.ts';
import type { ChatRow, MemberRow, MessageRow, RecentRow, SessionRow, Store, UserRow } from '../store/store.ts';
import type { ChatsService } from './chats.ts';
import type { Clock } from './clock.ts';
import type { DialogRef } from './dialog-id.ts';
import { unreadCounter, type ReadsService } from './reads.ts';

/** Decision 10: at most this many pinned items; pinning one more answers false. */
export const PINNED_LIMIT = 45;
/** Decision 6: LAST_SYNC_DATE older than this is raised to now minus this. */
export const SYNC_CLAMP_SECONDS = 7 * 24 * 3600;

export interface RecentItem {
  member: MemberRow;
  chat: ChatRow;
  message: MessageRow | undefined;
  /** Undefined when counters were not asked for. */
  counter: number | undefined;
  /** The other user of a one-to-one dialog. */
  peer: UserRow | undefined;
  /** The last message's author (chat items). */
  author: UserRow | undefined;
  dateUpdate: number;
  dateLastActivity: number;
  /** Open-line chats: the chat's newest session (the item's lines block). */
  session?: SessionRow;
}

export interface RecentFilter {
  skipOpenlines?: boolean;
  skipChat?: boolean;
  skipDialog?: boolean;
  onlyOpenlines?: boolean;
  /** Decision 6: items updated at or after it, no clamp; wins over lastSyncDate. */
  lastUpdate?: number;
  /** Decision 6: the same, clamped to the last 7 days. */
  lastSyncDate?: number;
  withCounters?: boolean;
}

export interface RecentListOptions {
  skipOpenlines?: boolean;
  skipChat?: boolean;
  skipDialog?: boolean;
  unreadOnly?: boolean;
  /** Cursor: items whose last activity is at or before it. */
  lastMessageDate?: number;
  offset: number;
  limit: number;
}

const GROUP_TYPES = ['C', 'O'];

export function itemTypes(f: { skipOpenlines?: boolean; skipChat?: boolean; skipDialog?: boolean; onlyOpenlines?: boolean }): string[] | undefined {
  if (f.onlyOpenlines) return ['L'];
  if (!f.skipOpenlines && !f.skipChat && !f.skipDialog) return undefined;
  const types = ['P', ...GROUP_TYPES, 'L'];
  return types.filter(
    (t) => !(f.skipOpenlines && t === 'L') && !(f.skipChat && GROUP_TYPES.includes(t)) && !(f.skipDialog && t === 'P'),
  );
}

/** Pinned first (in pin order), then newest last message, then item id descending (decision 8). */
export function compareItems(a: RecentItem, b: RecentItem): number {
  if (a.member.pinned !== b.member.pinned) return b.member.pinned - a.member.pinned;
  if (a.member.pinned && a.member.pin_sort !== b.member.pin_sort) return a.member.pin_sort - b.member.pin_sort;
  const da = a.message?.date ?? a.dateUpdate;
  const db = b.message?.date ?? b.dateUpdate;
  if (da !== db) return db - da;
  return b.member.item_id - a.member.item_id;
}

export class RecentService {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly config: Config,
    private readonly chats: ChatsService,
    private readonly reads: ReadsService,
  ) {}

  /** The date a call without an explicit date starts from (decision 6). */
  since(f: RecentFilter): number {
    const now = this.clock();
    if (f.lastUpdate !== undefined) return f.lastUpdate;
    if (f.lastSyncDate !== undefined) return Math.max(f.lastSyncDate, now - SYNC_CLAMP_SECONDS);
    if (f.onlyOpenlines) return 0;
    return now - this.config.recentWindowDays * 24 * 3600;
  }

  async get(user: UserRow, f: RecentFilter): Promise<RecentItem[]> {
    const rows = await this.store.members.recent({ userId: user.id, since: this.since(f), types: itemTypes(f) });
    const items = await this.build(rows, f.withCounters !== false);
    return items.sort(compareItems);
  }

  /** im.recent.list: the paged form, ordered by pin and last activity, without the date window. */
  async list(user: UserRow, o: RecentListOptions): Promise<{ items: RecentItem[]; hasMore: boolean }> {
    const types = itemTypes(o);
    let rows = (await this.store.members.allOfUser(user.id)).filter((r) => !types || types.includes(r.member.item_type));
    if (o.lastMessageDate !== undefined) rows = rows.filter((r) => activityOf(r) <= o.lastMessageDate!);
    rows.sort((a, b) => b.member.pinned - a.member.pinned || activityOf(b) - activityOf(a) || b.member.item_id - a.member.item_id);
    let items = await this.build(rows, true);
    if (o.unreadOnly) items = items.filter((i) => (i.counter ?? 0) > 0 || i.member.unread === 1);
    const offset = o.lastMessageDate !== undefined ? 0 : o.offset;
    return { items: items.slice(offset, offset + o.limit), hasMore: items.length > offset + o.limit };
  }

  /** Pins or unpins; false when the limit of pinned items is reached. */
  async pin(user: UserRow, ref: DialogRef, pin: boolean): Promise<boolean> {
    return this.store.transaction(async (tx) => {
      const access = await this.chats.resolve(tx, user, ref, ref.kind === 'user');
      if (!access?.member) return false;
      const m = access.member;
      if ((m.pinned === 1) === pin && !m.hidden) return true;
      const now = this.clock();
      if (pin) {
        if (!m.pinned && (await tx.members.pinnedCount(user.id)) >= PINNED_LIMIT) return false;
        const sort = m.pinned ? m.pin_sort : (await tx.members.maxPinSort(user.id)) + 1;
        await tx.members.update(m.chat_id, user.id, { pinned: 1, pin_sort: sort, hidden: 0, date_update: now });
      } else {
        await tx.members.update(m.chat_id, user.id, { pinned: 0, pin_sort: 0, date_update: now });
      }
      return true;
    });
  }

  /** Removes the item until the chat's next message brings it back. */
  async hide(user: UserRow, ref: DialogRef): Promise<boolean> {
    return this.store.transaction(async (tx) => {
      const access = await this.chats.resolve(tx, user, ref, false);
      if (!access?.member) return true;
      await tx.members.update(access.chat.id, user.id, {
        hidden: 1,
        hidden_mid: access.chat.last_message_id,
        pinned: 0,
        pin_sort: 0,
        unread: 0,
        date_update: this.clock(),
      });
      return true;
    });
  }

  /** The manual unread mark; removing it also reads the dialog. False when there is no such dialog. */
  async markUnread(user: UserRow, ref: DialogRef, unread: boolean): Promise<boolean> {
    return this.store.transaction(async (tx) => {
      const access = await this.chats.resolve(tx, user, ref, false);
      if (!access?.member) return false;
      if (unread) {
        await tx.members.update(access.chat.id, user.id, { unread: 1, hidden: 0, date_update: this.clock() });
      } else {
        await this.reads.readInTx(tx, access, user.id);
      }
      return true;
    });
  }

  private async build(rows: RecentRow[], withCounters: boolean): Promise<RecentItem[]> {
    const visible = rows.filter(({ member, chat }) => {
      if (member.hidden && chat.last_message_id <= member.hidden_mid) return false;
      // Decision 9: a chat without messages is not in the list; a dialog only when pinned before anyone wrote.
      return chat.last_message_id > 0 || (chat.type === 'P' && member.pinned === 1);
    });
    const messages = new Map(
      (await this.store.messages.getMany(visible.map((r) => r.chat.last_message_id).filter((id) => id > 0))).map((m) => [m.id, m]),
    );
    const userIds = new Set<number>();
    for (const { member, chat } of visible) {
      if (chat.type === 'P') userIds.add(member.item_id);
      const author = messages.get(chat.last_message_id)?.author_id;
      if (author) userIds.add(author);
    }
    const users = new Map((await this.store.users.getMany([...userIds])).map((u) => [u.id, u]));
    const sessions = await this.store.openlines.lastSessions(visible.filter((r) => r.chat.type === 'L').map((r) => r.chat.id));
    const items: RecentItem[] = [];
    for (const { member, chat } of visible) {
      const message = messages.get(chat.last_message_id);
      const peer = chat.type === 'P' ? users.get(member.item_id) : undefined;
      const counter = withCounters || chat.type === 'P' ? await unreadCounter(this.store, member, chat) : undefined;
      // Decision 9: inactive users with nothing unread are dropped (bots, connectors and network users stay).
      if (peer && !peer.active && (counter ?? 0) <= 0 && !peer.bot && !peer.connector && !peer.network) continue;
      items.push({
        member,
        chat,
        message,
        counter: withCounters ? counter : undefined,
        peer,
        author: message?.author_id ? users.get(message.author_id) : undefined,
        dateUpdate: Math.max(member.date_update, member.large ? chat.date_update : 0),
        dateLastActivity: activityOf({ member, chat }),
        session: sessions.get(chat.id),
      });
    }
    return items;
  }
}

function activityOf({ member, chat }: RecentRow): number {
  return Math.max(member.date_last_activity, member.large ? (chat.last_message_date ?? 0) : 0);
}
