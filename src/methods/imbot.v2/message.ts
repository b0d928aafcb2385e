// imbot.v2.Chat.Message.send / update / delete: a bot's messages, the same rows classic clients read.
import { parseDialogId } from '../../app/dialog-id.ts';
import { MAX_MESSAGE_LENGTH } from '../../app/limits.ts';
import { v2Error } from '../../app/bots-v2/owners.ts';
import { BitrixError } from '../../errors.ts';
import { Params } from '../params.ts';
import { attachParam, keyboardParam } from '../rich-params.ts';
import type { MethodContext, MethodDef } from '../registry.ts';
import { bool, fieldsOf, ownBot, str, type Fields } from './common.ts';

const TRUNCATED = ' (...)';

/** A text over the limit is cut with " (...)" (docs), not refused. */
function clip(text: string): string {
  return text.length > MAX_MESSAGE_LENGTH ? text.slice(0, MAX_MESSAGE_LENGTH - TRUNCATED.length) + TRUNCATED : text;
}

/** fields.attach / fields.keyboard read by the classic parsers (same structures, same errors). */
function richParams(ctx: MethodContext, f: Fields): Params {
  const raw: Record<string, unknown> = {};
  if (f.attach !== undefined) raw.ATTACH = f.attach;
  if (f.keyboard !== undefined) raw.KEYBOARD = f.keyboard;
  return new Params(raw, { caseInsensitive: true, strict: ctx.params.strict });
}

function denied(): BitrixError {
  return v2Error('ACCESS_DENIED', 'Access denied', 403);
}

/** The classic messenger's refusals, in the codes the 2.0 docs give. */
function translate(err: unknown): unknown {
  if (!(err instanceof BitrixError)) return err;
  if (err.code === 'MESSAGE_EMPTY') return v2Error('EMPTY_MESSAGE', 'Message is empty');
  if (['ACCESS_ERROR', 'CANT_EDIT_MESSAGE', 'CHAT_ID', 'ACCESS_DENIED'].includes(err.code)) return denied();
  return err;
}

function messageIdOf(ctx: MethodContext): number {
  const id = ctx.params.int('messageId');
  if (id === undefined || id <= 0) throw v2Error('MESSAGE_ID_REQUIRED', 'Message ID is required');
  return id;
}

export const messageMethods: MethodDef[] = [
  {
    name: 'imbot.v2.Chat.Message.send',
    scope: 'imbot',
    params: ['botId', 'botToken', 'dialogId', 'fields'],
    async handler(ctx) {
      const { bot, user } = await ownBot(ctx);
      const ref = parseDialogId(ctx.params.string('dialogId'));
      if (!ref) throw v2Error('DIALOG_ID_EMPTY', 'Dialog ID is required');
      // The bot must be a member of a chat it writes to; a one-to-one dialog opens on first write.
      if (ref.kind === 'chat' && !(await ctx.app.store.members.get(ref.chatId, bot.id))) throw denied();
      const f = fieldsOf(ctx);
      const rich = richParams(ctx, f);
      const system = bool(f.system) === true;
      const replyId = Number(str(f.replyId) ?? 0);
      try {
        const id = await ctx.app.messages.add(user, ref, {
          text: clip(str(f.message) ?? ''),
          system,
          // A system message has no author (authorId 0), as the docs say.
          authorless: system,
          attach: attachParam(rich, ctx.app.clock()) ?? undefined,
          keyboard: keyboardParam(rich, bot.id) ?? undefined,
          urlPreview: bool(f.urlPreview) ?? true,
          replyId: Number.isInteger(replyId) && replyId > 0 ? replyId : undefined,
          uuid: str(f.templateId),
        });
        return { id, uuidMap: {} };
      } catch (err) {
        throw translate(err);
      }
    },
  },
  {
    name: 'imbot.v2.Chat.Message.update',
    scope: 'imbot',
    params: ['botId', 'botToken', 'messageId', 'fields'],
    async handler(ctx) {
      const { bot, user } = await ownBot(ctx);
      const id = messageIdOf(ctx);
      const f = fieldsOf(ctx);
      const rich = richParams(ctx, f);
      const text = str(f.message);
      try {
        await ctx.app.messages.update(user, id, {
          text: text !== undefined ? clip(text) : undefined,
          attach: attachParam(rich, ctx.app.clock()),
          keyboard: keyboardParam(rich, bot.id),
          urlPreview: bool(f.urlPreview),
          isEdited: text !== undefined,
        });
      } catch (err) {
        throw translate(err);
      }
      return { result: true };
    },
  },
  {
    name: 'imbot.v2.Chat.Message.delete',
    scope: 'imbot',
    params: ['botId', 'botToken', 'messageId', 'complete'],
    async handler(ctx) {
      const { user } = await ownBot(ctx);
      const id = messageIdOf(ctx);
      try {
        await ctx.app.messages.delete(user, id);
      } catch (err) {
        throw translate(err);
      }
      return { result: true };
    },
  },
];
