// The recent list: a user's dialogs and chats with their last message and unread counter.
import type { Config } from '../config.ts';
import { BitrixError, Errors } from '../errors.ts';
import { mentionedUserIds } from '../present/text.ts';
import type { ChatRow, MemberRow, RecentView, SessionRow, Store, UserRow } from '../store/store.ts';
import type { ChatsService } from './chats.ts';
import type { Clock } from './clock.ts';
import type { DialogRef } from './dialog-id.ts';
import type { MessengerEvents } from './events.ts';
import { arithmeticCounter, unreadCounter, type ReadsService } from './reads.ts';

/** Decision 10: at most this many pinned items; pinning one more answers false. */
export const PINNED_LIMIT = 45;
/** Decision 6: LAST_SYNC_DATE older than this is raised to now minus this. */
export const SYNC_CLAMP_SECONDS = 7 * 24 * 3600;

export interface RecentItem extends RecentView {
  /** Undefined when counters were not asked for. */
  counter: number | undefined;
  /** Names of the users the last message mentions in the short form, by id (one map for the whole list). */
  mentioned: Map<number, Pick<UserRow, 'name' | 'last_name'>>;
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

/**
 * Decision 8: pinned first, then the last message date newest first (the item's own date when it has none), then
 * the item id descending (a user id for a dialog, a chat id for a chat); a chat id breaks the last tie.
 */
export function compareItems(a: RecentItem, b: RecentItem): number {
  return (
    b.member.pinned - a.member.pinned ||
    (b.message?.date ?? b.dateUpdate) - (a.message?.date ?? a.dateUpdate) ||
    b.member.item_id - a.member.item_id ||
    b.chat.id - a.chat.id
  );
}

export class RecentService {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly config: Config,
    private readonly chats: ChatsService,
    private readonly reads: ReadsService,
    private readonly events?: MessengerEvents,
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
    const rows = await this.store.recent.changedSince({ userId: user.id, since: this.since(f), types: itemTypes(f) });
    const items = await this.build(rows, f.withCounters !== false);
    return items.sort(compareItems);
  }

  /**
   * im.recent.list: the paged form, ordered by pin and last activity, without the date window. Pages are cut from
   * the listed rows in the store (index-served); rows dropped afterwards (an inactive user with nothing unread, an
   * unread-only row whose exact counter is 0) make a page shorter than LIMIT, as on a portal.
   */
  async list(user: UserRow, o: RecentListOptions): Promise<{ items: RecentItem[]; hasMore: boolean }> {
    const rows = await this.store.recent.page({
      userId: user.id,
      types: itemTypes(o),
      activityAtOrBefore: o.lastMessageDate,
      unreadOnly: o.unreadOnly,
      offset: o.lastMessageDate !== undefined ? 0 : o.offset,
      limit: o.limit + 1,
    });
    const hasMore = rows.length > o.limit;
    let items = await this.build(rows.slice(0, o.limit), true);
    if (o.unreadOnly) items = items.filter((i) => (i.counter ?? 0) > 0 || i.member.unread === 1);
    return { items, hasMore };
  }

  /** Pins or unpins; false when the limit of pinned items is reached. */
  async pin(user: UserRow, ref: DialogRef, pin: boolean): Promise<boolean> {
    return this.store.transaction(async (tx) => {
      const access = await this.chats.resolve(tx, user, ref, ref.kind === 'user').catch(noSuchUser);
      if (!access?.member) throw Errors.method('ACCESS_ERROR', 'You don\'t have access to this chat');
      const m = access.member;
      if ((m.pinned === 1) === pin && (!pin || !this.isHidden(m, access.chat))) return true;
      const now = this.clock();
      if (pin) {
        if (!m.pinned && (await tx.members.pinnedCount(user.id)) >= PINNED_LIMIT) return false;
        const sort = m.pinned ? m.pin_sort : (await tx.members.maxPinSort(user.id)) + 1;
        await tx.members.update(m.chat_id, user.id, { pinned: 1, pin_sort: sort, hidden: 0, hidden_seq: 0, date_update: now });
      } else {
        await tx.members.update(m.chat_id, user.id, { pinned: 0, pin_sort: 0, date_update: now });
      }
      await this.events?.record(tx, 'chatPinned', { chat: access.chat, userId: user.id, pinned: pin });
      return true;
    }).finally(() => this.events?.committed());
  }

  /**
   * Removes the item until the chat's next message (or a pin or unread mark) brings it back. Like a portal, which
   * deletes its recent row, a LAST_SYNC_DATE answer does not mention the removal (decision 9).
   */
  async hide(user: UserRow, ref: DialogRef): Promise<boolean> {
    return this.store.transaction(async (tx) => {
      const access = await this.chats.resolve(tx, user, ref, false).catch(noSuchUser);
      if (!access?.member) return true;
      await tx.members.update(access.chat.id, user.id, {
        hidden: 1,
        hidden_seq: access.chat.last_seq,
        pinned: 0,
        pin_sort: 0,
        unread: 0,
        date_update: this.clock(),
      });
      await this.events?.record(tx, 'chatHidden', { chat: access.chat, userId: user.id });
      return true;
    }).finally(() => this.events?.committed());
  }

  /** The manual unread mark; removing it also reads the dialog. False when there is no such dialog. */
  async markUnread(user: UserRow, ref: DialogRef, unread: boolean): Promise<boolean> {
    return this.store.transaction(async (tx) => {
      const access = await this.chats.resolve(tx, user, ref, false).catch(noSuchUser);
      if (!access?.member) return false;
      if (unread) {
        await tx.members.update(access.chat.id, user.id, { unread: 1, hidden: 0, hidden_seq: 0, date_update: this.clock() });
        const member = (await tx.members.get(access.chat.id, user.id))!;
        const counter = await unreadCounter(tx, member, access.chat);
        await this.events?.record(tx, 'chatUnread', { chat: access.chat, userId: user.id, marked: true, counter, lastId: member.read_message_id });
      } else {
        await this.reads.readInTx(tx, access, user.id);
      }
      return true;
    }).finally(() => this.events?.committed());
  }

  private isHidden(member: MemberRow, chat: ChatRow): boolean {
    return member.hidden === 1 && chat.last_seq <= member.hidden_seq;
  }

  /** Rows (already narrowed to listed ones by the store) to items with their counter, mentions and session. */
  private async build(rows: RecentView[], withCounters: boolean): Promise<RecentItem[]> {
    const mentionIds: number[] = [];
    const lines: number[] = [];
    for (const { chat, message } of rows) {
      if (message) for (const id of mentionedUserIds(message.text)) mentionIds.push(id);
      if (chat.type === 'L') lines.push(chat.id);
    }
    const mentioned = await this.store.recent.names(mentionIds);
    const sessions = await this.store.openlines.lastSessions(lines);
    const items: RecentItem[] = [];
    for (const row of rows) {
      const { member, chat } = row;
      const counter = arithmeticCounter(member, chat) ?? (await unreadCounter(this.store, member, chat));
      const peer = chat.type === 'P' ? row.user : undefined;
      // Decision 9: inactive users with nothing unread are dropped (bots, connectors and network users stay).
      if (peer && !peer.active && counter <= 0 && !peer.bot && !peer.connector && !peer.network) continue;
      // The row becomes the item in place: no copy per row.
      const item = row as RecentItem;
      item.counter = withCounters ? counter : undefined;
      item.mentioned = mentioned;
      item.session = sessions.get(chat.id);
      items.push(item);
    }
    return items;
  }
}

/** A DIALOG_ID naming a user who does not exist is a dialog that does not exist. */
function noSuchUser(err: unknown): undefined {
  if (err instanceof BitrixError && err.code === 'USER_NOT_FOUND') return undefined;
  throw err;
}
