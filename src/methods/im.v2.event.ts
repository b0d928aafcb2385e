// im.v2.Event.subscribe / unsubscribe / get: a user's (or an agent acting as the user's) fetch queue of ONIMV2*
// events, with no bot and no public URL. Subscribing opens the queue; events are recorded from then on.
import { fetchPaging } from './imbot.v2/common.ts';
import type { FetchStream } from '../store/store.ts';
import type { MethodContext, MethodDef } from './registry.ts';

function mine(ctx: MethodContext): FetchStream {
  return { kind: 'user', ownerId: ctx.auth.user.id };
}

export const imV2EventMethods: MethodDef[] = [
  {
    name: 'im.v2.Event.subscribe',
    scope: 'im',
    params: [],
    async handler(ctx) {
      await ctx.app.store.transaction((tx) => ctx.app.fetchQueues.open(tx, mine(ctx)));
      return true;
    },
  },
  {
    name: 'im.v2.Event.unsubscribe',
    scope: 'im',
    params: [],
    async handler(ctx) {
      // The queue and what it holds go: a later subscribe starts afresh.
      await ctx.app.store.transaction((tx) => ctx.app.fetchQueues.close(tx, mine(ctx)));
      return true;
    },
  },
  {
    name: 'im.v2.Event.get',
    scope: 'im',
    params: ['offset', 'limit'],
    async handler(ctx) {
      const { offset, limit } = fetchPaging(ctx.params);
      // Not subscribed: no events, no error (the docs).
      if (!(await ctx.app.fetchQueues.isOpen(mine(ctx)))) return { events: [], nextOffset: offset ?? 0, hasMore: false };
      return ctx.app.fetchQueues.fetch([mine(ctx)], offset, limit);
    },
  },
];
