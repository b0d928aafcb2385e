// DIALOG_ID: "chatN" for a chat, "N" for the one-to-one dialog with user N.
export type DialogRef = { kind: 'user'; userId: number } | { kind: 'chat'; chatId: number };

/** Ids beyond this name no row (32-bit foreign-key columns): such a DIALOG_ID is no dialog. */
const MAX_ID = 2147483647;

export function parseDialogId(value: string | undefined): DialogRef | undefined {
  if (value === undefined) return undefined;
  const v = value.trim();
  let m = /^chat(\d{1,10})$/i.exec(v);
  if (m && Number(m[1]) > 0 && Number(m[1]) <= MAX_ID) return { kind: 'chat', chatId: Number(m[1]) };
  m = /^(\d{1,10})$/.exec(v);
  if (m && Number(m[1]) > 0 && Number(m[1]) <= MAX_ID) return { kind: 'user', userId: Number(m[1]) };
  return undefined;
}

export function chatDialogId(chatId: number): string {
  return `chat${chatId}`;
}

export function dialogKey(a: number, b: number): string {
  return a < b ? `${a}:${b}` : `${b}:${a}`;
}
