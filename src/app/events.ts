// In-process notifications of committed changes, for features that react to them (bot events, push).
import type { ChatRow, MessageRow, UserRow } from '../store/store.ts';

export interface MessageAddedEvent {
  message: MessageRow;
  chat: ChatRow;
  author: UserRow | undefined;
  /** The chat's members when the message was added; undefined for large chats (not read per message). */
  memberIds?: number[];
}

export interface MessengerEventMap {
  messageAdded: MessageAddedEvent;
  messageUpdated: { message: MessageRow; chat: ChatRow; byUserId: number };
  messageDeleted: { message: MessageRow; chat: ChatRow; byUserId: number };
  membersAdded: { chat: ChatRow; userIds: number[]; byUserId: number };
  memberRemoved: { chat: ChatRow; userId: number; byUserId: number };
}

type Listener<T> = (event: T) => void | Promise<void>;

export class MessengerEvents {
  private readonly listeners = new Map<keyof MessengerEventMap, Listener<any>[]>();

  on<K extends keyof MessengerEventMap>(name: K, listener: Listener<MessengerEventMap[K]>): void {
    const list = this.listeners.get(name) ?? [];
    list.push(listener);
    this.listeners.set(name, list);
  }

  /** Called after the change is committed; a failing listener never affects the caller. */
  emit<K extends keyof MessengerEventMap>(name: K, event: MessengerEventMap[K], onError: (err: unknown) => void): void {
    for (const listener of this.listeners.get(name) ?? []) {
      Promise.resolve()
        .then(() => listener(event))
        .catch(onError);
    }
  }
}
