// A portal's link into the messenger: ?IM_DIALOG=<dialogId> opens that conversation, and a bot's link may add
// BOT_CONTEXT=<JSON> for the bot, which the client passes on with im.v2.Chat.Bot.sendContext once the dialog is open
// (docs: chat-bots-v2/imbot.v2/bot-context.md). BOT_CONTEXT leaves the address bar at once, as on a portal: a reload
// must not send it again, and the history should not keep it.

export interface DialogLink {
  dialogId: string;
  /** The bot's context: a JSON object (anything else in BOT_CONTEXT is dropped). */
  context?: Record<string, unknown>;
}

const DIALOG_ID = /^(chat)?\d{1,10}$/;

function contextOf(raw: string | null): Record<string, unknown> | undefined {
  if (raw === null) return undefined;
  try {
    const v: unknown = JSON.parse(raw);
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

export function takeDialogLink(): DialogLink | undefined {
  const query = new URLSearchParams(location.search);
  const raw = query.get('BOT_CONTEXT');
  if (raw !== null) {
    query.delete('BOT_CONTEXT');
    const rest = query.toString();
    history.replaceState(history.state, '', location.pathname + (rest ? `?${rest}` : '') + location.hash);
  }
  const dialogId = query.get('IM_DIALOG')?.trim() ?? '';
  if (!DIALOG_ID.test(dialogId)) return undefined;
  return { dialogId, context: contextOf(raw) };
}
