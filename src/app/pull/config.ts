// The config the official pull client bootstraps from (pull.config.get / pull.application.config.get): where to
// connect, which framing (server.version), the signed channels and when they expire.
import type { Config } from '../../config.ts';
import { atom } from '../../present/dates.ts';
import type { Clock } from '../clock.ts';
import { PRIVATE, type PullChannels } from './channels.ts';
import { PULL_REVISION_MOBILE, PULL_REVISION_WEB } from './publisher.ts';

export const SUBSCRIBE_WS_PATH = '/bitrix/subws/';
export const SUBSCRIBE_LP_PATH = '/bitrix/sub/';

function toWs(base: string): string {
  return base.replace(/^http/i, 'ws');
}

export async function pullConfig(
  channels: PullChannels,
  config: Config,
  clock: Clock,
  userId: number,
  type: string = PRIVATE,
): Promise<Record<string, unknown>> {
  const version = config.pull.version;
  const zone = config.timezone;
  const { own, shared } = await channels.channelsOf(userId, type);
  const plain = config.publicUrl;
  const secure = config.publicHttpsUrl ?? config.publicUrl;
  const expire = Math.min(own.date_expire, shared.date_expire);
  const out: Record<string, unknown> = {
    server: {
      version,
      server_enabled: true,
      mode: 'personal',
      hostname: new URL(secure).hostname,
      // Compared with the value a client cached: a change of the advertised protocol makes clients refetch.
      config_timestamp: version,
      websocket_enabled: true,
      websocket: toWs(plain) + SUBSCRIBE_WS_PATH,
      websocket_secure: toWs(secure) + SUBSCRIBE_WS_PATH,
      long_polling: plain + SUBSCRIBE_LP_PATH,
      // The portal's key has this spelling, and it is what the official client reads.
      long_pooling_secure: secure + SUBSCRIBE_LP_PATH,
      publish_enabled: false,
      publish: '',
      publish_secure: '',
    },
    api: { revision_web: PULL_REVISION_WEB, revision_mobile: PULL_REVISION_MOBILE },
    channels: {
      shared: { id: await channels.signedId(shared, false), start: atom(shared.date_create, zone), end: atom(shared.date_expire, zone), type: 'shared' },
      private: {
        id: await channels.signedId(own, version >= 4),
        public_id: own.public_id,
        start: atom(own.date_create, zone),
        end: atom(own.date_expire, zone),
        type: 'private',
      },
    },
    publicChannels: {
      [userId]: {
        user_id: userId,
        public_id: own.public_id,
        signature: (await channels.signedPublicId(own)).split('.')[1],
        start: atom(own.date_create, zone),
        end: atom(own.date_expire, zone),
      },
    },
    exp: expire,
  };
  if (version >= 5) out.jwt = await channels.jwtFor(userId, type, shared, expire);
  out.serverTime = atom(clock(), zone);
  return out;
}
