// imbot.v2.Bot.register / get / list / update / unregister.
import type { V2BotFields, V2Properties } from '../../app/bots-v2/bots.ts';
import { v2Error } from '../../app/bots-v2/owners.ts';
import { v2Bot } from '../../present/v2.ts';
import type { BotRow } from '../../store/store.ts';
import type { MethodContext, MethodDef } from '../registry.ts';
import { bool, botToken, fieldsOf, owner, ownBot, str, usersBlock, type Fields } from './common.ts';

function propertiesOf(v: unknown): V2Properties | undefined {
  if (!v || typeof v !== 'object' || Array.isArray(v)) return undefined;
  const p = v as Fields;
  return { name: str(p.name), lastName: str(p.lastName), workPosition: str(p.workPosition), color: str(p.color), gender: str(p.gender) };
}

function botFields(f: Fields): V2BotFields {
  return {
    properties: propertiesOf(f.properties),
    type: str(f.type),
    eventMode: str(f.eventMode),
    webhookUrl: str(f.webhookUrl),
    isHidden: bool(f.isHidden),
    isReactionsEnabled: bool(f.isReactionsEnabled),
    isSupportOpenline: bool(f.isSupportOpenline),
    backgroundId: 'backgroundId' in f ? (str(f.backgroundId) ?? null) : undefined,
  };
}

/** { bot, users } with the extended Bot object (the caller owns it) or the short one. */
async function botAnswer(ctx: MethodContext, bot: BotRow, owned: boolean) {
  const language = ctx.app.config.language;
  const user = await ctx.app.store.users.get(bot.id);
  return {
    bot: owned ? v2Bot(bot, language, await ctx.app.botsV2.counts(ctx.app.store, bot)) : v2Bot(bot, language),
    users: usersBlock(ctx, user ? [user] : []),
  };
}

export const botMethods: MethodDef[] = [
  {
    name: 'imbot.v2.Bot.register',
    scope: 'imbot',
    params: ['fields', 'botToken'],
    async handler(ctx) {
      const f = fieldsOf(ctx);
      const token = botToken(ctx, f);
      const bot = await ctx.app.botOwners.registering(ctx.auth, token, (app) => ctx.app.botsV2.register(app, str(f.code) ?? '', botFields(f)));
      return botAnswer(ctx, bot, true);
    },
  },
  {
    name: 'imbot.v2.Bot.get',
    scope: 'imbot',
    params: ['botId', 'code', 'botToken'],
    async handler(ctx) {
      const app = await owner(ctx);
      const bot = await ctx.app.botsV2.find(ctx.params.int('botId'), ctx.params.string('code')?.trim() || undefined);
      return botAnswer(ctx, bot, app !== undefined && bot.app_id === app.id);
    },
  },
  {
    name: 'imbot.v2.Bot.list',
    scope: 'imbot',
    params: ['botToken', 'filter', 'limit', 'offset'],
    async handler(ctx) {
      const app = await owner(ctx);
      const filter = fieldsOf(ctx, 'filter');
      const limit = Math.min(Math.max(ctx.params.int('limit') ?? 50, 1), 100);
      const offset = Math.max(ctx.params.int('offset') ?? 0, 0);
      const { bots, hasNextPage } = await ctx.app.botsV2.list(app, { type: str(filter.type), limit, offset });
      const language = ctx.app.config.language;
      const out = [];
      for (const b of bots) out.push(v2Bot(b, language, await ctx.app.botsV2.counts(ctx.app.store, b)));
      const users = await ctx.app.store.users.getMany(bots.map((b) => b.id));
      return { bots: out, users: usersBlock(ctx, users), hasNextPage };
    },
  },
  {
    name: 'imbot.v2.Bot.update',
    scope: 'imbot',
    params: ['botId', 'botToken', 'fields'],
    async handler(ctx) {
      const { app, bot } = await ownBot(ctx);
      const f = fieldsOf(ctx);
      // An empty or blank new token is ignored (docs); OAuth bots have no token to rotate.
      const newToken = (str(f.botToken) ?? '').trim();
      const rotate = newToken && !ctx.auth.app ? (tx: Parameters<typeof ctx.app.botOwners.rotate>[0]) => ctx.app.botOwners.rotate(tx, ctx.auth, app, newToken) : undefined;
      const updated = await ctx.app.botsV2.update(bot, botFields(f), rotate);
      return botAnswer(ctx, updated, true);
    },
  },
  {
    name: 'imbot.v2.Bot.unregister',
    scope: 'imbot',
    params: ['botId', 'botToken'],
    async handler(ctx) {
      const { app, bot } = await ownBot(ctx);
      try {
        await ctx.app.botsV2.unregister(app, bot, ctx.auth.user.id);
      } catch (err) {
        ctx.log.warn({ err, botId: bot.id }, 'imbot.v2.Bot.unregister failed');
        throw v2Error('BOT_UNREGISTER_FAILED', 'Bot unregistration failed');
      }
      return { result: true };
    },
  },
];
