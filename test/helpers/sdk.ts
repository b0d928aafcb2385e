// Drives test/helpers/sdk-child.ts: a separate Node process running the official SDK and trusting b24im's local CA.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import readline from 'node:readline';
import { ROOT } from './server.ts';

export interface SdkAnswer {
  value?: any;
  thrown?: { name?: string; code?: string; status?: number; message?: string };
}

export class SdkClient {
  private nextId = 1;
  private readonly pending = new Map<number, (a: SdkAnswer) => void>();
  private stderr = '';

  private constructor(private readonly child: ChildProcess) {
    readline.createInterface({ input: child.stdout! }).on('line', (line) => {
      // Only answer lines are JSON objects; anything the SDK itself prints is kept for error messages.
      let msg: SdkAnswer & { id: number };
      try {
        msg = JSON.parse(line);
      } catch {
        this.stderr += `${line}\n`;
        return;
      }
      this.pending.get(msg.id)?.(msg);
      this.pending.delete(msg.id);
    });
    child.stderr!.on('data', (c: Buffer) => (this.stderr += c.toString()));
    child.once('exit', (code) => {
      for (const resolve of this.pending.values()) resolve({ thrown: { name: 'ChildExit', message: `exit ${code}: ${this.stderr}` } });
      this.pending.clear();
    });
  }

  /** Starts the child with NODE_EXTRA_CA_CERTS pointing at the CA `b24im ca` printed. */
  static start(caPath: string): SdkClient {
    const env: NodeJS.ProcessEnv = { ...process.env, NODE_EXTRA_CA_CERTS: caPath };
    // The servers are local: never send their requests through a proxy the environment may name.
    env.NO_PROXY = ['127.0.0.1', 'localhost', env.NO_PROXY].filter(Boolean).join(',');
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'test/helpers/sdk-child.ts')], {
      cwd: ROOT,
      env,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    return new SdkClient(child);
  }

  request(op: string, args: Record<string, unknown> = {}): Promise<SdkAnswer> {
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(id, resolve);
      this.child.stdin!.write(`${JSON.stringify({ id, op, ...args })}\n`);
    });
  }

  /** The op's value, or a thrown Error describing what the SDK threw. */
  async value(op: string, args: Record<string, unknown> = {}): Promise<any> {
    const a = await this.request(op, args);
    if (a.thrown) throw new Error(`SDK ${op} ${String(args.method ?? '')} threw ${JSON.stringify(a.thrown)}`);
    return a.value;
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise((r) => this.child.once('exit', r));
    this.child.stdin!.end();
    this.child.kill();
    await exited;
  }
}
