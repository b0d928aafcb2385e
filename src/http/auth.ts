// Which credential a request carries: an inbound webhook in the path, or an access token.
import type { FastifyRequest } from 'fastify';
import type { AuthContext, AuthService } from '../app/auth.ts';
import { Errors } from '../errors.ts';
import type { RawParams } from './body.ts';

export interface RestTarget {
  method: string;
  webhook?: { userId: string; code: string };
}

/** Percent-decoding that keeps a malformed sequence (%FF, %zz) as it is instead of throwing. */
function decode(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}

/** /rest/METHOD[.json] or /rest/USER_ID/CODE/METHOD[.json]; undefined for other shapes. */
export function parseRestPath(pathname: string): RestTarget | undefined {
  const parts = pathname.replace(/^\/rest\/?/, '').split('/').filter((p) => p !== '');
  const strip = (m: string) => decode(m).replace(/\.json$/i, '');
  if (parts.length === 1) return { method: strip(parts[0]) };
  if (parts.length === 3) return { method: strip(parts[2]), webhook: { userId: parts[0], code: decode(parts[1]) } };
  return undefined;
}

export async function authenticate(
  auth: AuthService,
  target: RestTarget,
  params: RawParams,
  req: FastifyRequest,
): Promise<AuthContext> {
  if (target.webhook) return auth.resolveWebhook(target.webhook.userId, target.webhook.code);
  const header = req.headers.authorization;
  const bearer = header && /^Bearer\s+(\S+)$/i.exec(header)?.[1];
  const token = params.auth ?? params.access_token ?? bearer;
  if (token === undefined || token === '') throw Errors.noAuth();
  if (typeof token !== 'string') throw Errors.invalidToken();
  return auth.resolveToken(token);
}
