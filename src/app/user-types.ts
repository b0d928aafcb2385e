// Kinds of "external" users a portal keeps apart from employees (external_auth_id values): bots, e-mail and
// open-line guests, connectors' users and the platform's technical accounts. Member lists can leave them out.
export const EXTERNAL_USER_TYPES = [
  'bot', 'email', 'imconnector', 'network', 'replica', '__controller', 'sale', 'saleanonymous', 'shop', 'call',
  'document_editor', 'calendar_sharing',
] as const;

/**
 * The external types a list leaves out: none unless SKIP_EXTERNAL is 'Y' or SKIP_EXTERNAL_EXCEPT_TYPES is given
 * (a comma-separated list of types kept anyway), as the portal's member lists read those two parameters.
 */
export function skippedUserTypes(skipExternal: string | undefined, exceptTypes: string | undefined): string[] {
  if (skipExternal !== 'Y' && exceptTypes === undefined) return [];
  const kept = new Set((exceptTypes ?? '').split(',').map((t) => t.trim()).filter(Boolean));
  return EXTERNAL_USER_TYPES.filter((t) => !kept.has(t));
}
