// Long polling, the official client's fallback when WebSockets are blocked: GET /bitrix/sub/ with the same query as
// the WebSocket. The request is held until a message for the subscriber arrives (200 with the frames) or the hold
// time ends (304 with the portal's marker `Expires: Thu, 01 Jan 1973 11:11:01 GMT` and `Last-Message-Id`, the
// point the next request resumes from). Each request resumes after `mid`, so nothing falls between two requests.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { App } from '../../app/index.ts';
import { idOfMid, midOf, type PullConnection, type PullDelivery } from '../../app/pull/hub.ts';
import { SUBSCRIBE_LP_PATH } from '../../app/pull/config.ts';
import { encodeFrame, framingOf } from './framing.ts';
import { subscriberOf } from './websocket.ts';

const NOTHING_NEW_EXPIRES = 'Thu, 01 Jan 1973 11:11:01 GMT';
/** At most this long, and below the server's idle-socket timeout (a held request sends nothing meanwhile). */
const HOLD_MS = 40_000;

export function registerPullLongPolling(server: FastifyInstance, app: App): void {
  const holdMs = Math.max(1000, Math.min(HOLD_MS, app.config.connections.idleTimeoutMs - 5000));

  const handler = async (req: FastifyRequest, reply: FastifyReply) => {
    const url = new URL(req.raw.url ?? '/', 'http://localhost');
    // Cross-origin pages may poll (the channel id in the URL is the credential, as on a portal's push server).
    reply.header('access-control-allow-origin', '*').header('access-control-expose-headers', 'Last-Message-Id').header('cache-control', 'no-store');
    const sub = await subscriberOf(app, url.searchParams);
    if (!sub) return reply.code(400).type('text/plain').send('Wrong channel id');
    const refused = app.pull.hub.refusal(sub.userId, sub.channelType);
    if (refused) return reply.code(429).type('text/plain').send(refused);
    const framing = framingOf(url.searchParams);
    const from = idOfMid(url.searchParams.get('mid')) ?? app.pull.hub.position;

    // Where the next request may resume: `from` until this one's replay is done, then as far as the hub has read
    // (everything for this subscriber up to there was delivered by then, which ends the request with a 200).
    let resumable = from;
    const batch = await new Promise<PullDelivery[] | undefined>((resolve) => {
      let done = false;
      const finish = (list: PullDelivery[] | undefined) => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        req.raw.off('close', onClose);
        app.pull.hub.detach(conn);
        resolve(list);
      };
      const conn: PullConnection = { userId: sub.userId, channelType: sub.channelType, deliver: (list) => list.length && finish(list) };
      const onClose = () => finish(undefined);
      const timer = setTimeout(() => finish(undefined), holdMs);
      req.raw.on('close', onClose);
      void app.pull.hub.attach(conn, from).then(() => {
        if (!done) resumable = Math.max(from, app.pull.hub.position);
      });
    });
    if (reply.raw.destroyed) return reply;
    if (batch?.length) {
      const frame = encodeFrame(framing, batch);
      return reply.code(200).type(framing === 'protobuf' ? 'application/octet-stream' : 'text/plain; charset=utf-8').send(frame);
    }
    return reply.code(304).header('expires', NOTHING_NEW_EXPIRES).header('last-message-id', midOf(resumable, Math.floor(Date.now() / 1000))).send();
  };

  server.get(SUBSCRIBE_LP_PATH, handler);
}
