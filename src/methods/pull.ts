// Push & Pull REST methods: the pull client's config (users and applications), watch tags, application events.
import type { AuthContext } from '../app/auth.ts';
import { pullConfig } from '../app/pull/config.ts';
import { PRIVATE } from '../app/pull/channels.ts';
import { BitrixError, Errors } from '../errors.ts';
import type { MethodDef } from './registry.ts';

/** Largest PARAMS of pull.application.event.add, as JSON. */
const MAX_EVENT_PARAMS = 64 * 1024;

const wrongAuth = (text: string) => new BitrixError('WRONG_AUTH_TYPE', text, 403);

/** An application's OAuth token (not a webhook, not the web client's own session token). */
function appOf(auth: AuthContext) {
  return auth.kind === 'token' ? auth.app : undefined;
}

export const pullMethods: MethodDef[] = [
  {
    name: 'pull.config.get',
    scope: 'pull_channel',
    params: ['CACHE', 'cache'],
    async handler({ app, auth }) {
      // As on a portal: applications have their own channels (pull.application.config.get).
      if (appOf(auth)) throw wrongAuth('Method not available for OAuth authorization.');
      return pullConfig(app.pull.channels, app.config, app.clock, auth.user.id, PRIVATE);
    },
  },
  {
    name: 'pull.application.config.get',
    scope: 'pull',
    params: ['CACHE', 'cache'],
    async handler({ app, auth }) {
      const client = appOf(auth);
      if (!client) throw wrongAuth('Get access to application config available only for application authorization.');
      return pullConfig(app.pull.channels, app.config, app.clock, auth.user.id, client.client_id);
    },
  },
  {
    name: 'pull.application.event.add',
    scope: 'pull',
    params: ['COMMAND', 'PARAMS', 'MODULE_ID', 'USER_ID'],
    async handler({ app, auth, params }) {
      const client = appOf(auth);
      if (!client) throw wrongAuth('Get access to application config available only for application authorization.');
      const command = params.string('COMMAND') ?? '';
      if (!/^[A-Za-z0-9_:|.-]{1,100}$/.test(command)) throw Errors.method('COMMAND_ERROR', 'Command format error');
      const moduleId = params.string('MODULE_ID') ?? 'application';
      if (!/^[a-z0-9._]{1,50}$/.test(moduleId)) throw Errors.method('MODULE_ID_ERROR', 'Module ID format error');
      const raw = params.raw('PARAMS');
      if (raw !== undefined && raw !== '' && (typeof raw !== 'object' || raw === null)) throw Errors.method('PARAMS_ERROR', 'Params format error');
      const eventParams = raw && typeof raw === 'object' ? (raw as Record<string, unknown>) : {};
      // Every connected receiver gets the whole message: keep it small, as a portal's push server does.
      if (JSON.stringify(eventParams).length > MAX_EVENT_PARAMS) throw Errors.method('PARAMS_ERROR', `Params are larger than ${MAX_EVENT_PARAMS} bytes`);
      const given = params.raw('USER_ID');
      const list = given === undefined || given === '' ? [] : Array.isArray(given) ? given : typeof given === 'object' && given ? Object.values(given) : [given];
      const userIds = list.map((v) => Number(v));
      if (userIds.some((id) => !Number.isSafeInteger(id) || id <= 0)) throw Errors.method('USER_ID_ACCESS_ERROR', 'Only admin can send notifications to other channels');
      if (auth.user.is_admin !== 1 && userIds.some((id) => id !== auth.user.id)) {
        throw Errors.method('USER_ID_ACCESS_ERROR', 'Only admin can send notifications to other channels');
      }
      await app.store.transaction((tx) =>
        app.pull.publisher.publish(tx, [
          // No USER_ID: the application's shared channel, every user connected through this application.
          { channelType: client.client_id, userIds: userIds.length ? userIds : [0], moduleId, command, params: eventParams },
        ]),
      );
      app.pull.hub.wake();
      return true;
    },
  },
  {
    name: 'pull.watch.extend',
    scope: 'pull',
    params: ['TAGS', 'tags'],
    async handler({ params }) {
      // Watch tags (a portal's public chat and entity pages) are not served: every tag is answered "not extended".
      const raw = params.raw('TAGS') ?? params.raw('tags');
      const tags = Array.isArray(raw) ? raw : raw && typeof raw === 'object' ? Object.values(raw) : raw === undefined ? [] : [raw];
      const out: Record<string, boolean> = {};
      for (const t of tags) if (typeof t === 'string' || typeof t === 'number') out[String(t)] = false;
      return Object.keys(out).length ? out : [];
    },
  },
];
