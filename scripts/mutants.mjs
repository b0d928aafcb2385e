#!/usr/bin/env node
// Plants known bugs one at a time and runs the tests that should catch each; reports the mutants that survive.
//   node scripts/mutants.mjs [NAME...]      default: every mutant below
// Mutants are applied to a scratch git worktree of HEAD (committed code only), never to this checkout. Each runs
// its test files on SQLite; a mutant is "killed" when those tests fail. Exit code 1 if any survives.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '..');

/** Each mutant: one exact text replaced in one file (it must occur exactly once), and the tests meant to catch it. */
const MUTANTS = [
  {
    name: 'scope',
    what: 'im.message.add needs only the base scope',
    file: 'src/methods/im.message.ts',
    from: "name: 'im.message.add',\n    scope: 'im',",
    to: "name: 'im.message.add',\n    scope: 'basic',",
    tests: ['test/access.test.ts'],
    pattern: 'scope',
  },
  {
    name: 'shutdown',
    what: 'serve exits at once on SIGTERM',
    file: 'src/cli/serve.ts',
    from: "process.on('SIGTERM', () => void stop('SIGTERM'));",
    to: "process.on('SIGTERM', () => process.exit(0));",
    tests: ['test/foundation.test.ts'],
    pattern: 'SIGTERM',
  },
  {
    name: 'order-tiebreak',
    what: 'recent items with equal dates ordered by item id ascending',
    file: 'src/app/recent.ts',
    from: 'b.member.item_id - a.member.item_id ||',
    to: 'a.member.item_id - b.member.item_id ||',
    tests: ['test/recent-model.test.ts'],
  },
  {
    name: 'order-index',
    what: 'the index-served page ordered by item id ascending',
    file: 'src/store/sql/members.ts',
    from: ".orderBy('members.item_id', 'desc')",
    to: ".orderBy('members.item_id', 'asc')",
    tests: ['test/recent.test.ts'],
    pattern: 'cut ties',
  },
  {
    name: 'counter-deleted',
    what: 'deleted messages still counted as unread',
    file: 'src/app/reads.ts',
    from: 'n -= await store.messages.countDeletedAfter(chat.id, member.read_seq);',
    to: 'n -= 0 * (await store.messages.countDeletedAfter(chat.id, member.read_seq));',
    tests: ['test/core-model.test.ts'],
  },
  {
    name: 'counter-off-by-one',
    what: 'the unread counter one short',
    file: 'src/app/reads.ts',
    from: 'let n = chat.last_seq - member.read_seq;',
    to: 'let n = chat.last_seq - member.read_seq - 1;',
    tests: ['test/core-model.test.ts'],
  },
  {
    name: 'auth-webhook-code',
    what: "a webhook's secret code is not checked",
    file: 'src/app/auth.ts',
    from: 'const hook = hooks.find((h) => sameHash(h.code_hash, digest));',
    to: 'const hook = hooks.find(() => digest !== undefined);',
    tests: ['test/foundation.test.ts'],
    pattern: 'auth|credential|webhook',
  },
  {
    name: 'strict-mode',
    what: 'strict mode lets every fallback through',
    file: 'src/methods/params.ts',
    from: 'if (this.opts.strict) throw Errors.argument(this.key(name), problem);',
    to: 'if (this.opts.strict && problem === null) throw Errors.argument(this.key(name), problem);',
    tests: ['test/foundation.test.ts'],
    pattern: 'strict',
  },
  {
    name: 'paging-next',
    what: 'user.get offers a next page after the last one',
    file: 'src/methods/user.ts',
    from: 'const next = start + rows.length < total ? start + rows.length : undefined;',
    to: 'const next = start + rows.length <= total ? start + rows.length : undefined;',
    tests: ['test/foundation.test.ts'],
    pattern: 'total and next',
  },
  {
    name: 'json-empty-array',
    what: "an empty JSON array body is refused in strict mode (the PHP SDK's call without parameters)",
    file: 'src/http/body.ts',
    from: 'if (parsed === null || (Array.isArray(parsed) && parsed.length === 0)) return { params: {} };',
    to: 'if (parsed === null) return { params: {} };',
    tests: ['test/php-sdk.test.ts'],
    pattern: 'strict',
  },
];

const wanted = process.argv.slice(2);
const selected = wanted.length ? MUTANTS.filter((m) => wanted.includes(m.name)) : MUTANTS;
if (wanted.length && selected.length !== wanted.length) {
  console.error(`unknown mutant; known: ${MUTANTS.map((m) => m.name).join(', ')}`);
  process.exit(2);
}

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'b24im-mutants-'));
const git = (...args) => execFileSync('git', args, { cwd: ROOT, stdio: 'pipe' }).toString();
git('worktree', 'add', '--detach', scratch, 'HEAD');
fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(scratch, 'node_modules'));

const rows = [];
try {
  for (const m of selected) {
    const file = path.join(scratch, m.file);
    const original = fs.readFileSync(file, 'utf8');
    const count = original.split(m.from).length - 1;
    if (count !== 1) {
      rows.push({ ...m, outcome: `NOT APPLIED (text found ${count} times)` });
      continue;
    }
    fs.writeFileSync(file, original.replace(m.from, m.to));
    const started = Date.now();
    const args = ['--import', 'tsx', '--test', '--test-concurrency=2', ...(m.pattern ? [`--test-name-pattern=${m.pattern}`] : []), ...m.tests];
    const r = spawnSync(process.execPath, args, { cwd: scratch, stdio: 'pipe', env: { ...process.env, B24IM_TEST_BACKEND: 'sqlite' } });
    fs.writeFileSync(file, original);
    const seconds = ((Date.now() - started) / 1000).toFixed(0);
    rows.push({ ...m, outcome: r.status === 0 ? 'SURVIVED' : 'killed', seconds });
    console.log(`${rows.at(-1).outcome.padEnd(8)} ${m.name} (${seconds} s)`);
  }
} finally {
  git('worktree', 'remove', '--force', scratch);
}

console.log('\n| mutant | planted bug | tests | outcome |\n|---|---|---|---|');
for (const r of rows) console.log(`| ${r.name} | ${r.what} | ${r.tests.join(', ')}${r.pattern ? ` (/${r.pattern}/)` : ''} | ${r.outcome} |`);
process.exit(rows.some((r) => r.outcome !== 'killed') ? 1 : 0);
