#!/usr/bin/env node
// Entry point of the `b24im` command. Runs the compiled code in dist/ (`npm run build`); in a checkout whose
// TypeScript sources are newer than that build (or where there is none), runs the sources through tsx instead, so a
// stale build is never what answers.
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const compiled = path.join(root, 'dist/main.js');
const sources = path.join(root, 'src');

/** The newest modification time of any file under dir. */
function newestMtime(dir) {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(p) : fs.statSync(p).mtimeMs);
  }
  return newest;
}

const built = fs.existsSync(compiled) ? fs.statSync(compiled).mtimeMs : -1;
const useBuild = built >= 0 && (!fs.existsSync(sources) || built >= newestMtime(sources));
let main;
if (useBuild) {
  process.setSourceMapsEnabled(true);
  ({ main } = await import(compiled));
} else {
  const { register } = await import('tsx/esm/api');
  register();
  ({ main } = await import('../src/cli/main.ts'));
}
await main(process.argv);
