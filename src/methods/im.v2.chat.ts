// im.v2.Chat.Bot.sendContext: what the web client calls after opening a chat from a BOT_CONTEXT link (docs:
// chat-bots-v2/imbot.v2/bot-context.md, "this same request is available over REST" to replay it while debugging).
import { parseDialogId } from '../app/dialog-id.ts';
import { v2Error } from '../app/bots-v2/owners.ts';
import type { MethodContext, MethodDef } from './registry.ts';

/** The context: a JSON object, or its text (the link's BOT_CONTEXT passed on as it is). */
function contextOf(ctx: MethodContext): Record<string, unknown> {
  let v = ctx.params.raw('context');
  if (typeof v === 'string') {
    try {
      v = JSON.parse(v);
    } catch {
      // Not JSON: refused below like any other non-object.
    }
  }
  if (!v || typeof v !== 'object' || Array.isArray(v)) throw v2Error('INVALID_FORMAT', 'Parameter context must be a JSON object');
  return v as Record<string, unknown>;
}

export const imV2ChatMethods: MethodDef[] = [
  {
    name: 'im.v2.Chat.Bot.sendContext',
    scope: 'im',
    params: ['dialogId', 'context'],
    async handler(ctx) {
      const ref = parseDialogId(ctx.params.string('dialogId'));
      if (!ref) throw v2Error('DIALOG_ID_EMPTY', 'Dialog ID is required');
      await ctx.app.botContexts.send(ctx.auth.user, ref, contextOf(ctx));
      return true;
    },
  },
];
