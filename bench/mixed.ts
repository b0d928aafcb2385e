// The mixed scenario of npm run bench (#18): ten users' im.recent.get in rotation, every tenth request an
// im.message.add from the first of them into a dialog with one of the nine others (so it changes two of the ten
// lists). Every read that starts after a write's answer arrived must show that write: the read's expectation is
// taken when it is sent and checked against its body, so a stale answer is counted, never hidden by load.
import type { Request } from 'autocannon';
import { createApp } from '../src/app/index.ts';
import { loadConfig } from '../src/config.ts';
import { openStore } from '../src/store/open.ts';
import { isUrl } from './datasets.ts';

/** The mixed plan's reads alone: its ten lists in rotation (the load beside a measured write). */
export function readersOnly(requests: Request[]): Request[] {
  const [request] = requests as any[];
  return [{ ...request, setupRequest: (req: any, ctx: any) => request.setupRequest(req, ctx, true) }] as Request[];
}

export interface MixedPlan {
  requests: Request[];
  /** Reads whose answer was checked against earlier writes, and those that missed one. */
  stats(): { reads: number; writes: number; checked: number; stale: number; readBytes: number };
}

/** The typical user and the peers of their nine most recent dialogs, each with a webhook on the server. */
export async function mixedPlan(db: string, typicalUserId: number): Promise<MixedPlan> {
  const config = loadConfig({ dbPath: isUrl(db) ? undefined : db, databaseUrl: isUrl(db) ? db : undefined });
  const store = await openStore({ dbPath: config.dbPath, databaseUrl: config.databaseUrl });
  const peers: { userId: number; chatId: number }[] = [];
  const hooks = new Map<number, string>();
  try {
    const app = await createApp(store, config);
    const rows = await store.kysely
      .selectFrom('members')
      .select(['item_id', 'chat_id'])
      .where('user_id', '=', typicalUserId)
      .where('item_type', '=', 'P')
      .where('item_id', '!=', typicalUserId)
      .orderBy('date_update', 'desc')
      .limit(9)
      .execute();
    for (const r of rows) peers.push({ userId: r.item_id, chatId: r.chat_id });
    for (const id of [typicalUserId, ...peers.map((p) => p.userId)]) {
      hooks.set(id, `/rest/${id}/${(await app.auth.createWebhook(id, ['im'])).code}/`);
    }
  } finally {
    await store.close();
  }
  const readers = [typicalUserId, ...peers.map((p) => p.userId)];
  /** Per user: chat id -> the newest message id whose im.message.add has answered. */
  const confirmed = new Map<number, Map<number, number>>(readers.map((u) => [u, new Map()]));
  let n = 0;
  let reads = 0;
  let writes = 0;
  let checked = 0;
  let stale = 0;
  let readBytes = 0;
  const typicalHook = hooks.get(typicalUserId)!;

  interface Context {
    write?: { chatId: number; users: number[] };
    expect?: [number, number][];
  }

  const request: Request = {
    method: 'GET',
    path: '/',
    setupRequest(req: any, ctx: Context, readsOnly = false) {
      const k = n++;
      if (k % 10 === 9 && !readsOnly) {
        const peer = peers[Math.floor(k / 10) % peers.length];
        ctx.write = { chatId: peer.chatId, users: [typicalUserId, peer.userId] };
        ctx.expect = undefined;
        return { ...req, method: 'POST', path: `${typicalHook}im.message.add`, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ DIALOG_ID: String(peer.userId), MESSAGE: `mixed ${k}` }) };
      }
      const user = readers[(k - Math.floor(k / 10)) % readers.length];
      ctx.write = undefined;
      ctx.expect = [...confirmed.get(user)!];
      return { ...req, method: 'GET', path: `${hooks.get(user)}im.recent.get`, headers: {}, body: undefined };
    },
    onResponse(status: number, body: string, ctx: Context) {
      if (status !== 200) return;
      if (ctx.write) {
        writes++;
        const id = Number(/"result":(\d+)/.exec(body)?.[1] ?? 0);
        for (const u of ctx.write.users) {
          const seen = confirmed.get(u)!;
          if ((seen.get(ctx.write.chatId) ?? 0) < id) seen.set(ctx.write.chatId, id);
        }
        return;
      }
      reads++;
      readBytes += body.length;
      for (const [chatId, id] of ctx.expect ?? []) {
        checked++;
        const at = body.indexOf(`"chat_id":${chatId},`);
        const m = at < 0 ? null : /"message":\{"id":(\d+)/.exec(body.slice(at, at + 4000));
        if (!m || Number(m[1]) < id) stale++;
      }
    },
  } as Request;

  return {
    requests: [request],
    stats: () => ({ reads, writes, checked, stale, readBytes }),
  };
}
