// Notifications (the bell): each addressed to one user and kept in that user's notification chat (type S), as a
// portal keeps them. Applications add personal and system ones (im.notify.*); confirm notifications (buttons) and
// ones that take a quick answer come from the portal itself: here, from `b24im notify add`.
import crypto from 'node:crypto';
import { Errors } from '../errors.ts';
import type { NewNotification, NotificationRow, Store, UserRow } from '../store/store.ts';
import type { Attach } from './attach.ts';
import type { Clock } from './clock.ts';
import type { MessagesService } from './messages.ts';
import { atom } from '../present/dates.ts';
import { notificationHtml } from '../present/notifications.ts';
import { absoluteUrl, fullName, imUser, type PresentOptions } from '../present/users.ts';
import type { PullOutgoing } from './pull/publisher.ts';

/** Where notifications are announced in real time (the Push & Pull log); optional, so tools run without it. */
export interface NotifyChannel {
  publish(tx: Store, items: PullOutgoing[]): Promise<void>;
  /** After commit: deliver what was published. */
  wake(): void;
  options(): PresentOptions;
}

/** notify_type values a portal uses. */
export const NotifyType = { CONFIRM: 1, FROM_USER: 2, SYSTEM: 4 } as const;

export interface ConfirmButton {
  TITLE: string;
  VALUE: string;
  TYPE: string;
}

export interface NewNotificationInput {
  to: number;
  /** 0 for a system notification. */
  from: number;
  type: number;
  text: string;
  textOut?: string;
  title?: string;
  module?: string;
  event?: string;
  /** Full tags as stored (an application's carry its MP|key| prefix). */
  tag?: string;
  subTag?: string;
  attach?: Attach[] | null;
  buttons?: ConfirmButton[];
  answer?: boolean;
}

export interface NotificationPage {
  chatId?: number;
  total: number;
  unread: number;
  items: NotificationRow[];
}

/**
 * The stored form of an application's tag: MP|<first 5 hex of md5(client id)>|TAG, so two applications' tags
 * never collide and each deletes only its own (client id: the application's, or `custom` + a webhook's CLIENT_ID).
 */
export function appTag(clientKey: string, tag: string): string {
  return `MP|${crypto.createHash('md5').update(clientKey).digest('hex').slice(0, 5)}|${tag}`;
}

export class NotificationsService {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly messages: MessagesService,
    private readonly language: 'en' | 'ru',
    private readonly channel?: NotifyChannel,
  ) {}

  /** Adds a notification; false when the recipient does not exist or is inactive (the portal's Add gives false). */
  async add(input: NewNotificationInput): Promise<number | false> {
    const recipient = await this.store.users.get(input.to);
    if (!recipient || !recipient.active) return false;
    return this.store.transaction(async (tx) => {
      await tx.lock(`notify:${input.to}`);
      const chatId = await this.notifyChat(tx, input.to);
      // A tag names one notification per recipient: a new one replaces the old.
      if (input.tag) await tx.notifications.deleteByTag('tag', input.tag, input.to);
      const row: NewNotification = {
        user_id: input.to,
        chat_id: chatId,
        author_id: input.from,
        type: input.type,
        module: input.module ?? 'rest',
        event: input.event ?? 'rest_notify',
        tag: input.tag ?? '',
        sub_tag: input.subTag ?? '',
        title: input.title ?? '',
        text: input.text,
        text_out: input.textOut ?? '',
        attach: input.attach ? JSON.stringify(input.attach) : '',
        buttons: input.buttons?.length ? JSON.stringify(input.buttons) : '',
        answer: input.answer ? 1 : 0,
        is_read: 0,
        date: this.clock(),
      };
      const id = await tx.notifications.add(row);
      if (this.channel) await this.announce(tx, { ...row, id });
      return id;
    }).finally(() => this.channel?.wake());
  }

  /** The portal's `notifyAdd` pull event to the recipient, with the unread counter after this one. */
  private async announce(tx: Store, n: NotificationRow): Promise<void> {
    const o = this.channel!.options();
    const author = n.author_id > 0 ? await tx.users.get(n.author_id) : undefined;
    const counter = (await tx.notifications.counts(n.user_id)).unread;
    const params: Record<string, unknown> = {
      id: n.id,
      type: n.type,
      date: atom(n.date, o.zone),
      silent: 'N',
      onlyFlash: false,
      link: '',
      text: notificationHtml(n.text),
      tag: n.tag ? crypto.createHash('md5').update(n.tag).digest('hex') : '',
      originalTag: n.tag,
      original_tag: n.tag,
      read: 'N',
      settingName: `${n.module}|${n.event}`,
      params: n.attach ? { ATTACH: JSON.parse(n.attach) } : [],
      counter,
      users: author ? [imUser(author, o)] : [],
      userId: author?.id ?? null,
      userName: author ? fullName(author) : null,
      userColor: author?.color ?? null,
      userAvatar: author ? absoluteUrl(author.avatar, o.publicUrl) : null,
      userLink: null,
    };
    if (n.type === NotifyType.CONFIRM) params.buttons = n.buttons ? JSON.parse(n.buttons) : [];
    else params.title = n.title;
    await this.channel!.publish(tx, [{ userIds: [n.user_id], moduleId: 'im', command: 'notifyAdd', params }]);
  }

  /** The user's notification chat id, created with the first notification. */
  private async notifyChat(tx: Store, userId: number): Promise<number> {
    const key = `notify:${userId}`;
    const found = await tx.chats.byDialogKey(key);
    if (found) return found.id;
    const now = this.clock();
    const chat = await tx.chats.create({
      type: 'S', dialog_key: key, title: '', description: '', color: '', avatar: '', owner_id: userId, author_id: userId,
      entity_type: '', entity_id: '', entity_data_1: '', entity_data_2: '', entity_data_3: '', date_create: now,
      date_update: now, last_message_id: 0, last_message_date: null, last_seq: 0, deleted_seq_max: 0, member_count: 0,
      large: 0, extranet: 0,
    });
    return chat.id;
  }

  /**
   * im.notify.get: confirm notifications first, then the others, newest first in each group. A cursor (lastId,
   * lastType) continues where the previous page ended: lastType 1 inside the confirms, any other inside the rest.
   */
  async page(userId: number, opts: { lastId?: number; lastType?: number; limit: number }): Promise<NotificationPage> {
    const items: NotificationRow[] = [];
    const inConfirms = opts.lastId === undefined || opts.lastType === 1;
    if (inConfirms) items.push(...(await this.store.notifications.page({ userId, confirms: true, beforeId: opts.lastId, limit: opts.limit })));
    if (items.length < opts.limit) {
      const beforeId = inConfirms ? undefined : opts.lastId;
      items.push(...(await this.store.notifications.page({ userId, confirms: false, beforeId, limit: opts.limit - items.length })));
    }
    const { total, unread } = await this.store.notifications.counts(userId);
    const chat = await this.store.chats.byDialogKey(`notify:${userId}`);
    return { chatId: chat?.id, total, unread, items };
  }

  async unreadCount(userId: number): Promise<number> {
    return (await this.store.notifications.counts(userId)).unread;
  }

  /** Marks a notification (and, unless onlyCurrent, every newer one) read or unread. */
  async setRead(userId: number, id: number, onlyCurrent: boolean, read: boolean): Promise<void> {
    await this.store.notifications.setRead(userId, id, !onlyCurrent, read);
  }

  async readAll(userId: number): Promise<void> {
    await this.store.notifications.setRead(userId, 0, true, true);
  }

  /** Deletes one of the user's own notifications; false when it is not theirs or does not exist. */
  async delete(userId: number, id: number): Promise<boolean> {
    const row = await this.store.notifications.get(id);
    if (!row || row.user_id !== userId) return false;
    await this.store.notifications.delete(id);
    return true;
  }

  /** Deletes every notification with an application's tag or sub-tag (whoever received it). */
  async deleteByTag(field: 'tag' | 'sub_tag', value: string): Promise<boolean> {
    await this.store.notifications.deleteByTag(field, value);
    return true;
  }

  /**
   * A button of the user's confirm notification was pressed: the notification is done (removed, as a portal removes
   * it); the answer is the pressed button's title. False when it is no such notification or no such button.
   */
  async confirm(userId: number, id: number, value: string): Promise<string[] | false> {
    const row = await this.store.notifications.get(id);
    if (!row || row.user_id !== userId || row.type !== NotifyType.CONFIRM || !row.buttons) return false;
    const button = (JSON.parse(row.buttons) as ConfirmButton[]).find((b) => b.VALUE === value);
    if (!button) return false;
    await this.store.notifications.delete(id);
    return [button.TITLE];
  }

  /**
   * A quick answer: the text goes to the notification's author as a message in their dialog, and the notification
   * is marked read. False when the notification takes no answer or is not the user's.
   */
  async answer(user: UserRow, id: number, text: string): Promise<string[] | false> {
    const row = await this.store.notifications.get(id);
    if (!row || row.user_id !== user.id || !row.answer || row.author_id <= 0) return false;
    const author = await this.store.users.get(row.author_id);
    if (!author?.active) throw Errors.method('ANSWER_ERROR', 'The author of the notification cannot receive messages');
    await this.messages.add(user, { kind: 'user', userId: row.author_id }, { text });
    await this.store.notifications.setRead(user.id, id, false, true);
    return [this.language === 'ru' ? 'Ваш ответ успешно отправлен.' : 'Your answer has been sent.'];
  }
}
