// Permission scopes of webhooks and applications. Methods of the base scope need none.
export const BASE_SCOPE = 'basic';

/** Scopes b24im has methods in. */
export const SERVED_SCOPES = ['im', 'imbot', 'imopenlines', 'imconnector', 'user', 'user_basic', 'placement', 'pull', 'pull_channel', 'disk'] as const;

/**
 * Every scope a portal documents: a webhook or an application may hold any of them (an app written for a portal
 * asks for what it needs, `disk` or `crm` included), even where b24im has no method in it yet.
 */
export const KNOWN_SCOPES = [
  ...SERVED_SCOPES,
  'ai_admin', 'biconnector', 'bizproc', 'booking', 'calendar', 'calendarmobile', 'call', 'cashbox', 'catalog',
  'catalogmobile', 'configuration.import', 'contact_center', 'crm', 'delivery', 'department', 'disk',
  'documentgenerator', 'entity', 'faceid', 'forum', 'humanresources.hcmlink', 'iblock', 'im.import', 'imopenlines',
  'intranet', 'landing', 'landing_cloud', 'lists', 'log', 'mailservice', 'main', 'messageservice', 'mobile',
  'notifications', 'pay_system', 'pull', 'pull_channel', 'rating', 'rpa', 'sale', 'salescenter', 'sign.b2e', 'smile',
  'socialnetwork', 'sonet_group', 'task', 'tasks', 'tasks_extended', 'tasksmobile', 'telephony', 'timeman',
  'user.userfield', 'user_brief', 'userconsent', 'userfieldconfig', 'vote',
].filter((s, i, all) => all.indexOf(s) === i);

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
