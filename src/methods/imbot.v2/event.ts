// imbot.v2.Event.get: a fetch-mode bot's events, by offset (acknowledging everything below it).
import { FETCH_LIMIT } from '../../app/bots-v2/fetch.ts';
import { v2Error } from '../../app/bots-v2/owners.ts';
import { scopeAllows } from '../../app/scopes.ts';
import { Errors } from '../../errors.ts';
import type { FetchStream } from '../../store/store.ts';
import type { MethodDef } from '../registry.ts';
import { bool, ownBot } from './common.ts';

export const eventMethods: MethodDef[] = [
  {
    name: 'imbot.v2.Event.get',
    scope: 'imbot',
    params: ['botId', 'botToken', 'offset', 'limit', 'withUserEvents'],
    async handler(ctx) {
      const { bot } = await ownBot(ctx);
      const { params } = ctx;
      const limit = params.has('limit') ? params.int('limit') : FETCH_LIMIT.default;
      if (limit === undefined || limit < FETCH_LIMIT.min || limit > FETCH_LIMIT.max) {
        throw Errors.argument('limit', `limit must be between ${FETCH_LIMIT.min} and ${FETCH_LIMIT.max}`);
      }
      const offset = params.has('offset') ? params.int('offset', { min: 0, max: Number.MAX_SAFE_INTEGER }) : undefined;
      if (params.has('offset') && offset === undefined) throw Errors.argument('offset', 'offset must be a non-negative integer');
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
