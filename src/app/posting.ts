// Posting a message into a chat, inside the caller's transaction: the one place that moves a chat forward.
import { Errors } from '../errors.ts';
import type { ChatRow, MessageRow, Store } from '../store/store.ts';
import { MAX_MESSAGE_LENGTH } from './limits.ts';

export interface PostFields {
  authorId: number;
  text: string;
  system?: boolean;
  params?: Record<string, unknown>;
  hasFile?: boolean;
  hasAttach?: boolean;
  uuid?: string | null;
}

/**
 * Adds the message, makes it the chat's last one and updates the recent rows: every member's row of a small chat
 * (fan-out on write), only the author's of a large one (the others see the chat's date_update). The author has
 * read everything up to their own message.
 */
export async function postInTx(tx: Store, chat: ChatRow, f: PostFields, now: number): Promise<MessageRow> {
  // Every path that stores a user's text (im.message.add, im.chat.add MESSAGE, connectors) obeys the same bound.
  if (f.authorId > 0 && f.text.length > MAX_MESSAGE_LENGTH) {
    throw Errors.method('MESSAGE_TOO_LONG', `Message is longer than ${MAX_MESSAGE_LENGTH} characters`);
  }
  const seq = await tx.chats.nextSeq(chat.id);
  const message = await tx.messages.insert({
    chat_id: chat.id,
    seq,
    author_id: f.authorId,
    text: f.text,
    system: f.system ? 1 : 0,
    params: JSON.stringify(f.params ?? {}),
    has_file: f.hasFile ? 1 : 0,
    has_attach: f.hasAttach ? 1 : 0,
    uuid: f.uuid ?? null,
    date: now,
    date_edit: null,
    deleted: 0,
    notify_read: 0,
  });
  await tx.chats.update(chat.id, { last_message_id: message.id, last_message_date: now, date_update: now });
  if (!chat.large) await tx.members.touchAll(chat.id, now, true);
  if (f.authorId > 0) {
    const author = await tx.members.get(chat.id, f.authorId);
    if (author) {
      await tx.members.update(chat.id, f.authorId, {
        read_seq: seq,
        read_message_id: message.id,
        last_own_seq: seq,
        unread: 0,
        date_update: now,
        date_last_activity: now,
      });
      if (author.read_seq < seq - 1) await tx.messages.markNotifyRead(chat.id, author.read_seq, seq - 1, f.authorId);
    }
  }
  return message;
}
