// Reactions on messages (imbot.v2.Chat.Message.Reaction.*; im.message.like is the "like" one): "like" is the LIKE
// list of the message's params, as classic clients read it; other codes are rows of message_reactions. Each change
// is recorded in the change log (ONIMBOTV2REACTIONCHANGE, ONIMV2REACTIONCHANGE).
import { Errors } from '../errors.ts';
import type { Store, UserRow } from '../store/store.ts';
import type { ChatsService } from './chats.ts';
import type { Clock } from './clock.ts';
import type { MessengerEvents } from './events.ts';

/** The reaction codes a portal knows (imbot.v2.Chat.Message.Reaction.add). */
export const REACTIONS = [
  'like', 'dislike', 'faceWithTearsOfJoy', 'redHeart', 'neutralFace', 'fire', 'cry', 'slightlySmilingFace', 'winkingFace',
  'laugh', 'kiss', 'wonder', 'slightlyFrowningFace', 'loudlyCryingFace', 'faceWithStuckOutTongue',
  'faceWithStuckOutTongueAndWinkingEye', 'smilingFaceWithSunglasses', 'confusedFace', 'flushedFace', 'thinkingFace', 'angry',
  'smilingFaceWithHorns', 'faceWithThermometer', 'facepalm', 'poo', 'flexedBiceps', 'clappingHands', 'raisedHand',
  'smilingFaceWithHeartEyes', 'smilingFaceWithHearts', 'pleadingFace', 'relievedFace', 'foldedHands', 'okHand', 'signHorns',
  'loveYouGesture', 'clownFace', 'partyingFace', 'questionMark', 'exclamationMark', 'lightBulb', 'bomb', 'sleepingSymbol',
  'crossMark', 'whiteHeavyCheckMark', 'eyes', 'handshake', 'hundredPoints',
] as const;

export class ReactionsService {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly chats: ChatsService,
    private readonly events: MessengerEvents,
  ) {}

  /**
   * Sets (add) or takes back (delete) the user's reaction; false when nothing changed (already set / not set).
   * ACCESS_DENIED unless the user may read the message.
   */
  async set(user: UserRow, messageId: number, reaction: string, action: 'add' | 'delete'): Promise<boolean> {
    if (!(REACTIONS as readonly string[]).includes(reaction)) throw Errors.method('REACTION_NOT_FOUND', 'Reaction not found');
    const changed = await this.store.transaction(async (tx) => {
      const found = await tx.messages.get(messageId);
      if (!found || found.deleted) throw Errors.method('ACCESS_DENIED', 'Access denied', 403);
      // Locked like every other change of the chat, so two reactions at once both count.
      const chat = (await tx.chats.getForUpdate(found.chat_id))!;
      const member = await tx.members.get(chat.id, user.id);
      if (!member || !this.chats.canRead(user, { chat, member }) || found.seq < member.start_seq) {
        throw Errors.method('ACCESS_DENIED', 'Access denied', 403);
      }
      let message = (await tx.messages.get(messageId))!;
      let changed: boolean;
      if (reaction === 'like') {
        const params = JSON.parse(message.params) as Record<string, unknown>;
        const likes = Array.isArray(params.LIKE) ? (params.LIKE as unknown[]).map(Number) : [];
        changed = likes.includes(user.id) !== (action === 'add');
        if (changed) {
          params.LIKE = action === 'add' ? [...likes, user.id] : likes.filter((id) => id !== user.id);
          if ((params.LIKE as number[]).length === 0) delete params.LIKE;
          await tx.messages.update(message.id, { params: JSON.stringify(params) });
          message = (await tx.messages.get(messageId))!;
        }
      } else {
        changed = action === 'add' ? await tx.reactions.add(message.id, user.id, reaction, this.clock()) : await tx.reactions.remove(message.id, user.id, reaction);
      }
      if (changed) await this.events.record(tx, 'reactionChanged', { message, chat, userId: user.id, reaction, action });
      return changed;
    });
    if (changed) this.events.committed();
    return changed;
  }
}
