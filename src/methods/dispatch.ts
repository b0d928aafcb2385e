// Runs one method call: lookup, scope check, parameter reading, handler. Used by http/ and by batch.
import type { App } from '../app/index.ts';
import type { AuthContext } from '../app/auth.ts';
import { scopeAllows } from '../app/scopes.ts';
import { Errors } from '../errors.ts';
import { INT32, intWithin } from './intval.ts';
import { Params } from './params.ts';
import { ListResult, type Log, type MethodOutcome, type Registry } from './registry.ts';

/** Keys a portal takes for itself before a handler sees the parameters. */
const RESERVED = new Set(['auth', 'access_token', 'auth_connector', 'state', 'start', 'aplogin', 'ap', 'token']);

function isReserved(key: string): boolean {
  return RESERVED.has(key.toLowerCase()) || key.toLowerCase().startsWith('bx24_');
}

export interface Dispatcher {
  call(auth: AuthContext, method: string, raw: Record<string, unknown>, log: Log): Promise<MethodOutcome>;
}

export function createDispatcher(registry: Registry, app: App): Dispatcher {
  const dispatcher: Dispatcher = {
    async call(auth, method, raw, log) {
      const def = registry.get(method);
      if (!def) throw Errors.methodNotFound();
      if (!scopeAllows(auth.scopes, def.scope)) throw Errors.insufficientScope(auth.kind === 'webhook');
      const own: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(raw)) if (!isReserved(k)) own[k] = v;
      const params = new Params(own, {
        caseInsensitive: def.name.startsWith('im'),
        strict: app.config.strict,
        onFallback: (argument, problem) => log.info({ method: def.name, argument, problem }, 'lenient fallback'),
      });
      if (def.params) params.checkKnown(def.params);
      const startRaw = raw.start;
      const startNum = typeof startRaw === 'string' || typeof startRaw === 'number' ? intWithin(startRaw, INT32) : 0;
      const start = Math.max(0, startNum);
      const noCount = startNum === -1;
      const value = await def.handler({
        app,
        auth,
        params,
        start,
        noCount,
        log,
        call: (m, p) => dispatcher.call(auth, m, p, log),
      });
      if (value instanceof ListResult) {
        return noCount ? { result: value.result } : { result: value.result, total: value.total, next: value.next };
      }
      return { result: value };
    },
  };
  return dispatcher;
}
