// A stand-in for an application's event handler: records every POST (decoded like PHP's $_POST) and answers
// what the test tells it to.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import qs from 'qs';
import type { TestServer } from './server.ts';

export interface Received {
  path: string;
  headers: http.IncomingHttpHeaders;
  raw: string;
  body: any;
}

export type Responder = (req: Received, index: number) => number | Promise<number>;

export class HandlerServer {
  readonly received: Received[] = [];
  private waiters: { pred: (r: Received) => boolean; resolve: (r: Received) => void }[] = [];
  respond: Responder = () => 200;

  private constructor(
    private readonly server: http.Server,
    readonly url: string,
  ) {}

  static async start(port = 0): Promise<HandlerServer> {
    let self: HandlerServer | undefined;
    const server = http.createServer((req, res) => {
      let raw = '';
      req.setEncoding('utf8');
      req.on('data', (c: string) => (raw += c));
      req.on('end', async () => {
        const got: Received = { path: req.url ?? '/', headers: req.headers, raw, body: qs.parse(raw, { depth: 10, parseArrays: false }) };
        const index = self!.received.push(got) - 1;
        self!.waiters = self!.waiters.filter((w) => {
          if (!w.pred(got)) return true;
          w.resolve(got);
          return false;
        });
        const status = await self!.respond(got, index);
        res.writeHead(status, { 'content-type': 'text/plain' }).end(status < 300 ? 'OK' : 'broken');
      });
    });
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    const { port: actual } = server.address() as AddressInfo;
    self = new HandlerServer(server, `http://127.0.0.1:${actual}/handler`);
    return self;
  }

  /** The first request (already received or coming) that matches. */
  waitFor(pred: (r: Received) => boolean, timeoutMs = 10_000): Promise<Received> {
    const have = this.received.find(pred);
    if (have) return Promise.resolve(have);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`handler: no matching request in ${timeoutMs} ms (got ${this.received.length})`)), timeoutMs);
      this.waiters.push({
        pred,
        resolve: (r) => {
          clearTimeout(timer);
          resolve(r);
        },
      });
    });
  }

  count(pred: (r: Received) => boolean): number {
    return this.received.filter(pred).length;
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.server.closeAllConnections();
      this.server.close(() => resolve());
    });
  }
}

/** Every leaf of a decoded form is a string, as a portal sends it. */
export function allStrings(value: unknown): boolean {
  if (typeof value === 'string') return true;
  if (value && typeof value === 'object') return Object.values(value).every(allStrings);
  return false;
}

export async function until<T>(fn: () => Promise<T | undefined | false>, timeoutMs = 10_000, stepMs = 100): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, stepMs));
  }
}

/** b24im app add: a local application whose handler URL is `handler`. */
export async function addApp(srv: TestServer, code: string, handler: string, scope = 'im,imbot'): Promise<any> {
  return srv.cliJson(['app', 'add', '--db', srv.dbPath, '--code', code, '--scope', scope, '--handler', handler]);
}

/** b24im app install: ONAPPINSTALL to the handler, first attempt made by the CLI. */
export async function install(srv: TestServer, code: string, user = 1): Promise<any> {
  return srv.cliJson(['app', 'install', '--db', srv.dbPath, '--code', code, '--user', String(user)]);
}
