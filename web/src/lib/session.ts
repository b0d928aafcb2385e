// Where the credential comes from and where it is kept: a login link's fragment (#token=... or #webhook=...),
// the sign-in form, and localStorage between visits. The fragment is removed from the address bar at once.
import { parseCredential, type Credential } from './api';

const KEY = 'b24im.credential';

export function takeFromFragment(): Credential | undefined {
  const hash = location.hash.replace(/^#/, '');
  if (!hash) return undefined;
  const params = new URLSearchParams(hash);
  const raw = params.get('token') ?? params.get('webhook');
  if (raw === null) return undefined;
  history.replaceState(null, '', location.pathname + location.search);
  return parseCredential(raw);
}

export function load(): Credential | undefined {
  try {
    const saved = JSON.parse(localStorage.getItem(KEY) ?? 'null');
    if (saved?.kind === 'token' && typeof saved.token === 'string') return saved;
    if (saved?.kind === 'webhook' && typeof saved.path === 'string') return saved;
  } catch {
    // A damaged entry is the same as none.
  }
  return undefined;
}

export function save(c: Credential): void {
  localStorage.setItem(KEY, JSON.stringify(c));
}

export function clear(): void {
  localStorage.removeItem(KEY);
}
