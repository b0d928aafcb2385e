// File throughput and memory: uploads a file through the uploadUrl (a streamed multipart form) and downloads it
// again over loopback, for each size on a fresh server, and reports throughput and the server's peak RSS (VmHWM):
// the peak must not grow with the file size, since bytes stream through and are never held whole.
//   npm run bench:files [-- --sizes 5,50,200] [-- --db postgres://...]   (default sizes 5, 50 and 200 MiB, SQLite; the
//   server's B24IM_FILE_LIMIT is raised to the largest size)
// Run it for numbers only on an idle machine (it prints the load average beside them).
import { execFile } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { ROOT } from './datasets.ts';

const MiB = 1024 * 1024;
const args = process.argv.slice(2);
const opt = (name: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};
const sizes = (opt('sizes') ?? '5,50,200').split(',').map((s) => Number(s) * MiB);
// Above the default per-file limit (100 MiB) is where a growing peak would show; the limit itself is tested elsewhere.
const fileLimit = String(Math.max(...sizes) + MiB);
const dbUrl = opt('db');
const BIN = path.join(ROOT, 'bin/b24im.js');

async function rest(base: string, method: string, params: Record<string, unknown>): Promise<any> {
  const res = await fetch(`${base}${method}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(params) });
  const json = (await res.json()) as any;
  if (json.error) throw new Error(`${method}: ${json.error} ${json.error_description}`);
  return json.result;
}

/** Peak resident set size of a process (Linux), in MiB. */
function peakRss(pid: number): number {
  const m = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

/** A multipart body of `size` pseudo-random bytes, generated as it is sent (never in memory), and its sha256. */
function multipart(size: number, boundary: string): { body: ReadableStream<Uint8Array>; hash: () => string; length: number } {
  const head = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="bench.bin"\r\nContent-Type: application/octet-stream\r\n\r\n`);
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  const hash = crypto.createHash('sha256');
  const block = crypto.randomBytes(MiB);
  let sent = 0;
  let stage = 0;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (stage === 0) {
        stage = 1;
        return controller.enqueue(head);
      }
      if (sent < size) {
        const n = Math.min(256 * 1024, size - sent);
        // Each chunk differs (its offset is mixed in), so no two parts of the file are alike.
        const chunk = Buffer.from(block.subarray((sent / 256) % (MiB - n), ((sent / 256) % (MiB - n)) + n));
        chunk.writeUInt32BE(sent >>> 0, 0);
        hash.update(chunk);
        sent += n;
        return controller.enqueue(chunk);
      }
      controller.enqueue(tail);
      controller.close();
    },
  });
  return { body, hash: () => hash.digest('hex'), length: head.length + size + tail.length };
}

async function runSize(size: number): Promise<Record<string, unknown>> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'b24im-bench-files-'));
  const env = { ...process.env, B24IM_LOG_LEVEL: 'warn', B24IM_DB: dbUrl ?? path.join(dir, 'b24im.sqlite'), B24IM_REQUEST_TIMEOUT_MS: '600000', B24IM_FILE_LIMIT: fileLimit };
  const { spawn } = await import('node:child_process');
  const child = spawn(process.execPath, [BIN, 'serve', '--port', '0', '--host', '127.0.0.1'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    const url = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout!.on('data', (c: Buffer) => {
        out += c.toString();
        const m = /b24im listening on (http:\/\/\S+)/.exec(out);
        if (m) resolve(m[1]);
      });
      child.once('exit', (code) => reject(new Error(`server exited ${code}`)));
    });
    const { stdout } = await promisify(execFile)(process.execPath, [BIN, 'webhook', 'add', '--user', '1'], { cwd: ROOT, env: { ...env, B24IM_PUBLIC_URL: url } });
    const hook = stdout.trim();
    const user = await rest(hook, 'user.add', { NAME: 'Bench', LAST_NAME: 'Peer' });
    const chat = await rest(hook, 'im.chat.add', { TITLE: 'Bench', USERS: [user] });
    const folder = (await rest(hook, 'im.disk.folder.get', { CHAT_ID: chat })).ID;
    const rssIdle = peakRss(child.pid!);

    const { uploadUrl } = await rest(hook, 'disk.folder.uploadFile', { id: folder });
    const boundary = `bench${crypto.randomBytes(8).toString('hex')}`;
    const form = multipart(size, boundary);
    let t = performance.now();
    const up = await fetch(uploadUrl, {
      method: 'POST',
      headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, 'content-length': String(form.length) },
      body: form.body,
      duplex: 'half',
    } as RequestInit);
    const upJson = (await up.json()) as any;
    if (!upJson.result) throw new Error(`upload failed: ${JSON.stringify(upJson)}`);
    const uploadS = (performance.now() - t) / 1000;
    const sent = await rest(hook, 'im.disk.file.commit', { CHAT_ID: chat, FILE_ID: upJson.result.ID });

    t = performance.now();
    const res = await fetch(sent.FILES[`upload${upJson.result.ID}`].urlDownload);
    const hash = crypto.createHash('sha256');
    let got = 0;
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      hash.update(chunk);
      got += chunk.length;
    }
    const downloadS = (performance.now() - t) / 1000;
    if (got !== size || hash.digest('hex') !== form.hash()) throw new Error('downloaded bytes differ from the upload');
    return {
      sizeMiB: size / MiB,
      uploadMiBs: Number((size / MiB / uploadS).toFixed(1)),
      downloadMiBs: Number((size / MiB / downloadS).toFixed(1)),
      serverPeakRssMiB: Number(peakRss(child.pid!).toFixed(1)),
      serverRssBeforeMiB: Number(rssIdle.toFixed(1)),
    };
  } finally {
    await new Promise<void>((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const rows = [];
for (const size of sizes) rows.push(await runSize(size));
console.table(rows);
console.log(`store: ${dbUrl ? 'postgres' : 'local (SQLite)'}; load average ${os.loadavg().map((n) => n.toFixed(2)).join(', ')}; ${os.cpus().length} cores; ${new Date().toISOString().slice(0, 10)}`);
