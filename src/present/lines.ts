// Open lines in the shapes imopenlines.config.* answer: upper-case keys, values as strings (PHP row values).
import type { LineView } from '../app/lines.ts';
import type { UserRow } from '../store/store.ts';
import { phpMap } from './php.ts';
import { absoluteUrl, fullName } from './users.ts';

/** Settings a line has before anyone changes them (b24im's defaults; a portal's texts are not copied). */
const DEFAULTS: Record<string, unknown> = {
  CRM: 'N', CRM_CREATE: 'none', CRM_CREATE_SECOND: '0', CRM_CREATE_THIRD: 'Y', CRM_FORWARD: 'Y', CRM_CHAT_TRACKER: 'N',
  CRM_TRANSFER_CHANGE: 'Y', CRM_SOURCE: 'create', QUEUE_TIME: '60', NO_ANSWER_TIME: '60', CHECK_AVAILABLE: 'N',
  WATCH_TYPING: 'Y', WELCOME_BOT_ENABLE: 'N', VOTE_MESSAGE: 'N', VOTE_TIME_LIMIT: '0', VOTE_BEFORE_FINISH: 'Y',
  VOTE_CLOSING_DELAY: 'N', VOTE_MESSAGE_1_TEXT: '', VOTE_MESSAGE_1_LIKE: '', VOTE_MESSAGE_1_DISLIKE: '',
  VOTE_MESSAGE_2_TEXT: '', VOTE_MESSAGE_2_LIKE: '', VOTE_MESSAGE_2_DISLIKE: '', AGREEMENT_MESSAGE: 'N', AGREEMENT_ID: '0',
  CATEGORY_ENABLE: 'N', CATEGORY_ID: '0', WELCOME_BOT_JOIN: 'always', WELCOME_BOT_ID: '0', WELCOME_BOT_TIME: '0',
  WELCOME_BOT_LEFT: 'queue', NO_ANSWER_RULE: 'none', NO_ANSWER_FORM_ID: '0', NO_ANSWER_BOT_ID: '0', NO_ANSWER_TEXT: '',
  WORKTIME_ENABLE: 'N', WORKTIME_FROM: '9', WORKTIME_TO: '18.30', WORKTIME_TIMEZONE: '', WORKTIME_HOLIDAYS: [],
  WORKTIME_DAYOFF: [], WORKTIME_DAYOFF_RULE: 'none', WORKTIME_DAYOFF_FORM_ID: '0', WORKTIME_DAYOFF_BOT_ID: '0',
  WORKTIME_DAYOFF_TEXT: '', CLOSE_RULE: 'none', CLOSE_FORM_ID: '0', CLOSE_BOT_ID: '0', CLOSE_TEXT: '', FULL_CLOSE_TIME: '10',
  AUTO_CLOSE_RULE: 'none', AUTO_CLOSE_FORM_ID: '0', AUTO_CLOSE_BOT_ID: '0', AUTO_CLOSE_TIME: '14400', AUTO_CLOSE_TEXT: '',
  AUTO_EXPIRE_TIME: '86400',
};

const TAIL_DEFAULTS: Record<string, unknown> = {
  TEMPORARY: 'N', XML_ID: null, QUICK_ANSWERS_IBLOCK_ID: '0', SESSION_PRIORITY: '0', TYPE_MAX_CHAT: 'answered', MAX_CHAT: '0',
  OPERATOR_DATA: 'profile', DEFAULT_OPERATOR_DATA: [], KPI_FIRST_ANSWER_TIME: '0', KPI_FIRST_ANSWER_ALERT: 'N',
  KPI_FIRST_ANSWER_LIST: null, KPI_FIRST_ANSWER_TEXT: '', KPI_FURTHER_ANSWER_TIME: '0', KPI_FURTHER_ANSWER_ALERT: 'N',
  KPI_FURTHER_ANSWER_LIST: null, KPI_FURTHER_ANSWER_TEXT: '', KPI_CHECK_OPERATOR_ACTIVITY: 'N',
  SEND_NOTIFICATION_EMPTY_QUEUE: 'N', USE_WELCOME_FORM: 'N', WELCOME_FORM_ID: '0', WELCOME_FORM_DELAY: 'N',
  SEND_WELCOME_EACH_SESSION: 'N', CONFIRM_CLOSE: 'Y', IGNORE_WELCOME_FORM_RESPONSIBLE: 'N',
};

/** Fields a list may select, order and filter on (the queue blocks come through OPTIONS only). */
export const LINE_FIELDS = [
  'ID', 'ACTIVE', 'LINE_NAME', 'QUEUE_TYPE', 'WELCOME_MESSAGE', 'WELCOME_MESSAGE_TEXT', ...Object.keys(DEFAULTS),
  'DATE_CREATE', 'DATE_MODIFY', 'MODIFY_USER_ID', 'LANGUAGE_ID', ...Object.keys(TAIL_DEFAULTS),
];

/** A stored value as a portal row shows it: scalars as strings, structures as they are. */
function rowValue(v: unknown): unknown {
  if (typeof v === 'number') return String(v);
  if (typeof v === 'boolean') return v ? 'Y' : 'N';
  return v;
}

/** Every setting of a line, without the queue. */
export function lineFields(view: LineView, language: string): Record<string, unknown> {
  const { line } = view;
  const settings = JSON.parse(line.settings) as Record<string, unknown>;
  const pick = (defaults: Record<string, unknown>) =>
    Object.fromEntries(Object.entries(defaults).map(([k, d]) => [k, k in settings ? rowValue(settings[k]) : d]));
  const head = pick(DEFAULTS);
  const out: Record<string, unknown> = { ID: String(line.id), ACTIVE: line.active ? 'Y' : 'N', LINE_NAME: line.name };
  for (const [k, v] of Object.entries(head)) {
    out[k] = v;
    if (k === 'NO_ANSWER_TIME') out.QUEUE_TYPE = line.queue_type;
    if (k === 'WELCOME_BOT_ENABLE') {
      out.WELCOME_MESSAGE = line.welcome_message ? 'Y' : 'N';
      out.WELCOME_MESSAGE_TEXT = line.welcome_message_text;
    }
  }
  // Serialized dates of a portal row come out as empty objects.
  Object.assign(out, { DATE_CREATE: {}, DATE_MODIFY: {}, MODIFY_USER_ID: String(line.modify_user_id) });
  out.LANGUAGE_ID = 'LANGUAGE_ID' in settings ? rowValue(settings.LANGUAGE_ID) : language;
  Object.assign(out, pick(TAIL_DEFAULTS));
  // Fields outside b24im's list are kept and shown as given.
  for (const [k, v] of Object.entries(settings)) if (!(k in out)) out[k] = rowValue(v);
  return out;
}

function queueUserFields() {
  return { USER_NAME: null, USER_WORK_POSITION: null, USER_AVATAR: null, USER_AVATAR_ID: '0' };
}

/** imopenlines.config.get: the settings plus QUEUE, QUEUE_FULL, QUEUE_USERS_FIELDS. */
export function lineConfig(view: LineView, language: string, withQueue: boolean): Record<string, unknown> {
  const out = lineFields(view, language);
  if (!withQueue) return out;
  const queue = view.queue.filter((q) => view.users.has(q.user_id));
  out.QUEUE = queue.map((q) => String(q.user_id));
  out.QUEUE_FULL = phpMap(
    Object.fromEntries(
      queue.map((q) => [
        String(q.user_id),
        { ID: String(q.id), SORT: String(q.sort), USER_ID: String(q.user_id), DEPARTMENT_ID: String(q.department_id), ...queueUserFields() },
      ]),
    ),
  );
  out.QUEUE_USERS_FIELDS = phpMap(Object.fromEntries(queue.map((q) => [String(q.user_id), queueUserFields()])));
  out.QUEUE_ONLINE = queue.length > 0 ? 'Y' : 'N';
  return out;
}

/** imopenlines.config.list.get's OPTIONS.QUEUE block: ids as numbers and each operator's shown fields. */
export function listQueue(view: LineView, publicUrl: string) {
  const users = view.queue.map((q) => view.users.get(q.user_id)).filter((u): u is UserRow => u !== undefined);
  return {
    QUEUE: users.map((u) => u.id),
    QUEUE_USERS_FIELDS: phpMap(
      Object.fromEntries(
        users.map((u) => [
          String(u.id),
          {
            USER_NAME: fullName(u),
            USER_WORK_POSITION: u.work_position || null,
            USER_AVATAR: absoluteUrl(u.avatar, publicUrl),
            USER_AVATAR_ID: null,
          },
        ]),
      ),
    ),
  };
}
