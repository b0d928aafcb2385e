// Permission scopes of webhooks and applications. Methods of the base scope need none.
export const BASE_SCOPE = 'basic';

export const KNOWN_SCOPES = ['im', 'imbot', 'imopenlines', 'imconnector', 'user', 'user_basic', 'placement'] as const;

export function parseScopes(value: string | undefined): string[] {
  const list = (value ?? '')
    .split(/[\s,]+/)
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean);
  return [...new Set(list)];
}

export function unknownScopes(scopes: string[]): string[] {
  return scopes.filter((s) => !(KNOWN_SCOPES as readonly string[]).includes(s));
}

/** Whether a credential holding `granted` may call a method of `scope`. */
export function scopeAllows(granted: ReadonlySet<string>, scope: string): boolean {
  if (scope === BASE_SCOPE) return true;
  if (granted.has(scope)) return true;
  // The full user scope includes the basic user scope.
  if (scope === 'user_basic') return granted.has('user');
  // The docs file imconnector.* under the imopenlines scope; a portal app may hold either.
  return scope === 'imconnector' && granted.has('imopenlines');
}
