#!/usr/bin/env node
// npm run build: the server and CLI compiled into dist/ as a few ES module chunks with source maps.
// Bundled rather than compiled file by file: loading ~450 small modules (ours, kysely's, zod's) was most of a CLI
// command's cold start; a bundle loads in a handful of reads. Code splitting keeps the CLI's lazy imports lazy, so
// `b24im --help` still loads neither the server nor a database driver. Type checking is `npm run typecheck`'s job.
import fs from 'node:fs';
import path from 'node:path';
import * as esbuild from 'esbuild';

const ROOT = path.resolve(import.meta.dirname, '..');
const OUT = path.join(ROOT, 'dist');

fs.rmSync(OUT, { recursive: true, force: true });
await esbuild.build({
  absWorkingDir: ROOT,
  entryPoints: { main: 'src/cli/main.ts' },
  outdir: OUT,
  bundle: true,
  splitting: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  sourcemap: 'linked',
  sourcesContent: false,
  // Native or optional modules are loaded from node_modules at run time, as installed for this machine.
  external: ['better-sqlite3', 'pg-native', 'sharp'],
  // Bundled CommonJS dependencies call require(); an ES module has none of its own.
  banner: { js: "import { createRequire as __b24imRequire } from 'node:module'; const require = __b24imRequire(import.meta.url);" },
  logLevel: 'warning',
});
