// b24im notify add: notifications a portal's own modules send (invitations with buttons, notes that take a quick
// answer), which no REST method can create; for trying a client's bell against every kind.
import type { Command } from 'commander';
import { intArg } from './main.ts';
import { print, withDbOptions, withRuntime, type DbOptions } from './options.ts';

interface NotifyAddOptions extends DbOptions {
  user: number;
  text: string;
  from?: number;
  button?: string[];
  answer?: boolean;
  tag?: string;
  title?: string;
  module: string;
  event: string;
}

/** VALUE:Title pairs of --button, in order. */
function parseButton(value: string, previous: string[] = []): string[] {
  if (!/^[^:]+:.+$/.test(value)) throw new Error('--button takes VALUE:Title, e.g. Y:Accept');
  return [...previous, value];
}

export function registerNotifyCommands(program: Command): void {
  const notify = program.command('notify').description('Send notifications (the bell)');
  withDbOptions(
    notify
      .command('add')
      .description('Send a notification to a user and print its id')
      .requiredOption('--user <id>', 'recipient', intArg)
      .requiredOption('--text <text>', 'text (BBCode)')
      .option('--from <id>', 'author (default: a system notification without one)', intArg)
      .option('--button <VALUE:Title>', 'a confirm button (repeat for more): makes it a confirm notification', parseButton)
      .option('--answer', 'takes a quick answer (im.notify.answer), sent to the author; needs --from')
      .option('--tag <tag>', 'tag: a new notification with the same tag replaces the old one')
      .option('--title <text>', 'title')
      .option('--module <id>', 'module id of the notification type', 'im')
      .option('--event <id>', 'event id of the notification type', 'default'),
  ).action(async (opts: NotifyAddOptions) => {
    if (opts.answer && !opts.from) throw new Error('--answer needs --from: the answer goes to the author');
    await withRuntime(opts, async ({ app }) => {
      const { NotifyType } = await import('../app/notifications.ts');
      const buttons = (opts.button ?? []).map((b) => {
        const [value, ...title] = b.split(':');
        return { VALUE: value, TITLE: title.join(':'), TYPE: value === 'N' ? 'cancel' : 'accept' };
      });
      const id = await app.notifications.add({
        to: opts.user,
        from: opts.from ?? 0,
        type: buttons.length ? NotifyType.CONFIRM : opts.from ? NotifyType.FROM_USER : NotifyType.SYSTEM,
        text: opts.text,
        title: opts.title,
        module: opts.module,
        event: opts.event,
        tag: opts.tag,
        buttons,
        answer: opts.answer,
      });
      if (id === false) throw new Error(`No active user ${opts.user}`);
      print(String(id));
    });
  });
}
