#!/usr/bin/env node
// Runs before `npm start` and `npm test`: builds the web client when web/dist is missing or older than its sources,
// so a fresh clone works with README's two commands and an edited client is never served stale.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const web = import.meta.dirname;
const built = path.join(web, 'dist', 'index.html');
const sources = [path.join(web, 'src'), path.join(web, 'index.html'), path.join(web, 'vite.config.ts'), path.join(web, '..', 'package-lock.json')];

function newest(p) {
  if (!fs.existsSync(p)) return 0;
  const st = fs.statSync(p);
  if (!st.isDirectory()) return st.mtimeMs;
  return Math.max(st.mtimeMs, ...fs.readdirSync(p).map((name) => newest(path.join(p, name))));
}

const builtAt = fs.existsSync(built) ? fs.statSync(built).mtimeMs : 0;
if (builtAt > 0 && Math.max(...sources.map(newest)) <= builtAt) process.exit(0);

console.error(builtAt ? 'web client sources changed: rebuilding web/dist' : 'web client not built yet: building web/dist');
const r = spawnSync('npm', ['run', '--silent', 'build:web'], { cwd: path.join(web, '..'), stdio: 'inherit', shell: process.platform === 'win32' });
process.exit(r.status ?? 1);
