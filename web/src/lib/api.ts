// The REST client: every call is a JSON POST to /rest/METHOD with the access token as `auth`, or to the webhook's
// URL. Nothing here is private to this server: it is what any Bitrix24 REST client sends.

export type Credential = { kind: 'token'; token: string } | { kind: 'webhook'; path: string };

export class ApiError extends Error {
  constructor(
    readonly code: string,
    readonly description: string,
    /** HTTP status; 0 when the server could not be reached. */
    readonly status: number,
  ) {
    super(description || code);
  }

  /** The credential itself is wrong or gone: signing in again is the only fix. */
  get isAuth(): boolean {
    return ['NO_AUTH_FOUND', 'INVALID_CREDENTIALS', 'invalid_token', 'expired_token', 'insufficient_scope'].includes(this.code);
  }
}

export interface Answer<T> {
  result: T;
  /** Server time when the call started (ATOM, portal zone): the next LAST_SYNC_DATE. */
  dateStart?: string;
  /** List methods: the `start` of the next page, when there is one. */
  next?: number;
}

/**
 * Sign-out: the server revokes the access token (and its refresh token) at once (b24im's /oauth/revoke). A webhook
 * is the portal administrator's to delete (b24im webhook delete), so nothing is sent for one.
 */
export async function revoke(credential: Credential): Promise<void> {
  if (credential.kind !== 'token') return;
  await fetch('/oauth/revoke', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ token: credential.token }),
  }).catch(() => {});
}

const WEBHOOK_PATH = /^\/rest\/\d+\/[^/]+\/?$/;
const TOKEN = /^[0-9a-f]{16,128}$/i;

/** A token or a webhook URL (any host: only its path is used, since this page is served by the same server). */
export function parseCredential(input: string, origin = location.origin): Credential | undefined {
  const text = input.trim();
  if (TOKEN.test(text)) return { kind: 'token', token: text.toLowerCase() };
  let url: URL;
  try {
    url = new URL(text, origin);
  } catch {
    return undefined;
  }
  if (!WEBHOOK_PATH.test(url.pathname)) return undefined;
  return { kind: 'webhook', path: url.pathname.endsWith('/') ? url.pathname : `${url.pathname}/` };
}

export class Api {
  constructor(readonly credential: Credential) {}

  async call<T>(method: string, params: Record<string, unknown> = {}): Promise<Answer<T>> {
    const c = this.credential;
    const url = c.kind === 'webhook' ? `${c.path}${method}` : `/rest/${method}`;
    const body = c.kind === 'token' ? { ...params, auth: c.token } : params;
    let res: Response;
    try {
      res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify(body),
        cache: 'no-store',
      });
    } catch {
      throw new ApiError('NETWORK_ERROR', 'The server cannot be reached', 0);
    }
    let json: any;
    try {
      json = await res.json();
    } catch {
      throw new ApiError('BAD_RESPONSE', `The server answered ${res.status} without JSON`, res.status);
    }
    if (json && typeof json.error === 'string') throw new ApiError(json.error, json.error_description ?? '', res.status);
    if (!res.ok || !json || !('result' in json)) throw new ApiError('BAD_RESPONSE', `Unexpected answer (${res.status})`, res.status);
    return { result: json.result as T, dateStart: json.time?.date_start, next: typeof json.next === 'number' ? json.next : undefined };
  }

  async result<T>(method: string, params: Record<string, unknown> = {}): Promise<T> {
    return (await this.call<T>(method, params)).result;
  }

  /**
   * Uploads a file into a folder the documented two-step way (disk.folder.uploadFile without fileContent gives an
   * uploadUrl; the file goes there as a multipart form), reporting progress; returns the new file's id.
   */
  async uploadFile(folderId: number, file: File, onProgress: (fraction: number) => void): Promise<number> {
    const step = await this.result<{ field: string; uploadUrl: string }>('disk.folder.uploadFile', { id: folderId });
    // This page is served by the same server: only the path and query are used (connect-src 'self').
    const url = new URL(step.uploadUrl, location.origin);
    return new Promise((resolve, reject) => {
      const xhr = new XMLHttpRequest();
      xhr.open('POST', url.pathname + url.search);
      xhr.responseType = 'json';
      xhr.upload.onprogress = (e) => {
        if (e.lengthComputable) onProgress(e.loaded / e.total);
      };
      xhr.onload = () => {
        const json = xhr.response as { result?: { ID: number }; error?: string; error_description?: string } | null;
        if (json?.error) reject(new ApiError(json.error, json.error_description ?? '', xhr.status));
        else if (xhr.status !== 200 || !json?.result) reject(new ApiError('BAD_RESPONSE', `Unexpected answer (${xhr.status})`, xhr.status));
        else resolve(json.result.ID);
      };
      xhr.onerror = () => reject(new ApiError('NETWORK_ERROR', 'The server cannot be reached', 0));
      const form = new FormData();
      form.append(step.field, file, file.name);
      xhr.send(form);
    });
  }
}
