// Files as a calling user sees them: signed links made for that user, authors' names filled in.
import type { App } from '../app/index.ts';
import { imFile, type FileLinks } from '../present/files.ts';
import type { FileRow } from '../store/store.ts';

/** Signed URLs made for the calling user. */
export function linksFor(app: App, userId: number): FileLinks {
  return (kind, f) => app.files.urls.url(kind, f.id, userId, f.name);
}

/** The im file objects of these files, authors' names filled in. */
export async function imFiles(app: App, files: FileRow[], viewerId: number) {
  const authors = new Map((await app.store.users.getMany([...new Set(files.map((f) => f.author_id))])).map((u) => [u.id, u]));
  const links = linksFor(app, viewerId);
  return files.map((f) => imFile(f, authors.get(f.author_id), links, app.config.timezone));
}

