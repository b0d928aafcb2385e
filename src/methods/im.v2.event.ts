// im.v2.Event.subscribe / unsubscribe / get: a user's (or an agent acting as the user's) fetch queue of ONIMV2*
// events, with no bot and no public URL. Subscribing opens the queue; events are recorded from then on, until
// unsubscribe, and kept a day (app/bots-v2/fetch.ts).
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
      // Recording stops; what was recorded stays readable until acknowledged or a day old (the docs).
      await ctx.app.store.transaction((tx) => ctx.app.fetchQueues.stop(tx, mine(ctx)));
      return true;
    },
  },
  {
    name: 'im.v2.Event.get',
    scope: 'im',
    params: ['offset', 'limit'],
    async handler(ctx) {
      const { offset, limit } = fetchPaging(ctx.params);
      // Not subscribed: no error, and no events but those recorded before an unsubscribe (the docs).
      return ctx.app.fetchQueues.fetch([mine(ctx)], offset, limit);
    },
  },
];
