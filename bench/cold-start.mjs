#!/usr/bin/env node
// Cold-start times of the `b24im` command: `--help`, `webhook add` on an existing database, and `serve` until its
// first answered request. Prints the median and the slowest of N runs each, with the machine's load average.
//   node bench/cold-start.mjs [--runs N]      (npm run bench:cli; build first: npm run build)
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '..');
const BIN = path.join(ROOT, 'bin/b24im.js');
const runs = Number(process.argv[process.argv.indexOf('--runs') + 1]) || 7;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'b24im-cold-'));
const db = path.join(dir, 'b24im.sqlite');

function timeSync(args) {
  const started = process.hrtime.bigint();
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`b24im ${args.join(' ')}: ${r.stderr}`);
  return Number(process.hrtime.bigint() - started) / 1e6;
}

/** From spawning `serve` to the first 200 of /healthz. */
async function timeServe() {
  const started = process.hrtime.bigint();
  const child = spawn(process.execPath, [BIN, 'serve', '--port', '0', '--host', '127.0.0.1', '--db', db], { stdio: ['ignore', 'pipe', 'ignore'] });
  const url = await new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (c) => {
      out += c;
      const m = /b24im listening on (\S+)/.exec(out);
      if (m) resolve(m[1]);
    });
    child.on('exit', () => reject(new Error('serve exited')));
  });
  const res = await fetch(`${url}/healthz`);
  if (res.status !== 200) throw new Error(`healthz ${res.status}`);
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  child.kill('SIGTERM');
  await new Promise((r) => child.once('exit', r));
  return ms;
}

const stats = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return `median ${s[Math.floor(s.length / 2)].toFixed(0)} ms, slowest ${s.at(-1).toFixed(0)} ms`;
};

const compiled = fs.existsSync(path.join(ROOT, 'dist/main.js'));
console.log(`# b24im cold start, ${runs} runs each, ${compiled ? 'compiled dist/' : 'sources through tsx (no dist/)'}`);
console.log(`# ${new Date().toISOString()}, node ${process.version}, ${os.cpus().length} cores, load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
timeSync(['user', 'add', '--db', db, '--name', 'Warm']); // creates and migrates the database
const help = [];
const hook = [];
const serve = [];
for (let i = 0; i < runs; i++) {
  help.push(timeSync(['--help']));
  hook.push(timeSync(['webhook', 'add', '--db', db, '--user', '1']));
  serve.push(await timeServe());
}
console.log(`b24im --help          ${stats(help)}`);
console.log(`b24im webhook add     ${stats(hook)}`);
console.log(`b24im serve -> 200    ${stats(serve)}`);
fs.rmSync(dir, { recursive: true, force: true });
