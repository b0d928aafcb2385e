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
