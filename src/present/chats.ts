// Chat objects of im.chat.get and im.dialog.get, and the pieces the recent item's chat (present/recent.ts) shares.
import type { ChatRow, MemberRow } from '../store/store.ts';
import { atom } from './dates.ts';
import { absoluteUrl, type PresentOptions } from './users.ts';

/** The chat `type` word a portal derives from the chat's letter. */
export function chatTypeName(chat: Pick<ChatRow, 'type'>): string {
  switch (chat.type) {
    case 'O':
      return 'open';
    case 'L':
      return 'lines';
    case 'P':
      return 'private';
    default:
      return 'chat';
  }
}

export function roleOf(chat: Pick<ChatRow, 'owner_id'>, member: Pick<MemberRow, 'user_id' | 'role'> | undefined): 'OWNER' | 'MANAGER' | 'MEMBER' | 'GUEST' {
  if (!member) return 'GUEST';
  if (chat.owner_id === member.user_id) return 'OWNER';
  return member.role === 'MANAGER' ? 'MANAGER' : 'MEMBER';
}

export function restrictions(chat: Pick<ChatRow, 'type'>) {
  const lines = chat.type === 'L';
  return { avatar: !lines, rename: !lines, extend: !lines, call: true, mute: true, leave: true, leave_owner: true, send: true, user_list: true };
}

export const PERMISSIONS = {
  manage_users_add: 'member',
  manage_users_delete: 'manager',
  manage_ui: 'member',
  manage_settings: 'owner',
  manage_messages: 'member',
  can_post: 'member',
};

/** im.chat.get / im.dialog.get: the full chat object with its lists. */
export function fullChat(chat: ChatRow, member: MemberRow | undefined, members: MemberRow[], counter: number, o: PresentOptions) {
  const role = roleOf(chat, member);
  return {
    id: chat.id,
    parent_chat_id: 0,
    parent_message_id: 0,
    name: chat.title,
    description: chat.description,
    owner: chat.owner_id,
    extranet: chat.extranet === 1,
    avatar: absoluteUrl(chat.avatar, o.publicUrl),
    color: chat.color,
    type: chatTypeName(chat),
    counter,
    user_counter: chat.member_count,
    message_count: chat.last_seq,
    unread_id: 0,
    restrictions: restrictions(chat),
    last_message_id: chat.last_message_id,
    last_id: member?.read_message_id ?? 0,
    marked_id: 0,
    disk_folder_id: 0,
    entity_type: chat.entity_type,
    entity_id: chat.entity_id,
    entity_data_1: chat.entity_data_1,
    entity_data_2: chat.entity_data_2,
    entity_data_3: chat.entity_data_3,
    // The caller's own mute state only, as a list of ids (the portal's chat.php builds it from the caller's relation).
    mute_list: member?.muted ? [member.user_id] : [],
    manager_list: members.filter((m) => m.role === 'OWNER' || m.role === 'MANAGER' || m.user_id === chat.owner_id).map((m) => m.user_id),
    date_create: atom(chat.date_create, o.zone),
    message_type: chat.type,
    public: '',
    role: role.toLowerCase(),
    entity_link: { type: '', url: '', id: '' },
    text_field_enabled: true,
    background_id: null,
    permissions: PERMISSIONS,
  };
}
