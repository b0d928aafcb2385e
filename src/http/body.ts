// Request parameters: the query string and the body (form with PHP-style keys, or JSON), merged as PHP's $_REQUEST.
import type { FastifyInstance } from 'fastify';
import qs from 'qs';
import { Errors } from '../errors.ts';
import { QS_OPTIONS } from '../methods/query.ts';

export type RawParams = Record<string, unknown>;

export function parseQueryString(query: string): RawParams {
  return qs.parse(query, QS_OPTIONS) as RawParams;
}

/** Registers the body parsers; every body becomes a plain parameter object. */
export function registerBodyParsers(app: FastifyInstance): void {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, body, done) => {
    const text = String(body);
    if (text.trim() === '') return done(null, {});
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      return done(Errors.invalidRequest('Malformed JSON in request body'), undefined);
    }
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
      return done(Errors.invalidRequest('JSON request body must be an object'), undefined);
    }
    done(null, parsed);
  });
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) => {
    done(null, parseQueryString(String(body)));
  });
  // Anything else: an empty body is fine (GET-like POSTs), a non-empty one cannot be read.
  app.addContentTypeParser('*', { parseAs: 'string' }, (req, body, done) => {
    if (String(body).trim() === '') return done(null, {});
    done(Errors.invalidRequest(`Unsupported Content-Type: ${req.headers['content-type'] ?? '(none)'}`), undefined);
  });
}

/** Body keys win over query keys, as in PHP's $_REQUEST with the default request_order. */
export function mergeParams(query: RawParams, body: unknown): RawParams {
  if (!body || typeof body !== 'object') return query;
  return { ...query, ...(body as RawParams) };
}
