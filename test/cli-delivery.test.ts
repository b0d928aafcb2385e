// Commands that deliver an event themselves (app install) give up after the delivery timeout whatever the handler
// does: never answering, sending its headers slowly, a slow body, an endless body. The failed attempt is printed
// and logged, and the command exits.
import assert from 'node:assert/strict';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { ok, startServer, type TestServer } from './helpers/server.ts';
import { addApp } from './helpers/handler.ts';

const TIMEOUT_MS = 1500;

type Behaviour = (socket: net.Socket) => void;

const behaviours: Record<string, Behaviour> = {
  // Accepts the connection, reads the request, never answers.
  silent: (s) => s.on('data', () => {}),
  // Starts the status line, then a header byte every 300 ms, forever.
  slowheaders: (s) => {
    s.once('data', () => {
      s.write('HTTP/1.1 200 OK\r\n');
      const t = setInterval(() => s.write('X-Slow: 1\r\n'), 300);
      s.on('close', () => clearInterval(t));
    });
  },
  // Headers at once, then a body byte every 300 ms, never complete.
  slowbody: (s) => {
    s.once('data', () => {
      s.write('HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n');
      const t = setInterval(() => s.write('x'), 300);
      s.on('close', () => clearInterval(t));
    });
  },
  // Headers at once, then a chunked body that never ends, a little at a time.
  endless: (s) => {
    s.once('data', () => {
      s.write('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n');
      const t = setInterval(() => s.write('4\r\nmore\r\n'), 50);
      s.on('close', () => clearInterval(t));
    });
  },
};

describe('commands that deliver events themselves', () => {
  let srv: TestServer;
  const servers: net.Server[] = [];
  const ports: Record<string, number> = {};

  before(async () => {
    srv = await startServer();
    for (const [name, behave] of Object.entries(behaviours)) {
      const server = net.createServer((s) => {
        s.on('error', () => {});
        behave(s);
      });
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      servers.push(server);
      ports[name] = (server.address() as AddressInfo).port;
      await addApp(srv, name, `http://127.0.0.1:${ports[name]}/handler`);
    }
  });
  after(async () => {
    for (const s of servers) s.close();
    await srv.cleanup();
  });

  it(`app install gives up after B24IM_EVENT_TIMEOUT_MS on every handler behaviour`, async () => {
    const runs = await Promise.all(
      Object.keys(behaviours).map(async (code) => {
        const started = Date.now();
        const r = await srv.cli(['app', 'install', '--db', srv.dbPath, '--code', code, '--user', '1'], { B24IM_EVENT_TIMEOUT_MS: String(TIMEOUT_MS) });
        return { code, r, ms: Date.now() - started };
      }),
    );
    for (const { code, r, ms } of runs) {
      assert.equal(r.code, 0, `${code}: ${r.stderr}`);
      const out = JSON.parse(r.stdout);
      assert.equal(out.installed, true);
      assert.equal(out.events.length, 1, code);
      assert.equal(out.events[0].ok, false, code);
      assert.equal(out.events[0].error, 'timeout', code);
      // The deadline plus the command's own start and stop (generous: the machine may be loaded).
      assert.ok(ms < TIMEOUT_MS + 20_000, `${code}: took ${ms} ms`);
      const log = await srv.cliJson(['event', 'log', '--db', srv.dbPath, '--app', code]);
      assert.equal(log.length, 1, code);
      assert.equal(log[0].event, 'ONAPPINSTALL');
      assert.equal(log[0].ok, 0);
      assert.equal(log[0].error, 'timeout');
      assert.ok(log[0].duration_ms >= TIMEOUT_MS - 50 && log[0].duration_ms < TIMEOUT_MS + 2000, `${code}: attempt took ${log[0].duration_ms} ms`);
    }
  });

  it('app update and app uninstall give up the same way (a silent handler bound to ONAPPUPDATE / ONAPPUNINSTALL)', async () => {
    const token = (await srv.cliJson(['token', 'add', '--db', srv.dbPath, '--user', '1', '--app', 'silent'])).access_token;
    for (const event of ['ONAPPUPDATE', 'ONAPPUNINSTALL']) {
      await ok(`${srv.url}/rest/`, 'event.bind', { auth: token, event, handler: `http://127.0.0.1:${ports.silent}/${event}` });
    }
    for (const args of [['update'], ['uninstall']]) {
      const r = await srv.cli(['app', ...args, '--db', srv.dbPath, '--code', 'silent'], { B24IM_EVENT_TIMEOUT_MS: String(TIMEOUT_MS) });
      assert.equal(r.code, 0, r.stderr);
      const out = JSON.parse(r.stdout);
      assert.deepEqual(out.events.map((e: any) => [e.ok, e.error]), [[false, 'timeout']], args[0]);
    }
    const log = await srv.cliJson(['event', 'log', '--db', srv.dbPath, '--app', 'silent']);
    assert.deepEqual(log.map((r: any) => [r.event, r.error]), [['ONAPPUNINSTALL', 'timeout'], ['ONAPPUPDATE', 'timeout'], ['ONAPPINSTALL', 'timeout']]);
  });
});
