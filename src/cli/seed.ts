// b24im seed: generates a realistic portal (users, dialogs, heavy-tailed group chats, open lines, messages over
// the last 60 days) into a fresh database, reproducibly from --seed. See docs/performance.md.
import fs from 'node:fs';
import type { Command } from 'commander';
import type cliProgress from 'cli-progress';
import { DAY, portalPlan, typicalUser, SIZES } from '../seed/plan.ts';
import type { Progress, SeedPath } from '../seed/run.ts';
import { intArg } from './main.ts';

export interface SeedManifest {
  size: string;
  seed: number;
  now: number;
  path: SeedPath;
  heavy: { userId: number; items: number; webhook: string };
  typical: { userId: number; items: number; webhook: string; dialogPeer: number };
  bigChat: { chatId: number; members: number };
  counts: { users: number; chats: number; members: number; messages: number };
  seconds: number;
}

/** --db takes a file path or a postgres:// URL. */
export function dbTarget(db: string | undefined): { dbPath?: string; databaseUrl?: string } {
  if (db && /^postgres(ql)?:\/\//.test(db)) return { databaseUrl: db };
  return { dbPath: db };
}

// The seeder, the store and the progress bar are imported when the command runs, so the CLI starts fast.
async function progressBar(enabled: boolean, silent: Progress): Promise<Progress> {
  if (!enabled) return silent;
  const { default: cliProgress } = await import('cli-progress');
  let bar: cliProgress.SingleBar | undefined;
  return {
    start(phase, total) {
      bar = new cliProgress.SingleBar(
        { format: `${phase.padEnd(20)} [{bar}] {percentage}% {value}/{total} {duration_formatted}`, hideCursor: true, etaBuffer: 50 },
        cliProgress.Presets.shades_classic,
      );
      bar.start(total, 0);
    },
    update(done) {
      bar?.update(done);
    },
    stop() {
      bar?.stop();
    },
  };
}

export interface SeedCommandOptions {
  size: string;
  seed: number;
  db?: string;
  path: SeedPath;
  now?: number;
  manifest?: string;
  progress: boolean;
  publicUrl?: string;
}

export async function runSeed(opts: SeedCommandOptions, out: (line: string) => void): Promise<SeedManifest> {
  const started = Date.now();
  const { loadConfig } = await import('../config.ts');
  const config = loadConfig({ ...dbTarget(opts.db), publicUrl: opts.publicUrl });
  const now = opts.now ?? Math.floor(Date.now() / 1000);
  const plan = portalPlan({ size: opts.size, seed: opts.seed, now });
  const [{ openStore }, { seedPlan, silentProgress }] = await Promise.all([import('../store/open.ts'), import('../seed/run.ts')]);
  const store = await openStore({ dbPath: config.dbPath, databaseUrl: config.databaseUrl });
  try {
    const result = await seedPlan(store, config, plan, opts.path, await progressBar(opts.progress, silentProgress));
    const { app } = result;
    const since = now - config.recentWindowDays * DAY;
    const typicalId = typicalUser(plan, since);
    const heavyUser = (await app.users.get(plan.roles.heavy))!;
    const typical = (await app.users.get(typicalId))!;
    const hook = async (userId: number) => {
      const h = await app.auth.createWebhook(userId, ['im', 'imbot', 'user']);
      return `${config.publicUrl}/rest/${userId}/${h.code}/`;
    };
    const peerConv = plan.convs.find((c) => c.kind === 'dialog' && c.members.includes(typicalId))!;
    const bigChatId = result.chatOfConv[plan.roles.bigChat];
    const manifest: SeedManifest = {
      size: opts.size,
      seed: opts.seed,
      now,
      path: opts.path,
      heavy: { userId: heavyUser.id, items: (await app.recent.get(heavyUser, {})).length, webhook: await hook(heavyUser.id) },
      typical: {
        userId: typical.id,
        items: (await app.recent.get(typical, {})).length,
        webhook: await hook(typical.id),
        dialogPeer: peerConv.members[0] === typicalId ? peerConv.members[1] : peerConv.members[0],
      },
      bigChat: { chatId: bigChatId, members: (await app.store.chats.get(bigChatId))?.member_count ?? 0 },
      counts: { users: plan.users.length + 1, chats: result.chats, members: result.members, messages: result.messages },
      seconds: Math.round((Date.now() - started) / 100) / 10,
    };
    if (opts.manifest) fs.writeFileSync(opts.manifest, `${JSON.stringify(manifest, null, 2)}\n`);
    out(`Seeded size ${opts.size} (seed ${opts.seed}, ${opts.path} path) in ${manifest.seconds} s into ${config.databaseUrl ? 'PostgreSQL' : config.dbPath}`);
    out(`  users ${manifest.counts.users}, chats ${manifest.counts.chats} (dialogs, groups, open lines), memberships ${manifest.counts.members}, messages ${manifest.counts.messages}`);
    out(`  largest chat: chat${bigChatId} with ${manifest.bigChat.members} members; messages dated over the last 60 days`);
    out(`  heavy user ${manifest.heavy.userId}: ${manifest.heavy.items} recent items   ${manifest.heavy.webhook}`);
    out(`  typical user ${manifest.typical.userId}: ${manifest.typical.items} recent items   ${manifest.typical.webhook}`);
    return manifest;
  } finally {
    await store.close();
  }
}

export function registerSeed(program: Command): void {
  program
    .command('seed')
    .description('Generate a realistic portal into a fresh database (for benchmarks and demos)')
    .option('--size <s|m>', `dataset size (${Object.entries(SIZES).map(([k, v]) => `${k}: ${v.users} users, ${v.messages} messages`).join('; ')})`, 's')
    .option('--seed <n>', 'random seed: the same seed gives the same portal', intArg, 1)
    .option('--db <path|url>', 'SQLite database file or postgres://... URL (default: $B24IM_DB or ./data/b24im.sqlite)')
    .option('--path <bulk|app>', 'bulk: in-memory replay + multi-row inserts (fast); app: every event through the app layer', 'bulk')
    .option('--now <unix>', 'the moment the portal is generated at (default: now)', intArg)
    .option('--manifest <file>', 'also write the summary (user ids, webhooks, counts) as JSON')
    .option('--no-progress', 'no progress bar')
    .option('--public-url <url>', 'base URL printed in webhooks')
    .action(async (o: { size: string; seed: number; db?: string; path: string; now?: number; manifest?: string; progress: boolean; publicUrl?: string }) => {
      if (!SIZES[o.size]) throw new Error(`--size must be one of ${Object.keys(SIZES).join(', ')}`);
      if (o.path !== 'bulk' && o.path !== 'app') throw new Error('--path must be bulk or app');
      await runSeed({ ...o, path: o.path, progress: o.progress && process.stderr.isTTY === true }, (l) => process.stdout.write(`${l}\n`));
    });
}
