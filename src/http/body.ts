// Request parameters: the query string and the body (form with PHP-style keys, or JSON), merged as PHP's $_REQUEST.
import type { FastifyInstance } from 'fastify';
import { Errors } from '../errors.ts';
import { checkJsonBounds, parsePhpQuery } from '../methods/query.ts';

export type RawParams = Record<string, unknown>;

export function parseQueryString(query: string): RawParams {
  return parsePhpQuery(query);
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Bodies must be UTF-8: invalid bytes are refused rather than stored as replacement characters. */
function bodyText(body: Buffer | string): string {
  if (typeof body === 'string') return body;
  try {
    return utf8.decode(body);
  } catch {
    throw Errors.invalidRequest('Request body is not valid UTF-8');
  }
}

/** Registers the body parsers; every body becomes a plain parameter object. */
export function registerBodyParsers(app: FastifyInstance): void {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_req, body, done) => {
    let parsed: unknown;
    try {
      const text = bodyText(body);
      if (text.trim() === '') return done(null, {});
      try {
        parsed = JSON.parse(text);
      } catch {
        throw Errors.invalidRequest('Malformed JSON in request body');
      }
      if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
        throw Errors.invalidRequest('JSON request body must be an object');
      }
      checkJsonBounds(parsed);
    } catch (err) {
      return done(err as Error, undefined);
    }
    done(null, parsed);
  });
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'buffer' }, (_req, body, done) => {
    try {
      done(null, parseQueryString(bodyText(body)));
    } catch (err) {
      done(err as Error, undefined);
    }
  });
  // Anything else: an empty body is fine (GET-like POSTs), a non-empty one cannot be read.
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (req, body, done) => {
    if (body.length === 0 || body.toString('latin1').trim() === '') return done(null, {});
    done(Errors.invalidRequest(`Unsupported Content-Type: ${req.headers['content-type'] ?? '(none)'}`), undefined);
  });
}

/** Body keys win over query keys, as in PHP's $_REQUEST with the default request_order. */
export function mergeParams(query: RawParams, body: unknown): RawParams {
  if (!body || typeof body !== 'object') return query;
  return { ...query, ...(body as RawParams) };
}
