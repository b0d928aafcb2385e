// Slow clients and connection floods: a client trickling its headers is cut off at the headers deadline, silent
// sockets are closed at the idle deadline, connections beyond the cap are closed at once, and the server keeps
// answering afterwards.
import assert from 'node:assert/strict';
import net from 'node:net';
import { after, before, describe, it } from 'node:test';
import { ok, startServer, type TestServer } from './helpers/server.ts';

const HEADERS_TIMEOUT_MS = 1000;
const IDLE_TIMEOUT_MS = 1500;
const MAX_CONNECTIONS = 20;
/** Far beyond the deadlines (a loaded machine), far below node's own defaults (60 s headers, 30 s checks). */
const SLACK_MS = 12_000;

function within<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout;
  const deadline = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what} not within ${ms} ms`)), ms)));
  return Promise.race([p, deadline]).finally(() => clearTimeout(timer));
}

interface Probe {
  socket: net.Socket;
  opened: number;
  /** Resolves with the time the server closed the socket and what it wrote before. */
  closed: Promise<{ at: number; data: string }>;
}

const opened: net.Socket[] = [];

function connect(url: string): Promise<Probe> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(port), hostname);
    opened.push(socket);
    let data = '';
    socket.setEncoding('utf8');
    socket.on('data', (c: string) => (data += c));
    const closed = new Promise<{ at: number; data: string }>((done) => socket.once('close', () => done({ at: Date.now(), data })));
    socket.once('error', () => {});
    socket.once('connect', () => resolve({ socket, opened: Date.now(), closed }));
    socket.once('error', reject);
  });
}

describe('connections: slow clients and floods', () => {
  let srv: TestServer;
  let hook: string;
  before(async () => {
    srv = await startServer({
      env: {
        B24IM_HEADERS_TIMEOUT_MS: String(HEADERS_TIMEOUT_MS),
        B24IM_IDLE_TIMEOUT_MS: String(IDLE_TIMEOUT_MS),
        B24IM_MAX_CONNECTIONS: String(MAX_CONNECTIONS),
      },
    });
    hook = await srv.webhook(1);
  });
  after(async () => {
    for (const s of opened) s.destroy();
    await srv.cleanup();
  });

  it('a client trickling its headers is answered 408 and closed at the headers deadline', async () => {
    const probe = await connect(srv.url);
    probe.socket.write('GET /rest/server.time HTTP/1.1\r\nHost: x\r\n');
    // One header byte every 100 ms keeps the socket busy, so only the headers deadline can end it.
    const timer = setInterval(() => probe.socket.writable && probe.socket.write('X'), 100);
    const { at, data } = await within(probe.closed, HEADERS_TIMEOUT_MS + SLACK_MS, 'the trickling socket closed').finally(() => clearInterval(timer));
    assert.ok(at - probe.opened >= HEADERS_TIMEOUT_MS - 50, `closed after ${at - probe.opened} ms`);
    assert.match(data, /^HTTP\/1\.1 408 /);
    assert.match(data, /"error":"INVALID_REQUEST"/);
  });

  it('a flood of silent connections: the ones beyond the cap are closed at once, the rest at the idle deadline, then the server answers', async () => {
    const probes = await Promise.all(Array.from({ length: MAX_CONNECTIONS + 15 }, () => connect(srv.url)));
    const results = await within(Promise.all(probes.map((p) => p.closed.then((c) => c.at - p.opened))), IDLE_TIMEOUT_MS + SLACK_MS, 'every silent socket closed');
    const early = results.filter((ms) => ms < HEADERS_TIMEOUT_MS - 50).length;
    assert.ok(early >= 15, `${early} connections were refused at once`);
    assert.ok(early < results.length, 'connections within the cap are kept until a deadline');
    // Every socket is gone and the server answers a normal call.
    const time = await ok(hook, 'server.time');
    assert.equal(typeof time, 'string');
  });
});
