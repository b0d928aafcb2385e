// imbot.v2.Chat.InputAction.notify and Chat.TextField.enabled.
import { parseDialogId } from '../../app/dialog-id.ts';
import { v2Error } from '../../app/bots-v2/owners.ts';
import type { MethodContext, MethodDef } from '../registry.ts';
import { bool, ownBot } from './common.ts';

export const STATUS_CODES = [
  'THINKING', 'SEARCHING', 'GENERATING', 'ANALYZING', 'PROCESSING', 'TRANSLATING', 'CONNECTING', 'CHECKING', 'CALCULATING', 'READING_DOCS', 'COMPOSING',
].map((c) => `IMBOT_AGENT_ACTION_${c}`);

/** The chat of dialogId, which the bot must be a member of (one-to-one dialogs included). */
async function memberChat(ctx: MethodContext) {
  const { user } = await ownBot(ctx);
  const ref = parseDialogId(ctx.params.string('dialogId'));
  if (!ref) throw v2Error('DIALOG_ID_EMPTY', 'Dialog ID is required');
  const access = await ctx.app.chats.resolve(ctx.app.store, user, ref, false);
  if (!access?.member) throw v2Error('ACCESS_DENIED', 'Access denied', 403);
  return { chat: access.chat, user, ref };
}

export const uiMethods: MethodDef[] = [
  {
    name: 'imbot.v2.Chat.InputAction.notify',
    scope: 'imbot',
    params: ['botId', 'botToken', 'dialogId', 'statusMessageCode', 'duration'],
    async handler(ctx) {
      const { user, ref } = await memberChat(ctx);
      const code = ctx.params.string('statusMessageCode');
      if (code !== undefined && code !== '' && !STATUS_CODES.includes(code)) ctx.params.fallback('statusMessageCode', `Unknown status code ${code}`);
      const duration = ctx.params.int('duration');
      if (duration !== undefined && (duration < 1 || duration > 600)) ctx.params.fallback('duration', 'duration must be between 1 and 600');
      // A real-time signal only: published to the chat's members over Push & Pull (startWriting, as the bot).
      await ctx.app.pull.typing.typing(user, ref);
      return { result: true };
    },
  },
  {
    name: 'imbot.v2.Chat.TextField.enabled',
    scope: 'imbot',
    params: ['botId', 'botToken', 'dialogId', 'enabled'],
    async handler(ctx) {
      const { chat } = await memberChat(ctx);
      await ctx.app.botChats.setTextField(chat.id, bool(ctx.params.raw('enabled')) ?? true);
      return { result: true };
    },
  },
];
