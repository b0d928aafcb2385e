// Push & Pull channels: what pull.config.get hands a client and what the subscription endpoint accepts back.
// A channel id is random (32 hex digits) and stored with its owner; the client gets it signed with the server's
// key (HMAC-SHA1, as the portal's push servers check it), so a guessed or altered id is refused before any lookup.
// Protocol 5 clients send a JWT (HS256) instead: `sub` is the user, `chan` the shared channel.
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { PullChannelRow, Store } from '../../store/store.ts';
import type { Clock } from '../clock.ts';
import { randomHex } from '../secrets.ts';

/** A channel lives 12 hours (the portal's 43205 s); a config renews it when less than an hour is left. */
export const CHANNEL_TTL = 43205;
const RENEW_BEFORE = 3600;
/** The private and shared channel types of pull.config.get; applications use their client_id as the type. */
export const PRIVATE = 'private';
export const SHARED = 'shared';

export interface ChannelPair {
  /** The user's channel of the type. */
  own: PullChannelRow;
  /** The type's shared channel (user 0). */
  shared: PullChannelRow;
}

/** Who a subscription URL stands for. */
export interface Subscriber {
  userId: number;
  /** 'private' (a user's im events) or an application's client_id. */
  channelType: string;
}

const SIGNED = /^([0-9a-f]{32})(?::([0-9a-f]{32}))?\.([0-9a-f]{40})$/;

export class PullChannels {
  private key: Buffer | undefined;

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
  ) {}

  /** The server's signing key, made once per installation (shared by every node through the database). */
  async signingKey(): Promise<Buffer> {
    if (this.key) return this.key;
    const hex = await this.store.transaction(async (tx) => {
      await tx.lock('pull-key');
      let value = await tx.portal.get('pull_key');
      if (!value) {
        value = randomHex(32);
        await tx.portal.set('pull_key', value);
      }
      return value;
    });
    this.key = Buffer.from(hex, 'hex');
    return this.key;
  }

  async sign(text: string): Promise<string> {
    return createHmac('sha1', await this.signingKey()).update(text).digest('hex');
  }

  /** The user's current channel of a type and the type's shared channel, made or renewed as needed. */
  async channelsOf(userId: number, type: string): Promise<ChannelPair> {
    return { own: await this.current(userId, type), shared: await this.current(0, type === PRIVATE ? SHARED : type) };
  }

  private async current(userId: number, type: string): Promise<PullChannelRow> {
    const now = this.clock();
    const found = await this.store.pull.currentChannel(userId, type, now + RENEW_BEFORE);
    if (found) return found;
    return this.store.transaction(async (tx) => {
      // Nodes renewing the same channel at once agree on one.
      await tx.lock(`pull-channel:${type}:${userId}`);
      const again = await tx.pull.currentChannel(userId, type, now + RENEW_BEFORE);
      if (again) return again;
      return tx.pull.createChannel({
        user_id: userId,
        type,
        channel_id: randomHex(16),
        public_id: randomHex(16),
        date_create: now,
        date_expire: now + CHANNEL_TTL,
      });
    });
  }

  /** `<id>.<signature>`, or `<id>:<public id>.<signature>` (protocol 4+ private channels, as the portal gives them). */
  async signedId(channel: PullChannelRow, withPublic: boolean): Promise<string> {
    const text = withPublic ? `${channel.channel_id}:${channel.public_id}` : channel.channel_id;
    return `${text}.${await this.sign(text)}`;
  }

  async signedPublicId(channel: PullChannelRow): Promise<string> {
    return `${channel.public_id}.${await this.sign(channel.public_id)}`;
  }

  /**
   * The subscriber of a CHANNEL_ID query value (`a/b`, each part signed). Undefined when a signature is wrong or
   * no part names a live channel of a user: the endpoint then closes with 4010 and the client fetches a new config.
   */
  async fromChannelIds(value: string): Promise<Subscriber | undefined> {
    const parts = value.split('/').filter(Boolean);
    if (parts.length === 0 || parts.length > 4) return undefined;
    const key = await this.signingKey();
    let found: Subscriber | undefined;
    for (const part of parts) {
      const m = SIGNED.exec(part.toLowerCase());
      if (!m) return undefined;
      const text = m[2] ? `${m[1]}:${m[2]}` : m[1];
      const expected = createHmac('sha1', key).update(text).digest();
      if (!timingSafeEqual(expected, Buffer.from(m[3], 'hex'))) return undefined;
      const row = await this.store.pull.channelById(m[1]);
      if (!row || row.date_expire <= this.clock()) return undefined;
      if (row.user_id !== 0) {
        if (found) return undefined; // two users' channels in one URL
        found = { userId: row.user_id, channelType: row.type };
      }
    }
    return found;
  }

  /** A protocol 5 JWT: HS256 with the signing key, `sub` the user id, not expired. */
  async jwtFor(userId: number, type: string, shared: PullChannelRow, exp: number): Promise<string> {
    const header = b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
    const claims = b64url(JSON.stringify({ iss: 'b24im', iat: this.clock(), exp, sub: String(userId), typ: type, chan: shared.channel_id }));
    const sig = createHmac('sha256', await this.signingKey()).update(`${header}.${claims}`).digest('base64url');
    return `${header}.${claims}.${sig}`;
  }

  async fromJwt(token: string): Promise<Subscriber | undefined> {
    const parts = token.split('.');
    if (parts.length !== 3 || token.length > 4096) return undefined;
    const expected = createHmac('sha256', await this.signingKey()).update(`${parts[0]}.${parts[1]}`).digest();
    const given = Buffer.from(parts[2], 'base64url');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
    let claims: { sub?: unknown; exp?: unknown; typ?: unknown };
    try {
      claims = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8'));
    } catch {
      return undefined;
    }
    const userId = Number(claims.sub);
    if (!Number.isSafeInteger(userId) || userId <= 0 || typeof claims.exp !== 'number' || claims.exp <= this.clock()) return undefined;
    return { userId, channelType: typeof claims.typ === 'string' ? claims.typ : PRIVATE };
  }
}

function b64url(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64url');
}
