// The Push & Pull subscription endpoint: GET /bitrix/subws/ upgraded to a WebSocket on b24im's own HTTP and HTTPS
// ports. The URL names the subscriber (signed CHANNEL_ID or a protocol 5 token) and the framing; `mid` resumes
// after the client's last message. A bad or expired channel is closed with 4010, which makes the official client
// fetch a new config; every other close makes it reconnect with the same one.
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { WebSocketServer, type WebSocket } from 'ws';
import type { App } from '../../app/index.ts';
import { idOfMid, type PullConnection, type PullDelivery } from '../../app/pull/hub.ts';
import type { Subscriber } from '../../app/pull/channels.ts';
import { encodeFrame, framingOf, type Framing } from './framing.ts';

export const SUBSCRIBE_PATH = '/bitrix/subws/';
/** The close codes the official client reacts to. */
export const CLOSE_WRONG_CHANNEL = 4010;
export const CLOSE_TOO_MANY = 4029;
/** JSON-RPC clients expect an application "ping" at least every 20 s; the others get WebSocket pings. */
const JSON_RPC_PING_MS = 10_000;
const WS_PING_MS = 60_000;
/** A client this far behind (bytes queued) is dropped; it reconnects and replays from its last message id. */
const MAX_BUFFERED = 8 * 1024 * 1024;
const MAX_INCOMING = 64 * 1024;

export async function subscriberOf(app: App, query: URLSearchParams): Promise<Subscriber | undefined> {
  const token = query.get('token');
  if (token) return app.pull.channels.fromJwt(token);
  const channels = query.get('CHANNEL_ID');
  if (channels) return app.pull.channels.fromChannelIds(channels);
  return undefined;
}

class SocketConnection implements PullConnection {
  alive = true;

  constructor(
    readonly userId: number,
    readonly channelType: string,
    private readonly ws: WebSocket,
    readonly framing: Framing,
  ) {}

  deliver(batch: PullDelivery[]): void {
    if (batch.length === 0 || this.ws.readyState !== this.ws.OPEN) return;
    if (this.ws.bufferedAmount > MAX_BUFFERED) {
      this.ws.terminate();
      return;
    }
    this.ws.send(encodeFrame(this.framing, batch), { binary: this.framing === 'protobuf' });
  }
}

/** JSON-RPC requests the client may send (publish, listChannels ...): answered "method not found". */
function answerRpc(ws: WebSocket, text: string): void {
  let req: unknown;
  try {
    req = JSON.parse(text);
  } catch {
    return;
  }
  const calls = Array.isArray(req) ? req : [req];
  const answers = calls
    .filter((c): c is { id: unknown; method?: unknown } => typeof c === 'object' && c !== null && 'id' in c && 'method' in c)
    .map((c) => ({ jsonrpc: '2.0', id: c.id, error: { code: -32601, message: 'Method not found' } }));
  if (answers.length) ws.send(JSON.stringify(answers.length === 1 ? answers[0] : answers));
}

export function registerPullWebSocket(server: FastifyInstance, app: App): void {
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_INCOMING, perMessageDeflate: false, clientTracking: true });
  const connections = new Map<WebSocket, SocketConnection>();

  const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname !== SUBSCRIBE_PATH && url.pathname !== SUBSCRIBE_PATH.slice(0, -1)) {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    socket.on('error', () => socket.destroy());
    subscriberOf(app, url.searchParams).then(
      (sub) => {
        wss.handleUpgrade(req, socket, head, (ws) => {
          if (!sub) {
            ws.close(CLOSE_WRONG_CHANNEL, 'Wrong channel id');
            return;
          }
          const refused = app.pull.hub.refusal(sub.userId, sub.channelType);
          if (refused) {
            ws.close(CLOSE_TOO_MANY, refused);
            return;
          }
          accept(ws, sub, url.searchParams);
        });
      },
      (err) => {
        server.log.error({ err }, 'pull: cannot check a subscription');
        socket.end('HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      },
    );
  };

  const accept = (ws: WebSocket, sub: Subscriber, query: URLSearchParams) => {
    const conn = new SocketConnection(sub.userId, sub.channelType, ws, framingOf(query));
    connections.set(ws, conn);
    ws.on('pong', () => (conn.alive = true));
    ws.on('message', (data, isBinary) => {
      conn.alive = true;
      if (isBinary || conn.framing !== 'jsonrpc') return;
      const text = data.toString();
      if (text === 'pong' || text.startsWith('mack:')) return;
      answerRpc(ws, text);
    });
    ws.on('error', () => ws.terminate());
    ws.on('close', () => {
      connections.delete(ws);
      app.pull.hub.detach(conn);
    });
    void app.pull.hub.attach(conn, idOfMid(query.get('mid')));
  };

  // One timer for every socket: JSON-RPC clients get their "ping" text, the others WebSocket pings; a socket that
  // answered nothing since the last round is dropped.
  let tick = 0;
  const heartbeat = setInterval(() => {
    tick++;
    const wsRound = tick % Math.round(WS_PING_MS / JSON_RPC_PING_MS) === 0;
    for (const [ws, conn] of connections) {
      if (conn.framing === 'jsonrpc') {
        ws.send('ping');
        if (!wsRound) continue;
      } else if (!wsRound) continue;
      if (!conn.alive) {
        ws.terminate();
        continue;
      }
      conn.alive = false;
      ws.ping();
    }
  }, JSON_RPC_PING_MS);
  heartbeat.unref();

  server.server.on('upgrade', onUpgrade);
  server.addHook('preClose', async () => {
    clearInterval(heartbeat);
    server.server.off('upgrade', onUpgrade);
    // The client reconnects (with its last message id) to whichever node is up.
    for (const ws of connections.keys()) ws.close(1001, 'Server shutting down');
    wss.close();
  });
}
