// Read state and unread counters.
import { Errors } from '../errors.ts';
import type { ChatRow, MemberRow, Store, UserRow } from '../store/store.ts';
import type { ChatAccess, ChatsService } from './chats.ts';
import type { Clock } from './clock.ts';
import type { DialogRef } from './dialog-id.ts';
import type { MessengerEvents } from './events.ts';

export interface ReadResult {
  chat: ChatRow;
  lastId: number;
  counter: number;
}

type CounterMember = Pick<MemberRow, 'user_id' | 'read_seq' | 'last_own_seq'>;
type CounterChat = Pick<ChatRow, 'id' | 'last_seq' | 'deleted_seq_max'>;

/**
 * The unread counter when arithmetic alone gives it: the messages after the read position, when nothing was deleted
 * after it and the member did not write after it (posting never leaves that behind); undefined otherwise.
 */
export function arithmeticCounter(member: CounterMember, chat: CounterChat): number | undefined {
  const n = chat.last_seq - member.read_seq;
  if (n <= 0) return 0;
  return chat.deleted_seq_max > member.read_seq || member.last_own_seq > member.read_seq ? undefined : n;
}

/**
 * Unread messages of a member: after their read position, not deleted, not their own. Arithmetic on the chat's
 * seq with lookups only when something was deleted or the member wrote after their read position.
 */
export async function unreadCounter(store: Store, member: CounterMember, chat: CounterChat): Promise<number> {
  const quick = arithmeticCounter(member, chat);
  if (quick !== undefined) return quick;
  let n = chat.last_seq - member.read_seq;
  if (chat.deleted_seq_max > member.read_seq) n -= await store.messages.countDeletedAfter(chat.id, member.read_seq);
  if (member.last_own_seq > member.read_seq) n -= await store.messages.countOwnAfter(chat.id, member.user_id, member.read_seq);
  return Math.max(0, n);
}

export class ReadsService {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly chats: ChatsService,
    /** Records reads for Push & Pull (absent in tools that replay reads offline). */
    private readonly events?: MessengerEvents,
  ) {}

  /** Marks a dialog read up to a message (or all of it); never moves the read position back. */
  async read(user: UserRow, ref: DialogRef, messageId?: number): Promise<ReadResult | undefined> {
    const out = await this.store.transaction(async (tx) => {
      const access = await this.chats.resolve(tx, user, ref, false);
      if (!access?.member) return undefined;
      return this.readInTx(tx, access, user.id, messageId);
    });
    this.events?.committed();
    return out;
  }

  async readInTx(tx: Store, access: ChatAccess, userId: number, messageId?: number): Promise<ReadResult> {
    // The chat lock orders this read with concurrent posts and reads (PostgreSQL); then the rows are current.
    const chat = (await tx.chats.getForUpdate(access.chat.id))!;
    const me = (await tx.members.get(chat.id, userId))!;
    const target = messageId !== undefined && messageId > 0 ? await tx.messages.seqAtOrBefore(chat.id, messageId) : chat.last_seq;
    const readSeq = Math.max(me.read_seq, target);
    const now = this.clock();
    if (readSeq !== me.read_seq || me.unread) {
      const lastRead = readSeq === me.read_seq ? undefined : await tx.messages.latestUpTo(chat.id, readSeq);
      await tx.members.update(chat.id, userId, {
        read_seq: readSeq,
        ...(lastRead ? { read_message_id: lastRead.id } : {}),
        unread: 0,
        date_update: now,
      });
      if (readSeq > me.read_seq) await this.noteDelivered(tx, chat, me.read_seq, readSeq, userId, now);
    }
    const member = (await tx.members.get(chat.id, userId))!;
    const result = { chat, lastId: member.read_message_id, counter: await unreadCounter(tx, member, chat) };
    if (readSeq !== me.read_seq || me.unread) await this.events?.record(tx, 'chatRead', { chat, userId, lastId: result.lastId, counter: result.counter });
    return result;
  }

  /** im.dialog.unread: everything from this message on is unread again. */
  async markUnreadFrom(user: UserRow, ref: DialogRef, messageId: number): Promise<boolean> {
    return this.store.transaction(async (tx) => {
      const resolved = await this.chats.resolve(tx, user, ref, false);
      if (!resolved?.member) return false;
      await tx.chats.getForUpdate(resolved.chat.id);
      const member = await tx.members.get(resolved.chat.id, user.id);
      if (!member) return false;
      const access = { ...resolved, member };
      const message = await tx.messages.get(messageId);
      if (!message || message.chat_id !== access.chat.id) return false;
      const readSeq = Math.max(access.member.start_seq - 1, message.seq - 1, 0);
      if (readSeq >= access.member.read_seq) return true;
      const lastRead = await tx.messages.latestUpTo(access.chat.id, readSeq);
      await tx.members.update(access.chat.id, user.id, { read_seq: readSeq, read_message_id: lastRead?.id ?? 0, date_update: this.clock() });
      const after = (await tx.members.get(access.chat.id, user.id))!;
      const chat = (await tx.chats.get(access.chat.id))!;
      await this.events?.record(tx, 'chatUnread', { chat, userId: user.id, marked: false, counter: await unreadCounter(tx, after, chat), lastId: after.read_message_id });
      return true;
    }).finally(() => this.events?.committed());
  }

  /** im.dialog.read.all: every chat of the user read. */
  async readAll(user: UserRow): Promise<void> {
    const rows = await this.store.members.allOfUser(user.id);
    for (const { chat, member } of rows) {
      if (member.read_seq >= chat.last_seq && !member.unread) continue;
      await this.store.transaction((tx) => this.readInTx(tx, { chat, member }, user.id));
    }
    this.events?.committed();
  }

  /**
   * Marks messages read by someone. When that turns the chat's last message "delivered", every member's recent
   * item shows the new status, so the item changed for all of them (chat-wide, like a new message).
   */
  private async noteDelivered(tx: Store, chat: ChatRow, fromSeq: number, toSeq: number, readerId: number, now: number): Promise<void> {
    const last = chat.last_message_id ? await tx.messages.get(chat.last_message_id) : undefined;
    const flips = last && !last.notify_read && last.author_id !== readerId && last.seq > fromSeq && last.seq <= toSeq;
    await tx.messages.markNotifyRead(chat.id, fromSeq, toSeq, readerId);
    if (flips) {
      await tx.chats.update(chat.id, { date_update: now });
      if (!chat.large) await tx.members.touchAll(chat.id, now, false);
    }
  }
}

export function requireMember(access: ChatAccess | undefined): asserts access is ChatAccess & { member: MemberRow } {
  if (!access?.member) throw Errors.method('ACCESS_ERROR', 'You don\'t have access to this chat');
}
