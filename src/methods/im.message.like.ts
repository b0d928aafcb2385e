// Likes (im.message.like, imbot.message.like) and typing signals (im.dialog.writing).
import { likeMessage, type LikeAction } from '../app/likes.ts';
import { parseDialogId } from '../app/dialog-id.ts';
import type { UserRow } from '../store/store.ts';
import { Errors } from '../errors.ts';
import { actingBot } from './imbot.ts';
import type { MethodContext, MethodDef } from './registry.ts';

async function like(ctx: MethodContext, user: UserRow): Promise<boolean> {
  const id = ctx.params.int('MESSAGE_ID') ?? ctx.params.int('ID') ?? 0;
  if (id <= 0) throw Errors.method('MESSAGE_ID_ERROR', "Message ID can't be empty");
  const raw = (ctx.params.string('ACTION') ?? '').toLowerCase();
  const action: LikeAction = raw === 'plus' || raw === 'minus' ? raw : 'auto';
  if (!(await likeMessage(ctx.app.store, ctx.app.chats, user, id, action, ctx.app.events))) {
    throw Errors.method('WITHOUT_CHANGES', 'Action completed without changes');
  }
  return true;
}

export const likeMethods: MethodDef[] = [
  {
    name: 'im.message.like',
    scope: 'im',
    params: ['MESSAGE_ID', 'ID', 'ACTION'],
    handler: (ctx) => like(ctx, ctx.auth.user),
  },
  {
    name: 'imbot.message.like',
    scope: 'imbot',
    params: ['BOT_ID', 'MESSAGE_ID', 'ACTION', 'CLIENT_ID'],
    async handler(ctx) {
      return like(ctx, await actingBot(ctx));
    },
  },
  {
    name: 'im.dialog.writing',
    scope: 'im',
    params: ['DIALOG_ID', 'CHAT_ID'],
    async handler({ app, auth, params }) {
      // DIALOG_ID, else CHAT_ID (a positive number); with neither there is nobody to tell: "Action unavailable".
      let ref = params.has('DIALOG_ID') ? parseDialogId(params.string('DIALOG_ID')) : undefined;
      if (params.has('DIALOG_ID') && !ref) throw Errors.method('DIALOG_ID_EMPTY', "Dialog ID can't be empty");
      if (!ref && params.has('CHAT_ID')) {
        const chatId = params.int('CHAT_ID') ?? 0;
        if (chatId <= 0) throw Errors.method('CHAT_ID_EMPTY', "Chat ID can't be empty");
        ref = { kind: 'chat', chatId };
      }
      if (!ref) throw Errors.method('ACCESS_ERROR', 'Action unavailable', 403);
      // Published to the other members over Push & Pull (startWriting); true even where there is nobody to tell.
      await app.pull.typing.typing(auth.user, ref);
      return true;
    },
  },
];
