// imopenlines.bot.session.*: an open-line bot handing its session to operators, transferring, finishing, or
// posting the line's automatic messages. The application acts through its bot that is in the chat.
import type { BotSessionAction, TransferTarget } from '../app/lines-sessions.ts';
import { Errors } from '../errors.ts';
import { botApp } from './imbot.ts';
import type { MethodContext, MethodDef } from './registry.ts';

const CLIENT = ['CLIENT_ID'];

async function act(ctx: MethodContext, action: BotSessionAction): Promise<boolean> {
  const owner = await botApp(ctx);
  const chatId = ctx.params.int('CHAT_ID') ?? 0;
  if (chatId <= 0) throw Errors.method('CHAT_ID_EMPTY', "Chat ID can't be empty");
  const bots = (await ctx.app.bots.list()).filter((b) => b.app_id === owner.id).map((b) => b.id);
  if (bots.length === 0) throw Errors.method('BOT_ID_ERROR', 'Bot not found');
  await ctx.app.lineBots.act(bots, chatId, action);
  return true;
}

/** USER_ID, QUEUE_ID, or TRANSFER_ID ("queueN" or a user id), as the portal reads them. */
function transferTarget(ctx: MethodContext): TransferTarget {
  const p = ctx.params;
  let userRaw = p.has('USER_ID') ? p.string('USER_ID') : undefined;
  let queueRaw = p.has('QUEUE_ID') ? p.string('QUEUE_ID') : undefined;
  const transfer = p.string('TRANSFER_ID');
  if (transfer !== undefined) {
    if (transfer.startsWith('queue')) queueRaw = transfer.slice(5);
    else userRaw = transfer;
  }
  if (userRaw !== undefined) {
    const id = Number.parseInt(userRaw, 10);
    if (!(id > 0)) throw Errors.method('USER_ID_EMPTY', "User ID can't be empty");
    return { kind: 'user', userId: id };
  }
  if (queueRaw !== undefined) {
    const id = Number.parseInt(queueRaw, 10);
    if (!(id > 0)) throw Errors.method('QUEUE_ID_EMPTY', "QUEUE ID can't be empty");
    return { kind: 'line', lineId: id };
  }
  throw Errors.method('TRANSFER_ID_EMPTY', "Queue ID or User ID can't be empty");
}

// A portal registers imopenlines.bot.* in the imopenlines scope (the docs name imopenlines and imbot together).
export const imopenlinesBotMethods: MethodDef[] = [
  {
    name: 'imopenlines.bot.session.operator',
    scope: 'imopenlines',
    params: ['CHAT_ID', ...CLIENT],
    handler: (ctx) => act(ctx, { kind: 'operator' }),
  },
  {
    name: 'imopenlines.bot.session.transfer',
    scope: 'imopenlines',
    params: ['CHAT_ID', 'USER_ID', 'QUEUE_ID', 'TRANSFER_ID', 'LEAVE', ...CLIENT],
    async handler(ctx) {
      if ((ctx.params.int('CHAT_ID') ?? 0) <= 0) throw Errors.method('CHAT_ID_EMPTY', "Chat ID can't be empty");
      return act(ctx, { kind: 'transfer', target: transferTarget(ctx), leave: ctx.params.string('LEAVE') === 'Y' });
    },
  },
  {
    name: 'imopenlines.bot.session.finish',
    scope: 'imopenlines',
    params: ['CHAT_ID', ...CLIENT],
    handler: (ctx) => act(ctx, { kind: 'finish' }),
  },
  {
    name: 'imopenlines.bot.session.message.send',
    scope: 'imopenlines',
    params: ['CHAT_ID', 'NAME', 'MESSAGE', ...CLIENT],
    handler: (ctx) => act(ctx, { kind: 'message', name: ctx.params.string('NAME') === 'WELCOME' ? 'WELCOME' : 'DEFAULT', message: ctx.params.string('MESSAGE') ?? '' }),
  },
];
