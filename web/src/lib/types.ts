// The shapes of the REST answers the client reads (documented im.* formats; only the fields it uses).

/** "chatN" for a chat, a user id for a one-to-one dialog. */
export type DialogId = string;

export interface ImUser {
  id: number;
  name: string;
  first_name: string;
  last_name: string;
  color: string;
  avatar: string;
  work_position?: string;
  bot?: boolean;
}

export interface RecentMessage {
  id: number;
  text: string;
  author_id: number;
  date: string;
  file?: unknown;
  attach?: unknown;
}

export interface RecentItem {
  id: number | string;
  chat_id: number;
  type: 'user' | 'chat' | string;
  avatar: { url: string; color: string };
  title: string;
  message: RecentMessage;
  counter?: number;
  pinned: boolean;
  unread: boolean;
  date_update: string;
  user?: Partial<ImUser> & { id: number };
  chat?: { id: number; name?: string; type?: string; message_type?: string; entity_type?: string; color?: string };
  lines?: { id: number; status: number; date_create: string } | null;
}

export interface Message {
  id: number;
  chat_id: number;
  author_id: number;
  date: string;
  text: string;
  unread?: boolean;
  params?: Record<string, unknown> | unknown[];
}

/** A file of a message (im.dialog.messages.get `files`). */
export interface ChatFile {
  id: number;
  chatId: number;
  type: 'image' | 'file' | 'video' | 'audio' | string;
  name: string;
  extension: string;
  size: number;
  image: false | { width: number; height: number };
  authorId: number;
  urlPreview: string;
  urlShow: string;
  urlDownload: string;
}

export interface MessagesPage {
  chat_id: number;
  messages: Message[];
  users: ImUser[];
  files?: ChatFile[];
}

export interface DialogRead {
  dialogId: string;
  chatId: number;
  lastId: number;
  counter: number;
}
