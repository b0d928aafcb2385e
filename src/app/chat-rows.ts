// A new chat row with a portal's defaults: each kind of chat states only what makes it that kind.
import type { NewChat } from '../store/store.ts';

export function newChatRow(fields: Pick<NewChat, 'type' | 'author_id'> & Partial<NewChat>, now: number): NewChat {
  return {
    dialog_key: null,
    title: '',
    description: '',
    color: '',
    avatar: '',
    owner_id: 0,
    entity_type: '',
    entity_id: '',
    entity_data_1: '',
    entity_data_2: '',
    entity_data_3: '',
    date_create: now,
    date_update: now,
    last_message_id: 0,
    last_message_date: null,
    last_seq: 0,
    deleted_seq_max: 0,
    member_count: 0,
    large: 0,
    extranet: 0,
    ...fields,
  };
}
