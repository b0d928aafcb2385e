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

/** Each API's file pages name their failures apart: imbot.v2 with a FILE_ prefix, im.v2 without (and its own
 * CHAT_NOT_FOUND and ACCESS_DENIED). */
const CODES = {
  imbot: { folder: 'FILE_FOLDER_ERROR', upload: 'FILE_UPLOAD_FAILED', send: 'FILE_SEND_FAILED', fileDenied: 'FILE_ACCESS_ERROR', noChat: undefined },
  im: { folder: 'FOLDER_ERROR', upload: 'UPLOAD_FAILED', send: 'SEND_FAILED', fileDenied: 'ACCESS_DENIED', noChat: 'CHAT_NOT_FOUND' },
} as const;
type Codes = (typeof CODES)[keyof typeof CODES];

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

async function upload(ctx: MethodContext, user: UserRow, codes: Codes) {
  const ref: DialogRef | undefined = parseDialogId(ctx.params.string('dialogId'));
  if (!ref) throw v2Error('DIALOG_ID_EMPTY', 'Dialog ID is required');
  if (codes.noChat && !(await dialogExists(ctx, ref))) throw v2Error(codes.noChat, 'Chat not found');
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
    throw v2Error(codes.folder, 'Failed to get chat folder');
  }
  let file: FileRow;
  try {
    file = await ctx.app.files.upload(user, folderId, name, [bytes], { uniqueName: true });
  } catch (err) {
    if (err instanceof BitrixError && err.status === 413) throw v2Error('FILE_TOO_LARGE', 'File is too large');
    throw err instanceof BitrixError && err.status < 500 ? v2Error(codes.upload, 'File upload failed') : err;
  }
  let sent: { messageId: number; files: FileRow[] };
  try {
    sent = await ctx.app.files.commit(user, ref, [file.id], { message: str(f.message) ?? '' });
  } catch (err) {
    throw err instanceof BitrixError && err.status < 500 ? v2Error(codes.send, 'Failed to send message') : err;
  }
  const stored = sent.files[0] ?? file;
  return { file: v2File(ctx, stored, user), messageId: sent.messageId, chatId: stored.chat_id, dialogId: ref.kind === 'chat' ? `chat${ref.chatId}` : String(ref.userId) };
}

/** A group chat that exists, or a user to open a dialog with. */
async function dialogExists(ctx: MethodContext, ref: DialogRef): Promise<boolean> {
  return ref.kind === 'chat' ? (await ctx.app.store.chats.get(ref.chatId)) !== undefined : (await ctx.app.store.users.get(ref.userId)) !== undefined;
}

async function download(ctx: MethodContext, user: UserRow, codes: Codes) {
  const id = ctx.params.int('fileId');
  const file = id !== undefined && id > 0 ? await ctx.app.store.files.get(id) : undefined;
  if (!file) throw v2Error('FILE_NOT_FOUND', 'File not found');
  if (!(await ctx.app.files.openForDownload(user.id, file.id))) throw v2Error(codes.fileDenied, 'File access error', 403);
  // A link signed for this user, as the im file objects carry (no further authorisation needed to fetch it).
  return { downloadUrl: ctx.app.files.urls.url('download', file.id, user.id, file.name) };
}

export const fileMethods: MethodDef[] = [
  {
    name: 'imbot.v2.File.upload',
    scope: 'imbot',
    params: ['botId', 'botToken', 'dialogId', 'fields'],
    async handler(ctx) {
      return upload(ctx, (await ownBot(ctx)).user, CODES.imbot);
    },
  },
  {
    name: 'imbot.v2.File.download',
    scope: 'imbot',
    params: ['botId', 'botToken', 'fileId', 'dialogId'],
    async handler(ctx) {
      return download(ctx, (await ownBot(ctx)).user, CODES.imbot);
    },
  },
  {
    name: 'im.v2.File.upload',
    scope: 'im',
    params: ['dialogId', 'fields'],
    handler: (ctx) => upload(ctx, ctx.auth.user, CODES.im),
  },
  {
    name: 'im.v2.File.download',
    scope: 'im',
    params: ['fileId', 'dialogId'],
    handler: (ctx) => download(ctx, ctx.auth.user, CODES.im),
  },
];
