// Request parameters: the query string and the body (form with PHP-style keys, or JSON), merged as PHP's $_REQUEST.
import { Busboy, type BusboyHeaders, type BusboyInstance } from '@fastify/busboy';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { IncomingMessage } from 'node:http';
import { BitrixError, Errors } from '../errors.ts';
import { checkJsonBounds, MAX_PARAM_COUNT, parsePhpQuery } from '../methods/query.ts';

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
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (req, body, done) => {
    try {
      const { params, ignored } = readJsonBody(bodyText(body));
      if (ignored) req.ignoredBody = ignored;
      done(null, params);
    } catch (err) {
      done(err as Error, undefined);
    }
  });
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'buffer' }, (_req, body, done) => {
    try {
      done(null, parseQueryString(bodyText(body)));
    } catch (err) {
      done(err as Error, undefined);
    }
  });
  app.addContentTypeParser('multipart/form-data', (req, payload, done) => {
    parseMultipart(req, payload, app.initialConfig.bodyLimit ?? 1024 * 1024).then((p) => done(null, p), (err) => done(err, undefined));
  });
  // Anything else: an empty body is fine (GET-like POSTs), a non-empty one cannot be read.
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (req, body, done) => {
    if (body.length === 0 || body.toString('latin1').trim() === '') return done(null, {});
    done(Errors.invalidRequest(`Unsupported Content-Type: ${req.headers['content-type'] ?? '(none)'}`), undefined);
  });
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Why a JSON body was read as no parameters (strict mode reports it): see readJsonBody. */
    ignoredBody?: string;
  }
}

/**
 * A JSON body as a portal reads it (CRestUtil::getRequestData): only an object carries parameters. Anything else
 * is no parameters: `[]` and `null` say so plainly (PHP SDKs send `[]` for a call without parameters), while a
 * non-empty array, a scalar or malformed JSON is dropped too but noted in `ignored` for strict mode.
 */
export function readJsonBody(text: string): { params: RawParams; ignored?: string } {
  if (text.trim() === '') return { params: {} };
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { params: {}, ignored: 'Malformed JSON in request body' };
  }
  if (parsed === null || (Array.isArray(parsed) && parsed.length === 0)) return { params: {} };
  if (typeof parsed !== 'object' || Array.isArray(parsed)) {
    return { params: {}, ignored: 'JSON request body is not an object; it is read as no parameters' };
  }
  checkJsonBounds(parsed);
  return { params: parsed as RawParams };
}

const tooLarge = () => new BitrixError('INVALID_REQUEST', 'Request body is too large', 413);

/**
 * multipart/form-data, as PHP's curl sends an array in CURLOPT_POSTFIELDS. Fields keep PHP-style keys
 * (FIELDS[TITLE]) and go through the same parser as a form body; file parts are refused, since no method takes them.
 */
function parseMultipart(req: FastifyRequest, payload: IncomingMessage, limit: number): Promise<RawParams> {
  return new Promise((resolve, reject) => {
    let bb: BusboyInstance;
    try {
      // Parts without a charset are UTF-8 text, as PHP reads them (busboy would assume latin1).
      bb = new Busboy({ headers: req.headers as BusboyHeaders, defCharset: 'utf8', limits: { fields: MAX_PARAM_COUNT, fieldSize: limit } });
    } catch {
      return reject(Errors.invalidRequest('Malformed multipart/form-data request: no boundary'));
    }
    const pairs: string[] = [];
    let failure: BitrixError | undefined;
    let received = 0;
    const fail = (err: BitrixError) => {
      failure ??= err;
    };
    payload.on('data', (chunk: Buffer) => {
      received += chunk.length;
      if (received > limit && !failure) {
        fail(tooLarge());
        payload.unpipe(bb);
        payload.resume();
        reject(failure);
      }
    });
    bb.on('field', (name, value, _nameTruncated, valueTruncated) => {
      if (valueTruncated) fail(tooLarge());
      pairs.push(`${encodeURIComponent(name)}=${encodeURIComponent(value)}`);
    });
    bb.on('file', (name, stream) => {
      stream.resume();
      fail(Errors.invalidRequest(`File uploads are not supported (part "${name}"); send file content as a base64 field`));
    });
    bb.on('fieldsLimit', () => fail(Errors.invalidRequest(`More than ${MAX_PARAM_COUNT} parameters`)));
    bb.on('error', () => fail(Errors.invalidRequest('Malformed multipart/form-data body')));
    bb.on('finish', () => {
      if (failure) return reject(failure);
      try {
        resolve(parseQueryString(pairs.join('&')));
      } catch (err) {
        reject(err);
      }
    });
    payload.on('error', () => reject(Errors.invalidRequest('Request body could not be read')));
    payload.pipe(bb);
  });
}

/** Body keys win over query keys, as in PHP's $_REQUEST with the default request_order. */
export function mergeParams(query: RawParams, body: unknown): RawParams {
  if (!body || typeof body !== 'object') return query;
  return { ...query, ...(body as RawParams) };
}

/**
 * Reads and drops the rest of a refused body (up to `cap` bytes, 5 s) before answering, so a client still
 * writing it gets the 413 instead of a broken pipe; beyond the cap the connection is simply closed.
 */
export function drainBody(raw: IncomingMessage, cap: number): Promise<void> {
  if (raw.complete || raw.destroyed) return Promise.resolve();
  return new Promise((resolve) => {
    let seen = 0;
    const finish = () => {
      clearTimeout(timer);
      raw.off('data', onData).off('end', finish).off('error', finish).off('close', finish);
      resolve();
    };
    const onData = (chunk: Buffer) => {
      seen += chunk.length;
      if (seen > cap) {
        raw.pause();
        finish();
      }
    };
    const timer = setTimeout(finish, 5000);
    raw.on('data', onData).on('end', finish).on('error', finish).on('close', finish);
    raw.resume();
  });
}
