// Committed changes that features react to (bot and application events today; push and fetch queues later).
// A change is recorded in the change log inside the transaction that makes it, so it is never lost to a crash;
// the dispatcher (delivery/dispatcher.ts) later hands each recorded change to the listeners, in id order, each
// in a transaction of its own in which they queue what they derive from it (outbox rows).
import type { ChangeRow, ChatRow, MessageRow, Store, UserRow } from '../store/store.ts';
import type { Clock } from './clock.ts';

export interface MessageAddedEvent {
  message: MessageRow;
  chat: ChatRow;
  author: UserRow | undefined;
  /** The chat's members when the message was added; undefined for large chats (not read per message). */
  memberIds?: number[];
  /** A copy of a message the customer's channel already has (imopenlines.message.session.start). */
  skipConnector?: boolean;
}

export interface MessengerEventMap {
  messageAdded: MessageAddedEvent;
  messageUpdated: { message: MessageRow; chat: ChatRow; byUserId: number };
  messageDeleted: { message: MessageRow; chat: ChatRow; byUserId: number };
  membersAdded: { chat: ChatRow; userIds: number[]; byUserId: number };
  memberRemoved: { chat: ChatRow; userId: number; byUserId: number };
  /** A member's read position moved (or their unread mark was cleared): lastId and counter after the read. */
  chatRead: { chat: ChatRow; userId: number; lastId: number; counter: number };
  /** im.dialog.unread (fromMessageId) or im.recent.unread (the manual mark). */
  chatUnread: { chat: ChatRow; userId: number; marked: boolean; counter: number; lastId: number };
  chatPinned: { chat: ChatRow; userId: number; pinned: boolean };
  chatHidden: { chat: ChatRow; userId: number };
  chatRenamed: { chat: ChatRow; title: string; byUserId: number };
  /** im.dialog.writing / imbot.chat.sendTyping: someone is typing in a chat (a real-time signal only). */
  typing: { chat: ChatRow; userId: number; userName: string };
  /** im.user.status.set / idle: the user as it is after the change. */
  userStatus: { user: UserRow };
  /** A reaction set or taken back (a like too); Bots 2.0 events report it. */
  reactionChanged: { message: MessageRow; chat: ChatRow; userId: number; reaction: string; action: 'add' | 'delete' };
  /** im.v2.Chat.Bot.sendContext: a user opened a chat passing its 2.0 bots a context (their ONIMBOTV2CONTEXTGET). */
  botContext: { chat: ChatRow; userId: number; botIds: number[]; context: Record<string, unknown> };
}

export type ChangeKind = keyof MessengerEventMap;

/** A listener runs inside the dispatcher's transaction: whatever it writes through `tx` commits with the row's hand-off. */
export type ChangeListener<T> = (tx: Store, event: T, change: { id: number }) => Promise<void>;

export class MessengerEvents {
  private readonly listeners = new Map<ChangeKind, ChangeListener<any>[]>();
  private waker: () => void = () => {};

  constructor(private readonly clock: Clock) {}

  on<K extends ChangeKind>(name: K, listener: ChangeListener<MessengerEventMap[K]>): void {
    const list = this.listeners.get(name) ?? [];
    list.push(listener);
    this.listeners.set(name, list);
  }

  /** The local dispatcher's wake-up call. */
  setWaker(fn: () => void): void {
    this.waker = fn;
  }

  /**
   * Inside the change's own transaction: writes the change log row. The payload is the change as it is at this
   * moment (rows, not ids), so listeners see what was committed even if it is edited again before they run.
   */
  async record<K extends ChangeKind>(tx: Store, name: K, event: MessengerEventMap[K]): Promise<void> {
    const chatId = (event as { chat?: ChatRow }).chat?.id ?? 0;
    await tx.changes.record({ kind: name, chat_id: chatId, payload: JSON.stringify(event), date_create: this.clock() });
  }

  /** After the commit of a transaction that recorded changes: the dispatcher looks at once. */
  committed(): void {
    this.waker();
  }

  /** Runs every listener of a recorded change inside `tx` (the dispatcher's transaction). */
  async handle(tx: Store, change: ChangeRow): Promise<void> {
    const event = JSON.parse(change.payload) as unknown;
    for (const listener of this.listeners.get(change.kind as ChangeKind) ?? []) await listener(tx, event, { id: change.id });
  }
}
