// The HTTP transport: URL forms, parameter decoding, authentication, envelopes. No business rules here.
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { App } from '../app/index.ts';
import type { ConnectionLimits } from '../config.ts';
import { BitrixError, Errors } from '../errors.ts';
import { createDispatcher, type Dispatcher } from '../methods/dispatch.ts';
import type { Registry } from '../methods/registry.ts';
import { authenticate, parseRestPath } from './auth.ts';
import { mergeParams, parseQueryString, registerBodyParsers } from './body.ts';
import { asBitrixError, errorBody, successPayload, type Timing } from './envelope.ts';
import { drainBody } from './body.ts';
import { RateLimiter, type RequestLimiter } from './ratelimit.ts';
import { RedisRateLimiter } from './redis-ratelimit.ts';
import { registerHealth } from './health.ts';
import { metricsFor, registerMetrics } from './metrics.ts';
import { registerWebClient } from './static.ts';
import { registerOAuth } from './oauth.ts';
import { registerPullWebSocket } from './pull/websocket.ts';
import { registerPullLongPolling } from './pull/longpoll.ts';
import { registerFiles } from './files.ts';

const JSON_TYPE = 'application/json; charset=utf-8';

export interface ServerDeps {
  app: App;
  registry: Registry;
}

export interface ServerOptions {
  /** Serve HTTPS with this certificate and key (PEM) instead of plain HTTP; the routes are the same. */
  https?: { cert: string; key: string };
}

declare module 'fastify' {
  interface FastifyRequest {
    restMethod?: string;
    restUser?: number;
    restError?: string;
  }
}

export function sendError(reply: FastifyReply, err: BitrixError): FastifyReply {
  return reply.code(err.status).type(JSON_TYPE).send(errorBody(err));
}

/** Requests node's parser refuses (oversized headers, garbage) still get a Bitrix envelope. */
function clientErrorHandler(err: NodeJS.ErrnoException, socket: import('node:net').Socket): void {
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  const [status, text] =
    err.code === 'HPE_HEADER_OVERFLOW' ? [431, 'Request headers are too large']
      : err.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? [408, 'Request timed out']
        : [400, 'Request cannot be read'];
  const body = errorBody(new BitrixError('INVALID_REQUEST', text, status));
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${status} ${text}\r\nContent-Type: ${JSON_TYPE}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy(err);
}

/** One limiter per app, so the HTTP and HTTPS listeners of one server fill the same buckets. */
const limiters = new WeakMap<App, RequestLimiter>();
function limiterFor(app: App, log: FastifyBaseLogger): RequestLimiter | undefined {
  const settings = app.config.rateLimit;
  if (!settings) return undefined;
  let limiter = limiters.get(app);
  if (!limiter) {
    limiter = settings.redisUrl
      ? new RedisRateLimiter(settings, settings.redisUrl, settings.redisPrefix, (msg, err) => log.warn({ err }, msg))
      : new RateLimiter(settings);
    limiters.set(app, limiter);
  }
  return limiter;
}

/**
 * Node's own timers against slow clients: headers and the whole request have deadlines however slowly bytes trickle
 * in (checked every quarter of the headers deadline, so a socket is closed soon after it), a silent socket is closed.
 */
function nodeServerOptions(limits: ConnectionLimits) {
  return {
    headersTimeout: limits.headersTimeoutMs,
    requestTimeout: limits.requestTimeoutMs,
    connectionsCheckingInterval: Math.max(100, Math.min(5000, Math.floor(limits.headersTimeoutMs / 4))),
  };
}

export function buildServer({ app, registry }: ServerDeps, options: ServerOptions = {}): FastifyInstance {
  const limits = app.config.connections;
  const nodeOptions = nodeServerOptions(limits);
  // An HTTPS instance differs only in its node server type; every route, parser and hook below is shared.
  const server = Fastify({
    ...(options.https ? { https: { ...options.https, ...nodeOptions } } : { http: nodeOptions }),
    requestTimeout: limits.requestTimeoutMs,
    connectionTimeout: limits.idleTimeoutMs,
    keepAliveTimeout: limits.keepAliveTimeoutMs,
    logger: { level: app.config.logLevel },
    // Our onResponse hook logs one structured line per call instead of fastify's two.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: app.config.bodyLimit,
    return503OnClosing: true,
    forceCloseConnections: 'idle',
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 500 },
    clientErrorHandler,
    // Errors fastify raises before routing (a malformed URL such as /rest/%FF) get Bitrix envelopes too.
    frameworkErrors: (err, req, reply) => {
      const bx = err.code === 'FST_ERR_BAD_URL' ? Errors.invalidRequest('Request URL is malformed') : asBitrixError(err);
      req.restError = bx.code;
      return sendError(reply, bx);
    },
  }) as unknown as FastifyInstance;
  server.server.maxConnections = limits.maxConnections;
  const limiter = limiterFor(app, server.log);
  if (limiter) server.addHook('onClose', async () => limiter.close());
  const metrics = metricsFor(app, registry);
  const dispatcher: Dispatcher = createDispatcher(registry, app);
  registerBodyParsers(server);

  server.addHook('onResponse', async (req, reply) => {
    if (metrics && req.restMethod !== undefined) metrics.observe(req.restMethod, reply.statusCode, reply.elapsedTime / 1000);
    if (!req.restMethod && reply.statusCode < 400) return;
    req.log.info(
      {
        method: req.restMethod,
        user: req.restUser,
        status: reply.statusCode,
        error: req.restError,
        ms: Math.round(reply.elapsedTime * 100) / 100,
      },
      'rest call',
    );
  });

  const handleRest = async (req: FastifyRequest, reply: FastifyReply) => {
    const startMs = Date.now();
    const url = req.raw.url ?? '';
    if (url.length > app.config.urlLimit) {
      throw new BitrixError('INVALID_REQUEST', `Request URL is too long: at most ${app.config.urlLimit} characters are allowed`, 414);
    }
    const q = url.indexOf('?');
    const pathname = q < 0 ? url : url.slice(0, q);
    const target = parseRestPath(pathname);
    if (!target || target.method === '') throw Errors.methodNotFound();
    req.restMethod = target.method.toLowerCase();
    const params = mergeParams(q < 0 ? {} : parseQueryString(url.slice(q + 1)), req.body);
    const auth = await authenticate(app.auth, target, params, req);
    req.restUser = auth.user.id;
    // Decision 11: a portal reads an unusable JSON body as no parameters; strict mode says so instead.
    if (req.ignoredBody && app.config.strict) throw Errors.argument('body', req.ignoredBody);
    if (limiter) {
      const verdict = await limiter.take(auth.credentialKey); // one HTTP request, so a batch counts once
      if (!verdict.allowed) {
        reply.header('retry-after', String(verdict.retryAfter));
        throw Errors.queryLimit();
      }
    }
    const handlerStartMs = Date.now();
    const out = await dispatcher.call(auth, target.method, params, req.log);
    const timing: Timing = { startMs, handlerStartMs, handlerEndMs: Date.now() };
    return reply.type(JSON_TYPE).send(successPayload(out, timing, app.config.timezone));
  };

  server.route({ method: ['GET', 'POST'], url: '/rest/*', handler: handleRest });
  registerHealth(server, app);
  if (metrics) registerMetrics(server, app, metrics);
  registerWebClient(server, app.config.webDir);
  registerOAuth(server, app);
  registerPullWebSocket(server, app);
  registerPullLongPolling(server, app);
  registerFiles(server, app);

  server.setNotFoundHandler((req, reply) => {
    req.restError = 'ERROR_METHOD_NOT_FOUND';
    return sendError(reply, Errors.methodNotFound());
  });

  server.setErrorHandler(async (err, req, reply) => {
    const bx = asBitrixError(err);
    req.restError = bx.code;
    // Only a failure nobody raised on purpose is an error with a stack; a refused request (rate limit, time limit)
    // is an expected condition, logged by the onResponse line with its code.
    if (!(err instanceof BitrixError) && bx.status >= 500) req.log.error({ err }, 'unexpected error');
    if ((err as { code?: string }).code === 'FST_ERR_CTP_BODY_TOO_LARGE') await drainBody(req.raw, app.config.bodyLimit * 4);
    return sendError(reply, bx);
  });

  return server;
}
