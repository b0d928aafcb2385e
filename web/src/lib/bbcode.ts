// BB-codes of message text as a tree the client renders with elements (never as HTML): bold, italic, underline,
// strike, links, mentions, quotes, code, line breaks. Other text stays text, and a link that is not http(s) is
// shown as its text only.

export type BbNode =
  | { kind: 'text'; text: string }
  | { kind: 'br' }
  | { kind: 'b' | 'i' | 'u' | 's' | 'code' | 'quote'; children: BbNode[] }
  | { kind: 'link'; href: string; children: BbNode[] }
  | { kind: 'mention'; id: number; children: BbNode[] };

type Parent = Extract<BbNode, { children: BbNode[] }>;

const SIMPLE = new Set(['b', 'i', 'u', 's', 'code', 'quote']);
const TAG = /\[(\/?)(b|i|u|s|code|quote|url|user|br)(?:=([^\]]*))?\]/gi;

/** Only absolute http(s) links are followed; anything else (javascript:, data:, relative) is not a link. */
export function safeHref(value: string): string | undefined {
  const v = value.trim();
  return /^https?:\/\/[^\s"'<>]+$/i.test(v) ? v : undefined;
}

export function parseBbCode(text: string): BbNode[] {
  const root: BbNode[] = [];
  // Open tags; a tag that is not rendered (an unsafe link) has no node: its content goes to the parent.
  const stack: { tag: string; node?: Parent }[] = [];
  const out = (): BbNode[] => {
    for (let i = stack.length - 1; i >= 0; i--) if (stack[i].node) return stack[i].node!.children;
    return root;
  };
  const pushText = (t: string) =>
    t.split('\n').forEach((part, i) => {
      if (i > 0) out().push({ kind: 'br' });
      if (part) out().push({ kind: 'text', text: part });
    });
  let last = 0;
  for (const m of text.matchAll(TAG)) {
    if (m.index! < last) continue;
    pushText(text.slice(last, m.index));
    last = m.index! + m[0].length;
    const [raw, closing, name, arg] = m;
    const tag = name.toLowerCase();
    if (tag === 'br') {
      if (!closing) out().push({ kind: 'br' });
      continue;
    }
    if (closing) {
      const at = stack.map((f) => f.tag).lastIndexOf(tag);
      if (at < 0) pushText(raw);
      else stack.length = at; // inner tags left open close with it
      continue;
    }
    if (tag === 'url' && arg === undefined) {
      // [url]https://…[/url]: the text is the link.
      const end = text.toLowerCase().indexOf('[/url]', last);
      const inner = end >= 0 ? text.slice(last, end) : '';
      const href = safeHref(inner);
      if (href) {
        out().push({ kind: 'link', href, children: [{ kind: 'text', text: inner }] });
        last = end + '[/url]'.length;
        continue;
      }
    }
    let node: Parent | undefined;
    if (SIMPLE.has(tag)) node = { kind: tag as 'b', children: [] };
    else if (tag === 'user' && /^\d+/.test(arg ?? '')) node = { kind: 'mention', id: Number.parseInt(arg!, 10), children: [] };
    else if (tag === 'url' && arg !== undefined) {
      const href = safeHref(arg);
      if (href) node = { kind: 'link', href, children: [] };
    }
    if (node) out().push(node);
    stack.push({ tag, node });
  }
  pushText(text.slice(last));
  return root;
}
