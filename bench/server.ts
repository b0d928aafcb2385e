// The b24im server as a child process (as in production), and the bare node:http baseline.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { CACHE, isUrl, ROOT } from './datasets.ts';

export interface Child {
  url: string;
  pid: number;
  stop(): Promise<void>;
}

async function started(child: ChildProcess, logFile: string, pattern: RegExp): Promise<string> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`process exited: ${fs.readFileSync(logFile, 'utf8').slice(-2000)}`);
    const m = pattern.exec(fs.readFileSync(logFile, 'utf8'));
    if (m) return m[1];
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`process did not start: ${fs.readFileSync(logFile, 'utf8').slice(-2000)}`);
}

function stopper(child: ChildProcess): () => Promise<void> {
  return () =>
    new Promise((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
}

/** `b24im serve` on the dataset; its log goes to a file, as a deployed server's would. */
export async function startB24im(db: string, env: Record<string, string> = {}, nodeArgs: string[] = [], serveArgs: string[] = []): Promise<Child> {
  const logFile = path.join(CACHE, 'server.log');
  const out = fs.openSync(logFile, 'w');
  const dbArgs = isUrl(db) ? ['--database-url', db] : ['--db', db];
  const child = spawn(process.execPath, [...nodeArgs, path.join(ROOT, 'bin/b24im.js'), 'serve', '--port', '0', '--host', '127.0.0.1', ...dbArgs, ...serveArgs], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', out, out],
  });
  fs.closeSync(out);
  const url = await started(child, logFile, /b24im listening on (http:\/\/\S+)/);
  return { url, pid: child.pid!, stop: stopper(child) };
}

/** A bare node:http server answering every request with the same bytes. */
export async function startBaseline(body: Buffer): Promise<Child> {
  const bodyFile = path.join(CACHE, 'baseline-body.json');
  fs.writeFileSync(bodyFile, body);
  const logFile = path.join(CACHE, 'baseline.log');
  const out = fs.openSync(logFile, 'w');
  const code = `
    const http = require('node:http');
    const body = require('node:fs').readFileSync(${JSON.stringify(bodyFile)});
    const server = http.createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': body.length });
        res.end(body);
      });
    });
    server.keepAliveTimeout = 72000;
    server.listen(0, '127.0.0.1', () => console.log('listening on http://127.0.0.1:' + server.address().port));
  `;
  const child = spawn(process.execPath, ['-e', code], { stdio: ['ignore', out, out] });
  fs.closeSync(out);
  const url = await started(child, logFile, /listening on (http:\/\/\S+)/);
  return { url, pid: child.pid!, stop: stopper(child) };
}

/** The process and its children (the workers of `serve --workers N`). */
function withChildren(pid: number): number[] {
  const children = fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d)).filter((d) => {
    try {
      return Number(fs.readFileSync(`/proc/${d}/stat`, 'utf8').split(') ')[1].split(' ')[1]) === pid;
    } catch {
      return false;
    }
  });
  return [pid, ...children.map(Number)];
}

/** Peak resident set size in MB (VmHWM): of the process, or of its largest worker. */
export function peakRssMb(pid: number): number {
  const peaks = withChildren(pid).map((p) => Number(/VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${p}/status`, 'utf8'))?.[1] ?? NaN));
  return Math.round(Math.max(...peaks) / 1024);
}

/** CPU time (user + system) a process and its live children have used so far, in ms. */
export function cpuMs(pid: number): number {
  let ticks = 0;
  for (const p of withChildren(pid)) {
    const fields = fs.readFileSync(`/proc/${p}/stat`, 'utf8').split(') ')[1].split(' ');
    // utime and stime are fields 14 and 15 of stat; after "pid (comm) " they are at 11 and 12.
    ticks += Number(fields[11]) + Number(fields[12]);
  }
  return (ticks * 1000) / 100;
}
