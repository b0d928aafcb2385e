// im.disk.*: a chat's folder, sending uploaded files to a chat, deleting one, saving a copy to one's own files.
import { parseDialogId, type DialogRef } from '../app/dialog-id.ts';
import { Errors } from '../errors.ts';
import { fileModel } from '../present/files.ts';
import { imFiles, linksFor } from './file-views.ts';
import { requireChatId } from './im-params.ts';
import { intWithin, INT32 } from './intval.ts';
import type { Params } from './params.ts';
import type { MethodContext, MethodDef } from './registry.ts';
import { actingBot } from './imbot.ts';
import type { UserRow } from '../store/store.ts';

/**
 * Who acts: the caller, or with BOT_ID one of the caller's application's bots (as imbot.* choose it), so a classic
 * bot uploads and sends files in its own name.
 */
export async function actor(ctx: MethodContext): Promise<UserRow> {
  return ctx.params.has('BOT_ID') ? actingBot(ctx) : ctx.auth.user;
}

/** CHAT_ID or DIALOG_ID, whichever is given first, as the docs of folder.get and file.commit read them. */
function chatOrDialog(params: Params): DialogRef {
  if (params.has('CHAT_ID')) return { kind: 'chat', chatId: requireChatId(params) };
  if (params.has('DIALOG_ID')) {
    const ref = parseDialogId(params.string('DIALOG_ID'));
    if (!ref) throw Errors.method('DIALOG_ID_EMPTY', "Dialog ID can't be empty");
    return ref;
  }
  throw Errors.method('CHAT_ID_EMPTY', "Chat ID can't be empty");
}

function positiveId(params: Params, name: string): number {
  const raw = params.raw(name);
  return typeof raw === 'number' || typeof raw === 'string' ? intWithin(raw, INT32) : 0;
}

export const imDiskMethods: MethodDef[] = [
  {
    name: 'im.disk.folder.get',
    scope: 'im',
    params: ['CHAT_ID', 'DIALOG_ID', 'BOT_ID', 'CLIENT_ID'],
    async handler(ctx) {
      const { app, params } = ctx;
      const folder = await app.files.chatFolder(await actor(ctx), chatOrDialog(params));
      return { ID: folder.id };
    },
  },
  {
    name: 'im.disk.file.commit',
    scope: 'im',
    params: ['CHAT_ID', 'DIALOG_ID', 'FILE_ID', 'UPLOAD_ID', 'MESSAGE', 'SILENT_MODE', 'AS_FILE', 'BOT_ID', 'CLIENT_ID'],
    async handler(ctx) {
      const { app, params } = ctx;
      const auth = { user: await actor(ctx) };
      const ref = chatOrDialog(params);
      // FILE_ID first, as the docs say only the first given is read; AS_FILE applies to UPLOAD_ID only.
      const byFileId = params.has('FILE_ID');
      const name = byFileId ? 'FILE_ID' : 'UPLOAD_ID';
      if (!params.has(name)) throw Errors.method('FILES_ERROR', 'List of files in not specified');
      const raw = params.list(name).map((v) => (typeof v === 'number' || typeof v === 'string' ? intWithin(v, INT32) : 0));
      if (raw.length === 0 || raw.some((id) => id <= 0)) throw Errors.method('SAVE_ERROR', 'Error during saving file to chat');
      // A chat the caller cannot write to is ACCESS_ERROR (403), checked before the files.
      await app.files.checkCanPost(auth.user, ref);
      const { messageId, files } = await app.files.commit(auth.user, ref, raw, {
        message: params.string('MESSAGE') ?? '',
        asFile: !byFileId && params.flag('AS_FILE'),
      });
      const shown = await imFiles(app, files, auth.user.id);
      const links = linksFor(app, auth.user.id);
      const FILES: Record<string, unknown> = {};
      const FILE_MODELS: Record<string, unknown> = {};
      files.forEach((f, i) => {
        FILES[`upload${f.id}`] = shown[i];
        FILE_MODELS[`upload${f.id}`] = fileModel(f, links, app.config.timezone);
      });
      return { FILES, DISK_ID: files.map((f) => String(f.id)), FILE_MODELS, MESSAGE_ID: messageId };
    },
  },
  {
    name: 'im.disk.file.delete',
    scope: 'im',
    params: ['CHAT_ID', 'FILE_ID'],
    async handler({ app, auth, params }) {
      const chatId = positiveId(params, 'CHAT_ID');
      if (chatId <= 0) throw Errors.method('CHAT_ID_EMPTY', "Chat ID can't be empty");
      const fileId = positiveId(params, 'FILE_ID');
      if (fileId <= 0) throw Errors.method('FILE_ID_EMPTY', "File ID can't be empty");
      return app.files.remove(auth.user, chatId, fileId);
    },
  },
  {
    name: 'im.disk.file.save',
    scope: 'im',
    params: ['FILE_ID'],
    async handler({ app, auth, params }) {
      const fileId = positiveId(params, 'FILE_ID');
      if (fileId <= 0) throw Errors.method('FILE_ID_EMPTY', "File ID can't be empty");
      const { folder, file } = await app.files.saveToOwn(auth.user, fileId);
      return { folder: { id: folder.id, name: folder.name }, file: { id: file.id, name: file.name } };
    },
  },
];
