// The web client: the files `npm run build:web` writes to web/dist, served at /. The client talks to the server
// only through /rest, like any other client, so this module knows nothing about it beyond file names.
import fs from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';

// The page may load its own scripts and styles and call /rest on the same origin. Images may come from anywhere,
// because a bot's ATTACH may show an external image as on a portal (loaded with no referrer); avatars, which every
// viewer's list shows, are only this server's files or inline images (absoluteUrl in present/users.ts).
// Inline styles are allowed because the UI kit sets positions of popovers through style attributes.
const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob: http: https:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'self'",
].join('; ');

export function registerWebClient(server: FastifyInstance, webDir: string | undefined): void {
  if (!webDir) return;
  if (!fs.existsSync(path.join(webDir, 'index.html'))) {
    server.log.warn({ webDir }, 'web client not built: run `npm run build:web`');
    server.get('/', (_req, reply) =>
      reply.code(404).type('text/plain; charset=utf-8').send('The web client is not built. Run `npm run build:web` and restart b24im.\n'),
    );
    return;
  }
  // A portal's messenger page (/online/, the server ignores the trailing slash): links to it (?IM_DIALOG=, a bot's
  // BOT_CONTEXT) open the client with the same query.
  server.get('/online/', (req, reply) => {
    const query = req.raw.url?.split('?')[1];
    return reply.redirect(query ? `/?${query}` : '/', 302);
  });
  server.register(fastifyStatic, {
    root: webDir,
    prefix: '/',
    index: 'index.html',
    // File names under assets/ carry a content hash, so they never change; index.html must always be revalidated.
    setHeaders(res, filePath) {
      res.setHeader('x-content-type-options', 'nosniff');
      if (filePath.includes(`${path.sep}assets${path.sep}`)) {
        res.setHeader('cache-control', 'public, max-age=31536000, immutable');
      } else {
        res.setHeader('cache-control', 'no-cache');
        res.setHeader('content-security-policy', CSP);
        res.setHeader('referrer-policy', 'no-referrer');
      }
    },
    cacheControl: false,
  });
}
