// Open-line bots acting on their sessions (imopenlines.bot.session.*): the session change and the changes it
// causes (welcome events for whoever joined, the posted message for connectors and bots), in one transaction.
import type { Store } from '../store/store.ts';
import type { MessengerEvents } from './events.ts';
import type { BotSessionAction, SessionsService } from './lines-sessions.ts';

export class LineBotsService {
  constructor(
    private readonly store: Store,
    private readonly sessions: SessionsService,
    private readonly events: MessengerEvents,
  ) {}

  async act(botIds: number[], chatId: number, action: BotSessionAction): Promise<void> {
    await this.store.transaction(async (tx) => {
      const r = await this.sessions.botActInTx(tx, botIds, chatId, action);
      if (r.joined.length) await this.events.record(tx, 'membersAdded', { chat: r.chat, userIds: r.joined, byUserId: r.botId });
      if (r.posted) await this.events.record(tx, 'messageAdded', { message: r.posted, chat: r.chat, author: undefined, memberIds: await tx.members.userIds(chatId) });
    });
    this.events.committed();
  }
}
