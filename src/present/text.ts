// Message preview text for recent items (decision 4): BB-codes stripped the way a portal strips them, line
// breaks as spaces, and the portal language's markers for attachments, files and quotes.
export type Lang = 'en' | 'ru';

const MARKERS: Record<Lang, { file: string; attach: string; quote: string; rating: string; icon: string }> = {
  en: { file: '[File]', attach: '[Attachment]', quote: '[Quote]', rating: '[Rating]', icon: 'Icon' },
  ru: { file: '[Файл]', attach: '[Вложение]', quote: '[Цитата]', rating: '[Оценка]', icon: 'Иконка' },
};

export interface PreviewOptions {
  hasFile: boolean;
  hasAttach: boolean;
  lang: Lang;
  /** Full name of a user, for the short mention form [USER=5][/USER]; undefined when unknown. */
  userName?: (id: number) => string | undefined;
}

/** Tags whose markup goes and whose content stays: [b]x[/b] -> x. */
const CONTENT_TAGS: RegExp[] = [
  /\[([bui])\]([\s\S]*?)\[\/\1\]/gi,
  /\[url\]([\s\S]*?)\[\/url\]/gi,
  /\[url\s*=\s*[^\]]*\]([\s\S]*?)\[\/url\]/gi,
  /\[user=\d+(?: replace)?\]([\s\S]*?)\[\/user\]/gi,
  /\[dialog=(?:chat\d+|\d+)(?: message=\d+)?\]([\s\S]*?)\[\/dialog\]/gi,
  /\[context=(?:chat\d+|\d+:\d+)\/\d+\]([\s\S]*?)\[\/context\]/gi,
  /\[chat=\d+\]([\s\S]*?)\[\/chat\]/gi,
  /\[send(?:=[^\]]+?)?\]([\s\S]*?)\[\/send\]/gi,
  /\[put(?:=[^\]]+?)?\]([\s\S]*?)\[\/put\]/gi,
  /\[call(?:=[^\]]+?)?\]([\s\S]*?)\[\/call\]/gi,
  /\[pch=\d+\]([\s\S]*?)\[\/pch\]/gi,
  /\[size=\d+\]([\s\S]*?)\[\/size\]/gi,
  /\[color=#(?:[0-9a-f]{3}|[0-9a-f]{6})\]([\s\S]*?)\[\/color\]/gi,
];

/** The user ids of short mentions ([USER=5][/USER]) whose names the preview needs. */
export function mentionedUserIds(text: string): number[] {
  // Most texts have no markup at all: no regular expression for them.
  if (!text.includes('[')) return [];
  return [...text.matchAll(/\[user=(\d+)\]\[\/user\]/gi)].map((m) => Number(m[1]));
}

/** Texts without markup, line breaks or quote lines need none of the rewriting below (most messages). */
const NEEDS_WORK = /[[\r\n#]|-{54}/;

export function previewText(text: string, opts: PreviewOptions): string {
  const m = MARKERS[opts.lang];
  if (!NEEDS_WORK.test(text)) {
    const t = (opts.hasAttach ? `${text} ${m.attach}` : text).trim();
    return (opts.hasFile ? `${t} ${m.file}` : t).trim();
  }
  // The item shows one line: every line break becomes a space (and the portal's #BR# / [br] breaks too).
  let t = text.replace(/\r\n|\r|\n/g, ' ').replace(/#BR#|\[br\]/gi, ' ');
  if (opts.hasAttach) t += ` ${m.attach}`;
  // Struck-out text is dropped entirely.
  t = t.replace(/\[s\][\s\S]*?\[\/s\]/gi, '');
  t = t.replace(/\[rating=[1-5]\]/gi, ` ${m.rating} `);
  t = t.replace(/\[attach=\d+\]/gi, ` ${m.attach} `);
  t = t.replace(/\[user=(\d+)\]\[\/user\]/gi, (all, id: string) => opts.userName?.(Number(id)) ?? '');
  for (const re of CONTENT_TAGS) {
    // Nested tags of the same kind need more than one pass.
    for (let i = 0; i < 5; i++) {
      const next = t.replace(re, (...g: string[]) => g[g.length === 5 ? 2 : 1] ?? '');
      if (next === t) break;
      t = next;
    }
  }
  t = t.replace(/\[icon=([^\]]*)\]/gi, (_all, inner: string) => `(${iconTitle(inner) ?? m.icon})`);
  // A quoted block (between two lines of 54 dashes) or a [quote] block is one marker.
  t = t.replace(/-{54}[\s\S]+?-{54}/g, ` ${m.quote} `);
  t = t.replace(/\[quote\][\s\S]*?\[\/quote\]/gi, ` ${m.quote} `);
  t = t.trim();
  if (opts.hasFile) t = `${t} ${m.file}`;
  return t.trim();
}

function iconTitle(inner: string): string | undefined {
  const match = /title=(.*[^\s\]])/i.exec(inner);
  if (!match) return undefined;
  let title = match[1];
  for (const cut of ['width=', 'height=', 'size=']) {
    const at = title.indexOf(cut);
    if (at >= 0) title = title.slice(0, at);
  }
  return title.trim();
}
