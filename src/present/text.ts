// Message preview text for recent items: BB-codes stripped, line breaks as spaces, markers appended (decision 4).
type Lang = 'en' | 'ru';

const MARKERS: Record<Lang, { file: string; attach: string; quote: string }> = {
  en: { file: '[File]', attach: '[Attachment]', quote: '[Quote]' },
  ru: { file: '[Файл]', attach: '[Вложение]', quote: '[Цитата]' },
};

/** Tags whose content stays and whose markup goes. */
const KEEP_CONTENT = ['b', 'i', 'u', 'url', 'user', 'chat', 'dialog', 'send', 'put', 'call', 'size', 'color', 'code', 'context', 'left', 'right', 'center', 'justify', 'font', 'list', '\\*'];

export function previewText(text: string, opts: { hasFile: boolean; hasAttach: boolean; lang: Lang }): string {
  const m = MARKERS[opts.lang];
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
  for (const tag of KEEP_CONTENT) {
    t = t.replace(new RegExp(`\\[${tag}(?:=[^\\]]*)?(?: [^\\]]*)?\\]`, 'gi'), '').replace(new RegExp(`\\[\\/${tag}\\]`, 'gi'), '');
  }
  t = t.replace(/[\r\n\t]+/g, ' ').replace(/ {2,}/g, ' ').trim();
  if (attach) t = `${t} ${m.attach}`;
  if (opts.hasFile) t = `${t} ${m.file}`;
  return t.trim();
}
