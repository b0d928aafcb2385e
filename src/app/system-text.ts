// Texts of the system messages a portal posts on membership changes, in the portal language.
import type { UserRow } from '../store/store.ts';

type Lang = 'en' | 'ru';

const mention = (u: Pick<UserRow, 'id' | 'name' | 'last_name'>) =>
  `[USER=${u.id}]${[u.name, u.last_name].filter(Boolean).join(' ')}[/USER]`;

const TEXTS = {
  invited: { en: '#A# invited #B# to the chat', ru: '#A# пригласил в чат #B#' },
  left: { en: '#A# left the chat', ru: '#A# покинул чат' },
  kicked: { en: '#A# removed #B# from the chat', ru: '#A# исключил из чата #B#' },
  renamed: { en: '#A# changed the chat name to "#B#"', ru: '#A# изменил название чата на "#B#"' },
  owner: { en: '#A# made #B# the chat owner', ru: '#A# назначил владельцем чата #B#' },
};

export function systemText(
  lang: Lang,
  kind: keyof typeof TEXTS,
  actor: Pick<UserRow, 'id' | 'name' | 'last_name'>,
  others: Pick<UserRow, 'id' | 'name' | 'last_name'>[] | string = [],
): string {
  const b = typeof others === 'string' ? others : others.map(mention).join(', ');
  return TEXTS[kind][lang].replace('#A#', mention(actor)).replace('#B#', b);
}

/** Texts of a message shared as a new chat (im.message.share TYPE=CHAT); #CHAT# links the chat it came from. */
const SHARE_TEXTS = {
  chatCreated: { en: 'A chat was created to discuss this message', ru: 'Для обсуждения этого сообщения создан чат' },
  chatWelcome: { en: 'This chat discusses a message from #CHAT#', ru: 'В этом чате обсуждается сообщение из #CHAT#' },
  file: { en: 'File', ru: 'Файл' },
};

export function shareText(lang: Lang, kind: keyof typeof SHARE_TEXTS, chatLink = ''): string {
  return SHARE_TEXTS[kind][lang].replace('#CHAT#', chatLink);
}

