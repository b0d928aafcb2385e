// Writes Push & Pull messages to the durable log, inside the caller's transaction: a message exists exactly when
// the change that caused it committed. Appends take one lock, so log ids commit in id order (hub.ts relies on it).
import type { Store } from '../../store/store.ts';
import type { Clock } from '../clock.ts';
import { PRIVATE } from './channels.ts';

/** The portal's revisions the official clients check (pull: 19 / 3; im: 130 / 23 / 33). */
export const PULL_REVISION_WEB = 19;
export const PULL_REVISION_MOBILE = 3;
const IM_EXTRA = { revision_im_web: 130, revision_im_mobile: 23, revision_im_rest: 33, im_revision: 130, im_revision_mobile: 23, is_shared_event: false };
/** A message nobody fetched is kept a day unless it says otherwise (the portal's default expiry). */
export const DEFAULT_EXPIRY = 86400;

export interface PullOutgoing {
  /** 'private' (default) or an application's client_id. */
  channelType?: string;
  /** Receivers; 0 = every connection of the channel type (its shared channel). */
  userIds: number[];
  moduleId: string;
  command: string;
  params: Record<string, unknown>;
  /** Params that differ per receiver (counter, dialogId), laid over `params` for that receiver. */
  userParams?: Map<number, Record<string, unknown>>;
  /** Seconds a not yet delivered message is kept. */
  expiry?: number;
}

export class PullPublisher {
  constructor(
    private readonly clock: Clock,
    private readonly serverName: () => string,
    private readonly retentionSec: number,
  ) {}

  async publish(tx: Store, items: PullOutgoing[]): Promise<void> {
    const list = items.filter((i) => i.userIds.length > 0);
    if (list.length === 0) return;
    const now = this.clock();
    const millis = Date.now();
    await tx.lock('pull-log');
    await tx.pull.append(
      list.map((item) => {
        const expiry = Math.min(item.expiry ?? DEFAULT_EXPIRY, this.retentionSec);
        const extra: Record<string, unknown> = {
          ...(item.moduleId === 'im' ? IM_EXTRA : {}),
          server_time: new Date(now * 1000).toISOString().replace(/\.\d{3}Z$/, '+00:00'),
          server_time_unix: now + (millis % 1000) / 1000,
          server_name: this.serverName(),
          revision_web: PULL_REVISION_WEB,
          revision_mobile: PULL_REVISION_MOBILE,
        };
        const userParams: Record<string, Record<string, unknown>> = {};
        for (const [userId, p] of item.userParams ?? []) userParams[String(userId)] = p;
        return {
          channel_type: item.channelType ?? PRIVATE,
          user_ids: `,${[...new Set(item.userIds)].join(',')},`,
          body: JSON.stringify({ module_id: item.moduleId, command: item.command, params: item.params, extra }),
          user_params: JSON.stringify(userParams),
          date_create: now,
          date_expire: now + expiry,
        };
      }),
    );
  }
}
