// im.message.share: a message made into something else. b24im has chats but no tasks, feed or calendar, so a
// message becomes a new chat (TYPE=CHAT) as on a portal, and the other types answer false, as a portal without
// those modules does.
import { DateTime } from 'luxon';
import type { Config } from '../config.ts';
import { Errors } from '../errors.ts';
import { fullName } from '../present/users.ts';
import type { ChatRow, MessageRow, Store, UserRow } from '../store/store.ts';
import type { ChatsService } from './chats.ts';
import type { DialogRef } from './dialog-id.ts';
import type { MessagesService } from './messages.ts';
import { shareText } from './system-text.ts';

export const SHARE_TYPES = ['CHAT', 'TASK', 'POST', 'CALEND'] as const;
export type ShareType = (typeof SHARE_TYPES)[number];

/** The rule clients draw a quoted message with: 54 dashes above and below. */
const QUOTE_RULE = `${'-'.repeat(54)}\n`;

interface Shared {
  chat: ChatRow;
  message: MessageRow;
  author: UserRow | undefined;
  fileNames: string[];
  /** The one-to-one dialog's other user (the link back to it names them). */
  peer: UserRow | undefined;
}

export class ShareService {
  constructor(
    private readonly store: Store,
    private readonly config: Config,
    private readonly chats: ChatsService,
    private readonly messages: MessagesService,
  ) {}

  async share(user: UserRow, ref: DialogRef, messageId: number, type: ShareType): Promise<boolean> {
    const shared = await this.read(user, ref, messageId);
    if (type !== 'CHAT' || user.extranet) return false;
    await this.asChat(user, shared);
    return true;
  }

  /** The message, if the user may see it in that dialog; ACCESS_ERROR otherwise (one answer, so nothing leaks). */
  private async read(user: UserRow, ref: DialogRef, messageId: number): Promise<Shared> {
    return this.store.transaction(async (tx) => {
      const denied = () => Errors.method('ACCESS_ERROR', 'You do not have access to the specified dialog', 403);
      const access = await this.chats.resolve(tx, user, ref, false).catch(() => undefined);
      const member = access?.member;
      if (!access || !member) throw denied();
      const message = await tx.messages.get(messageId);
      if (!message || message.deleted || message.chat_id !== access.chat.id || message.seq < member.start_seq) throw denied();
      const author = message.author_id > 0 ? await tx.users.get(message.author_id) : undefined;
      const fileNames = message.has_file ? (await tx.files.ofMessages([message.id])).map((f) => f.name) : [];
      const peer = ref.kind === 'user' ? await tx.users.get(ref.userId) : undefined;
      return { chat: access.chat, message, author, fileNames, peer };
    });
  }

  /**
   * A new chat of the user and the message's author, opening with the quoted message; the dialog it came from gets
   * the quote with a note that a chat was made of it.
   */
  private async asChat(user: UserRow, s: Shared): Promise<void> {
    const lang = this.config.language;
    const joining = s.author && s.author.id !== user.id && s.author.active && !s.author.extranet ? [s.author.id] : [];
    const chatId = await this.chats.createGroup(user, { type: 'C', userIds: joining, entityType: 'THREAD', withoutJoinNotice: true });
    const quote = this.quote(s);
    const peer = s.chat.type === 'P' ? s.peer : undefined;
    const back: DialogRef = peer ? { kind: 'user', userId: peer.id } : { kind: 'chat', chatId: s.chat.id };
    // In a dialog the note is the user's own (marked system); in a chat it is the chat's system message.
    await this.messages.add(user, back, { text: quote + shareText(lang, 'chatCreated'), system: true, authorless: !peer });
    const link = peer ? `[USER=${peer.id}]${fullName(peer)}[/USER]` : `[CHAT=${s.chat.id}]${s.chat.title}[/CHAT]`;
    await this.messages.add(user, { kind: 'chat', chatId }, { text: quote + shareText(lang, 'chatWelcome', link), authorless: true });
  }

  private quote(s: Shared): string {
    const when = DateTime.fromSeconds(s.message.date, { zone: this.config.timezone }).toFormat('dd.MM.yyyy HH:mm');
    let text = `${QUOTE_RULE}${s.author ? fullName(s.author) : ''} [${when}]\n`;
    if (s.message.text.trim()) text += `${s.message.text}\n`;
    for (const name of s.fileNames) text += `[${shareText(this.config.language, 'file')}: ${name}]\n`;
    return text + QUOTE_RULE;
  }
}
