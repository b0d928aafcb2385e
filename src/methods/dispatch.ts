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

/**
 * A parameter without U+0000, at any depth. PostgreSQL cannot store or even compare text holding it (a portal's
 * MySQL keeps it), so b24im drops it on both backends alike: same answers, never a database error for a NUL.
 */
function withoutNul<T>(v: T): T {
  if (typeof v === 'string') return (v.includes('\u0000') ? v.replaceAll('\u0000', '') : v) as T;
  if (!v || typeof v !== 'object') return v;
  if (Array.isArray(v)) {
    const items = v.map(withoutNul);
    return (items.some((x, i) => x !== v[i]) ? items : v) as T;
  }
  // Rebuilt only when something held a NUL; keys are defined, not assigned, so a "__proto__" key stays a key.
  const source = v as Record<string, unknown>;
  const keys = Object.keys(source);
  const entries = keys.map((k) => [withoutNul(k), withoutNul(source[k])] as const);
  if (entries.every(([k, x], i) => k === keys[i] && x === source[k])) return v;
  const out: Record<string, unknown> = {};
  for (const [k, x] of entries) Object.defineProperty(out, k, { value: x, enumerable: true, writable: true, configurable: true });
  return out as T;
}

export function createDispatcher(registry: Registry, app: App): Dispatcher {
  const dispatcher: Dispatcher = {
    async call(auth, method, raw, log) {
      const def = registry.get(method);
      if (!def) throw Errors.methodNotFound();
      if (!scopeAllows(auth.scopes, def.scope)) throw Errors.insufficientScope(auth.kind === 'webhook');
      const own: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(withoutNul(raw))) if (!isReserved(k)) own[k] = v;
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
