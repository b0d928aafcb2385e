// imbot.v2.Event.get: a fetch-mode bot's events, by offset (acknowledging everything below it).
import { v2Error } from '../../app/bots-v2/owners.ts';
import { scopeAllows } from '../../app/scopes.ts';
import type { FetchStream } from '../../store/store.ts';
import type { MethodDef } from '../registry.ts';
import { bool, fetchPaging, ownBot } from './common.ts';

export const eventMethods: MethodDef[] = [
  {
    name: 'imbot.v2.Event.get',
    scope: 'imbot',
    params: ['botId', 'botToken', 'offset', 'limit', 'withUserEvents'],
    async handler(ctx) {
      const { bot } = await ownBot(ctx);
      const { params } = ctx;
      const { offset, limit } = fetchPaging(params);
      const streams: FetchStream[] = [{ kind: 'bot', ownerId: bot.id }];
      if (bool(params.raw('withUserEvents'))) {
        if (!scopeAllows(ctx.auth.scopes, 'im')) throw v2Error('SCOPE_ERROR', 'Scope error', 403);
        const mine: FetchStream = { kind: 'user', ownerId: ctx.auth.user.id };
        if (!(await ctx.app.fetchQueues.isOpen(mine))) throw v2Error('USER_NOT_SUBSCRIBED', 'User not subscribed');
        streams.push(mine);
      }
      if (!(await ctx.app.fetchQueues.isOpen(streams[0]))) throw v2Error('BOT_EVENT_MODE_ERROR', 'The bot does not use eventMode "fetch"');
      return ctx.app.fetchQueues.fetch(streams, offset, limit);
    },
  },
];
