// HTTPS credentials: a local certificate authority kept in the data directory, and server certificates it issues.
// The official SDK only calls https:// URLs, so a local server needs a certificate clients can be told to trust.
import { createPrivateKey, randomBytes, webcrypto, X509Certificate as NodeCert } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import * as x509 from '@peculiar/x509';
import type { Config } from '../config.ts';

x509.cryptoProvider.set(webcrypto as unknown as Crypto);

const ALG = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
const DAY_MS = 24 * 3600 * 1000;
/** Names every generated server certificate covers. */
export const DEFAULT_TLS_NAMES = ['localhost', '127.0.0.1', '::1'];
/** 825 days: the longest validity clients such as Apple's accept for a server certificate. */
const LEAF_DAYS = 825;
/** A stored server certificate this close to expiry is replaced at start. */
const RENEW_DAYS = 30;

export interface TlsCredentials {
  cert: string;
  key: string;
  /** 'configured' when B24IM_TLS_CERT / B24IM_TLS_KEY are used. */
  source: 'configured' | 'generated';
}

export function tlsPaths(dataDir: string) {
  const dir = path.join(dataDir, 'tls');
  return {
    dir,
    caDir: path.join(dir, 'ca'),
    caCert: path.join(dir, 'ca', 'ca.crt'),
    caKey: path.join(dir, 'ca', 'ca.key'),
    cert: path.join(dir, 'server.crt'),
    key: path.join(dir, 'server.key'),
  };
}

function pemKey(pkcs8: ArrayBuffer): string {
  return x509.PemConverter.encode(pkcs8, 'PRIVATE KEY');
}

async function importKey(pem: string): Promise<CryptoKey> {
  const der = x509.PemConverter.decodeFirst(pem);
  return webcrypto.subtle.importKey('pkcs8', der, ALG, true, ['sign']) as Promise<CryptoKey>;
}

function serial(): string {
  // Positive, 16 random bytes (RFC 5280 allows up to 20).
  const b = randomBytes(16);
  b[0] &= 0x7f;
  return b.toString('hex');
}

/** Writes a file so that readers see either nothing or the whole content. */
function writeAtomic(file: string, content: string, mode: number): void {
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  fs.writeFileSync(tmp, content, { mode });
  fs.renameSync(tmp, file);
}

/**
 * The local CA, created on first use. Two processes may race to create it: each builds it in a private
 * directory and renames that into place, so exactly one wins and both then read the winner's files.
 */
export async function ensureCa(dataDir: string): Promise<{ certPem: string; keyPem: string; certPath: string }> {
  const p = tlsPaths(dataDir);
  if (!fs.existsSync(p.caCert)) {
    fs.mkdirSync(p.dir, { recursive: true });
    const keys = (await webcrypto.subtle.generateKey(ALG, true, ['sign', 'verify'])) as CryptoKeyPair;
    const now = Date.now();
    const cert = await x509.X509CertificateGenerator.createSelfSigned({
      serialNumber: serial(),
      name: `CN=b24im local CA ${randomBytes(3).toString('hex')}, O=b24im`,
      notBefore: new Date(now - DAY_MS),
      notAfter: new Date(now + 3650 * DAY_MS),
      keys,
      signingAlgorithm: ALG,
      extensions: [
        new x509.BasicConstraintsExtension(true, 0, true),
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
        await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
      ],
    });
    const staging = fs.mkdtempSync(path.join(p.dir, '.ca-'));
    // The certificate is public (clients read it); only the key file is private.
    fs.chmodSync(staging, 0o755);
    fs.writeFileSync(path.join(staging, 'ca.key'), pemKey(await webcrypto.subtle.exportKey('pkcs8', keys.privateKey)), { mode: 0o600 });
    fs.writeFileSync(path.join(staging, 'ca.crt'), cert.toString('pem') + '\n', { mode: 0o644 });
    try {
      fs.renameSync(staging, p.caDir);
    } catch (err) {
      fs.rmSync(staging, { recursive: true, force: true });
      const code = (err as NodeJS.ErrnoException).code;
      if (code !== 'ENOTEMPTY' && code !== 'EEXIST') throw err;
    }
  }
  return { certPem: fs.readFileSync(p.caCert, 'utf8'), keyPem: fs.readFileSync(p.caKey, 'utf8'), certPath: p.caCert };
}

/** The names a generated server certificate covers: the defaults plus the configured hosts. */
export function certificateNames(config: Pick<Config, 'tlsHosts' | 'publicHttpsUrl'>): string[] {
  const names = [...DEFAULT_TLS_NAMES, ...config.tlsHosts];
  if (config.publicHttpsUrl) {
    const host = new URL(config.publicHttpsUrl).hostname.replace(/^\[|\]$/g, '');
    if (host) names.push(host);
  }
  return [...new Set(names.map((n) => n.toLowerCase()))];
}

function sanEntries(names: string[]): x509.JsonGeneralName[] {
  return names.map((n) => (net.isIP(n) ? { type: 'ip', value: n } : { type: 'dns', value: n }));
}

/** A stored server certificate is reused while it matches its key, the CA, the names and is far from expiry. */
function reusable(certPem: string, keyPem: string, caPem: string, names: string[]): boolean {
  try {
    const cert = new NodeCert(certPem);
    if (!cert.checkPrivateKey(createPrivateKey(keyPem))) return false;
    if (!cert.verify(new NodeCert(caPem).publicKey)) return false;
    if (new Date(cert.validTo).getTime() - Date.now() < RENEW_DAYS * DAY_MS) return false;
    const san = new x509.X509Certificate(certPem).getExtension(x509.SubjectAlternativeNameExtension);
    const have = (san?.names.items ?? []).map((g) => (g.type === 'ip' ? normalizeIp(g.value) : g.value.toLowerCase()));
    const want = names.map((n) => (net.isIP(n) ? normalizeIp(n) : n));
    return have.length === want.length && want.every((n) => have.includes(n));
  } catch {
    return false;
  }
}

function normalizeIp(ip: string): string {
  // ::1 and 0:0:0:0:0:0:0:1 are the same address.
  if (net.isIPv6(ip)) return new URL(`http://[${ip}]/`).hostname;
  return ip;
}

async function issueServerCert(caCertPem: string, caKeyPem: string, names: string[]): Promise<{ cert: string; key: string }> {
  const caCert = new x509.X509Certificate(caCertPem);
  const caKey = await importKey(caKeyPem);
  const keys = (await webcrypto.subtle.generateKey(ALG, true, ['sign', 'verify'])) as CryptoKeyPair;
  const now = Date.now();
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: serial(),
    subject: `CN=${names[0]}`,
    issuer: caCert.subject,
    notBefore: new Date(now - DAY_MS),
    notAfter: new Date(now + LEAF_DAYS * DAY_MS),
    publicKey: keys.publicKey,
    signingKey: caKey,
    signingAlgorithm: ALG,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
      new x509.SubjectAlternativeNameExtension(sanEntries(names)),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
      await x509.AuthorityKeyIdentifierExtension.create(caCert),
    ],
  });
  return { cert: cert.toString('pem') + '\n', key: pemKey(await webcrypto.subtle.exportKey('pkcs8', keys.privateKey)) };
}

function readConfigured(certFile: string, keyFile: string): TlsCredentials {
  let cert: string;
  let key: string;
  try {
    cert = fs.readFileSync(certFile, 'utf8');
    key = fs.readFileSync(keyFile, 'utf8');
  } catch (err) {
    throw new Error(`Cannot read the configured certificate or key: ${(err as Error).message}`);
  }
  let matches = false;
  try {
    matches = new NodeCert(cert).checkPrivateKey(createPrivateKey(key));
  } catch (err) {
    throw new Error(`B24IM_TLS_CERT / B24IM_TLS_KEY are not a PEM certificate and key: ${(err as Error).message}`);
  }
  if (!matches) throw new Error('B24IM_TLS_KEY is not the private key of B24IM_TLS_CERT');
  return { cert, key, source: 'configured' };
}

/** The certificate and key the HTTPS listener uses: the configured ones, or a stored/issued one from the local CA. */
export async function serverCredentials(config: Config): Promise<TlsCredentials> {
  if (config.tlsCert && config.tlsKey) return readConfigured(config.tlsCert, config.tlsKey);
  const ca = await ensureCa(config.dataDir);
  const p = tlsPaths(config.dataDir);
  const names = certificateNames(config);
  if (fs.existsSync(p.cert) && fs.existsSync(p.key)) {
    const cert = fs.readFileSync(p.cert, 'utf8');
    const key = fs.readFileSync(p.key, 'utf8');
    if (reusable(cert, key, ca.certPem, names)) return { cert, key, source: 'generated' };
  }
  const issued = await issueServerCert(ca.certPem, ca.keyPem, names);
  writeAtomic(p.key, issued.key, 0o600);
  writeAtomic(p.cert, issued.cert, 0o644);
  return { ...issued, source: 'generated' };
}
