// disk.folder.uploadfile: the upload into a chat's folder the im.disk.* docs rely on, both ways the docs describe:
// fileContent ([name, base64]) in the call, or, without it, an uploadUrl to POST a multipart form to.
import type { App } from '../app/index.ts';
import { Errors } from '../errors.ts';
import { diskFile } from '../present/files.ts';
import type { FileRow } from '../store/store.ts';
import { actor } from './im.disk.ts';
import { linksFor } from './file-views.ts';
import { intWithin, INT32 } from './intval.ts';
import type { Params } from './params.ts';
import type { MethodDef } from './registry.ts';

/** How long an uploadUrl stays valid. */
export const UPLOAD_URL_TTL_S = 3600;
/** The multipart field the uploadUrl reads, as on a portal. */
export const UPLOAD_FIELD = 'file';

export async function diskFileResult(app: App, file: FileRow, viewerId: number) {
  const folder = (await app.store.files.folder(file.folder_id))!;
  return diskFile(file, folder, linksFor(app, viewerId), app.config.timezone);
}

function structure(params: Params, name: string): Record<string, unknown> | unknown[] | undefined {
  return params.structure(name);
}

/** [name, base64] (or {0: name, 1: base64} as a PHP form sends it). */
function fileContent(params: Params): { name: string; bytes: Buffer } | undefined {
  if (!params.has('fileContent')) return undefined;
  const v = structure(params, 'fileContent');
  const items = Array.isArray(v) ? v : v ? Object.values(v) : [];
  const [name, content] = items;
  if (typeof content !== 'string' || content.trim() === '') throw Errors.method('ERROR_COULD_NOT_SAVE_FILE', 'Could not save file');
  const body = content.replace(/^data:[^;,]*;base64,/, '').replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/_-]*={0,2}$/.test(body)) throw Errors.method('ERROR_COULD_NOT_SAVE_FILE', 'Could not save file: fileContent is not base64');
  return { name: typeof name === 'string' ? name : '', bytes: Buffer.from(body, 'base64') };
}

export const diskMethods: MethodDef[] = [
  {
    name: 'disk.folder.uploadFile',
    scope: 'disk',
    params: ['id', 'data', 'fileContent', 'generateUniqueName', 'rights', 'BOT_ID', 'CLIENT_ID'],
    async handler(ctx) {
      const { app, params } = ctx;
      const auth = { user: await actor(ctx) };
      const raw = params.raw('id');
      const folderId = typeof raw === 'number' || typeof raw === 'string' ? intWithin(raw, INT32) : 0;
      if (folderId <= 0) throw Errors.method('ERROR_ARGUMENT', 'Invalid value of parameter {Parameter #0}');
      const uniqueName = params.flag('generateUniqueName') || params.raw('generateUniqueName') === true || params.string('generateUniqueName') === 'true';
      await app.files.writableFolder(app.store, auth.user, folderId);
      const data = structure(params, 'data');
      const dataName = data && !Array.isArray(data) && typeof data.NAME === 'string' ? data.NAME : undefined;
      const content = fileContent(params);
      if (!content) {
        const token = app.files.urls.uploadToken(folderId, auth.user.id, uniqueName, app.clock() + UPLOAD_URL_TTL_S);
        return { field: UPLOAD_FIELD, uploadUrl: `${app.files.urls.base()}/rest/upload.json?token=${encodeURIComponent(token)}` };
      }
      const name = dataName ?? content.name;
      const file = await app.files.upload(auth.user, folderId, name, [content.bytes], { uniqueName });
      return diskFileResult(app, file, auth.user.id);
    },
  },
];
