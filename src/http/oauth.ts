// The OAuth server's token endpoint (a portal's apps use https://oauth.bitrix.info/oauth/token/): refresh grants.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { App } from '../app/index.ts';
import { restBaseUrl } from '../config.ts';
import { BitrixError } from '../errors.ts';
import { mergeParams, parseQueryString } from './body.ts';

const JSON_TYPE = 'application/json; charset=utf-8';

function text(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

export function registerOAuth(server: FastifyInstance, app: App): void {
  const handler = async (req: FastifyRequest, reply: FastifyReply) => {
    const url = req.raw.url ?? '';
    const q = url.indexOf('?');
    const p = mergeParams(q < 0 ? {} : parseQueryString(url.slice(q + 1)), req.body);
    const grant = text(p.grant_type);
    try {
      if (grant !== 'refresh_token') {
        throw new BitrixError('unsupported_grant_type', 'Only the refresh_token grant is supported', 400);
      }
      const t = await app.auth.refreshForClient(text(p.client_id), text(p.client_secret), text(p.refresh_token));
      // The same endpoints `token add` prints: the HTTPS ones when HTTPS is on (the SDK's B24OAuth calls only https).
      const rest = `${restBaseUrl(app.config)}/rest/`;
      return reply.type(JSON_TYPE).send({
        access_token: t.access_token,
        expires: t.expires,
        expires_in: t.expires_in,
        scope: t.scope,
        domain: new URL(restBaseUrl(app.config)).host,
        server_endpoint: rest,
        status: 'L',
        client_endpoint: rest,
        member_id: t.member_id,
        user_id: t.user_id,
        refresh_token: t.refresh_token,
      });
    } catch (err) {
      if (!(err instanceof BitrixError)) throw err;
      return reply.code(err.status).type(JSON_TYPE).send({ error: err.code, error_description: err.description });
    }
  };
  server.route({ method: ['GET', 'POST'], url: '/oauth/token', handler });

  // Sign-out (b24im's own, shaped as RFC 7009 token revocation; a portal has no such endpoint): the access token
  // and its refresh token stop working at once. The answer is 200 whether or not the token was live, so the
  // endpoint tells nothing about tokens it did not issue.
  server.post('/oauth/revoke', async (req, reply) => {
    const p = mergeParams({}, req.body);
    await app.auth.revokeByAccessToken(text(p.token));
    return reply.type(JSON_TYPE).send({ result: true });
  });
}
