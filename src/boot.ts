// Wiring: config -> store -> app -> registry. Shared by the CLI commands and tests.
import { createApp, type App } from './app/index.ts';
import { configuredClock } from './app/clock.ts';
import type { Config } from './config.ts';
import { buildRegistry } from './methods/index.ts';
import type { Registry } from './methods/registry.ts';
import { openStore } from './store/open.ts';

export interface Runtime {
  app: App;
  registry: Registry;
  close(): Promise<void>;
}

export async function boot(config: Config): Promise<Runtime> {
  const store = await openStore({ dbPath: config.dbPath, databaseUrl: config.databaseUrl, poolSize: config.databasePoolSize });
  try {
    const app = await createApp(store, config, { clock: configuredClock(config.clockOffset) });
    return { app, registry: buildRegistry(), close: () => store.close() };
  } catch (err) {
    await store.close();
    throw err;
  }
}
