// A small Push & Pull client, compatible with the server the official SDK's pull client talks to: it reads
// pull.config.get, opens the subscription WebSocket on this page's own host with the signed channels, reads the
// text framing (#!NGINXNMS!#{…}#!NGINXNME!#), and resumes after its last message id (`mid`) when it reconnects.
// A close with 4010 (channel expired or refused) fetches a new config first. The caller polls only while this
// reports itself disconnected.
import type { Api } from './api';

export interface PullEvent {
  moduleId: string;
  command: string;
  params: Record<string, any>;
}

interface PullConfig {
  server: { websocket: string; websocket_secure: string };
  channels: { private?: { id: string; end: string }; shared?: { id: string; end: string } };
}

const WRONG_CHANNEL = 4010;
/** Reconnect delays (ms) by attempt; the last one repeats. */
const DELAYS = [500, 1000, 3000, 10_000, 30_000];

export interface PullOptions {
  onEvent(e: PullEvent): void;
  /** true once connected, false when the socket is gone (the caller falls back to polling). */
  onStatus(connected: boolean): void;
}

export function createPull(api: Api, opts: PullOptions) {
  let config: PullConfig | undefined;
  let socket: WebSocket | undefined;
  let mid = '';
  let attempt = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let stopped = true;
  const seen: string[] = [];

  function channelsExpired(c: PullConfig): boolean {
    const ends = [c.channels.private?.end, c.channels.shared?.end].filter(Boolean).map((e) => Date.parse(e!));
    return ends.some((end) => end - 60_000 < Date.now());
  }

  function urlOf(c: PullConfig): string {
    // The page's own origin: the server that served this page also serves the subscription.
    const advertised = new URL(location.protocol === 'https:' ? c.server.websocket_secure : c.server.websocket);
    const url = new URL(advertised.pathname, location.href);
    url.protocol = location.protocol === 'https:' ? 'wss:' : 'ws:';
    const ids = [c.channels.private?.id, c.channels.shared?.id].filter(Boolean).join('/');
    url.searchParams.set('CHANNEL_ID', ids);
    if (mid) url.searchParams.set('mid', mid);
    url.searchParams.set('revision', '19');
    return url.toString();
  }

  function onFrame(text: string): void {
    for (const m of text.matchAll(/#!NGINXNMS!#(.*?)#!NGINXNME!#/gs)) {
      let msg: { mid?: string; text?: { module_id?: string; command?: string; params?: Record<string, any> } };
      try {
        msg = JSON.parse(m[1]);
      } catch {
        continue;
      }
      if (msg.mid) {
        if (seen.includes(msg.mid)) continue;
        seen.push(msg.mid);
        if (seen.length > 50) seen.shift();
        mid = msg.mid;
      }
      const body = msg.text;
      if (body?.command) opts.onEvent({ moduleId: String(body.module_id ?? '').toLowerCase(), command: body.command, params: body.params ?? {} });
    }
  }

  async function connect(): Promise<void> {
    if (stopped) return;
    try {
      if (!config || channelsExpired(config)) config = await api.result<PullConfig>('pull.config.get', { CACHE: 'N' });
    } catch {
      return retry();
    }
    if (stopped) return;
    const ws = new WebSocket(urlOf(config));
    socket = ws;
    ws.onopen = () => {
      attempt = 0;
      opts.onStatus(true);
    };
    ws.onmessage = (e) => {
      if (typeof e.data === 'string') onFrame(e.data);
    };
    ws.onclose = (e) => {
      if (socket !== ws) return;
      socket = undefined;
      opts.onStatus(false);
      if (e.code === WRONG_CHANNEL) config = undefined;
      retry();
    };
  }

  function retry(): void {
    if (stopped) return;
    clearTimeout(timer);
    timer = setTimeout(() => void connect(), DELAYS[Math.min(attempt++, DELAYS.length - 1)]);
  }

  return {
    start(): void {
      if (!stopped) return;
      stopped = false;
      void connect();
    },
    stop(): void {
      stopped = true;
      clearTimeout(timer);
      const ws = socket;
      socket = undefined;
      ws?.close();
    },
  };
}
