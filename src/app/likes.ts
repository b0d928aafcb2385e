// Likes of messages (im.message.like, imbot.message.like): the ids of who liked it, kept in the message's
// params as LIKE, as a portal keeps them.
import { Errors } from '../errors.ts';
import type { Store, UserRow } from '../store/store.ts';
import type { ChatsService } from './chats.ts';
import type { MessengerEvents } from './events.ts';

export type LikeAction = 'auto' | 'plus' | 'minus';

/** Likes or unlikes a message the user can read; false when nothing changed (a second "plus"). */
export async function likeMessage(store: Store, chats: ChatsService, user: UserRow, messageId: number, action: LikeAction, events?: MessengerEvents): Promise<boolean> {
  const changed = await store.transaction(async (tx) => {
    const found = await tx.messages.get(messageId);
    if (!found || found.deleted) return false;
    // Locked like every other change of the chat, so two likes at once both count.
    const chat = (await tx.chats.getForUpdate(found.chat_id))!;
    const member = await tx.members.get(chat.id, user.id);
    if (!chats.canRead(user, { chat, member }) || (member && found.seq < member.start_seq)) {
      throw Errors.method('ACCESS_ERROR', 'You do not have access to the specified dialog', 403);
    }
    const message = (await tx.messages.get(messageId))!;
    const params = JSON.parse(message.params) as Record<string, unknown>;
    const likes = Array.isArray(params.LIKE) ? (params.LIKE as unknown[]).map(Number) : [];
    const has = likes.includes(user.id);
    const like = action === 'auto' ? !has : action === 'plus';
    if (like === has) return false;
    params.LIKE = like ? [...likes, user.id] : likes.filter((id) => id !== user.id);
    if ((params.LIKE as number[]).length === 0) delete params.LIKE;
    await tx.messages.update(message.id, { params: JSON.stringify(params) });
    // Bots 2.0 report likes as the "like" reaction (ONIMBOTV2REACTIONCHANGE / ONIMV2REACTIONCHANGE).
    await events?.record(tx, 'reactionChanged', { message: { ...message, params: JSON.stringify(params) }, chat, userId: user.id, reaction: 'like', action: like ? 'add' : 'delete' });
    return true;
  });
  if (changed) events?.committed();
  return changed;
}
