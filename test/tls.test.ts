// HTTPS: the second listener, the local CA in the data directory, `b24im ca`, configured certificates.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import { promisify } from 'node:util';
import { after, describe, it } from 'node:test';
import { ok, ROOT, startServer, type TestServer } from './helpers/server.ts';

const execFileP = promisify(execFile);

/** The certificate the server presents, checked against `ca` for the name `servername`. */
function peer(httpsUrl: string, ca: string, servername = 'localhost'): Promise<tls.DetailedPeerCertificate> {
  const u = new URL(httpsUrl);
  return new Promise((resolve, reject) => {
    const socket = tls.connect({ host: u.hostname, port: Number(u.port), ca, servername }, () => {
      const cert = socket.getPeerCertificate(true);
      socket.end();
      resolve(cert);
    });
    socket.on('error', reject);
  });
}

async function caOf(dbPath: string): Promise<{ path: string; pem: string }> {
  const { stdout } = await execFileP(process.execPath, [path.join(ROOT, 'bin/b24im.js'), 'ca', '--db', dbPath], { cwd: ROOT });
  const p = stdout.trim();
  return { path: p, pem: fs.readFileSync(p, 'utf8') };
}

describe('HTTPS', () => {
  const servers: TestServer[] = [];
  const dirs: string[] = [];
  const start = async (opts: Parameters<typeof startServer>[0]) => {
    const s = await startServer(opts);
    servers.push(s);
    return s;
  };
  after(async () => {
    for (const s of servers) await s.stop();
    for (const d of [...dirs, ...servers.map((s) => s.dir)]) fs.rmSync(d, { recursive: true, force: true });
  });

  let named: TestServer;

  it('serve --https-port: a second listener with the same routes; the certificate chains to `b24im ca` and names localhost, 127.0.0.1, ::1 and B24IM_TLS_HOSTS', async () => {
    const srv = await start({ https: true, env: { B24IM_TLS_HOSTS: 'b24im.test, 10.1.2.3' } });
    named = srv;
    assert.match(srv.httpsUrl!, /^https:\/\/127\.0\.0\.1:\d+$/);
    const ca = await caOf(srv.dbPath);
    assert.equal(ca.path, path.join(srv.dir, 'tls', 'ca', 'ca.crt'));
    assert.match(ca.pem, /^-----BEGIN CERTIFICATE-----/);
    assert.equal(fs.statSync(path.join(srv.dir, 'tls', 'ca', 'ca.key')).mode & 0o077, 0, 'the CA key is private');
    const cert = await peer(srv.httpsUrl!, ca.pem);
    const names = (cert.subjectaltname ?? '').split(', ');
    for (const n of ['DNS:localhost', 'IP Address:127.0.0.1', 'IP Address:0:0:0:0:0:0:0:1', 'DNS:b24im.test', 'IP Address:10.1.2.3']) {
      assert.ok(names.includes(n), `${n} in ${cert.subjectaltname}`);
    }
    assert.equal(tls.checkServerIdentity('b24im.test', cert), undefined);
    assert.ok(tls.checkServerIdentity('elsewhere.test', cert) instanceof Error);
    // Without the CA the connection is refused: the certificate is not self-signed garbage that clients skip checks for.
    await assert.rejects(peer(srv.httpsUrl!, ''), /self-signed|unable to verify|certificate/i);
    // The same webhook answers on both listeners.
    const hook = await srv.webhook(1);
    assert.ok(hook.startsWith(`${srv.httpsUrl}/rest/1/`));
    assert.equal((await ok(hook.replace(srv.httpsUrl!, srv.url), 'user.current')).ID, '1');
  });

  it('`b24im ca` before the first start creates the CA (also when run concurrently); the CA and the certificate survive a restart; a new name gets a new certificate from the same CA', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'b24im-ca-'));
    dirs.push(dir);
    const dbPath = path.join(dir, 'b24im.sqlite');
    const printed = await Promise.all([caOf(dbPath), caOf(dbPath), caOf(dbPath)]);
    assert.equal(new Set(printed.map((p) => p.pem)).size, 1);
    assert.equal(fs.readdirSync(path.join(dir, 'tls')).filter((f) => f.startsWith('.ca-')).length, 0);
    const ca = printed[0];
    const first = await start({ https: true, dir });
    const before = await peer(first.httpsUrl!, ca.pem);
    await first.stop();
    const again = await start({ https: true, dir });
    assert.equal((await peer(again.httpsUrl!, ca.pem)).fingerprint256, before.fingerprint256);
    await again.stop();
    const renamed = await start({ https: true, dir, env: { B24IM_TLS_HOSTS: 'new.b24im.test' } });
    const after = await peer(renamed.httpsUrl!, ca.pem, 'new.b24im.test');
    assert.notEqual(after.fingerprint256, before.fingerprint256);
    assert.equal(fs.readFileSync(ca.path, 'utf8'), ca.pem);
  });

  it('B24IM_TLS_CERT / B24IM_TLS_KEY replace the generated pair; a half or mismatched configuration stops the start', async () => {
    const origin = named;
    const ca = await caOf(origin.dbPath);
    const issued = await peer(origin.httpsUrl!, ca.pem);
    const cert = path.join(origin.dir, 'tls', 'server.crt');
    const key = path.join(origin.dir, 'tls', 'server.key');
    const configured = await start({ https: true, env: { B24IM_TLS_CERT: cert, B24IM_TLS_KEY: key } });
    assert.equal((await peer(configured.httpsUrl!, ca.pem)).fingerprint256, issued.fingerprint256);
    assert.ok(!fs.existsSync(path.join(configured.dir, 'tls')), 'no CA is generated when a certificate is configured');
    const scratch = () => {
      const d = fs.mkdtempSync(path.join(os.tmpdir(), 'b24im-tls-'));
      dirs.push(d);
      return d;
    };
    await assert.rejects(start({ https: true, dir: scratch(), env: { B24IM_TLS_CERT: cert } }), /B24IM_TLS_CERT and B24IM_TLS_KEY go together/);
    await assert.rejects(
      start({ https: true, dir: scratch(), env: { B24IM_TLS_CERT: cert, B24IM_TLS_KEY: path.join(origin.dir, 'tls', 'ca', 'ca.key') } }),
      /not the private key/,
    );
  });
});
