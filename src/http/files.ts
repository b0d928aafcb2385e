// File transport: the uploadUrl that disk.folder.uploadfile hands out (a multipart form streamed into the file
// store, never held in memory), and downloads (signed per user, checked per request, Range, ETag, RFC 5987 names).
import { Busboy, type BusboyHeaders } from '@fastify/busboy';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { App } from '../app/index.ts';
import { BitrixError, Errors } from '../errors.ts';
import { diskFileResult, UPLOAD_FIELD } from '../methods/disk.ts';
import { drainBody } from './body.ts';
import { errorBody, successBody } from './envelope.ts';
import type { FileRow } from '../store/store.ts';
import { PREVIEW_BOX, type Preview } from '../app/files/previews.ts';

const JSON_TYPE = 'application/json; charset=utf-8';
/** Images shown inline; anything else is always an attachment (an HTML or SVG file must never run as a page). */
const INLINE = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp', 'image/bmp']);

function sendError(reply: FastifyReply, err: BitrixError): FastifyReply {
  return reply.code(err.status).type(JSON_TYPE).send(errorBody(err));
}

/** Content-Disposition with an ASCII fallback and the UTF-8 name (RFC 6266 / RFC 5987). */
export function contentDisposition(kind: 'inline' | 'attachment', name: string): string {
  const fallback = name.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  const encoded = encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `${kind}; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}

/** One byte range of a Range header; 'unsatisfiable'; or undefined for the whole content (absent, multi, malformed). */
export function parseRange(header: string | undefined, size: number): { start: number; end: number } | 'unsatisfiable' | undefined {
  if (!header) return undefined;
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m || (m[1] === '' && m[2] === '')) return undefined;
  if (m[1] === '') {
    const suffix = Number(m[2]);
    if (suffix === 0) return 'unsatisfiable';
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(m[1]);
  const end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  if (start >= size || end < start) return 'unsatisfiable';
  return { start, end };
}

export function registerFiles(server: FastifyInstance, app: App): void {
  // The upload route reads its multipart body itself (streamed), so it lives in its own context without the
  // buffering parsers of the REST routes.
  server.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', (_req, _payload, done) => done(null, undefined));
    scope.post('/rest/upload.json', (req, reply) => upload(app, req, reply));
    scope.post('/rest/upload', (req, reply) => upload(app, req, reply));
  });

  const download = (req: FastifyRequest, reply: FastifyReply) => serveFile(app, req, reply);
  server.route({ method: ['GET', 'HEAD'], url: '/files/:id/:kind', handler: download });
  server.route({ method: ['GET', 'HEAD'], url: '/files/:id/:kind/*', handler: download });
}

/** Bytes of a refused upload read and dropped before answering (so the client sees the answer, not a broken pipe). */
const DRAIN_CAP = 8 * 1024 * 1024;

async function upload(app: App, req: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
  const startMs = Date.now();
  const refuse = async (err: BitrixError) => {
    await drainBody(req.raw, DRAIN_CAP);
    reply.header('connection', 'close');
    return sendError(reply, err);
  };
  const token = String((req.query as Record<string, unknown>).token ?? '');
  const grant = app.files.urls.readUploadToken(token, app.clock());
  const user = grant ? await app.store.users.get(grant.userId) : undefined;
  if (!grant || !user || !user.active) return refuse(Errors.invalidToken());
  if (!/^multipart\/form-data/i.test(req.headers['content-type'] ?? '')) {
    return refuse(Errors.invalidRequest(`Send the file as multipart/form-data in the field "${UPLOAD_FIELD}"`));
  }
  let bb: ReturnType<typeof createBusboy>;
  try {
    bb = createBusboy(req, app.files.maxFileBytes);
  } catch {
    return refuse(Errors.invalidRequest('Malformed multipart/form-data request: no boundary'));
  }
  let result: Promise<FileRow> | undefined;
  let fileSeen: () => void = () => {};
  const seen = new Promise<void>((resolve) => (fileSeen = resolve));
  const finished = new Promise<boolean>((resolve) => {
    bb.on('finish', () => resolve(true));
    bb.on('error', () => resolve(false));
    req.raw.on('error', () => resolve(false));
  });
  bb.on('file', (field, stream, filename) => {
    if (field !== UPLOAD_FIELD || result) {
      stream.resume();
      return;
    }
    result = app.files.upload(user, grant.folderId, filename ?? '', stream, { uniqueName: grant.uniqueName });
    fileSeen();
  });
  req.raw.pipe(bb);
  const wellFormed = await Promise.race([finished, seen.then(() => true)]);
  if (!result) {
    return refuse(Errors.invalidRequest(wellFormed ? `No file in the field "${UPLOAD_FIELD}"` : 'Malformed multipart/form-data body'));
  }
  let file: FileRow;
  try {
    file = await result;
  } catch (err) {
    // The store stopped reading (too large, refused folder): drop the rest of the body, answer, close.
    req.raw.unpipe(bb);
    if (err instanceof BitrixError) return refuse(err);
    throw err;
  }
  await finished;
  const timing = { startMs, handlerStartMs: startMs, handlerEndMs: Date.now() };
  return reply.type(JSON_TYPE).send(successBody({ result: await diskFileResult(app, file, user.id) }, timing, app.config.timezone));
}

function createBusboy(req: FastifyRequest, limit: number) {
  // busboy stops a part one byte past the limit, which is how the store learns it is too large.
  return new Busboy({
    headers: req.headers as BusboyHeaders,
    defCharset: 'utf8',
    limits: { files: 1, fileSize: limit + 1, fields: 50, fieldSize: 64 * 1024 },
  });
}

/** A resized image: small, sent whole (no ranges), cached by the browser like the file itself. */
function sendPreview(req: FastifyRequest, reply: FastifyReply, file: FileRow, preview: Preview): FastifyReply {
  const etag = `"${file.blob_key}-p${PREVIEW_BOX}"`;
  reply
    .header('etag', etag)
    .header('last-modified', new Date(file.date_create * 1000).toUTCString())
    .header('cache-control', 'private, max-age=86400')
    .header('x-content-type-options', 'nosniff')
    .header('content-security-policy', "default-src 'none'; sandbox")
    .header('content-disposition', contentDisposition('inline', file.name))
    .type(preview.mime);
  const match = req.headers['if-none-match'];
  if (match && match.split(',').some((t) => t.trim().replace(/^W\//, '') === etag)) return reply.code(304).send();
  reply.header('content-length', String(preview.bytes.length));
  return req.method === 'HEAD' ? reply.send() : reply.send(preview.bytes);
}

async function serveFile(app: App, req: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
  const { id, kind } = req.params as { id: string; kind: string };
  const query = req.query as Record<string, unknown>;
  const fileId = /^\d{1,15}$/.test(id) ? Number(id) : 0;
  const userId = /^\d{1,15}$/.test(String(query.u ?? '')) ? Number(query.u) : 0;
  if (!fileId || !['download', 'show', 'preview'].includes(kind)) return sendError(reply, Errors.method('ERROR_NOT_FOUND', 'File not found', 404));
  if (!userId || !app.files.urls.verify(fileId, userId, String(query.s ?? ''))) return sendError(reply, Errors.accessDenied('Access denied'));
  const user = await app.store.users.get(userId);
  const found = user?.active ? await app.files.openForDownload(userId, fileId) : undefined;
  if (!found) {
    const exists = await app.store.files.get(fileId);
    return sendError(reply, exists ? Errors.accessDenied('Access denied') : Errors.method('ERROR_NOT_FOUND', 'File not found', 404));
  }
  const { file } = found;
  const inline = kind !== 'download' && INLINE.has(file.mime);
  const preview = kind === 'preview' && inline ? await app.files.previews.get(file, () => found.open()) : undefined;
  if (preview) return sendPreview(req, reply, file, preview);
  const etag = `"${file.blob_key}"`;
  reply
    .header('etag', etag)
    .header('last-modified', new Date(file.date_create * 1000).toUTCString())
    // The URL is bound to a user; shared caches must not keep it, the browser may.
    .header('cache-control', 'private, max-age=86400')
    .header('accept-ranges', 'bytes')
    .header('x-content-type-options', 'nosniff')
    .header('content-security-policy', "default-src 'none'; sandbox")
    .header('content-disposition', contentDisposition(inline ? 'inline' : 'attachment', file.name))
    .type(file.mime);
  const match = req.headers['if-none-match'];
  if (match && match.split(',').some((t) => t.trim().replace(/^W\//, '') === etag)) return reply.code(304).send();
  const ifRange = req.headers['if-range'];
  const range = ifRange && ifRange !== etag ? undefined : parseRange(req.headers.range, file.size);
  if (range === 'unsatisfiable') {
    reply.header('content-range', `bytes */${file.size}`);
    return sendError(reply, new BitrixError('INVALID_REQUEST', 'Requested range not satisfiable', 416));
  }
  const length = range ? range.end - range.start + 1 : file.size;
  reply.header('content-length', String(length));
  if (range) reply.code(206).header('content-range', `bytes ${range.start}-${range.end}/${file.size}`);
  if (req.method === 'HEAD' || length === 0) return reply.send();
  return reply.send(found.open(range));
}
