// imbot.v2.File.upload / download and im.v2.File.upload / download: a file into a chat in one call (upload to the
// chat's folder, then a message carrying it), and a signed link to download one, through the files service.
import type { DialogRef } from '../../app/dialog-id.ts';
import { parseDialogId } from '../../app/dialog-id.ts';
import { v2Error } from '../../app/bots-v2/owners.ts';
import { BitrixError } from '../../errors.ts';
import { atom } from '../../present/dates.ts';
import { fullName } from '../../present/users.ts';
import type { FileRow, UserRow } from '../../store/store.ts';
import type { MethodContext, MethodDef } from '../registry.ts';
import { fieldsOf, ownBot, str } from './common.ts';

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

function fileKind(f: FileRow): string {
  if (f.mime.startsWith('image/')) return 'image';
  if (f.mime.startsWith('video/')) return 'video';
  if (f.mime.startsWith('audio/')) return 'audio';
  return 'file';
}

/** The File object (entities.md). */
function v2File(ctx: MethodContext, f: FileRow, author: UserRow | undefined) {
  return {
    id: f.id,
    chatId: f.chat_id,
    date: atom(f.date_create, ctx.app.config.timezone),
    type: fileKind(f),
    name: f.name,
    extension: f.extension,
    size: f.size,
    image: f.width > 0 && f.height > 0 ? { height: f.height, width: f.width } : false,
    authorId: f.author_id,
    authorName: author ? fullName(author) : '',
    isTranscribable: false,
    isVideoNote: false,
    isVoiceNote: false,
  };
}

async function upload(ctx: MethodContext, user: UserRow) {
  const ref: DialogRef | undefined = parseDialogId(ctx.params.string('dialogId'));
  if (!ref) throw v2Error('DIALOG_ID_EMPTY', 'Dialog ID is required');
  const f = fieldsOf(ctx);
  const name = (str(f.name) ?? '').trim();
  const content = (str(f.content) ?? '').replace(/\s+/g, '');
  if (!name || !content) throw v2Error('FILE_EMPTY', 'File name or content is empty');
  if (content.length % 4 === 1 || !BASE64.test(content)) throw v2Error('FILE_INVALID_CONTENT', 'Invalid base64 content');
  const bytes = Buffer.from(content, 'base64');
  if (bytes.length > ctx.app.files.maxFileBytes) throw v2Error('FILE_TOO_LARGE', 'File is too large');
  let folderId: number;
  try {
    folderId = (await ctx.app.files.chatFolder(user, ref)).id;
  } catch (err) {
    if (err instanceof BitrixError && err.status < 500) throw v2Error('ACCESS_DENIED', 'Access denied', 403);
    throw v2Error('FILE_FOLDER_ERROR', 'Failed to get chat folder');
  }
  let file: FileRow;
  try {
    file = await ctx.app.files.upload(user, folderId, name, [bytes], { uniqueName: true });
  } catch (err) {
    if (err instanceof BitrixError && err.status === 413) throw v2Error('FILE_TOO_LARGE', 'File is too large');
    throw err instanceof BitrixError && err.status < 500 ? v2Error('FILE_UPLOAD_FAILED', 'File upload failed') : err;
  }
  let sent: { messageId: number; files: FileRow[] };
  try {
    sent = await ctx.app.files.commit(user, ref, [file.id], { message: str(f.message) ?? '' });
  } catch (err) {
    throw err instanceof BitrixError && err.status < 500 ? v2Error('FILE_SEND_FAILED', 'Failed to send message') : err;
  }
  const stored = sent.files[0] ?? file;
  return { file: v2File(ctx, stored, user), messageId: sent.messageId, chatId: stored.chat_id, dialogId: ref.kind === 'chat' ? `chat${ref.chatId}` : String(ref.userId) };
}

async function download(ctx: MethodContext, user: UserRow) {
  const id = ctx.params.int('fileId');
  const file = id !== undefined && id > 0 ? await ctx.app.store.files.get(id) : undefined;
  if (!file) throw v2Error('FILE_NOT_FOUND', 'File not found');
  if (!(await ctx.app.files.openForDownload(user.id, file.id))) throw v2Error('FILE_ACCESS_ERROR', 'File access error', 403);
  // A link signed for this user, as the im file objects carry (no further authorisation needed to fetch it).
  return { downloadUrl: ctx.app.files.urls.url('download', file.id, user.id, file.name) };
}

export const fileMethods: MethodDef[] = [
  {
    name: 'imbot.v2.File.upload',
    scope: 'imbot',
    params: ['botId', 'botToken', 'dialogId', 'fields'],
    async handler(ctx) {
      return upload(ctx, (await ownBot(ctx)).user);
    },
  },
  {
    name: 'imbot.v2.File.download',
    scope: 'imbot',
    params: ['botId', 'botToken', 'fileId', 'dialogId'],
    async handler(ctx) {
      return download(ctx, (await ownBot(ctx)).user);
    },
  },
  {
    name: 'im.v2.File.upload',
    scope: 'im',
    params: ['dialogId', 'fields'],
    handler: (ctx) => upload(ctx, ctx.auth.user),
  },
  {
    name: 'im.v2.File.download',
    scope: 'im',
    params: ['fileId', 'dialogId'],
    handler: (ctx) => download(ctx, ctx.auth.user),
  },
];
