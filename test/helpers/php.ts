// What a PHP bot puts on the wire: bodies built like PHP's http_build_query and curl's multipart form posts, written
// byte for byte to a TCP (or TLS) socket, and the raw answer read back.
import { randomBytes } from 'node:crypto';
import net from 'node:net';
import tls from 'node:tls';

/** PHP values as a bot builds them. JS objects put integer-like keys first, so use arrays for lists. */
export type PhpValue = string | number | boolean | null | PhpValue[] | { [key: string]: PhpValue };

/** PHP's urlencode(): bytes of the UTF-8 text, [A-Za-z0-9_.-] kept, space as '+', the rest %XX in upper case. */
export function urlencode(text: string): string {
  let out = '';
  for (const byte of Buffer.from(text, 'utf8')) {
    const ch = String.fromCharCode(byte);
    if (/[A-Za-z0-9_.-]/.test(ch)) out += ch;
    else if (byte === 0x20) out += '+';
    else out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/**
 * PHP's http_build_query($data) with its defaults (PHP_QUERY_RFC1738, '&'): nested keys as a%5Bb%5D%5B0%5D,
 * true as 1, false as 0, null values and empty arrays left out.
 */
export function httpBuildQuery(data: PhpValue[] | { [key: string]: PhpValue }, prefix?: string): string {
  const parts: string[] = [];
  for (const [k, v] of Object.entries(data)) {
    if (v === null || v === undefined) continue;
    const key = prefix === undefined ? urlencode(k) : `${prefix}%5B${urlencode(k)}%5D`;
    if (typeof v === 'object') {
      const inner = httpBuildQuery(v, key);
      if (inner !== '') parts.push(inner);
    } else {
      parts.push(`${key}=${urlencode(v === true ? '1' : v === false ? '0' : String(v))}`);
    }
  }
  return parts.join('&');
}

export interface MultipartPart {
  name: string;
  value: string | Buffer;
  /** Makes the part a file upload (CURLFile). */
  filename?: string;
  type?: string;
}

/** The body curl sends for CURLOPT_POSTFIELDS given a PHP array (flat keys such as ATTACH[0][MESSAGE]). */
export function curlMultipart(parts: MultipartPart[]): { body: Buffer; contentType: string } {
  const boundary = `------------------------${randomBytes(8).toString('hex')}`;
  const chunks: Buffer[] = [];
  for (const p of parts) {
    let head = `--${boundary}\r\nContent-Disposition: form-data; name="${p.name}"`;
    if (p.filename !== undefined) head += `; filename="${p.filename}"\r\nContent-Type: ${p.type ?? 'application/octet-stream'}`;
    chunks.push(Buffer.from(`${head}\r\n\r\n`), Buffer.from(p.value), Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}

export interface RawAnswer {
  status: number;
  headers: Record<string, string>;
  text: string;
  /** Whether the server sent "100 Continue" before the answer. */
  continued: boolean;
}

export interface RawRequest {
  method?: 'GET' | 'POST';
  contentType?: string;
  body?: string | Buffer;
  /** Send "Expect: 100-continue" and hold the body back until the server agrees, as curl does for larger posts. */
  expectContinue?: boolean;
  /** CA certificate (PEM) to trust for https:// URLs, as CURLOPT_CAINFO. */
  ca?: string;
}

/** One HTTP/1.1 request with exactly curl's headers, over a fresh connection. */
export function rawRequest(url: string, req: RawRequest = {}): Promise<RawAnswer> {
  const u = new URL(url);
  const body = req.body === undefined ? undefined : Buffer.from(req.body);
  const lines = [`${req.method ?? (body ? 'POST' : 'GET')} ${u.pathname}${u.search} HTTP/1.1`, `Host: ${u.host}`, 'Accept: */*'];
  if (body) {
    lines.push(`Content-Length: ${body.length}`);
    lines.push(`Content-Type: ${req.contentType ?? 'application/x-www-form-urlencoded'}`);
    if (req.expectContinue) lines.push('Expect: 100-continue');
  }
  const head = Buffer.from(`${lines.join('\r\n')}\r\n\r\n`);
  const port = Number(u.port || (u.protocol === 'https:' ? 443 : 80));
  const host = u.hostname.replace(/^\[|\]$/g, '');
  return new Promise((resolve, reject) => {
    const socket =
      u.protocol === 'https:'
        ? tls.connect({ host, port, ca: req.ca, servername: net.isIP(host) ? undefined : host })
        : net.connect({ host, port });
    let buf = Buffer.alloc(0);
    let continued = false;
    let bodySent = !body || !req.expectContinue;
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no answer from ${url}`));
    }, 15_000);
    socket.once(u.protocol === 'https:' ? 'secureConnect' : 'connect', () => {
      socket.write(head);
      if (body && !req.expectContinue) socket.write(body);
    });
    socket.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    socket.on('data', (chunk: Buffer) => {
      buf = Buffer.concat([buf, chunk]);
      for (;;) {
        const end = buf.indexOf('\r\n\r\n');
        if (end < 0) return;
        const headText = buf.subarray(0, end).toString('latin1');
        const [statusLine, ...headerLines] = headText.split('\r\n');
        const status = Number(statusLine.split(' ')[1]);
        if (status === 100) {
          continued = true;
          buf = buf.subarray(end + 4);
          if (!bodySent && body) {
            bodySent = true;
            socket.write(body);
          }
          continue;
        }
        const headers: Record<string, string> = {};
        for (const line of headerLines) {
          const i = line.indexOf(':');
          headers[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
        }
        let rest = buf.subarray(end + 4);
        let payload: Buffer | undefined;
        if (headers['transfer-encoding']?.toLowerCase() === 'chunked') {
          const parts: Buffer[] = [];
          for (;;) {
            const eol = rest.indexOf('\r\n');
            if (eol < 0) return;
            const size = parseInt(rest.subarray(0, eol).toString('latin1'), 16);
            if (rest.length < eol + 2 + size + 2) return;
            if (size === 0) break;
            parts.push(rest.subarray(eol + 2, eol + 2 + size));
            rest = rest.subarray(eol + 2 + size + 2);
          }
          payload = Buffer.concat(parts);
        } else {
          const length = Number(headers['content-length'] ?? 0);
          if (rest.length < length) return;
          payload = rest.subarray(0, length);
        }
        clearTimeout(timer);
        socket.destroy();
        resolve({ status, headers, text: payload.toString('utf8'), continued });
        return;
      }
    });
  });
}
