// Parameters shared by the im.* families: DIALOG_ID, CHAT_ID, message ids.
import { parseDialogId, type DialogRef } from '../app/dialog-id.ts';
import { Errors } from '../errors.ts';
import { INT32, intWithin, SAFE_INT } from './intval.ts';
import type { Params } from './params.ts';

export function requireDialog(params: Params, name = 'DIALOG_ID'): DialogRef {
  const ref = parseDialogId(params.string(name));
  if (!ref) throw Errors.method('DIALOG_ID_EMPTY', 'Dialog ID can\'t be empty');
  return ref;
}

/** CHAT_ID as a number (a "chatN" value is not a chat id, as the docs say). */
export function requireChatId(params: Params, name = 'CHAT_ID'): number {
  const raw = params.raw(name);
  const id = typeof raw === 'number' || typeof raw === 'string' ? intWithin(raw, INT32) : 0;
  if (id <= 0) throw Errors.method('CHAT_ID_EMPTY', 'Chat ID can\'t be empty');
  return id;
}

/** The chat of a chat method: DIALOG_ID when given (chatN; anything else is DIALOG_ID_EMPTY), else CHAT_ID. */
export function requireChatTarget(params: Params): number {
  if (params.has('DIALOG_ID')) {
    const m = /^chat(\d+)$/.exec(params.string('DIALOG_ID') ?? '');
    if (!m) throw Errors.method('DIALOG_ID_EMPTY', "Dialog ID can't be empty");
    const id = intWithin(m[1], INT32);
    if (id <= 0) throw Errors.method('CHAT_ID_EMPTY', 'Chat ID can\'t be empty');
    return id;
  }
  return requireChatId(params);
}

/** A positive message id (64-bit) when given. */
export function optionalPositiveId(params: Params, name: string): number | undefined {
  if (!params.has(name)) return undefined;
  const id = params.int(name, SAFE_INT);
  return id !== undefined && id > 0 ? id : undefined;
}

/** USER_ID (or another user id parameter): a positive id, or USER_ID_EMPTY. */
export function requireUserId(params: Params, name = 'USER_ID'): number {
  const userId = params.int(name) ?? 0;
  if (userId <= 0) throw Errors.method('USER_ID_EMPTY', 'User ID can\'t be empty');
  return userId;
}
