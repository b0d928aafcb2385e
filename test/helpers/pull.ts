// Drives test/helpers/pull-child.ts: the official SDK's pull client in a child process, its reports collected here.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import readline from 'node:readline';
import { ROOT } from './server.ts';

export interface PullReport {
  type: 'socket' | 'event' | 'status' | 'started' | 'error';
  at: number;
  [key: string]: any;
}

export class PullChild {
  readonly reports: PullReport[] = [];
  private waiters: (() => void)[] = [];
  private stderr = '';

  private constructor(private readonly child: ChildProcess) {
    readline.createInterface({ input: child.stdout! }).on('line', (line) => {
      try {
        this.reports.push(JSON.parse(line));
      } catch {
        this.stderr += `${line}\n`;
      }
      for (const w of this.waiters.splice(0)) w();
    });
    child.stderr!.on('data', (c: Buffer) => (this.stderr += c.toString()));
  }

  static start(caPath: string, webhook: string, userId: number): PullChild {
    const env: NodeJS.ProcessEnv = { ...process.env, NODE_EXTRA_CA_CERTS: caPath, PULL_CHILD: JSON.stringify({ webhook, userId }) };
    env.NO_PROXY = ['127.0.0.1', 'localhost', env.NO_PROXY].filter(Boolean).join(',');
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'test/helpers/pull-child.ts')], {
      cwd: ROOT,
      env,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    return new PullChild(child);
  }

  /** Starts the client and waits until it has connected (fails with what it reported otherwise). */
  static async started(caPath: string, webhook: string, userId: number): Promise<PullChild> {
    const client = PullChild.start(caPath, webhook, userId);
    await client.waitFor((r) => r.type === 'started' || r.type === 'error', 60_000);
    if (!client.reports.some((r) => r.type === 'started')) throw new Error(`pull client did not start: ${JSON.stringify(client.reports)}`);
    return client;
  }

  events(command?: string): PullReport[] {
    return this.reports.filter((r) => r.type === 'event' && (command === undefined || r.command === command));
  }

  /** Waits until a report matches (or fails after `ms`, listing what arrived). */
  async waitFor(match: (r: PullReport) => boolean, ms = 10_000): Promise<PullReport> {
    const deadline = Date.now() + ms;
    for (;;) {
      const hit = this.reports.find(match);
      if (hit) return hit;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`pull client: nothing matched in ${ms} ms; got ${JSON.stringify(this.reports).slice(0, 3000)}\n${this.stderr.slice(0, 2000)}`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise((r) => this.child.once('exit', r));
    this.child.stdin!.end();
    this.child.kill();
    await exited;
  }
}
