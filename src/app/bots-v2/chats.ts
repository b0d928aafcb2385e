// What Bots 2.0 add to a chat: its description set by a bot (Chat.update), the text field switch
// (Chat.TextField.enabled) and the "bot is typing" signal (Chat.InputAction.notify).
import type { Store } from '../../store/store.ts';
import type { Clock } from '../clock.ts';

export const INPUT_ACTIONS = ['writing', 'thinking', 'searching', 'generating', 'analyzing', 'processing', 'translating', 'checking', 'composing'] as const;

export class BotChats {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
  ) {}

  async describe(chatId: number, description: string): Promise<void> {
    await this.store.transaction(async (tx) => {
      await tx.chats.getForUpdate(chatId);
      await tx.chats.update(chatId, { description: description.trim(), date_update: this.clock() });
    });
  }

  async textFieldEnabled(chatId: number): Promise<boolean> {
    return ((await this.store.chats.get(chatId))?.text_field ?? 1) === 1;
  }

  async setTextField(chatId: number, enabled: boolean): Promise<void> {
    await this.store.transaction(async (tx) => {
      await tx.chats.getForUpdate(chatId);
      await tx.chats.update(chatId, { text_field: enabled ? 1 : 0 });
    });
  }
}
