// The rest of imbot.chat.*: a bot managing the group chats it is in (as the bot, like the im.chat.* methods).
import { avatarDataUrl } from '../app/avatars.ts';
import { requireChatTarget, requireUserId } from './im-params.ts';
import { actingBot, asBot } from './imbot.ts';
import type { MethodDef } from './registry.ts';

const chatIdOf = requireChatTarget;

const BOT = ['BOT_ID', 'CLIENT_ID'];

export const imbotChatMoreMethods: MethodDef[] = [
  {
    name: 'imbot.chat.get',
    scope: 'imbot',
    params: ['ENTITY_TYPE', 'ENTITY_ID', 'DIALOG_ID', ...BOT],
    handler: (ctx) => asBot(ctx, 'im.chat.get'),
  },
  {
    name: 'imbot.chat.setOwner',
    scope: 'imbot',
    params: ['CHAT_ID', 'DIALOG_ID', 'USER_ID', ...BOT],
    async handler(ctx) {
      const bot = await actingBot(ctx);
      await ctx.app.chats.setOwner(bot, chatIdOf(ctx.params), requireUserId(ctx.params));
      return true;
    },
  },
  {
    name: 'imbot.chat.setManager',
    scope: 'imbot',
    params: ['CHAT_ID', 'DIALOG_ID', 'USER_ID', 'IS_MANAGER', ...BOT],
    async handler(ctx) {
      const bot = await actingBot(ctx);
      const chatId = chatIdOf(ctx.params);
      const userId = requireUserId(ctx.params);
      // Anything but an explicit N makes a manager, as on a portal.
      await ctx.app.chats.setManager(bot, chatId, userId, ctx.params.string('IS_MANAGER') !== 'N');
      return true;
    },
  },
  {
    name: 'imbot.chat.updateTitle',
    scope: 'imbot',
    params: ['CHAT_ID', 'TITLE', ...BOT],
    handler: (ctx) => asBot(ctx, 'im.chat.updateTitle'),
  },
  {
    name: 'imbot.chat.updateColor',
    scope: 'imbot',
    params: ['CHAT_ID', 'COLOR', ...BOT],
    handler: (ctx) => asBot(ctx, 'im.chat.updateColor'),
  },
  {
    name: 'imbot.chat.updateAvatar',
    scope: 'imbot',
    params: ['CHAT_ID', 'DIALOG_ID', 'AVATAR', ...BOT],
    async handler(ctx) {
      const bot = await actingBot(ctx);
      const chatId = chatIdOf(ctx.params);
      await ctx.app.chats.setAvatar(bot, chatId, avatarDataUrl(ctx.params.string('AVATAR') ?? ''));
      return true;
    },
  },
  {
    name: 'imbot.chat.user.delete',
    scope: 'imbot',
    params: ['CHAT_ID', 'USER_ID', ...BOT],
    handler: (ctx) => asBot(ctx, 'im.chat.user.delete'),
  },
  {
    name: 'imbot.chat.user.list',
    scope: 'imbot',
    params: ['CHAT_ID', ...BOT],
    handler: (ctx) => asBot(ctx, 'im.chat.user.list'),
  },
];
