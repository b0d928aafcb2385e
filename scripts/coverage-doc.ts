// Writes the method coverage table of docs/compatibility.md: the methods a real b24im server answers (`methods`
// with full=true) against every method of the official docs (test/fixtures/method-scopes.ts, written from the docs
// snapshot). Run: npm run docs:coverage
import fs from 'node:fs';
import path from 'node:path';
import { DOCUMENTED_SCOPES } from '../test/fixtures/method-scopes.ts';
import { ROOT, ok, startServer } from '../test/helpers/server.ts';

const OUT = path.join(ROOT, 'docs/compatibility.md');
const START = '<!-- coverage:start (npm run docs:coverage) -->';
const END = '<!-- coverage:end -->';

/** im.notify, imbot.chat, imbot.v2.Chat ...: the docs' sections. */
function family(method: string): string {
  const parts = method.split('.');
  return (parts[1] === 'v2' ? parts.slice(0, 3) : parts.slice(0, 2)).join('.');
}

async function servedMethods(): Promise<Set<string>> {
  const srv = await startServer();
  try {
    const hook = await srv.webhook(1);
    return new Set(((await ok(hook, 'methods', { full: true })) as string[]).map((m) => m.toLowerCase()));
  } finally {
    await srv.cleanup();
  }
}

async function main(): Promise<void> {
  const served = await servedMethods();
  const documented = Object.keys(DOCUMENTED_SCOPES).sort();
  const families = new Map<string, { all: string[]; missing: string[] }>();
  for (const m of documented) {
    const f = families.get(family(m)) ?? { all: [], missing: [] };
    f.all.push(m);
    if (!served.has(m.toLowerCase())) f.missing.push(m);
    families.set(family(m), f);
  }
  const total = documented.length;
  const done = documented.filter((m) => served.has(m.toLowerCase())).length;
  const rows = [...families].sort(([a], [b]) => a.localeCompare(b)).map(([name, f]) => {
    const missing = f.missing.length === 0 ? '—' : f.missing.length === f.all.length ? 'all' : f.missing.map((m) => `\`${m}\``).join(', ');
    return `| \`${name}\` | ${f.all.length - f.missing.length} / ${f.all.length} | ${missing} |`;
  });
  const table = [
    START,
    `b24im answers **${done} of the ${total}** methods the official docs describe (counted by a real server's \`methods\`;`,
    `the docs list from \`test/fixtures/method-scopes.ts\`). Per section:`,
    '',
    '| section | served | not yet |',
    '|---|---|---|',
    ...rows,
    END,
  ].join('\n');
  const doc = fs.readFileSync(OUT, 'utf8');
  const at = doc.indexOf(START);
  const next = at >= 0 ? doc.slice(0, at) + table + doc.slice(doc.indexOf(END) + END.length) : doc.replace('## What was different', `## Method coverage\n\n${table}\n\n## What was different`);
  fs.writeFileSync(OUT, next);
  console.log(`${done} / ${total} documented methods served; docs/compatibility.md updated`);
}

await main();
