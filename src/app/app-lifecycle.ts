// The rest of an application's life after ONAPPINSTALL (apps.ts): an update (ONAPPUPDATE with the new and the
// previous version) and an uninstall (ONAPPUNINSTALL, then its tokens revoked, its bots and handlers gone, and with
// CLEAN its options forgotten), and the options it keeps (app.option.*, user.option.*). The events go to the
// handlers the application bound (event.bind), as on a portal, queued in the change's own transaction.
import { Errors } from '../errors.ts';
import type { AppRow, Store } from '../store/store.ts';
import { TOKENLESS_AUTH, type Outbox } from './delivery/outbox.ts';

/** Every OnApp* event a portal lets an application bind; ONAPPPAYMENT and ONAPPMETHODCONFIRM never fire here. */
export const APP_EVENTS = ['ONAPPINSTALL', 'ONAPPUPDATE', 'ONAPPUNINSTALL', 'ONAPPPAYMENT', 'ONAPPMETHODCONFIRM'] as const;

type Claim = { node: string; leaseMs: number };

export class AppLifecycle {
  constructor(
    private readonly store: Store,
    private readonly outbox: Outbox,
    private readonly language: string,
  ) {}

  private async installed(tx: Store, code: string): Promise<AppRow> {
    const app = await tx.auth.appByCode(code);
    if (!app) throw Errors.method('APP_NOT_FOUND', `No application with code ${code}`);
    if (!app.installed) throw Errors.method('APP_NOT_INSTALLED', `Application ${code} is not installed`);
    return app;
  }

  /** A new version: ONAPPUPDATE {VERSION, PREVIOUS_VERSION, LANGUAGE_ID} to the bound handlers. Returns the outbox ids. */
  async update(code: string, userId: number, version: number | undefined, claim?: Claim): Promise<{ version: number; events: number[] }> {
    return this.store.transaction(async (tx) => {
      const app = await this.installed(tx, code);
      const next = version ?? app.version + 1;
      if (!Number.isInteger(next) || next < 1) throw Errors.method('ERROR_ARGUMENT', 'Version must be a positive integer');
      await tx.auth.updateApp(app.id, { version: next });
      const data = { VERSION: String(next), PREVIOUS_VERSION: String(app.version), LANGUAGE_ID: this.language };
      const events = await this.outbox.emit(tx, { ...app, version: next }, 'ONAPPUPDATE', { data, authUserId: userId }, claim);
      return { version: next, events };
    });
  }

  /**
   * Uninstalls: ONAPPUNINSTALL {LANGUAGE_ID, CLEAN} (an auth block without tokens, as a portal sends it), then the
   * application's tokens are revoked at once, its bots deactivated, its handlers removed; `clean` drops its options.
   */
  async uninstall(code: string, clean: boolean, claim?: Claim): Promise<{ events: number[]; revokedTokens: number; removedBots: number }> {
    return this.store.transaction(async (tx) => {
      const app = await this.installed(tx, code);
      const events = await this.outbox.emit(tx, app, 'ONAPPUNINSTALL', { data: { LANGUAGE_ID: this.language, CLEAN: clean ? '1' : '0' }, authUserId: TOKENLESS_AUTH }, claim);
      const revokedTokens = await tx.auth.revokeTokens({ appId: app.id });
      const bots = await tx.bots.list(app.id);
      for (const bot of bots) {
        await tx.commands.deleteByBot(bot.id);
        await tx.bots.delete(bot.id);
        await tx.users.update(bot.id, { active: 0 });
      }
      await tx.events.deleteHandlers({ appId: app.id });
      if (clean) await tx.options.clear(app.id);
      await tx.auth.updateApp(app.id, { installed: 0 });
      return { events, revokedTokens, removedBots: bots.length };
    });
  }

  async options(app: AppRow, userId: number, name?: string): Promise<Record<string, unknown>> {
    const rows = await this.store.options.get(app.id, userId, name);
    return Object.fromEntries(rows.map((r) => [r.name, JSON.parse(r.value) as unknown]));
  }

  async setOptions(app: AppRow, userId: number, options: Record<string, unknown>): Promise<void> {
    const entries = Object.entries(options).map(([name, value]) => ({ name, value: JSON.stringify(value ?? '') }));
    if (entries.length === 0) throw Errors.method('ArgumentNullException', 'options is empty');
    await this.store.transaction((tx) => tx.options.set(app.id, userId, entries));
  }
}
