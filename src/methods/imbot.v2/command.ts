// imbot.v2.Command.register / update / list / unregister / answer.
import type { V2CommandFields } from '../../app/bots-v2/commands.ts';
import { v2Error } from '../../app/bots-v2/owners.ts';
import { BitrixError } from '../../errors.ts';
import { fullName } from '../../present/users.ts';
import { v2Command } from '../../present/v2.ts';
import { Params } from '../params.ts';
import { attachParam, keyboardParam } from '../rich-params.ts';
import type { MethodContext, MethodDef } from '../registry.ts';
import { bool, fieldsOf, ownBot, str, type Fields } from './common.ts';

function commandFields(f: Fields): V2CommandFields {
  return {
    command: f.command,
    title: f.title,
    params: f.params,
    common: bool(f.common),
    hidden: bool(f.hidden),
    extranetSupport: bool(f.extranetSupport),
  };
}

/** fields, or (until 2026-09-30, change-log BOT-BC-0330-1) the same keys at the top level. */
function registerFields(ctx: MethodContext): Fields {
  if (ctx.params.has('fields')) return fieldsOf(ctx);
  const top: Fields = {};
  for (const key of ['command', 'title', 'params', 'common', 'hidden', 'extranetSupport']) {
    const v = ctx.params.raw(key);
    if (v !== undefined) top[key] = v;
  }
  return top;
}

export const commandMethods: MethodDef[] = [
  {
    name: 'imbot.v2.Command.register',
    scope: 'imbot',
    params: ['botId', 'botToken', 'fields', 'command', 'title', 'params', 'common', 'hidden', 'extranetSupport'],
    async handler(ctx) {
      const { bot } = await ownBot(ctx);
      const row = await ctx.app.commandsV2.register(bot, commandFields(registerFields(ctx)));
      return { command: v2Command(row) };
    },
  },
  {
    name: 'imbot.v2.Command.update',
    scope: 'imbot',
    params: ['botId', 'botToken', 'commandId', 'fields'],
    async handler(ctx) {
      const { bot } = await ownBot(ctx);
      const row = await ctx.app.commandsV2.own(bot, ctx.params.int('commandId'));
      const updated = await ctx.app.commandsV2.update(row, commandFields(fieldsOf(ctx)));
      return { command: v2Command(updated) };
    },
  },
  {
    name: 'imbot.v2.Command.list',
    scope: 'imbot',
    params: ['botId', 'botToken'],
    async handler(ctx) {
      const { bot, user } = await ownBot(ctx);
      const full = { language: ctx.app.config.language, category: fullName(user) };
      return { commands: (await ctx.app.commandsV2.list(bot)).map((c) => v2Command(c, full)) };
    },
  },
  {
    name: 'imbot.v2.Command.unregister',
    scope: 'imbot',
    params: ['botId', 'botToken', 'commandId'],
    async handler(ctx) {
      const { bot } = await ownBot(ctx);
      await ctx.app.commandsV2.unregister(await ctx.app.commandsV2.own(bot, ctx.params.int('commandId')));
      return { result: true };
    },
  },
  {
    name: 'imbot.v2.Command.answer',
    scope: 'imbot',
    params: ['botId', 'botToken', 'commandId', 'messageId', 'dialogId', 'fields'],
    async handler(ctx) {
      const { bot } = await ownBot(ctx);
      const row = await ctx.app.commandsV2.own(bot, ctx.params.int('commandId'));
      const f = fieldsOf(ctx);
      const rich = new Params(
        Object.fromEntries(Object.entries({ ATTACH: f.attach, KEYBOARD: f.keyboard }).filter(([, v]) => v !== undefined)),
        { caseInsensitive: true, strict: ctx.params.strict },
      );
      try {
        // The classic answer rules: the command's dialog only, for a while; a bot outside the chat answers as a system message.
        await ctx.app.commands.answer(row, {
          messageId: ctx.params.int('messageId') ?? 0,
          text: str(f.message) ?? '',
          attach: attachParam(rich, ctx.app.clock()) ?? undefined,
          keyboard: keyboardParam(rich, bot.id) ?? undefined,
          system: bool(f.system) === true,
          urlPreview: bool(f.urlPreview) ?? true,
        });
      } catch (err) {
        if (err instanceof BitrixError && err.status < 500) throw v2Error('COMMAND_ANSWER_FAILED', 'Command answer failed');
        throw err;
      }
      return { result: true };
    },
  },
];
