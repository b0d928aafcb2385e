// Messages: sending, editing, deleting, reading history.
import { Errors } from '../errors.ts';
import type { ChatRow, MessageRow, Store, UserRow } from '../store/store.ts';
import { ROLE, type ChatsService } from './chats.ts';
import type { Clock } from './clock.ts';
import type { DialogRef } from './dialog-id.ts';
import type { MessengerEvents } from './events.ts';
import { MAX_MESSAGE_LENGTH } from './limits.ts';
import { postInTx } from './posting.ts';

export interface NewMessageInput {
  text: string;
  system?: boolean;
  /**
   * A notice the system posts into the author's dialog (imbot.message.add FROM_USER_ID/TO_USER_ID): stored with no
   * author, as a portal stores a system message, so no one can make it look as if the user wrote it.
   */
  authorless?: boolean;
  attach?: unknown;
  keyboard?: unknown;
  menu?: unknown;
  urlPreview?: boolean;
  replyId?: number;
  uuid?: string;
  /** Posts into a chat the author is not a member of (a bot's system answer to a command, as a portal does). */
  skipUserCheck?: boolean;
  /** Files the message carries (im.disk.file.commit): resolved and linked inside the posting transaction. */
  files?: MessageFiles;
}

/** The files of a new message: prepare() returns their ids (copying what needs a copy), link() ties them to it. */
export interface MessageFiles {
  prepare(tx: Store, chat: ChatRow): Promise<number[]>;
  link(tx: Store, message: MessageRow, fileIds: number[]): Promise<void>;
}

/** Runs inside the transaction that deletes a message (its files go with it). */
export type DeleteHook = (tx: Store, message: MessageRow) => Promise<void>;

export interface MessageEdit {
  text?: string;
  attach?: unknown | null;
  keyboard?: unknown | null;
  menu?: unknown | null;
  urlPreview?: boolean;
  isEdited?: boolean;
}

export interface HistoryPage {
  chat: ChatRow;
  messages: MessageRow[];
}

const accessError = () => Errors.method('ACCESS_ERROR', 'Action unavailable');
// The portal answers it with 403 (CRestServer::STATUS_FORBIDDEN).
const cantEdit = () => Errors.method('CANT_EDIT_MESSAGE', 'Time has expired for modification or you don\'t have access', 403);

/** Runs inside the transaction of im.message.add once the message is stored (open lines follow sessions so). */
export type PostHook = (tx: Store, chat: ChatRow, message: MessageRow, now: number) => Promise<void>;

export class MessagesService {
  readonly postHooks: PostHook[] = [];
  readonly deleteHooks: DeleteHook[] = [];
  /** Called after a transaction that deleted messages commits (frees file bytes no one points at). */
  readonly afterDelete: (() => void)[] = [];

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly chats: ChatsService,
    private readonly events: MessengerEvents,
  ) {}

  /** Sends a message to a dialog or chat the author may write to; returns the new message id. */
  async add(author: UserRow, ref: DialogRef, input: NewMessageInput): Promise<number> {
    const text = input.text.trim();
    const hasAttach = input.attach !== undefined && input.attach !== null;
    if (!text && !hasAttach && !input.files) throw Errors.method('MESSAGE_EMPTY', 'Message can\'t be empty');
    if (text.length > MAX_MESSAGE_LENGTH) throw Errors.method('MESSAGE_TOO_LONG', `Message is longer than ${MAX_MESSAGE_LENGTH} characters`);
    const now = this.clock();
    const message = await this.store.transaction(async (tx) => {
      const access = await this.chats.resolve(tx, author, ref, true);
      if (!access) throw Errors.method('CHAT_ID', 'Chat not found');
      if (!access.member && !input.skipUserCheck) throw accessError();
      const chat = (await (tx.dialect === 'postgres' ? tx.chats.getForUpdate(access.chat.id) : tx.chats.get(access.chat.id)))!;
      if (input.replyId !== undefined) {
        const reply = await tx.messages.get(input.replyId);
        if (!reply || reply.deleted) throw Errors.method('REPLY_ACCESS_ERROR', 'Action unavailable');
        if (reply.chat_id !== chat.id) throw Errors.method('REPLY_FROM_OTHER_CHAT_ERROR', 'You can only reply to a message within the same chat');
        if (reply.seq < (access.member?.start_seq ?? 0)) throw Errors.method('REPLY_ACCESS_ERROR', 'Action unavailable');
      }
      const params: Record<string, unknown> = {};
      if (hasAttach) params.ATTACH = input.attach;
      if (input.keyboard !== undefined) params.KEYBOARD = input.keyboard;
      if (input.menu !== undefined) params.MENU = input.menu;
      if (input.urlPreview === false) params.URL_PREVIEW = 'N';
      if (input.replyId !== undefined) params.REPLY_ID = input.replyId;
      const fileIds = input.files ? await input.files.prepare(tx, chat) : [];
      if (fileIds.length) params.FILE_ID = fileIds;
      const message = await postInTx(
        tx,
        chat,
        {
          authorId: input.authorless ? 0 : author.id,
          text,
          system: input.system || input.authorless,
          params,
          hasAttach,
          hasFile: fileIds.length > 0,
          uuid: input.uuid,
        },
        now,
      );
      if (input.files) await input.files.link(tx, message, fileIds);
      for (const hook of this.postHooks) await hook(tx, chat, message, now);
      // A large chat's member list is not read per message (O(1) posting); listeners look members up if they need them.
      const memberIds = chat.large ? undefined : await tx.members.userIds(chat.id);
      await this.events.record(tx, 'messageAdded', { message, chat, author, memberIds });
      return message;
    });
    this.events.committed();
    return message.id;
  }

  /** Edits a message; an empty text with nothing else left deletes it, as on a portal. */
  async update(user: UserRow, messageId: number, edit: MessageEdit): Promise<void> {
    if (edit.text !== undefined && edit.text.length > MAX_MESSAGE_LENGTH) {
      throw Errors.method('MESSAGE_TOO_LONG', `Message is longer than ${MAX_MESSAGE_LENGTH} characters`);
    }
    const now = this.clock();
    let deletedIt = false;
    await this.store.transaction(async (tx) => {
      deletedIt = false;
      const message = await tx.messages.get(messageId);
      if (!message || message.deleted || message.author_id !== user.id || message.system) throw cantEdit();
      // Locked like every other change of the chat: an edit to empty deletes and may move last_message_id.
      const chat = (await tx.chats.getForUpdate(message.chat_id))!;
      if (!(await tx.members.get(chat.id, user.id))) throw cantEdit();
      const params = JSON.parse(message.params) as Record<string, unknown>;
      for (const [key, value] of [['ATTACH', edit.attach], ['KEYBOARD', edit.keyboard], ['MENU', edit.menu]] as const) {
        if (value === null) delete params[key];
        else if (value !== undefined) params[key] = value;
      }
      if (edit.urlPreview !== undefined) {
        if (edit.urlPreview) delete params.URL_PREVIEW;
        else params.URL_PREVIEW = 'N';
      }
      const text = edit.text !== undefined ? edit.text.trim() : message.text;
      if (!text && params.ATTACH === undefined && !message.has_file) {
        const deleted = await this.deleteInTx(tx, chat, message, now);
        await this.events.record(tx, 'messageDeleted', { message: deleted, chat, byUserId: user.id });
        deletedIt = true;
        return;
      }
      if (edit.isEdited !== false) params.IS_EDITED = 'Y';
      await tx.messages.update(message.id, {
        text,
        params: JSON.stringify(params),
        has_attach: params.ATTACH !== undefined ? 1 : 0,
        date_edit: now,
      });
      if (chat.last_message_id === message.id) await this.touchChat(tx, chat, now);
      await this.events.record(tx, 'messageUpdated', { message: (await tx.messages.get(message.id))!, chat, byUserId: user.id });
    });
    this.events.committed();
    if (deletedIt) for (const fn of this.afterDelete) fn();
  }

  /** Deletes a message: its author, or an owner or manager of a group chat. */
  async delete(user: UserRow, messageId: number): Promise<void> {
    const now = this.clock();
    await this.store.transaction(async (tx) => {
      const message = await tx.messages.get(messageId);
      if (!message || message.deleted) throw cantEdit();
      const chat = (await (tx.dialect === 'postgres' ? tx.chats.getForUpdate(message.chat_id) : tx.chats.get(message.chat_id)))!;
      const me = await tx.members.get(chat.id, user.id);
      if (!me) throw cantEdit();
      const moderator = chat.type !== 'P' && (me.role === ROLE.owner || me.role === ROLE.manager);
      if (message.author_id !== user.id && !moderator) throw cantEdit();
      const deleted = await this.deleteInTx(tx, chat, message, now);
      await this.events.record(tx, 'messageDeleted', { message: deleted, chat, byUserId: user.id });
    });
    this.events.committed();
    for (const fn of this.afterDelete) fn();
  }

  /** A page of a chat's history as the user may see it (members see from their join on; HIDE_HISTORY). */
  async history(user: UserRow, ref: DialogRef, opts: { beforeId?: number; afterId?: number; limit: number }): Promise<HistoryPage | undefined> {
    const access = await this.chats.resolve(this.store, user, ref, false);
    if (!access) return undefined;
    if (!this.chats.canRead(user, access)) throw Errors.method('ACCESS_ERROR', 'You do not have access to the specified dialog', 403);
    const messages = await this.store.messages.list({
      chatId: access.chat.id,
      fromSeq: access.member?.start_seq ?? 0,
      beforeId: opts.beforeId,
      afterId: opts.afterId,
      limit: opts.limit,
    });
    return { chat: access.chat, messages };
  }

  private async deleteInTx(tx: Store, chat: ChatRow, message: MessageRow, now: number): Promise<MessageRow> {
    await tx.messages.update(message.id, { deleted: 1, date_edit: now });
    for (const hook of this.deleteHooks) await hook(tx, message);
    const patch: Partial<ChatRow> = { deleted_seq_max: Math.max(chat.deleted_seq_max, message.seq) };
    if (chat.last_message_id === message.id) {
      const previous = await tx.messages.latest(chat.id);
      // last_message_date stays: it is the chat's last activity (a post), which a deletion does not undo.
      patch.last_message_id = previous?.id ?? 0;
    }
    await tx.chats.update(chat.id, patch);
    // Counters of everyone who had not read it change, and maybe the last message: the item changed for all.
    await this.touchChat(tx, chat, now);
    return { ...message, deleted: 1 };
  }

  private async touchChat(tx: Store, chat: ChatRow, now: number): Promise<void> {
    await tx.chats.update(chat.id, { date_update: now });
    if (!chat.large) await tx.members.touchAll(chat.id, now, false);
  }
}
