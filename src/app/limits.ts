// Bounds on everything a client controls, in one place so every layer applies the same numbers.
// docs/reliability.md lists each bound with the error a client gets when it is exceeded.

/** Longest message text accepted by im.message.add / update (characters): longer is 400 MESSAGE_TOO_LONG. */
export const MAX_MESSAGE_LENGTH = 20000;
/** Serialized ATTACH, KEYBOARD or MENU (JSON), in characters (the documented ATTACH bound, used for all three):
 * over it ATTACH_OVERSIZE / KEYBOARD_OVERSIZE / MENU_OVERSIZE. */
export const STRUCTURE_MAX_LENGTH = 60_000;
/** Chat title, in characters (longer ones are cut, as a portal's column would). */
export const CHAT_TITLE_MAX_LENGTH = 255;

/** Commands in one batch; the extra ones get ERROR_BATCH_LENGTH_EXCEEDED. */
export const BATCH_MAX_COMMANDS = 50;
/** Ids in one list parameter (USERS[], ID[] ...); more is 400 ERROR_ARGUMENT. */
export const ID_LIST_MAX = 1000;

/** Page of a classic list method (user.get, im.chat.user.list ...): fixed, as a portal's LIST_LIMIT. */
export const LIST_PAGE_SIZE = 50;

export interface PageSpec {
  /** Used when the client passes nothing, zero or a negative number. */
  default: number;
  /** Larger requests are clamped to it (a portal clamps, it does not refuse). */
  max: number;
}

/** im.dialog.messages.get LIMIT: default 20, at most 50. */
export const DIALOG_MESSAGES_PAGE: PageSpec = { default: 20, max: 50 };
/** im.recent.list / im.dialog.users.list LIMIT: default 50, at most 200. */
export const RECENT_LIST_PAGE: PageSpec = { default: 50, max: 200 };
export const DIALOG_USERS_PAGE: PageSpec = { default: 50, max: 200 };

/** A LIMIT-style page size as a portal reads it: missing or <= 0 gives the default, above max gives max. */
export function pageSize(requested: number | undefined, spec: PageSpec): number {
  if (requested === undefined || !Number.isFinite(requested) || requested <= 0) return spec.default;
  return Math.min(Math.trunc(requested), spec.max);
}

/** Dates a client sends are ATOM with a four-digit year; the accepted range of unix seconds is that of years 1000-9999. */
export const DATE_MIN_TS = -30_610_224_000; // 1000-01-01T00:00:00Z
export const DATE_MAX_TS = 253_402_300_799; // 9999-12-31T23:59:59Z
