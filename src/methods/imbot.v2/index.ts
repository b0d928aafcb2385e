// imbot.v2.*: the Bots 2.0 API (docs: api-reference/chat-bots/chat-bots-v2), one file per object as the docs group them.
import type { MethodDef } from '../registry.ts';
import { botMethods } from './bot.ts';
import { eventMethods } from './event.ts';
import { messageMethods } from './message.ts';
import { messageExtraMethods } from './message-extra.ts';
import { chatMethods } from './chat.ts';
import { uiMethods } from './ui.ts';
import { commandMethods } from './command.ts';
import { fileMethods } from './file.ts';

/** The newest imbot.v2 revision whose behaviour b24im implements (change-log.md: REST revision 36). */
export const V2_REVISION = { rest: 36, web: 130, mobile: 23, desktop: 6 };

const revisionMethods: MethodDef[] = [
  {
    name: 'imbot.v2.Revision.get',
    scope: 'imbot',
    params: [],
    // Needs neither botId nor botToken (change-log BOT-NEW-0402-1).
    async handler() {
      return { ...V2_REVISION };
    },
  },
];

export const imbotV2Methods: MethodDef[] = [
  ...botMethods,
  ...eventMethods,
  ...chatMethods,
  ...messageMethods,
  ...messageExtraMethods,
  ...uiMethods,
  ...commandMethods,
  ...fileMethods,
  ...revisionMethods,
];
