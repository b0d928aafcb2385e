// Event handlers of applications: events, event.bind, event.unbind, event.get.
import { BINDABLE_EVENTS, requireApp, type HandlerViewer } from '../app/apps.ts';
import type { AuthContext } from '../app/auth.ts';
import { scopeAllows } from '../app/scopes.ts';
import { Errors } from '../errors.ts';
import type { Params } from './params.ts';
import { phpTruthy, type MethodDef } from './registry.ts';

/** event_type=offline: an offline binding (event.offline.*), online otherwise. */
const isOffline = (params: Params): boolean => (params.string('event_type') ?? params.string('EVENT_TYPE') ?? 'online').toLowerCase() === 'offline';

const viewerOf = (auth: AuthContext): HandlerViewer => ({ userId: auth.user.id, isAdmin: auth.user.is_admin === 1 });

export const eventMethods: MethodDef[] = [
  {
    name: 'events',
    scope: 'basic',
    params: ['SCOPE', 'FULL', 'scope', 'full'],
    async handler({ auth, params }) {
      const full = phpTruthy(params.raw('FULL') ?? params.raw('full'));
      const scope = params.string('SCOPE') ?? params.string('scope');
      return Object.entries(BINDABLE_EVENTS)
        .filter(([, s]) => (scope !== undefined ? s === (scope || 'basic') : full || scopeAllows(auth.scopes, s)))
        .map(([name]) => name);
    },
  },
  {
    name: 'event.bind',
    scope: 'basic',
    params: ['event', 'handler', 'auth_type', 'event_type', 'options', 'EVENT', 'HANDLER', 'AUTH_TYPE', 'EVENT_TYPE', 'OPTIONS'],
    async handler({ app, auth, params }) {
      const owner = requireApp(auth.app);
      const event = params.string('event') ?? params.string('EVENT') ?? '';
      const eventScope = BINDABLE_EVENTS[event.trim().toUpperCase()];
      if (eventScope && !scopeAllows(auth.scopes, eventScope)) throw Errors.insufficientScope(false);
      await app.apps.bind(owner, auth.user.id, auth.user.is_admin === 1, {
        event,
        handler: params.string('handler') ?? params.string('HANDLER') ?? '',
        authType: params.int('auth_type') ?? params.int('AUTH_TYPE'),
        offline: isOffline(params),
      });
      return true;
    },
  },
  {
    name: 'event.unbind',
    scope: 'basic',
    params: ['event', 'handler', 'auth_type', 'event_type', 'EVENT', 'HANDLER', 'AUTH_TYPE', 'EVENT_TYPE'],
    async handler({ app, auth, params }) {
      const owner = requireApp(auth.app);
      const count = await app.apps.unbind(owner, viewerOf(auth), {
        event: params.string('event') ?? params.string('EVENT') ?? '',
        handler: params.string('handler') ?? params.string('HANDLER'),
        authType: params.int('auth_type') ?? params.int('AUTH_TYPE'),
        offline: isOffline(params),
      });
      return { count };
    },
  },
  {
    name: 'event.get',
    scope: 'basic',
    params: [],
    async handler({ app, auth }) {
      const owner = requireApp(auth.app);
      return (await app.apps.handlers(owner, viewerOf(auth))).map((h) => ({
        event: h.event,
        handler: h.handler,
        auth_type: String(h.auth_type),
        offline: h.offline,
      }));
    },
  },
];
