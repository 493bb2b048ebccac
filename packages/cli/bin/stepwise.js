#!/usr/bin/env node
// The `stepwise` command. A built package runs dist/bin.js; in a fresh clone of the stepwise repository (no build
// yet), it runs the TypeScript source through tsx with the workspace's `stepwise-source` export condition.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';

const built = new URL('../dist/bin.js', import.meta.url);
if (existsSync(built)) {
  await import(built.href);
} else {
  const source = new URL('../src/bin.ts', import.meta.url);
  const tsx = import.meta.resolve('tsx');
  const child = spawn(
    process.execPath,
    ['--conditions=stepwise-source', '--import', tsx, source.pathname, ...process.argv.slice(2)],
    { stdio: 'inherit' },
  );
  process.on('SIGINT', () => {});
  child.on('exit', (code, signal) => {
    process.exitCode = code ?? (signal ? 128 + 2 : 1);
  });
}
