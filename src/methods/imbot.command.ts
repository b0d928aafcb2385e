// imbot.command.*: a bot's slash commands, and im.message.command (a keyboard button pressed).
import { decodeStructure, isDict, str } from '../app/structures.ts';
import { Errors } from '../errors.ts';
import { optionalPositiveId } from './im-params.ts';
import { botApp } from './imbot.ts';
import type { Params } from './params.ts';
import type { MethodDef } from './registry.ts';
import { attachParam, keyboardParam, menuParam } from './rich-params.ts';

const yes = (v: unknown) => str(v) === 'Y';

/** FIELDS with upper-case keys (a JSON string or a structure). */
function fieldsOf(params: Params): Record<string, unknown> {
  const value = decodeStructure(params.raw('FIELDS'));
  if (!isDict(value)) return {};
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k.toUpperCase(), v]));
}

export const imbotCommandMethods: MethodDef[] = [
  {
    name: 'imbot.command.register',
    scope: 'imbot',
    params: ['BOT_ID', 'COMMAND', 'COMMON', 'HIDDEN', 'EXTRANET_SUPPORT', 'SONET_SUPPORT', 'LANG', 'EVENT_COMMAND_ADD', 'CLIENT_ID'],
    async handler({ app, auth, params }) {
      const owner = await botApp({ app, auth, params });
      return app.commands.register(owner, {
        botId: params.int('BOT_ID') ?? 0,
        command: params.string('COMMAND') ?? '',
        handler: params.string('EVENT_COMMAND_ADD') ?? '',
        common: yes(params.raw('COMMON')),
        hidden: yes(params.raw('HIDDEN')),
        extranetSupport: yes(params.raw('EXTRANET_SUPPORT')),
        lang: decodeStructure(params.raw('LANG')),
      });
    },
  },
  {
    name: 'imbot.command.unregister',
    scope: 'imbot',
    params: ['COMMAND_ID', 'CLIENT_ID'],
    async handler({ app, auth, params }) {
      await app.commands.unregister(await botApp({ app, auth, params }), params.int('COMMAND_ID') ?? 0);
      return true;
    },
  },
  {
    name: 'imbot.command.update',
    scope: 'imbot',
    params: ['COMMAND_ID', 'FIELDS', 'CLIENT_ID'],
    async handler({ app, auth, params }) {
      const owner = await botApp({ app, auth, params });
      const f = fieldsOf(params);
      // Empty values change nothing, as on a portal.
      const given = (key: string) => f[key] !== undefined && f[key] !== '' && f[key] !== null;
      await app.commands.update(owner, params.int('COMMAND_ID') ?? 0, {
        command: given('COMMAND') ? str(f.COMMAND) : undefined,
        handler: given('EVENT_COMMAND_ADD') ? str(f.EVENT_COMMAND_ADD) : undefined,
        hidden: given('HIDDEN') ? yes(f.HIDDEN) : undefined,
        extranetSupport: given('EXTRANET_SUPPORT') ? yes(f.EXTRANET_SUPPORT) : undefined,
        lang: given('LANG') ? decodeStructure(f.LANG) : undefined,
      });
      return true;
    },
  },
  {
    name: 'imbot.command.answer',
    scope: 'imbot',
    params: ['COMMAND_ID', 'COMMAND', 'MESSAGE_ID', 'MESSAGE', 'ATTACH', 'KEYBOARD', 'MENU', 'SYSTEM', 'URL_PREVIEW', 'CLIENT_ID'],
    async handler({ app, auth, params }) {
      const owner = await botApp({ app, auth, params });
      const command = await app.commands.forAnswer(owner, params.has('COMMAND_ID') ? (params.int('COMMAND_ID') ?? 0) : undefined, params.string('COMMAND'));
      return app.commands.answer(command, {
        messageId: params.int('MESSAGE_ID') ?? 0,
        text: params.string('MESSAGE') ?? '',
        attach: attachParam(params, app.clock()) ?? undefined,
        // The command's bot owns the buttons, so COMMAND buttons are kept.
        keyboard: keyboardParam(params, command.bot_id) ?? undefined,
        menu: menuParam(params, command.bot_id) ?? undefined,
        system: params.flag('SYSTEM'),
        urlPreview: params.flag('URL_PREVIEW', true),
      });
    },
  },
  {
    name: 'im.message.command',
    scope: 'im',
    params: ['MESSAGE_ID', 'ID', 'BOT_ID', 'COMMAND', 'COMMAND_PARAMS'],
    async handler({ app, auth, params }) {
      const id = optionalPositiveId(params, 'MESSAGE_ID') ?? optionalPositiveId(params, 'ID');
      if (!id) throw Errors.method('MESSAGE_ID_ERROR', "Message ID can't be empty");
      const botId = params.int('BOT_ID') ?? 0;
      if (botId <= 0) throw Errors.method('BOT_ID_ERROR', "Bot ID can't be empty");
      const command = params.string('COMMAND') ?? '';
      if (command === '') throw Errors.method('COMMAND_ERROR', "Command can't be empty");
      const ok = await app.commands.press(auth.user, id, botId, command, params.string('COMMAND_PARAMS') ?? '');
      if (!ok) throw Errors.method('PARAMS_ERROR', 'Incorrect params');
      return true;
    },
  },
];
