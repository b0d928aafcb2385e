// Common methods of every portal: server.time, methods, method.get, scope.
import { BASE_SCOPE, KNOWN_SCOPES, scopeAllows } from '../app/scopes.ts';
import { atom } from '../present/dates.ts';
import { phpTruthy, type MethodDef, type Registry } from './registry.ts';

export function serverMethods(registry: Registry): MethodDef[] {
  const available = (granted: ReadonlySet<string>) => registry.all().filter((d) => scopeAllows(granted, d.scope));
  return [
    {
      name: 'server.time',
      scope: 'basic',
      params: [],
      async handler({ app }) {
        return atom(app.clock(), app.config.timezone);
      },
    },
    {
      name: 'methods',
      scope: 'basic',
      params: ['full', 'scope'],
      async handler({ params, auth }) {
        const scope = params.string('scope');
        let defs = phpTruthy(params.raw('full')) ? registry.all() : available(auth.scopes);
        if (scope !== undefined) defs = registry.all().filter((d) => d.scope === (scope === '' ? 'basic' : scope));
        return defs.map((d) => d.name).sort();
      },
    },
    {
      name: 'method.get',
      scope: 'basic',
      params: ['name'],
      async handler({ params, auth }) {
        const def = registry.get(params.string('name') ?? '');
        return { isExisting: def !== undefined, isAvailable: def !== undefined && scopeAllows(auth.scopes, def.scope) };
      },
    },
    {
      name: 'scope',
      scope: 'basic',
      params: ['full'],
      async handler({ params, auth }) {
        if (!phpTruthy(params.raw('full'))) return [...auth.scopes].sort();
        return [...new Set([...KNOWN_SCOPES, ...registry.scopes()])].filter((s) => s !== BASE_SCOPE).sort();
      },
    },
  ];
}
