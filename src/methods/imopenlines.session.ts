// imopenlines.session.mode.*, head.vote, history.get and imopenlines.message.*: what operators and heads do with a
// session besides moving it between people.
import { Errors } from '../errors.ts';
import { sessionHistory } from '../present/lines-history.ts';
import { imFiles } from './file-views.ts';
import { optionalPositiveId } from './im-params.ts';
import { chatId } from './imopenlines.ts';
import { presentOptionsFor } from './present-options.ts';
import type { MethodDef } from './registry.ts';

const messageIdError = () => Errors.method('MESSAGE_ID', 'Message ID is not correct');

export const imopenlinesSessionMethods: MethodDef[] = [
  {
    name: 'imopenlines.session.mode.pin',
    scope: 'imopenlines',
    params: ['CHAT_ID', 'ACTIVATE'],
    async handler({ app, auth, params }) {
      // Pinning is the default: only N unpins.
      await app.sessionModes.pin(auth.user, chatId(params, 'CHAT_ID_EMPTY'), params.string('ACTIVATE') !== 'N');
      return true;
    },
  },
  {
    name: 'imopenlines.session.mode.pinAll',
    scope: 'imopenlines',
    params: [],
    handler: ({ app, auth }) => app.sessionModes.pinAll(auth.user, true),
  },
  {
    name: 'imopenlines.session.mode.unpinAll',
    scope: 'imopenlines',
    params: [],
    handler: ({ app, auth }) => app.sessionModes.pinAll(auth.user, false),
  },
  {
    name: 'imopenlines.session.mode.silent',
    scope: 'imopenlines',
    params: ['CHAT_ID', 'ACTIVATE'],
    async handler({ app, auth, params }) {
      // Only Y switches it on; anything else (or nothing) switches it off.
      await app.sessionModes.silent(auth.user, chatId(params), params.string('ACTIVATE') === 'Y');
      return true;
    },
  },
  {
    name: 'imopenlines.session.head.vote',
    scope: 'imopenlines',
    params: ['SESSION_ID', 'RATING', 'COMMENT'],
    async handler({ app, auth, params }) {
      const sessionId = optionalPositiveId(params, 'SESSION_ID');
      if (!sessionId) throw Errors.method('EMPTY_SESSION_ID', 'Session ID can\'t be empty');
      const rating = params.string('RATING')?.trim() || undefined;
      const comment = params.string('COMMENT')?.trim() || undefined;
      // "0" counts as empty, as PHP's truthiness has it.
      if ((!rating || rating === '0') && !comment) {
        throw Errors.method('EMPTY_VOTE_PARAMS', 'At least one of the parameters RATING or COMMENT must be specified');
      }
      await app.sessionModes.headVote(auth.user, sessionId, rating === undefined ? undefined : Number(rating), comment);
      return true;
    },
  },
  {
    name: 'imopenlines.session.history.get',
    scope: 'imopenlines',
    params: ['SESSION_ID', 'CHAT_ID'],
    async handler({ app, auth, params }) {
      let sessionId = optionalPositiveId(params, 'SESSION_ID');
      if (!sessionId) {
        const chat = optionalPositiveId(params, 'CHAT_ID');
        if (!chat) throw Errors.method('MISSING_REQUIRED_PARAM', 'Session ID or Chat ID must be provided');
        sessionId = (await app.store.openlines.lastSession(chat))?.id;
        if (!sessionId) throw Errors.method('INVALID_SESSION_ID', 'Unable to determine session ID from provided parameters');
      }
      const history = await app.sessionModes.history(auth.user, sessionId);
      const files = await app.files.ofMessages(history.messages.filter((m) => m.has_file).map((m) => m.id));
      const shown = await imFiles(app, files, auth.user.id);
      return sessionHistory(history, Object.fromEntries(shown.map((f) => [String(f.id), f])), await presentOptionsFor(app, history.authors));
    },
  },
  {
    name: 'imopenlines.message.session.start',
    scope: 'imopenlines',
    params: ['CHAT_ID', 'MESSAGE_ID'],
    async handler({ app, auth, params }) {
      const id = chatId(params);
      const messageId = optionalPositiveId(params, 'MESSAGE_ID');
      if (!messageId) throw messageIdError();
      await app.sessions.startFromMessage(auth.user, id, messageId);
      return true;
    },
  },
  {
    name: 'imopenlines.message.quick.save',
    scope: 'imopenlines',
    params: ['CHAT_ID', 'MESSAGE_ID'],
    async handler({ app, auth, params }) {
      await app.sessionModes.quickSave(auth.user, chatId(params), optionalPositiveId(params, 'MESSAGE_ID') ?? 0);
      return true;
    },
  },
];
