// A portal's identity: what every node and every CLI command must agree on before it does anything else.
import type { Store } from '../store/store.ts';
import type { Clock } from './clock.ts';
import { randomHex } from './secrets.ts';
import { UsersService } from './users.ts';

export interface PortalIdentity {
  /** The portal's member_id, sent in every event's auth block. */
  memberId: string;
  /** Signs file URLs; one key per portal, so every node accepts the URLs any node made. */
  fileKey: string;
}

/**
 * Makes sure the portal has its identity and administrator. One transaction under one lock, so nodes (and CLI
 * commands) starting together on a new database agree on one identity and one admin.
 */
export async function bootstrapPortal(store: Store, clock: Clock): Promise<PortalIdentity> {
  return store.transaction(async (tx) => {
    await tx.lock('portal-bootstrap');
    let memberId = await tx.portal.get('member_id');
    if (!memberId) {
      memberId = randomHex(16);
      await tx.portal.set('member_id', memberId);
    }
    let fileKey = await tx.portal.get('file_url_key');
    if (!fileKey) {
      fileKey = randomHex(32);
      await tx.portal.set('file_url_key', fileKey);
    }
    await new UsersService(tx, clock).ensureAdmin();
    return { memberId, fileKey };
  });
}
