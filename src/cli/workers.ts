// b24im serve --workers N: N processes serving one port (node:cluster, connections handed out round-robin), each a
// full node as several nodes on one PostgreSQL database already are: its own answer cache (checked against the
// database's versions), its own Push & Pull connections, and a change dispatcher and outbox worker that take rows
// in transactions, so two processes never handle one row. SQLite serves readers in every process (WAL) and one
// writer at a time. What the processes share besides the database: wakes of the pull hubs, since SQLite has no
// LISTEN/NOTIFY. Rate limits stay per process unless B24IM_RATE_LIMIT_REDIS is set (docs/performance.md).
import cluster from 'node:cluster';
import type { PullHub } from '../app/pull/hub.ts';

const WAKE = 'b24im:pull-wake';

/** The primary: starts the workers, relays stop signals, and stops all if one dies (no silent half-service). */
export function runPrimary(workers: number, log: (line: string) => void): void {
  let stopping = false;
  const all = () => Object.values(cluster.workers ?? {}).filter((w) => w !== undefined);
  const stop = (signal: NodeJS.Signals) => {
    stopping = true;
    for (const w of all()) w.process.kill(signal);
  };
  cluster.on('message', (from, message) => {
    if (message === WAKE) for (const w of all()) if (w !== from) w.send(WAKE);
  });
  cluster.on('exit', (worker, code, signal) => {
    if (!stopping) {
      log(`b24im: worker ${worker.process.pid} exited (${signal ?? code}); stopping the others`);
      process.exitCode = 1;
      stop('SIGTERM');
    }
    if (all().length === 0) process.exit();
  });
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  for (let i = 0; i < workers; i++) cluster.fork();
}

/** In a worker: this worker's pull commits wake the other workers' hubs, and theirs wake this one's. */
export function joinWorkers(hub: PullHub): void {
  if (!cluster.isWorker) return;
  hub.onWake = () => process.send?.(WAKE);
  process.on('message', (message) => {
    if (message === WAKE) hub.wakeFromPeer();
  });
}
