import type { App } from '../app/index.ts';
import type { UserRow } from '../store/store.ts';
import { botData, type BotData, type PresentOptions } from '../present/users.ts';

export function presentOptions(app: App): PresentOptions {
  return { zone: app.config.timezone, publicUrl: app.config.publicUrl };
}

/** Present options for showing these users: with the bot_data of those that are bots. */
export async function presentOptionsFor(app: App, users: readonly UserRow[]): Promise<PresentOptions> {
  const o = presentOptions(app);
  const botIds = users.filter((u) => u.bot === 1).map((u) => u.id);
  if (botIds.length === 0) return o;
  const bots = new Map<number, BotData>();
  const clientIds = new Map<number, string>();
  for (const bot of await app.store.bots.getMany(botIds)) {
    if (!clientIds.has(bot.app_id)) clientIds.set(bot.app_id, (await app.store.auth.app(bot.app_id))?.client_id ?? '');
    bots.set(bot.id, botData(bot, clientIds.get(bot.app_id)!));
  }
  return { ...o, bots };
}
