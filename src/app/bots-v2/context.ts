// im.v2.Chat.Bot.sendContext (docs: chat-bots-v2/imbot.v2/bot-context.md): a user opens a chat with a bot through
// a BOT_CONTEXT link and the client passes the link's JSON on; the chat's 2.0 bots get ONIMBOTV2CONTEXTGET. It is a
// change like any other: recorded with the transaction, turned into each bot's event (queue or webhook) afterwards.
import type { BotRow, ChatRow, Store, UserRow } from '../../store/store.ts';
import type { ChatsService } from '../chats.ts';
import type { DialogRef } from '../dialog-id.ts';
import type { MessengerEvents } from '../events.ts';
import { v2Error } from './owners.ts';

export class BotContexts {
  constructor(
    private readonly store: Store,
    private readonly chats: ChatsService,
    private readonly events: MessengerEvents,
  ) {}

  /** A group chat with no 2.0 bot (or a classic bot's dialog) takes the context and sends nothing. */
  async send(user: UserRow, ref: DialogRef, context: Record<string, unknown>): Promise<void> {
    await this.store.transaction(async (tx) => {
      const { chat, bots } = ref.kind === 'user' ? await this.dialog(tx, user, ref.userId) : await this.group(tx, user, ref.chatId);
      const botIds = bots.filter((b) => b.api_version === 2 && b.id !== user.id).map((b) => b.id);
      if (botIds.length) await this.events.record(tx, 'botContext', { chat, userId: user.id, botIds, context });
    });
    this.events.committed();
  }

  /** The dialog with a bot; following the link is opening it, so a first contact creates it. */
  private async dialog(tx: Store, user: UserRow, botId: number): Promise<{ chat: ChatRow; bots: BotRow[] }> {
    const bot = await tx.bots.get(botId);
    const botUser = bot && (await tx.users.get(botId));
    if (!bot || !botUser?.active) throw v2Error('BOT_NOT_FOUND', 'Bot not found');
    return { chat: await this.chats.ensurePrivate(tx, user, botUser), bots: [bot] };
  }

  /** A group chat the user is in: every 2.0 bot among its members. */
  private async group(tx: Store, user: UserRow, chatId: number): Promise<{ chat: ChatRow; bots: BotRow[] }> {
    const access = await this.chats.resolve(tx, user, { kind: 'chat', chatId }, false);
    if (!access?.member) throw v2Error('ACCESS_DENIED', 'Access denied', 403);
    const v2 = (await tx.bots.list()).filter((b) => b.api_version === 2).map((b) => b.id);
    return { chat: access.chat, bots: await tx.bots.getMany(await tx.bots.membersOf(chatId, v2)) };
  }
}
