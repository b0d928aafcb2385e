// The pieces of an event as a portal posts it: auth blocks and PHP-style string-only data.
import type { AppRow } from '../../store/store.ts';
import type { IssuedToken } from '../auth.ts';

/** Form data: every leaf is a string, as PHP's http_build_query sends it. */
export type FormData = { [key: string]: string | FormData };

export interface PortalIdentity {
  publicUrl: string;
  memberId: string;
}

/** A value as PHP prints it into a form: true "1"... but the im module writes its flags as Y/N itself. */
export function formValue(v: unknown): string | FormData {
  if (v === null || v === undefined || v === false) return '';
  if (v === true) return '1';
  if (typeof v === 'object') {
    const out: FormData = {};
    for (const [k, item] of Object.entries(v as Record<string, unknown>)) out[k] = formValue(item);
    return out;
  }
  return String(v);
}

export function formData(v: Record<string, unknown>): FormData {
  return formValue(v) as FormData;
}

/** The `auth` block a portal sends with an event or an installation (keys in the portal's order). */
export function authBlock(token: IssuedToken, app: AppRow, portal: PortalIdentity, withClientId: boolean): FormData {
  const rest = `${portal.publicUrl}/rest/`;
  const block: FormData = {
    access_token: token.access_token,
    expires: String(token.expires),
    expires_in: String(token.expires_in),
    scope: token.scope,
    domain: new URL(portal.publicUrl).host,
    server_endpoint: rest,
    status: 'L',
    client_endpoint: rest,
    member_id: portal.memberId,
    user_id: String(token.user_id),
    refresh_token: token.refresh_token,
  };
  if (withClientId) block.client_id = app.client_id;
  block.application_token = app.application_token;
  return block;
}

/**
 * The `auth` block of an event for a webhook's bot (DECISIONS 18): where the portal is and the application token
 * to check, but no OAuth tokens, as a portal sends it to webhook integrations (they call back through their webhook).
 */
export function webhookAuthBlock(app: AppRow, portal: PortalIdentity): FormData {
  const rest = `${portal.publicUrl}/rest/`;
  return {
    domain: new URL(portal.publicUrl).host,
    client_endpoint: rest,
    server_endpoint: rest,
    member_id: portal.memberId,
    application_token: app.application_token,
  };
}

/** The data[BOT][id] entry: the bot's own auth block, again as AUTH, then BOT_ID and BOT_CODE. */
export function botBlock(token: IssuedToken | undefined, app: AppRow, portal: PortalIdentity, bot: { id: number; code: string }): FormData {
  const auth = token ? authBlock(token, app, portal, true) : webhookAuthBlock(app, portal);
  return { ...auth, AUTH: { ...auth }, BOT_ID: String(bot.id), BOT_CODE: bot.code };
}
