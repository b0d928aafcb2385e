// Several nodes on one PostgreSQL database: each node holds one dedicated connection LISTENing for the pull log's
// notifications (sent by SqlPullRepo.append on commit) and wakes its hub. A notification carries nothing the hub
// relies on: the hub reads the log from its own position, so a notification lost while this connection was down
// costs nothing but time — on reconnect the hub is woken once to catch up (and it polls as well).
import type { Client } from 'pg';
import { PULL_NOTIFY_CHANNEL } from './sql/pull.ts';

const RETRY_MS = 1000;

export interface ListenerLog {
  warn(obj: object, msg?: string): void;
}

export class PullListener {
  private client: Client | undefined;
  private stopped = false;
  private retry: NodeJS.Timeout | undefined;

  constructor(
    private readonly url: string,
    private readonly onNotify: () => void,
    private readonly log: ListenerLog,
  ) {}

  async start(): Promise<void> {
    await this.connect();
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    const { default: pg } = await import('pg');
    // Not from the pool: LISTEN belongs to one session (and must not go through a transaction-mode pooler).
    const client = new pg.Client({ connectionString: this.url, application_name: 'b24im-pull-listen' });
    const reconnect = (err?: Error) => {
      if (this.client !== client) return;
      this.client = undefined;
      client.removeAllListeners();
      client.on('error', () => {});
      void client.end().catch(() => {});
      if (this.stopped) return;
      this.log.warn({ err }, 'pull: LISTEN connection lost, reconnecting');
      this.retry = setTimeout(() => void this.connect(), RETRY_MS);
      this.retry.unref();
    };
    client.on('notification', (n) => {
      if (n.channel === PULL_NOTIFY_CHANNEL) this.onNotify();
    });
    client.on('error', (err) => reconnect(err));
    client.on('end', () => reconnect());
    this.client = client;
    try {
      await client.connect();
      await client.query(`LISTEN ${PULL_NOTIFY_CHANNEL}`);
      // Whatever committed while this node was not listening.
      this.onNotify();
    } catch (err) {
      reconnect(err as Error);
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.retry) clearTimeout(this.retry);
    const client = this.client;
    this.client = undefined;
    if (client) {
      client.removeAllListeners();
      client.on('error', () => {});
      await client.end().catch(() => {});
    }
  }
}
