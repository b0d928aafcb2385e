// imbot.v2.Chat.*: group chats run by a bot, through the same ChatsService the classic im.chat.* methods use.
import { parseDialogId } from '../../app/dialog-id.ts';
import { v2Error } from '../../app/bots-v2/owners.ts';
import { NAMED_COLORS, parseColor } from '../../app/colors.ts';
import { BitrixError } from '../../errors.ts';
import { v2Chat } from '../../present/v2.ts';
import type { ChatRow, UserRow } from '../../store/store.ts';
import { presentOptions } from '../present-options.ts';
import type { MethodContext, MethodDef } from '../registry.ts';
import { fieldsOf, ownBot, str, usersBlock, type Fields } from './common.ts';

const denied = () => v2Error('ACCESS_DENIED', 'Access denied', 403);

/** The chat a dialogId names, as the bot sees it (its one-to-one dialog with a user, or chatN); ACCESS_DENIED
 * unless the bot is a member. */
async function botChat(ctx: MethodContext, bot: UserRow): Promise<{ chat: ChatRow; role: string }> {
  const ref = parseDialogId(ctx.params.string('dialogId'));
  if (!ref) throw v2Error('DIALOG_ID_EMPTY', 'Dialog ID is required');
  const access = await ctx.app.chats.resolve(ctx.app.store, bot, ref, false);
  if (!access || !access.member) throw denied();
  const role = access.chat.owner_id === bot.id ? 'OWNER' : access.member.role;
  return { chat: access.chat, role };
}

async function chatAnswer(ctx: MethodContext, chatId: number, viewerId: number) {
  const { store } = ctx.app;
  const chat = (await store.chats.get(chatId))!;
  const members = await store.members.list(chat.id);
  const member = members.find((m) => m.user_id === viewerId);
  const textField = await ctx.app.botChats.textFieldEnabled(chat.id);
  return v2Chat(chat, { member, members, viewerId }, presentOptions(ctx.app), textField);
}

/** userIds: a list of positive ids (JSON array or userIds[] form keys). */
function idList(v: unknown): number[] {
  const items = Array.isArray(v) ? v : v && typeof v === 'object' ? Object.values(v) : v === undefined || v === '' ? [] : [v];
  return [...new Set(items.map((x) => Number(x)).filter((n) => Number.isInteger(n) && n > 0 && n <= 2147483647))];
}

function colorOf(v: unknown): string | undefined {
  const s = str(v);
  if (!s) return undefined;
  const named = Object.entries(NAMED_COLORS).find(([k]) => k.toLowerCase() === s.toLowerCase());
  return named ? named[1] : parseColor(s);
}

/** The classic messenger's refusals become the 2.0 ACCESS_DENIED. */
async function guarded<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof BitrixError && err.status < 500 && /ACCESS|WRONG_REQUEST|KICK/.test(err.code)) throw denied();
    throw err;
  }
}

const ok = { result: true };

export const chatMethods: MethodDef[] = [
  {
    name: 'imbot.v2.Chat.add',
    scope: 'imbot',
    params: ['botId', 'botToken', 'fields'],
    async handler(ctx) {
      const { user } = await ownBot(ctx);
      const f: Fields = fieldsOf(ctx);
      const userIds = idList(f.userIds);
      const ownerId = Number(str(f.ownerId) ?? 0);
      const chatId = await ctx.app.chats.createGroup(user, {
        type: 'C',
        title: str(f.title),
        description: str(f.description),
        color: colorOf(f.color),
        userIds,
        ownerId: Number.isInteger(ownerId) && ownerId > 0 ? ownerId : undefined,
        message: str(f.message),
      });
      const chat = await chatAnswer(ctx, chatId, user.id);
      const users = await ctx.app.store.users.getMany(await ctx.app.store.members.userIds(chatId));
      return { chat: { ...chat, isNew: true }, users: usersBlock(ctx, users) };
    },
  },
  {
    name: 'imbot.v2.Chat.get',
    scope: 'imbot',
    params: ['botId', 'botToken', 'dialogId'],
    async handler(ctx) {
      const { user } = await ownBot(ctx);
      const { chat } = await botChat(ctx, user);
      return { chat: await chatAnswer(ctx, chat.id, user.id) };
    },
  },
  {
    name: 'imbot.v2.Chat.update',
    scope: 'imbot',
    params: ['botId', 'botToken', 'dialogId', 'fields'],
    async handler(ctx) {
      const { user } = await ownBot(ctx);
      const { chat } = await botChat(ctx, user);
      if (chat.type === 'P') throw denied();
      const f = fieldsOf(ctx);
      await guarded(async () => {
        const title = str(f.title);
        if (title !== undefined && title.trim() && title.trim() !== chat.title) await ctx.app.chats.rename(user, chat.id, title);
        const color = colorOf(f.color);
        if (color && color !== chat.color) await ctx.app.chats.recolor(user, chat.id, color);
        const description = str(f.description);
        if (description !== undefined) await ctx.app.botChats.describe(chat.id, description);
      });
      return ok;
    },
  },
  {
    name: 'imbot.v2.Chat.leave',
    scope: 'imbot',
    params: ['botId', 'botToken', 'dialogId'],
    async handler(ctx) {
      const { user } = await ownBot(ctx);
      const { chat } = await botChat(ctx, user);
      if (chat.type === 'P') throw denied();
      await guarded(() => ctx.app.chats.removeMember(user, chat.id, user.id));
      return ok;
    },
  },
  {
    name: 'imbot.v2.Chat.User.add',
    scope: 'imbot',
    params: ['botId', 'botToken', 'dialogId', 'userIds'],
    async handler(ctx) {
      const { user } = await ownBot(ctx);
      const { chat, role } = await botChat(ctx, user);
      if (chat.type === 'P' || role === 'MEMBER') throw denied();
      // Users that do not exist or are inactive are ignored (docs).
      const known = (await ctx.app.store.users.getMany(idList(ctx.params.raw('userIds')))).filter((u) => u.active === 1).map((u) => u.id);
      const members = new Set(await ctx.app.store.members.userIds(chat.id));
      const fresh = known.filter((id) => !members.has(id));
      if (fresh.length > 0) await guarded(() => ctx.app.chats.addMembers(user, chat.id, fresh, false));
      return ok;
    },
  },
  {
    name: 'imbot.v2.Chat.User.delete',
    scope: 'imbot',
    params: ['botId', 'botToken', 'dialogId', 'userId'],
    async handler(ctx) {
      const { user } = await ownBot(ctx);
      const { chat, role } = await botChat(ctx, user);
      if (chat.type === 'P' || role === 'MEMBER') throw denied();
      const target = ctx.params.int('userId') ?? 0;
      if (target <= 0) throw v2Error('USER_ID_REQUIRED', 'User ID is required');
      // Not a member: true, nothing to do (idempotent, docs).
      if (!(await ctx.app.store.members.get(chat.id, target))) return ok;
      await guarded(() => ctx.app.chats.removeMember(user, chat.id, target));
      return ok;
    },
  },
  {
    name: 'imbot.v2.Chat.User.list',
    scope: 'imbot',
    params: ['botId', 'botToken', 'dialogId', 'order', 'limit'],
    async handler(ctx) {
      const { user } = await ownBot(ctx);
      const { chat } = await botChat(ctx, user);
      const limit = ctx.params.int('limit') ?? 50;
      if (limit < 1 || limit > 200) throw v2Error('ERROR_ARGUMENT', 'limit must be between 1 and 200');
      const order = fieldsOf(ctx, 'order');
      const desc = Object.values(order).some((v) => String(v).toUpperCase() === 'DESC');
      const ids = (await ctx.app.store.members.userIds(chat.id)).sort((a, b) => (desc ? b - a : a - b)).slice(0, limit);
      const users = new Map((await ctx.app.store.users.getMany(ids)).map((u) => [u.id, u]));
      return usersBlock(ctx, ids.map((id) => users.get(id)).filter((u): u is UserRow => u !== undefined));
    },
  },
  ...(['add', 'delete'] as const).map(
    (action): MethodDef => ({
      name: `imbot.v2.Chat.Manager.${action}`,
      scope: 'imbot',
      params: ['botId', 'botToken', 'dialogId', 'userIds'],
      async handler(ctx) {
        const { user } = await ownBot(ctx);
        const { chat } = await botChat(ctx, user);
        const ids = idList(ctx.params.raw('userIds'));
        if (ids.length === 0) throw v2Error('EMPTY_USER_IDS', 'Empty user IDs');
        if (chat.type === 'P' || chat.owner_id !== user.id) throw denied();
        const members = new Set(await ctx.app.store.members.userIds(chat.id));
        // Users who are not members are ignored (docs).
        for (const id of ids.filter((x) => members.has(x) && x !== chat.owner_id)) {
          await guarded(() => ctx.app.chats.setManager(user, chat.id, id, action === 'add'));
        }
        return ok;
      },
    }),
  ),
  {
    name: 'imbot.v2.Chat.setOwner',
    scope: 'imbot',
    params: ['botId', 'botToken', 'dialogId', 'userId'],
    async handler(ctx) {
      const { user } = await ownBot(ctx);
      const { chat } = await botChat(ctx, user);
      if (chat.type === 'P' || chat.owner_id !== user.id) throw denied();
      const target = ctx.params.int('userId') ?? 0;
      if (target <= 0) throw v2Error('USER_ID_REQUIRED', 'User ID is required');
      await guarded(() => ctx.app.chats.setOwner(user, chat.id, target));
      return ok;
    },
  },
];
