// b24im serve: runs the HTTP server until SIGTERM/SIGINT, then finishes in-flight requests and closes the database.
import type { Command } from 'commander';
import { intArg } from './main.ts';
import { configFrom, withDbOptions, type DbOptions } from './options.ts';

interface ServeOptions extends DbOptions {
  host?: string;
  strict?: boolean;
  rateLimit?: string | boolean;
  httpsPort?: number;
  workers?: number;
}

export function registerServe(program: Command): void {
  withDbOptions(
    program
      .command('serve')
      .description('Start the server')
      .option('--port <n>', 'HTTP port (default: $PORT or 8080; 0 picks a free one)', intArg)
      .option('--host <addr>', 'listen address (default: $HOST or 0.0.0.0)')
      .option('--https-port <n>', 'also serve HTTPS on this port (default: $B24IM_HTTPS_PORT; off when unset; 0 picks a free one)', intArg)
      .option('--strict', 'answer a portal\'s silent fallbacks with 400 ERROR_ARGUMENT (or B24IM_STRICT=on)')
      .option('--workers <n>', 'serve from N processes on one port (node:cluster; default 1): docs/performance.md', intArg)
      .option(
        '--rate-limit [preset]',
        'limit requests per webhook/token as a portal does: standard (2/s, burst 50; the default preset) or enterprise (5/s, burst 250); or B24IM_RATE_LIMIT=on',
      ),
  ).action(async (opts: ServeOptions) => {
    const [{ boot }, { buildServer }, { serverCredentials }] = await Promise.all([
      import('../boot.ts'),
      import('../http/server.ts'),
      import('../http/tls.ts'),
    ]);
    const rateLimitMode = opts.rateLimit === true ? 'on' : opts.rateLimit || undefined;
    const config = await configFrom(opts, { host: opts.host, strict: opts.strict ? true : undefined, rateLimitMode, httpsPort: opts.httpsPort });
    const { default: cluster } = await import('node:cluster');
    if ((opts.workers ?? 1) > 1 && cluster.isPrimary) {
      // Migrations and the portal's identity once, before the workers start together on the database.
      await (await boot(config)).close();
      (await import('./workers.ts')).runPrimary(opts.workers!, (line) => process.stderr.write(`${line}\n`));
      return;
    }
    // Certificates first: a bad configured pair stops the start before the database is opened.
    const tls = config.httpsPort === undefined ? undefined : await serverCredentials(config);
    const runtime = await boot(config);
    const server = buildServer(runtime);
    // HTTPS is a second listener with the same routes, so plain-http clients keep working beside the SDK.
    const secure = tls ? buildServer(runtime, { https: tls }) : undefined;
    let address: string;
    let secureAddress: string | undefined;
    try {
      address = await server.listen({ port: config.port, host: config.host });
      secureAddress = secure ? await secure.listen({ port: config.httpsPort, host: config.host }) : undefined;
    } catch (err) {
      // One listener may be up already: close everything so the process exits with the error.
      await Promise.allSettled([server.close(), secure?.close()]);
      await runtime.close();
      throw err;
    }
    server.log.info(
      {
        address,
        https: secureAddress,
        tls: tls?.source,
        db: config.databaseUrl ? 'postgres' : config.dbPath,
        strict: config.strict,
        rateLimit: config.rateLimit ?? 'off',
      },
      'b24im listening',
    );
    // With port 0 the public URL is known only now; events sent to applications must carry the real one.
    if (config.port === 0 && !(opts.publicUrl ?? process.env.B24IM_PUBLIC_URL)) config.publicUrl = address.replace(/\/+$/, '');
    runtime.app.worker.start(server.log);
    runtime.app.dispatcher.start(server.log);
    await runtime.app.pull.hub.start(server.log);
    (await import('./workers.ts')).joinWorkers(runtime.app.pull.hub);
    // Uploads a crash cut off leave staging bytes, and a crash after a delete may leave bytes no file points at.
    const swept = await runtime.app.files.blobs.sweep();
    const freed = await runtime.app.files.collect();
    if (swept || freed) server.log.info({ swept, freed }, 'file store cleaned');
    // Other nodes' pull messages: PostgreSQL LISTEN/NOTIFY (one node on SQLite needs nothing else).
    const listener = config.databaseUrl
      ? new (await import('../store/pull-listener.ts')).PullListener(config.databaseUrl, () => runtime.app.pull.hub.wake(), server.log)
      : undefined;
    await listener?.start();
    // Lines for scripts and tests to wait for.
    process.stdout.write(`b24im listening on ${address}\n`);
    if (secureAddress) process.stdout.write(`b24im listening on ${secureAddress}\n`);
    let stopping = false;
    const stop = async (signal: string) => {
      if (stopping) return;
      stopping = true;
      server.log.info({ signal }, 'shutting down');
      await Promise.all([server.close(), secure?.close()]);
      await runtime.app.dispatcher.stop();
      await listener?.stop();
      await runtime.app.pull.hub.stop();
      await runtime.app.worker.stop();
      await runtime.close();
      process.exit(0);
    };
    process.on('SIGTERM', () => void stop('SIGTERM'));
    process.on('SIGINT', () => void stop('SIGINT'));
  });
}
