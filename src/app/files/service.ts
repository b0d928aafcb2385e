// Files in chats, free of HTTP: the app-layer API other features (im.disk.*, disk.folder.uploadfile, Bots 2.0's
// File.*, the web client) build on.
//
//   chatFolder(user, ref)              the chat's folder, for a member (created on first use)
//   upload(user, folderId, name, src)  streams bytes into a folder the user may add to; returns the file record
//   commit(user, ref, ids, opts)       posts a message carrying the files (copies files kept elsewhere)
//   openForDownload(userId, fileId)    the access check and a range-capable reader
//   remove(user, chatId, fileId)       im.disk.file.delete;  saveToOwn(user, fileId): im.disk.file.save
//
// Bytes and records: a file record points at a content-addressed blob whose row counts the records; the bytes are
// freed by collect() once no record points at them. Publishing and freeing one blob take the same lock.
import { Errors } from '../../errors.ts';
import { BlobTooLarge, blobLockKey, type BlobStore, type ByteRange } from '../../store/blobs/index.ts';
import type { ChatRow, FileRow, FolderRow, MessageRow, Store, UserRow } from '../../store/store.ts';
import type { ChatsService } from '../chats.ts';
import type { Clock } from '../clock.ts';
import type { DialogRef } from '../dialog-id.ts';
import type { MessagesService } from '../messages.ts';
import type { MessengerEvents } from '../events.ts';
import { extensionOf, HEAD_BYTES, imageSize, isRasterImage, mimeOf } from './kinds.ts';
import type { FileUrls } from './urls.ts';
import { Previews } from './previews.ts';
import type { Readable } from 'node:stream';
import { imFile } from '../../present/files.ts';

export const SAVED_FOLDER_NAME = { en: 'Saved files', ru: 'Сохраненные файлы' } as const;
/** Longest file name kept (a portal's disk limits names too). */
export const MAX_FILE_NAME = 255;
/** Files one im.disk.file.commit may carry. */
export const MAX_FILES_PER_MESSAGE = 100;

const accessError = () => Errors.method('ACCESS_ERROR', 'You do not have access to the specified dialog', 403);
const notFound = (id: number) => Errors.method('ERROR_NOT_FOUND', `Could not find entity with id \`${id}\``);

export interface UploadOptions {
  /** Rename "a.txt" to "a (1).txt" when the folder holds that name already (else the name is kept as it is). */
  uniqueName?: boolean;
}

export interface CommitOptions {
  message?: string;
  asFile?: boolean;
}

export interface Download {
  file: FileRow;
  /** The whole content or an inclusive byte range of it. */
  open(range?: ByteRange): Readable;
}

/** Cleans a client's file name: no path, no control characters, bounded length; never empty. */
export function cleanFileName(raw: string): string {
  const base = raw.replace(/\\/g, '/').split('/').pop() ?? '';
  // eslint-disable-next-line no-control-regex
  let name = base.replace(/[\u0000-\u001f\u007f]/g, '').trim();
  if (name === '.' || name === '..') name = '';
  if ([...name].length > MAX_FILE_NAME) {
    const ext = extensionOf(name);
    const keep = MAX_FILE_NAME - (ext ? ext.length + 1 : 0);
    name = [...name].slice(0, Math.max(1, keep)).join('') + (ext ? `.${ext}` : '');
  }
  return name;
}

export class FilesService {
  /** Resized image previews (urlPreview). */
  readonly previews = new Previews();

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly chats: ChatsService,
    private readonly messages: MessagesService,
    readonly blobs: BlobStore,
    readonly urls: FileUrls,
    private readonly limit: number,
    private readonly language: 'en' | 'ru',
    private readonly events: MessengerEvents,
  ) {
    // A deleted message takes its files along; their bytes go once nothing else points at them.
    messages.deleteHooks.push((tx, message) => this.dropMessageFiles(tx, message));
    messages.afterDelete.push(() => void this.collect().catch(() => {}));
  }

  get maxFileBytes(): number {
    return this.limit;
  }

  /** The chat's folder as a member sees it; ACCESS_ERROR for anyone who may not read the chat. */
  async chatFolder(user: UserRow, ref: DialogRef): Promise<FolderRow> {
    return this.store.transaction(async (tx) => {
      const access = await this.chats.resolve(tx, user, ref, ref.kind === 'user');
      if (!access || !access.member) throw accessError();
      return tx.files.ensureFolder('chat', access.chat.id, 0, `chat${access.chat.id}`, this.clock());
    });
  }

  /**
   * The check im.disk.file.commit makes before the files: ACCESS_ERROR for a chat the user may not post to. It
   * writes nothing (a refused commit leaves no folder and no new dialog); a dialog not opened yet is left to the
   * message, which opens it.
   */
  async checkCanPost(user: UserRow, ref: DialogRef): Promise<void> {
    const access = await this.chats.resolve(this.store, user, ref, false);
    if (access ? !access.member : ref.kind === 'chat') throw accessError();
  }

  /** The user's own "Saved files" folder. */
  async savedFolder(user: UserRow): Promise<FolderRow> {
    return this.store.transaction((tx) => tx.files.ensureFolder('saved', 0, user.id, SAVED_FOLDER_NAME[this.language], this.clock()));
  }

  /** A folder the user may upload into: a chat's they are a member of, or their own. */
  async writableFolder(tx: Store, user: UserRow, folderId: number): Promise<FolderRow> {
    const folder = folderId > 0 ? await tx.files.folder(folderId) : undefined;
    if (!folder) throw notFound(folderId);
    if (folder.kind === 'saved' ? folder.user_id !== user.id : !(await tx.members.get(folder.chat_id, user.id))) {
      throw Errors.accessDenied('Access denied');
    }
    return folder;
  }

  /**
   * Streams `source` into the folder: the bytes are staged, then recorded and published in one transaction, so a
   * failure at any point leaves neither a record nor visible bytes. ERROR_COULD_NOT_SAVE_FILE (413) beyond the limit.
   */
  async upload(user: UserRow, folderId: number, rawName: string, source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>, opts: UploadOptions = {}): Promise<FileRow> {
    const name = cleanFileName(rawName);
    if (!name) throw Errors.method('DISK_BASE_SERVICE_22001', 'Error: required parameter NAME (DISK_BASE_SERVICE_22001)');
    // Checked before reading the body, so a refused upload costs nothing.
    await this.writableFolder(this.store, user, folderId);
    const head: Buffer[] = [];
    let headBytes = 0;
    async function* tap() {
      for await (const chunk of source) {
        if (headBytes < HEAD_BYTES) {
          const part = Buffer.from(chunk.buffer, chunk.byteOffset, Math.min(chunk.byteLength, HEAD_BYTES - headBytes));
          head.push(Buffer.from(part));
          headBytes += part.length;
        }
        yield chunk;
      }
    }
    let staged;
    try {
      staged = await this.blobs.stage(tap(), this.limit);
    } catch (err) {
      if (err instanceof BlobTooLarge) throw fileTooLarge(err.limit);
      throw err;
    }
    const headBuf = Buffer.concat(head);
    const mime = mimeOf(name, headBuf);
    const dims = isRasterImage(mime) ? imageSize(mime, headBuf) : undefined;
    const now = this.clock();
    try {
      return await this.store.transaction(async (tx) => {
        const folder = await this.writableFolder(tx, user, folderId);
        const finalName = opts.uniqueName ? await this.uniqueName(tx, folder.id, name) : name;
        await tx.lock(blobLockKey(staged.key));
        await staged.publish(tx);
        await tx.files.addBlobRef(staged.key, staged.size, now);
        return tx.files.insert({
          folder_id: folder.id,
          chat_id: folder.chat_id,
          owner_id: folder.kind === 'saved' ? folder.user_id : 0,
          name: finalName,
          extension: extensionOf(finalName),
          mime,
          size: staged.size,
          blob_key: staged.key,
          width: dims?.width ?? 0,
          height: dims?.height ?? 0,
          author_id: user.id,
          message_id: 0,
          as_file: 0,
          date_create: now,
        });
      });
    } catch (err) {
      await staged.discard().catch(() => {});
      throw err;
    }
  }

  private async uniqueName(tx: Store, folderId: number, name: string): Promise<string> {
    const ext = extensionOf(name);
    const stem = ext ? name.slice(0, -(ext.length + 1)) : name;
    const taken = new Set((await tx.files.namesIn(folderId)).map((n) => n.toLowerCase()));
    if (!taken.has(name.toLowerCase())) return name;
    for (let i = 1; ; i++) {
      const candidate = `${stem} (${i})${ext ? `.${ext}` : ''}`;
      if (!taken.has(candidate.toLowerCase())) return candidate;
    }
  }

  /**
   * Posts a message carrying the files (im.disk.file.commit). A file of the chat's folder not yet sent is linked as
   * it is; one the user keeps elsewhere (their saved files, another chat they see) is copied into the chat's folder
   * (a new record sharing the bytes). SAVE_ERROR when a file is unknown or not the user's to send.
   */
  async commit(user: UserRow, ref: DialogRef, fileIds: number[], opts: CommitOptions = {}): Promise<{ messageId: number; files: FileRow[] }> {
    const ids = [...new Set(fileIds.filter((id) => Number.isSafeInteger(id) && id > 0))];
    if (ids.length === 0 || fileIds.length > MAX_FILES_PER_MESSAGE) throw saveError();
    let linked: number[] = [];
    const messageId = await this.messages.add(user, ref, {
      text: opts.message ?? '',
      files: {
        prepare: async (tx, chat) => {
          const folder = await tx.files.ensureFolder('chat', chat.id, 0, `chat${chat.id}`, this.clock());
          linked = [];
          for (const id of ids) linked.push(await this.fileForChat(tx, user, folder, chat, id, opts.asFile === true));
          return linked;
        },
        link: async (tx, message, linkedIds) => {
          for (const id of linkedIds) await tx.files.update(id, { message_id: message.id });
        },
      },
    });
    return { messageId, files: await this.store.files.getMany(linked) };
  }

  private async fileForChat(tx: Store, user: UserRow, folder: FolderRow, chat: ChatRow, id: number, asFile: boolean): Promise<number> {
    const file = await tx.files.get(id);
    if (!file) throw saveError();
    if (file.folder_id === folder.id && file.message_id === 0 && file.author_id === user.id) {
      if (asFile) await tx.files.update(id, { as_file: 1 });
      return id;
    }
    if (!(await this.canSee(tx, user.id, file))) throw saveError();
    const copy = await this.copyInTx(tx, file, folder, user.id);
    if (asFile) await tx.files.update(copy.id, { as_file: 1 });
    void chat;
    return copy.id;
  }

  private async copyInTx(tx: Store, file: FileRow, folder: FolderRow, authorId: number): Promise<FileRow> {
    const now = this.clock();
    await tx.lock(blobLockKey(file.blob_key));
    await tx.files.addBlobRef(file.blob_key, file.size, now);
    const { id: _id, ...rest } = file;
    return tx.files.insert({
      ...rest,
      folder_id: folder.id,
      chat_id: folder.chat_id,
      owner_id: folder.kind === 'saved' ? folder.user_id : 0,
      author_id: authorId,
      message_id: 0,
      as_file: 0,
      date_create: now,
    });
  }

  /**
   * Whether the user may see the file: the owner of a saved copy; the uploader of a file not yet sent; for a sent
   * one, whoever may read that message (a member from the point their history starts).
   */
  async canSee(tx: Store, userId: number, file: FileRow): Promise<boolean> {
    if (file.owner_id) return file.owner_id === userId;
    if (file.message_id === 0) return file.author_id === userId;
    const member = await tx.members.get(file.chat_id, userId);
    if (!member) {
      // An open channel's history is readable by every employee, as for its messages.
      const chat = await tx.chats.get(file.chat_id);
      const user = await tx.users.get(userId);
      if (!chat || !user || !this.chats.canRead(user, { chat, member: undefined })) return false;
      return true;
    }
    const message = await tx.messages.get(file.message_id);
    return !!message && !message.deleted && message.seq >= member.start_seq;
  }

  /** The file for a download by this user, with its access check; undefined when it is not theirs to see. */
  async openForDownload(userId: number, fileId: number): Promise<Download | undefined> {
    const file = await this.store.files.get(fileId);
    if (!file || !(await this.canSee(this.store, userId, file))) return undefined;
    return { file, open: (range) => this.blobs.open(file.blob_key, range) };
  }

  /**
   * im.disk.file.delete: the member who sent the file removes it from the chat; the message keeps its other files
   * and text, or is deleted when nothing is left. Another member's call is answered true and changes nothing.
   * False when the chat or file is unknown or not the user's to see.
   */
  async remove(user: UserRow, chatId: number, fileId: number): Promise<boolean> {
    const file = await this.store.files.get(fileId);
    if (!file || file.chat_id !== chatId || file.owner_id) return false;
    if (!(await this.store.members.get(chatId, user.id))) return false;
    if (file.author_id !== user.id) return true;
    if (file.message_id) {
      const message = await this.store.messages.get(file.message_id);
      if (message && !message.deleted) {
        const params = JSON.parse(message.params) as { FILE_ID?: number[] };
        const rest = (params.FILE_ID ?? []).filter((id) => id !== fileId);
        if (rest.length === 0 && !message.text.trim() && !message.has_attach) {
          await this.messages.delete(user, message.id);
          return true;
        }
        const now = this.clock();
        await this.store.transaction(async (tx) => {
          const chat = (await tx.chats.getForUpdate(message.chat_id))!;
          await this.dropFile(tx, fileId);
          await tx.messages.update(message.id, {
            params: JSON.stringify({ ...params, FILE_ID: rest.length ? rest : undefined }),
            has_file: rest.length ? 1 : 0,
          });
          // The message changed for everyone who sees it: recent items, bots and push hear of it as of an edit.
          await tx.chats.update(chat.id, { date_update: now });
          if (!chat.large) await tx.members.touchAll(chat.id, now, false);
          await this.events.record(tx, 'messageUpdated', { message: (await tx.messages.get(message.id))!, chat, byUserId: user.id });
        });
        this.events.committed();
        await this.collect();
        return true;
      }
    }
    await this.store.transaction((tx) => this.dropFile(tx, fileId));
    await this.collect();
    return true;
  }

  /** im.disk.file.save: a copy in the user's "Saved files" (bytes shared). FILE_SAVE_ERROR when not theirs to see. */
  async saveToOwn(user: UserRow, fileId: number): Promise<{ folder: FolderRow; file: FileRow }> {
    return this.store.transaction(async (tx) => {
      const file = await tx.files.get(fileId);
      if (!file || !(await this.canSee(tx, user.id, file))) throw Errors.method('FILE_SAVE_ERROR', "File ID can't be saved");
      const folder = await tx.files.ensureFolder('saved', 0, user.id, SAVED_FOLDER_NAME[this.language], this.clock());
      const copy = await this.copyInTx(tx, file, folder, user.id);
      return { folder, file: copy };
    });
  }

  private async dropFile(tx: Store, fileId: number): Promise<void> {
    const file = await tx.files.get(fileId);
    if (!file) return;
    await tx.files.delete(fileId);
    await tx.files.releaseBlob(file.blob_key);
  }

  private async dropMessageFiles(tx: Store, message: MessageRow): Promise<void> {
    if (!message.has_file) return;
    for (const file of await tx.files.ofMessages([message.id])) await this.dropFile(tx, file.id);
  }

  /** Frees the bytes of blobs no record points at (each under its lock, re-checked there); returns how many. */
  async collect(): Promise<number> {
    let freed = 0;
    for (;;) {
      const keys = await this.store.files.unreferencedBlobs(100);
      if (keys.length === 0) return freed;
      for (const key of keys) {
        await this.store.transaction(async (tx) => {
          await tx.lock(blobLockKey(key));
          const blob = await tx.files.blob(key);
          if (!blob || blob.refs > 0) return;
          await this.blobs.remove(tx, key);
          await tx.files.deleteBlob(key);
          freed++;
        });
      }
    }
  }

  /**
   * A message's files as a portal puts them in ONIMBOTMESSAGEADD's PARAMS.FILES: im file objects by id, their
   * URLs signed for the receiving bot. Undefined for a message without files.
   */
  async eventFiles(tx: Store, message: MessageRow, viewerId: number, zone: string): Promise<Record<string, unknown> | undefined> {
    if (!message.has_file) return undefined;
    const files = await tx.files.ofMessages([message.id]);
    if (files.length === 0) return undefined;
    const authors = new Map((await tx.users.getMany([...new Set(files.map((f) => f.author_id))])).map((u) => [u.id, u]));
    const links = (kind: 'download' | 'show' | 'preview', f: FileRow) => this.urls.url(kind, f.id, viewerId, f.name);
    return Object.fromEntries(files.map((f) => [String(f.id), imFile(f, authors.get(f.author_id), links, zone)]));
  }

  /** Files of these messages, by message (im.dialog.messages.get, bot events). */
  async ofMessages(messageIds: readonly number[]): Promise<FileRow[]> {
    return this.store.files.ofMessages(messageIds);
  }
}

export function fileTooLarge(limit: number) {
  return Errors.method('ERROR_COULD_NOT_SAVE_FILE', `Could not save file: it is larger than the limit of ${limit} bytes`, 413);
}

const saveError = () => Errors.method('SAVE_ERROR', 'Error during saving file to chat');
