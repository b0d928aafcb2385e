// imbot.v2.Chat.Message.get / getContext (supervisor and personal bots only), read, Reaction.add / delete.
import { parseDialogId } from '../../app/dialog-id.ts';
import { v2Error } from '../../app/bots-v2/owners.ts';
import { BitrixError } from '../../errors.ts';
import { v2Message } from '../../present/v2.ts';
import type { BotRow, MessageRow, UserRow } from '../../store/store.ts';
import { presentOptions } from '../present-options.ts';
import type { MethodContext, MethodDef } from '../registry.ts';
import { ownBot, str, usersBlock } from './common.ts';

/** Reading messages by id is for bots that see every message of their chats (docs: bot types). */
function watcherOnly(bot: BotRow): void {
  const type = bot.v2_type || (bot.type === 'S' ? 'supervisor' : 'bot');
  if (type !== 'supervisor' && type !== 'personal') throw v2Error('BOT_TYPE_NOT_ALLOWED', 'Bot type not allowed');
}

function messageIdOf(ctx: MethodContext): number {
  const id = ctx.params.int('messageId');
  if (id === undefined || id <= 0) throw v2Error('MESSAGE_ID_REQUIRED', 'Message ID is required');
  return id;
}

/** A message the bot may read: in a chat it is a member of, within the history it can see. */
async function readable(ctx: MethodContext, bot: UserRow, id: number): Promise<MessageRow> {
  const m = await ctx.app.store.messages.get(id);
  if (!m || m.deleted) throw v2Error('MESSAGE_NOT_FOUND', 'Message not found');
  const member = await ctx.app.store.members.get(m.chat_id, bot.id);
  if (!member || m.seq < member.start_seq) throw v2Error('MESSAGE_ACCESS_DENIED', 'Message access denied', 403);
  return m;
}

async function viewedByOthers(ctx: MethodContext, m: MessageRow): Promise<boolean> {
  for (const member of await ctx.app.store.members.list(m.chat_id)) {
    if (member.user_id !== m.author_id && member.read_seq >= m.seq) return true;
  }
  return false;
}

export const messageExtraMethods: MethodDef[] = [
  {
    name: 'imbot.v2.Chat.Message.get',
    scope: 'imbot',
    params: ['botId', 'botToken', 'messageId'],
    async handler(ctx) {
      const { bot, user } = await ownBot(ctx);
      watcherOnly(bot);
      const m = await readable(ctx, user, messageIdOf(ctx));
      const author = m.author_id > 0 ? await ctx.app.store.users.get(m.author_id) : undefined;
      return {
        message: v2Message(m, presentOptions(ctx.app), await viewedByOthers(ctx, m)),
        user: author ? usersBlock(ctx, [author])[0] : null,
      };
    },
  },
  {
    name: 'imbot.v2.Chat.Message.getContext',
    scope: 'imbot',
    params: ['botId', 'botToken', 'messageId', 'range'],
    async handler(ctx) {
      const { bot, user } = await ownBot(ctx);
      watcherOnly(bot);
      const range = ctx.params.int('range') ?? 50;
      if (range < 1 || range > 50) throw v2Error('ERROR_ARGUMENT', 'range must be between 1 and 50');
      const center = await readable(ctx, user, messageIdOf(ctx));
      const member = (await ctx.app.store.members.get(center.chat_id, bot.id))!;
      const q = { chatId: center.chat_id, fromSeq: member.start_seq };
      const before = await ctx.app.store.messages.list({ ...q, beforeId: center.id, limit: range + 1 });
      const after = await ctx.app.store.messages.list({ ...q, afterId: center.id, limit: range + 1 });
      const older = before.slice(0, range).reverse();
      const newer = after.slice(0, range);
      const all = [...older, center, ...newer];
      const o = presentOptions(ctx.app);
      const messages = [];
      for (const m of all) messages.push(v2Message(m, o, await viewedByOthers(ctx, m)));
      const authors = await ctx.app.store.users.getMany([...new Set(all.map((m) => m.author_id).filter((id) => id > 0))]);
      return { messages, users: usersBlock(ctx, authors), hasPrevPage: before.length > range, hasNextPage: after.length > range };
    },
  },
  {
    name: 'imbot.v2.Chat.Message.read',
    scope: 'imbot',
    params: ['botId', 'botToken', 'dialogId', 'messageId'],
    async handler(ctx) {
      const { user } = await ownBot(ctx);
      const ref = parseDialogId(ctx.params.string('dialogId'));
      if (!ref) throw v2Error('DIALOG_ID_EMPTY', 'Dialog ID is required');
      const access = await ctx.app.chats.resolve(ctx.app.store, user, ref, false);
      if (!access?.member) throw v2Error('ACCESS_DENIED', 'Access denied', 403);
      const messageId = ctx.params.int('messageId');
      if (messageId !== undefined) {
        const m = await ctx.app.store.messages.get(messageId);
        if (!m || m.chat_id !== access.chat.id || m.deleted) throw v2Error('MESSAGE_NOT_FOUND', 'Message not found');
      }
      const before = access.member.read_seq;
      const done = await ctx.app.reads.read(user, ref, messageId);
      if (!done) throw v2Error('ACCESS_DENIED', 'Access denied', 403);
      // The messages this call marked read: others' messages between the old read position and the new one.
      const me = (await ctx.app.store.members.get(access.chat.id, user.id))!;
      const viewed: number[] = [];
      if (me.read_seq > before) {
        const page = await ctx.app.store.messages.list({ chatId: access.chat.id, fromSeq: before + 1, afterId: 0, limit: 1000 });
        for (const m of page) if (m.seq <= me.read_seq && m.author_id !== user.id) viewed.push(m.id);
      }
      return { chatId: access.chat.id, lastId: done.lastId, counter: done.counter, viewedMessages: viewed };
    },
  },
  ...(['add', 'delete'] as const).map(
    (action): MethodDef => ({
      name: `imbot.v2.Chat.Message.Reaction.${action}`,
      scope: 'imbot',
      params: ['botId', 'botToken', 'messageId', 'reaction'],
      async handler(ctx) {
        const { user } = await ownBot(ctx);
        const id = messageIdOf(ctx);
        const reaction = str(ctx.params.raw('reaction')) ?? '';
        try {
          const changed = await ctx.app.reactions.set(user, id, reaction, action);
          if (!changed && action === 'add') throw v2Error('REACTION_ALREADY_SET', 'Reaction already set');
        } catch (err) {
          if (err instanceof BitrixError && err.code === 'ACCESS_DENIED') throw v2Error('ACCESS_DENIED', 'Access denied', 403);
          throw err;
        }
        return { result: true };
      },
    }),
  ),
];
