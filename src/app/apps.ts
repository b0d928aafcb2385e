// Applications on the portal: installation (ONAPPINSTALL) and their event handlers (event.bind / unbind / get).
import { BitrixError, Errors } from '../errors.ts';
import type { AppRow, EventHandlerRow, Store } from '../store/store.ts';
import type { Clock } from './clock.ts';
import type { Outbox } from './delivery/outbox.ts';

/** Events an application may bind, with the scope each needs (the im module's bot events and the app's own). */
export const BINDABLE_EVENTS: Record<string, string> = {
  ONAPPINSTALL: 'basic',
  ONAPPUPDATE: 'basic',
  ONAPPUNINSTALL: 'basic',
  ONAPPPAYMENT: 'basic',
  ONAPPMETHODCONFIRM: 'basic',
  ONIMBOTMESSAGEADD: 'imbot',
  ONIMBOTMESSAGEUPDATE: 'imbot',
  ONIMBOTMESSAGEDELETE: 'imbot',
  ONIMBOTJOINCHAT: 'imbot',
  ONIMBOTDELETE: 'imbot',
  ONIMCONNECTORMESSAGEADD: 'imconnector',
};

export function isHandlerUrl(value: string): boolean {
  try {
    const u = new URL(value);
    return (u.protocol === 'http:' || u.protocol === 'https:') && u.hostname !== '';
  } catch {
    return false;
  }
}

/**
 * As a portal checks a handler against the application's own URL: an application's handlers (event.bind,
 * imbot.register / imbot.update) live on the host of its handler URL, so a holder of one of its tokens cannot point
 * them, and the tokens they carry, anywhere else. An application registered without a URL has nothing to compare.
 */
export function onApplicationHost(app: AppRow, url: string): boolean {
  if (!app.handler_url) return true;
  try {
    return new URL(url).hostname.toLowerCase() === new URL(app.handler_url).hostname.toLowerCase();
  } catch {
    return false;
  }
}

/** Who asks for an application's handlers: a non-administrator sees and removes only the ones they bound. */
export interface HandlerViewer {
  userId: number;
  isAdmin: boolean;
}

/** The portal's answer to a call that needs an application's token (webhooks have no application). */
export function requireApp(app: AppRow | undefined): AppRow {
  if (!app) throw new BitrixError('WRONG_AUTH_TYPE', 'Current authorization type is denied for this method', 401);
  return app;
}

export class AppsService {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly outbox: Outbox,
    private readonly language: string,
  ) {}

  async byCode(code: string): Promise<AppRow> {
    const app = await this.store.auth.appByCode(code);
    if (!app) throw Errors.method('APP_NOT_FOUND', `No application with code ${code}`);
    return app;
  }

  /**
   * Installs an application on behalf of a user: marks it installed and queues ONAPPINSTALL for its handler URL
   * (and any ONAPPINSTALL handler it bound before). Returns the outbox ids.
   */
  async install(code: string, userId: number, handlerUrl?: string, claim?: { node: string; leaseMs: number }): Promise<number[]> {
    const user = await this.store.users.get(userId);
    if (!user || !user.active) throw Errors.method('USER_NOT_FOUND', `User ${userId} not found`);
    return this.store.transaction(async (tx) => {
      const found = await tx.auth.appByCode(code);
      if (!found) throw Errors.method('APP_NOT_FOUND', `No application with code ${code}`);
      const url = handlerUrl ?? found.handler_url;
      if (!url) throw Errors.method('HANDLER_EMPTY', `Application ${code} has no handler URL (app add --handler URL)`);
      if (!isHandlerUrl(url)) throw Errors.method('HANDLER_ERROR', 'Wrong handler URL');
      await tx.auth.updateApp(found.id, { installed: 1, handler_url: url });
      const app = { ...found, installed: 1, handler_url: url };
      const bound = await tx.events.handlers({ appId: app.id, event: 'ONAPPINSTALL', offline: false });
      const urls = [...new Set([url, ...bound.map((h) => h.handler)])];
      const data = { VERSION: '1', ACTIVE: 'Y', INSTALLED: 'Y', LANGUAGE_ID: this.language };
      return this.outbox.enqueue(
        tx,
        urls.map((u) => ({ app, event: 'ONAPPINSTALL', url: u, handlerId: bound.find((h) => h.handler === u)?.id, data, authUserId: userId })),
        claim,
      );
    });
  }

  async bind(app: AppRow, userId: number, isAdmin: boolean, input: { event: string; handler: string; authType?: number; offline?: boolean }): Promise<void> {
    const event = input.event.trim().toUpperCase();
    if (!event) throw Errors.argument('EVENT', 'Required argument EVENT is empty');
    if (!(event in BINDABLE_EVENTS)) throw Errors.method('ERROR_EVENT_NOT_FOUND', 'Event not found');
    if (input.offline) return this.bindOffline(app, userId, isAdmin, event);
    if (!input.handler) throw Errors.argument('HANDLER', 'Required argument HANDLER is empty');
    if (!isHandlerUrl(input.handler)) throw Errors.method('ERROR_HANDLER_URL', 'Wrong handler URL');
    if (!onApplicationHost(app, input.handler)) throw Errors.method('ERROR_HANDLER_URL_MATCH', "Handler URL host doesn't match application url");
    // A user who is not an administrator binds handlers that run as themselves: with no auth_type the handler
    // would otherwise receive the token of whoever triggers the event (every writer's, a token capture).
    if (!isAdmin && input.authType !== undefined && input.authType !== 0 && input.authType !== userId) {
      throw Errors.accessDenied('Access denied! Only an administrator may bind handlers for another user');
    }
    const authType = isAdmin ? (input.authType ?? 0) : userId;
    if (authType > 0 && !(await this.store.users.get(authType))) throw Errors.method('ERROR_USER_NOT_FOUND', 'User not found');
    const existing = await this.store.events.handlers({ appId: app.id, event, handler: input.handler, authType });
    if (existing.length > 0) throw Errors.method('ERROR_CORE', 'Unable to set event handler: Handler already binded');
    await this.store.events.addHandler({ app_id: app.id, event, handler: input.handler, auth_type: authType, user_id: userId, date_create: this.clock() });
  }

  /**
   * An offline binding (event_type=offline): the application fetches the events with event.offline.get. Offline
   * events carry no tokens and are read with the application's own token, so, as on a portal, only an administrator
   * sets them up.
   */
  private async bindOffline(app: AppRow, userId: number, isAdmin: boolean, event: string): Promise<void> {
    if (!isAdmin) throw Errors.accessDenied('Access denied! Only an administrator may bind offline events');
    const existing = await this.store.events.handlers({ appId: app.id, event, offline: true });
    if (existing.length > 0) throw Errors.method('ERROR_CORE', 'Unable to set event handler: Handler already binded');
    await this.store.events.addHandler({ app_id: app.id, event, handler: '', auth_type: 0, user_id: userId, date_create: this.clock(), offline: 1 });
  }

  async unbind(app: AppRow, viewer: HandlerViewer, input: { event: string; handler?: string; authType?: number; offline?: boolean }): Promise<number> {
    const event = input.event.trim().toUpperCase();
    if (!event) throw Errors.argument('EVENT', 'Required argument EVENT is empty');
    if (input.offline) {
      if (!viewer.isAdmin) throw Errors.accessDenied('Access denied! Only an administrator may unbind offline events');
      return this.store.events.deleteHandlers({ appId: app.id, event, offline: true });
    }
    const filter = { appId: app.id, event, handler: input.handler || undefined, authType: input.authType, offline: false };
    return this.store.events.deleteHandlers(viewer.isAdmin ? filter : { ...filter, userId: viewer.userId });
  }

  /** The application's handlers a viewer may see: all for an administrator, else their own and the application's. */
  async handlers(app: AppRow, viewer: HandlerViewer): Promise<EventHandlerRow[]> {
    const all = await this.store.events.handlers({ appId: app.id });
    return viewer.isAdmin ? all : all.filter((h) => h.user_id === viewer.userId || h.user_id === 0);
  }
}
