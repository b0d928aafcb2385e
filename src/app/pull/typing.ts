// "Someone is typing": im.dialog.writing and imbot.chat.sendTyping. Recorded in the change log like every other
// change, so the writer's node and every other node publish it the same way (startWriting, kept 60 s).
import type { Store, UserRow } from '../../store/store.ts';
import { fullName } from '../../present/users.ts';
import type { ChatsService } from '../chats.ts';
import type { DialogRef } from '../dialog-id.ts';
import type { MessengerEvents } from '../events.ts';

export class TypingSignals {
  constructor(
    private readonly store: Store,
    private readonly chats: ChatsService,
    private readonly events: MessengerEvents,
  ) {}

  /** False when the writer has no such dialog (nothing is published). */
  async typing(writer: UserRow, ref: DialogRef): Promise<boolean> {
    const recorded = await this.store.transaction(async (tx) => {
      const access = await this.chats.resolve(tx, writer, ref, false).catch(() => undefined);
      if (!access?.member) return false;
      await this.events.record(tx, 'typing', { chat: access.chat, userId: writer.id, userName: fullName(writer) });
      return true;
    });
    if (recorded) this.events.committed();
    return recorded;
  }
}
