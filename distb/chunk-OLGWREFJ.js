import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);

// src/store/store.ts
var USER_TEXT_FIELDS = ["name", "last_name", "email", "work_position"];
var USER_SORT_FIELDS = ["id", "name", "last_name", "email", "date_register"];
function rowActivity({ member, chat }) {
  return Math.max(member.date_last_activity, member.large ? Number(chat.last_message_date ?? 0) : 0);
}
function comparePageRows(a, b) {
  return b.member.pinned - a.member.pinned || rowActivity(b) - rowActivity(a) || b.member.item_id - a.member.item_id || b.member.chat_id - a.member.chat_id;
}

export {
  USER_TEXT_FIELDS,
  USER_SORT_FIELDS,
  rowActivity,
  comparePageRows
};
//# sourceMappingURL=chunk-OLGWREFJ.js.map
