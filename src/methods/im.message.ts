// im.message.add / update / delete.
import { STRUCTURE_MAX_LENGTH } from '../app/limits.ts';
import { Errors } from '../errors.ts';
import { optionalPositiveId, requireChatId, requireDialog, requireUserId } from './im-params.ts';
import type { Params } from './params.ts';
import type { MethodDef } from './registry.ts';

/** ATTACH / KEYBOARD / MENU: a structure; "N" or empty removes it on update. */
function structureParam(params: Params, name: string, code: string): unknown | null | undefined {
  if (!params.has(name)) return undefined;
  const raw = params.raw(name);
  if (raw === 'N' || raw === '') return null;
  if (typeof raw === 'object') return withinSize(raw, name, JSON.stringify(raw).length);
  if (typeof raw === 'string') {
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch {
      // not JSON: falls through to the error
    }
    if (parsed && typeof parsed === 'object') return withinSize(parsed, name, raw.length);
  }
  throw Errors.method(code, `Incorrect ${name.toLowerCase()} params`);
}

function withinSize(value: unknown, name: string, length: number): unknown {
  if (length > STRUCTURE_MAX_LENGTH) {
    throw Errors.method(`${name}_OVERSIZE`, `You have exceeded the maximum allowable size of ${name.toLowerCase()}`);
  }
  return value;
}

export const imMessageMethods: MethodDef[] = [
  {
    name: 'im.message.add',
    scope: 'im',
    params: ['DIALOG_ID', 'MESSAGE', 'SYSTEM', 'ATTACH', 'URL_PREVIEW', 'KEYBOARD', 'MENU', 'REPLY_ID', 'CHAT_ID', 'USER_ID', 'UUID', 'TEMPLATE_ID'],
    async handler({ app, auth, params }) {
      let ref;
      if (params.has('DIALOG_ID')) ref = requireDialog(params);
      else if (params.has('CHAT_ID')) ref = { kind: 'chat' as const, chatId: requireChatId(params) };
      else if (params.has('USER_ID')) {
        const userId = requireUserId(params);
        ref = { kind: 'user' as const, userId };
      } else throw Errors.method('DIALOG_ID_EMPTY', 'Dialog ID can\'t be empty');
      const attach = structureParam(params, 'ATTACH', 'ATTACH_ERROR');
      return app.messages.add(auth.user, ref, {
        text: params.string('MESSAGE') ?? '',
        system: params.flag('SYSTEM'),
        attach: attach ?? undefined,
        keyboard: structureParam(params, 'KEYBOARD', 'KEYBOARD_ERROR') ?? undefined,
        menu: structureParam(params, 'MENU', 'MENU_ERROR') ?? undefined,
        urlPreview: params.flag('URL_PREVIEW', true),
        replyId: optionalPositiveId(params, 'REPLY_ID'),
        uuid: params.string('UUID') ?? params.string('TEMPLATE_ID'),
      });
    },
  },
  {
    name: 'im.message.update',
    scope: 'im',
    params: ['MESSAGE_ID', 'MESSAGE', 'ATTACH', 'URL_PREVIEW', 'KEYBOARD', 'MENU', 'IS_EDITED'],
    async handler({ app, auth, params }) {
      const id = optionalPositiveId(params, 'MESSAGE_ID');
      if (!id) throw Errors.method('MESSAGE_ID_ERROR', 'Message ID can\'t be empty');
      await app.messages.update(auth.user, id, {
        text: params.has('MESSAGE') ? (params.string('MESSAGE') ?? '') : undefined,
        attach: structureParam(params, 'ATTACH', 'ATTACH_ERROR'),
        keyboard: structureParam(params, 'KEYBOARD', 'KEYBOARD_ERROR'),
        menu: structureParam(params, 'MENU', 'MENU_ERROR'),
        urlPreview: params.has('URL_PREVIEW') ? params.flag('URL_PREVIEW', true) : undefined,
        isEdited: params.flag('IS_EDITED', true),
      });
      return true;
    },
  },
  {
    name: 'im.message.delete',
    scope: 'im',
    params: ['MESSAGE_ID', 'COMPLETE'],
    async handler({ app, auth, params }) {
      const id = optionalPositiveId(params, 'MESSAGE_ID');
      if (!id) throw Errors.method('MESSAGE_ID_ERROR', 'Message ID can\'t be empty');
      await app.messages.delete(auth.user, id);
      return true;
    },
  },
];
