// Offline events (event.offline.get / list / clear / error): events an application bound with event_type=offline
// wait in event_offline until it fetches them. Written in the transaction that handles the change (outbox.emit),
// so every event is there exactly once; a fetch with clear removes what it returns in the same transaction.
import { Errors } from '../errors.ts';
import type { AppRow, OfflineCondition, OfflineEventRow, OfflineQuery, Store } from '../store/store.ts';
import { randomHex } from './secrets.ts';

export const OFFLINE_PAGE = 50;
const MAX_FETCH = 1000;

export interface OfflineFetch {
  where: OfflineCondition[];
  order: OfflineQuery['order'];
  limit?: number;
  /** Remove what is returned (default); otherwise reserve it for a process_id to clear or mark failed later. */
  clear: boolean;
  /** Fetch the events marked failed (event.offline.error) instead of the fresh ones. */
  error: boolean;
}

export class OfflineEventsService {
  constructor(private readonly store: Store) {}

  async fetch(app: AppRow, f: OfflineFetch): Promise<{ processId: string | null; events: OfflineEventRow[] }> {
    const limit = Math.min(Math.max(f.limit ?? OFFLINE_PAGE, 1), MAX_FETCH);
    return this.store.transaction(async (tx) => {
      // Two fetches at once never get the same events.
      await tx.lock(`event-offline:${app.id}`);
      const where: OfflineCondition[] = [...f.where, { column: 'process_id', op: '=', value: '' }, { column: 'error', op: '=', value: f.error ? 1 : 0 }];
      const events = await tx.offline.list({ appId: app.id, where, order: f.order, limit });
      const ids = events.map((e) => e.id);
      if (f.clear) {
        await tx.offline.delete(app.id, { ids });
        return { processId: null, events };
      }
      const processId = randomHex(16);
      await tx.offline.reserve(app.id, ids, processId);
      return { processId, events: events.map((e) => ({ ...e, process_id: processId })) };
    });
  }

  async list(app: AppRow, where: OfflineCondition[], order: OfflineQuery['order'], start: number): Promise<{ events: OfflineEventRow[]; total: number }> {
    const events = await this.store.offline.list({ appId: app.id, where, order, limit: OFFLINE_PAGE, offset: start });
    return { events, total: await this.store.offline.count({ appId: app.id, where }) };
  }

  async clear(app: AppRow, processId: string, ids?: number[], messageIds?: string[]): Promise<void> {
    if (!processId) throw Errors.argument('PROCESS_ID', 'Required argument PROCESS_ID is empty');
    await this.store.offline.delete(app.id, { processId, ids, messageIds: ids ? undefined : messageIds });
  }

  async error(app: AppRow, processId: string, messageIds?: string[]): Promise<void> {
    if (!processId) throw Errors.argument('PROCESS_ID', 'Required argument PROCESS_ID is empty');
    await this.store.offline.markError(app.id, processId, messageIds);
  }
}
