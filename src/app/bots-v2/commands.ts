// imbot.v2.Command.*: slash commands of 2.0 bots. Rows of the same bot_commands table as classic commands (the
// classic matcher finds them in messages and keyboard presses); titles and parameter hints per language are the
// classic LANG set. Their events are ONIMBOTV2COMMANDADD (events.ts), not ONIMCOMMANDADD.
import type { BotCommandRow, BotRow, Store } from '../../store/store.ts';
import type { Clock } from '../clock.ts';
import { ensureCommand, type CommandLang } from '../commands.ts';
import { v2Error } from './owners.ts';

export interface V2CommandFields {
  command?: unknown;
  /** {langCode: text}; in an update a null value removes that language. */
  title?: unknown;
  params?: unknown;
  common?: boolean;
  hidden?: boolean;
  extranetSupport?: boolean;
}

function texts(v: unknown): Record<string, string | null> {
  if (!v || typeof v !== 'object' || Array.isArray(v)) return {};
  const out: Record<string, string | null> = {};
  for (const [k, t] of Object.entries(v as Record<string, unknown>)) {
    const lang = k.trim().toLowerCase();
    if (!/^[a-z]{2}$/.test(lang)) continue;
    out[lang] = t === null ? null : typeof t === 'string' || typeof t === 'number' ? String(t) : null;
  }
  return out;
}

/** A command name without its slash; `empty` is the code of a missing one (register and update name it apart). */
function commandName(v: unknown, empty = () => v2Error('COMMAND_REQUIRED', 'Command is required')): string {
  if (v === undefined || v === null || v === '') throw empty();
  if (typeof v !== 'string') throw v2Error('COMMAND_NAME_INVALID', 'Command name is invalid');
  const name = v.trim().replace(/^\//, '');
  if (!name) throw empty();
  if (/\s/.test(name)) throw v2Error('COMMAND_NAME_INVALID', 'Command name is invalid');
  return name;
}

export class V2Commands {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
  ) {}

  async register(bot: BotRow, f: V2CommandFields): Promise<BotCommandRow> {
    const command = commandName(f.command);
    const title = texts(f.title);
    const params = texts(f.params);
    const lang: CommandLang[] = Object.entries(title)
      .filter(([, t]) => t !== null && t.trim() !== '')
      .map(([l, t]) => ({ LANGUAGE_ID: l, TITLE: t as string, PARAMS: params[l] ?? '' }));
    if (lang.length === 0 && f.hidden !== true) throw v2Error('COMMAND_TITLE_REQUIRED', 'Command title is required');
    return this.store.transaction((tx) =>
      ensureCommand(tx, {
        bot_id: bot.id,
        app_id: bot.app_id,
        command,
        common: f.common ? 1 : 0,
        hidden: f.hidden ? 1 : 0,
        extranet_support: f.extranetSupport ? 1 : 0,
        lang: JSON.stringify(lang),
        date_create: this.clock(),
      }),
    );
  }

  /** The bot's command (COMMAND_NOT_FOUND for another bot's or none). */
  async own(bot: BotRow, commandId: number | undefined): Promise<BotCommandRow> {
    const row = commandId !== undefined && commandId > 0 ? await this.store.commands.get(commandId) : undefined;
    if (!row || row.bot_id !== bot.id) throw v2Error('COMMAND_NOT_FOUND', 'Command not found');
    return row;
  }

  async update(row: BotCommandRow, f: V2CommandFields): Promise<BotCommandRow> {
    const patch: Partial<BotCommandRow> = {};
    if (f.command !== undefined) patch.command = commandName(f.command, () => v2Error('COMMAND_NAME_EMPTY', 'Command name is empty'));
    if (f.common !== undefined) patch.common = f.common ? 1 : 0;
    if (f.hidden !== undefined) patch.hidden = f.hidden ? 1 : 0;
    if (f.extranetSupport !== undefined) patch.extranet_support = f.extranetSupport ? 1 : 0;
    if (f.title !== undefined || f.params !== undefined) {
      // title: a string sets that language, null removes it, an absent key keeps it; params follow title's languages.
      const lang = new Map((JSON.parse(row.lang) as CommandLang[]).map((l) => [l.LANGUAGE_ID, l]));
      const title = texts(f.title);
      const params = texts(f.params);
      for (const [l, t] of Object.entries(title)) {
        if (t === null) lang.delete(l);
        else lang.set(l, { LANGUAGE_ID: l, TITLE: t, PARAMS: params[l] ?? lang.get(l)?.PARAMS ?? '' });
      }
      for (const [l, p] of Object.entries(params)) {
        const cur = lang.get(l);
        if (cur && !(l in title)) lang.set(l, { ...cur, PARAMS: p ?? '' });
      }
      patch.lang = JSON.stringify([...lang.values()]);
    }
    await this.store.transaction(async (tx) => {
      if (patch.command !== undefined && patch.command !== row.command) {
        // A bot's command names are unique (ensureCommand's lock, so a register of that name waits for this rename).
        await tx.lock(`bot-command:${row.bot_id}:${patch.command}`);
        const taken = (await tx.commands.byName(patch.command)).some((c) => c.bot_id === row.bot_id);
        if (taken) throw v2Error('COMMAND_ALREADY_EXISTS', 'Command already exists');
      }
      if (Object.keys(patch).length > 0) await tx.commands.update(row.id, patch);
    });
    return (await this.store.commands.get(row.id))!;
  }

  async unregister(row: BotCommandRow): Promise<void> {
    await this.store.transaction((tx) => tx.commands.delete(row.id));
  }

  list(bot: BotRow): Promise<BotCommandRow[]> {
    return this.store.commands.list({ botId: bot.id });
  }
}
