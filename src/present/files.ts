// Files as the portal shows them: the im file object (im.dialog.messages.get `files`, im.disk.file.commit FILES)
// and the disk object (disk.folder.uploadfile).
import type { FileRow, FolderRow, UserRow } from '../store/store.ts';
import { atom } from './dates.ts';
import { fullName } from './users.ts';

export type FileLinkKind = 'download' | 'show' | 'preview';
/** Signed URLs for the viewing user. */
export type FileLinks = (kind: FileLinkKind, file: FileRow) => string;

const RASTER = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp', 'image/bmp']);

function imType(f: FileRow): 'image' | 'video' | 'audio' | 'file' {
  if (f.as_file) return 'file';
  if (RASTER.has(f.mime)) return 'image';
  if (f.mime.startsWith('video/')) return 'video';
  if (f.mime.startsWith('audio/')) return 'audio';
  return 'file';
}

export function imFile(f: FileRow, author: UserRow | undefined, links: FileLinks, zone: string) {
  const type = imType(f);
  const isImage = type === 'image';
  const download = links('download', f);
  return {
    id: f.id,
    chatId: f.chat_id,
    date: atom(f.date_create, zone),
    type,
    name: f.name,
    extension: f.extension,
    size: f.size,
    image: isImage && f.width > 0 ? { width: f.width, height: f.height } : false,
    status: 'done',
    progress: 100,
    authorId: f.author_id,
    authorName: author ? fullName(author) : '',
    urlPreview: isImage ? links('preview', f) : '',
    urlShow: isImage ? links('show', f) : download,
    urlDownload: download,
    viewerAttrs: {
      viewer: '',
      viewerType: isImage ? 'image' : 'document',
      src: download,
      viewerResized: '',
      objectId: String(f.id),
      viewerGroupBy: String(f.chat_id),
      imChatId: f.chat_id,
      title: f.name,
      actions: JSON.stringify([{ type: 'download' }]),
    },
    mediaUrl: isImage ? { preview: { 250: links('preview', f) } } : [],
    isTranscribable: false,
    isVideoNote: false,
    isVoiceNote: false,
  };
}

/** The disk model of a file (im.disk.file.commit FILE_MODELS). */
export function fileModel(f: FileRow, links: FileLinks, zone: string) {
  return {
    id: f.id,
    name: f.name,
    createTime: atom(f.date_create, zone),
    updateTime: atom(f.date_create, zone),
    deleteTime: null,
    code: null,
    xmlId: null,
    storageId: f.folder_id,
    realObjectId: f.id,
    parentId: f.folder_id,
    deletedType: 0,
    createdBy: String(f.author_id),
    updatedBy: String(f.author_id),
    deletedBy: '0',
    uniqueCode: f.blob_key.slice(0, 20),
    typeFile: imType(f) === 'image' ? 2 : 1,
    globalContentVersion: 1,
    fileId: f.id,
    size: f.size,
    etag: f.blob_key.slice(0, 32),
    links: { download: links('download', f), showInGrid: '', preview: imType(f) === 'image' ? links('preview', f) : '' },
  };
}

/** disk.folder.uploadfile's answer: upper-case keys, ids and sizes as strings where the docs show strings. */
export function diskFile(f: FileRow, folder: FolderRow, links: FileLinks, zone: string) {
  return {
    ID: f.id,
    NAME: f.name,
    CODE: null,
    STORAGE_ID: String(folder.id),
    TYPE: 'file',
    PARENT_ID: String(folder.id),
    DELETED_TYPE: 0,
    GLOBAL_CONTENT_VERSION: 1,
    FILE_ID: f.id,
    SIZE: String(f.size),
    CREATE_TIME: atom(f.date_create, zone),
    UPDATE_TIME: atom(f.date_create, zone),
    DELETE_TIME: null,
    CREATED_BY: String(f.author_id),
    UPDATED_BY: String(f.author_id),
    DELETED_BY: null,
    DOWNLOAD_URL: links('download', f),
    DETAIL_URL: links('show', f),
  };
}
