#!/usr/bin/env node
// Entry point of the `popek` command: the compiled CLI lives in dist/ (built by `npm ci` via `prepare`).
import { main } from '../dist/src/cli/main.js';

main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (err) => { process.stderr.write(`popek: internal error: ${err instanceof Error ? err.message : String(err)}\n`); process.exitCode = 70; },
);
