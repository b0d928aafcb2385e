// Message preview text for recent items: BB-codes stripped, line breaks as spaces, markers appended (decision 4).
type Lang = 'en' | 'ru';

const MARKERS: Record<Lang, { file: string; attach: string; quote: string }> = {
  en: { file: '[File]', attach: '[Attachment]', quote: '[Quote]' },
  ru: { file: '[Файл]', attach: '[Вложение]', quote: '[Цитата]' },
};

/** Tags whose content stays and whose markup goes. */
const KEEP_CONTENT = ['b', 'i', 'u', 'url', 'user', 'chat', 'dialog', 'send', 'put', 'call', 'size', 'color', 'code', 'context', 'left', 'right', 'center', 'justify', 'font', 'list', '\\*'];

/** Built once: this runs for every item of every recent list. */
const TAG_PATTERNS = KEEP_CONTENT.map((tag) => [new RegExp(`\\[${tag}(?:=[^\\]]*)?(?: [^\\]]*)?\\]`, 'gi'), new RegExp(`\\[\\/${tag}\\]`, 'gi')] as const);

/** Texts without markup, quote lines or layout characters need none of the rewriting below. */
const NEEDS_WORK = /[[\r\n\t]|-{54}| {2}/;

export function previewText(text: string, opts: { hasFile: boolean; hasAttach: boolean; lang: Lang }): string {
  const m = MARKERS[opts.lang];
  if (!NEEDS_WORK.test(text)) {
    let t = text.trim();
    if (opts.hasAttach) t = `${t} ${m.attach}`;
    if (opts.hasFile) t = `${t} ${m.file}`;
    return t.trim();
  }
  let t = text;
  let attach = opts.hasAttach;
  t = t.replace(/\[quote\][\s\S]*?\[\/quote\]/gi, ` ${m.quote} `);
  t = t.replace(/-{54}[\s\S]*?-{54}/g, ` ${m.quote} `);
  t = t.replace(/\[s\][\s\S]*?\[\/s\]/gi, '');
  t = t.replace(/\[attach=\d+\]/gi, () => {
    attach = true;
    return '';
  });
  t = t.replace(/\[(?:icon|img|timestamp)[^\]]*\](?:[\s\S]*?\[\/img\])?/gi, '');
  t = t.replace(/\[br\]/gi, ' ');
  for (const [open, close] of TAG_PATTERNS) t = t.replace(open, '').replace(close, '');
  t = t.replace(/[\r\n\t]+/g, ' ').replace(/ {2,}/g, ' ').trim();
  if (attach) t = `${t} ${m.attach}`;
  if (opts.hasFile) t = `${t} ${m.file}`;
  return t.trim();
}
