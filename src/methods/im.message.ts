// im.message.add / update / delete.
import { Errors } from '../errors.ts';
import { parseDialogId, type DialogRef } from '../app/dialog-id.ts';
import { optionalPositiveId, requireChatId, requireUserId } from './im-params.ts';
import type { Params } from './params.ts';
import { attachParam, keyboardParam, menuParam } from './rich-params.ts';
import type { MethodDef } from './registry.ts';
import { SHARE_TYPES, type ShareType } from '../app/share.ts';

const isShareType = (t: string): t is ShareType => (SHARE_TYPES as readonly string[]).includes(t);

/**
 * Where im.message.add writes, read as the portal's messageAdd reads it: a non-empty DIALOG_ID decides ("chatN" a
 * chat, else a user; CHAT_ID_EMPTY / USER_ID_EMPTY when its number is not a positive id), then CHAT_ID, then
 * USER_ID; with none of them the request is PARAMS_ERROR.
 */
function messageTarget(params: Params): DialogRef {
  const dialog = (params.string('DIALOG_ID') ?? '').trim();
  if (dialog !== '') {
    const ref = parseDialogId(dialog);
    if (ref) return ref;
    if (dialog.startsWith('chat')) throw Errors.method('CHAT_ID_EMPTY', "Chat ID can't be empty");
    throw Errors.method('USER_ID_EMPTY', "User ID can't be empty");
  }
  if (params.has('CHAT_ID')) return { kind: 'chat', chatId: requireChatId(params) };
  if (params.has('USER_ID')) return { kind: 'user', userId: requireUserId(params) };
  throw Errors.method('PARAMS_ERROR', 'Incorrect params');
}

export const imMessageMethods: MethodDef[] = [
  {
    name: 'im.message.add',
    scope: 'im',
    params: ['DIALOG_ID', 'MESSAGE', 'SYSTEM', 'ATTACH', 'URL_PREVIEW', 'KEYBOARD', 'MENU', 'REPLY_ID', 'CHAT_ID', 'USER_ID', 'UUID', 'TEMPLATE_ID'],
    async handler({ app, auth, params }) {
      const ref = messageTarget(params);
      // Buttons that run a bot's command are kept only in a bot's messages, as on a portal.
      const botId = auth.user.bot === 1 ? auth.user.id : 0;
      return app.messages.add(auth.user, ref, {
        text: params.string('MESSAGE') ?? '',
        system: params.flag('SYSTEM'),
        attach: attachParam(params, app.clock()) ?? undefined,
        keyboard: keyboardParam(params, botId) ?? undefined,
        menu: menuParam(params, botId) ?? undefined,
        urlPreview: params.flag('URL_PREVIEW', true),
        replyId: optionalPositiveId(params, 'REPLY_ID'),
        uuid: params.string('UUID') ?? params.string('TEMPLATE_ID'),
      });
    },
  },
  {
    name: 'im.message.share',
    scope: 'im',
    params: ['MESSAGE_ID', 'DIALOG_ID', 'TYPE'],
    async handler({ app, auth, params }) {
      const messageId = optionalPositiveId(params, 'MESSAGE_ID');
      if (messageId === undefined) throw Errors.method('MESSAGE_ID_ERROR', "Message ID can't be empty");
      const ref = parseDialogId(params.string('DIALOG_ID'));
      if (!ref) throw Errors.method('DIALOG_ID_EMPTY', "Dialog ID can't be empty");
      const type = params.string('TYPE') ?? '';
      if (!isShareType(type)) throw Errors.method('PARAMS_ERROR', 'Incorrect params');
      return app.share.share(auth.user, ref, messageId, type);
    },
  },
  {
    name: 'im.message.update',
    scope: 'im',
    params: ['MESSAGE_ID', 'MESSAGE', 'ATTACH', 'URL_PREVIEW', 'KEYBOARD', 'MENU', 'IS_EDITED'],
    async handler({ app, auth, params }) {
      const id = optionalPositiveId(params, 'MESSAGE_ID');
      if (!id) throw Errors.method('MESSAGE_ID_ERROR', 'Message ID can\'t be empty');
      const botId = auth.user.bot === 1 ? auth.user.id : 0;
      await app.messages.update(auth.user, id, {
        text: params.has('MESSAGE') ? (params.string('MESSAGE') ?? '') : undefined,
        attach: attachParam(params, app.clock()),
        keyboard: keyboardParam(params, botId),
        menu: menuParam(params, botId),
        urlPreview: params.has('URL_PREVIEW') ? params.flag('URL_PREVIEW', true) : undefined,
        // Changing only the attachments, keyboard or menu (a bot paging a list in place) does not mark it edited.
        isEdited: params.has('MESSAGE') ? params.flag('IS_EDITED', true) : params.string('IS_EDITED') === 'Y',
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
