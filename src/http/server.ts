// The HTTP transport: URL forms, parameter decoding, authentication, envelopes. No business rules here.
import Fastify, { LogController, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { App } from '../app/index.ts';
import { BitrixError, Errors } from '../errors.ts';
import { createDispatcher, type Dispatcher } from '../methods/dispatch.ts';
import type { Registry } from '../methods/registry.ts';
import { authenticate, parseRestPath } from './auth.ts';
import { mergeParams, parseQueryString, registerBodyParsers } from './body.ts';
import { asBitrixError, errorBody, successBody, type Timing } from './envelope.ts';

const JSON_TYPE = 'application/json; charset=utf-8';

export interface ServerDeps {
  app: App;
  registry: Registry;
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

export function buildServer({ app, registry }: ServerDeps): FastifyInstance {
  const server = Fastify({
    logger: { level: app.config.logLevel },
    // Our onResponse hook logs one structured line per call instead of fastify's two.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: app.config.bodyLimit,
    return503OnClosing: true,
    forceCloseConnections: 'idle',
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 500 },
  });
  const dispatcher: Dispatcher = createDispatcher(registry, app);
  registerBodyParsers(server);

  server.addHook('onResponse', async (req, reply) => {
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
    const q = url.indexOf('?');
    const pathname = q < 0 ? url : url.slice(0, q);
    const target = parseRestPath(pathname);
    if (!target || target.method === '') throw Errors.methodNotFound();
    req.restMethod = target.method.toLowerCase();
    const params = mergeParams(q < 0 ? {} : parseQueryString(url.slice(q + 1)), req.body);
    const auth = await authenticate(app.auth, target, params, req);
    req.restUser = auth.user.id;
    const handlerStartMs = Date.now();
    const out = await dispatcher.call(auth, target.method, params, req.log);
    const timing: Timing = { startMs, handlerStartMs, handlerEndMs: Date.now() };
    return reply.type(JSON_TYPE).send(successBody(out, timing, app.config.timezone));
  };

  server.route({ method: ['GET', 'POST'], url: '/rest/*', handler: handleRest });

  server.setNotFoundHandler((req, reply) => {
    req.restError = 'ERROR_METHOD_NOT_FOUND';
    return sendError(reply, Errors.methodNotFound());
  });

  server.setErrorHandler((err, req, reply) => {
    const bx = asBitrixError(err);
    req.restError = bx.code;
    if (bx.status >= 500) req.log.error({ err }, 'unexpected error');
    return sendError(reply, bx);
  });

  return server;
}
