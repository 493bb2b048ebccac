#!/usr/bin/env node
/**
 * Gives every publishable package a `repository` field naming this GitHub repository, when it has none. npm refuses a
 * package published with provenance unless `repository.url` is the repository the provenance names, and the stepwise
 * repository's public address is not settled yet: the release workflow runs this first, with the address GitHub
 * gives it. Usage: `node scripts/set-repository-field.mjs <owner>/<name> [server]` (server default
 * `https://github.com`). Packages that already have a `repository` are left alone.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { publishablePackages, repositoryRoot } from './lib/packed-packages.mjs';

const [slug, server = 'https://github.com'] = process.argv.slice(2);
if (!slug || !/^[\w.-]+\/[\w.-]+$/.test(slug)) {
  console.error('Usage: node scripts/set-repository-field.mjs <owner>/<name> [server]');
  process.exit(2);
}
for (const pkg of publishablePackages()) {
  const file = path.join(pkg.dir, 'package.json');
  const manifest = JSON.parse(readFileSync(file, 'utf8'));
  if (manifest.repository) continue;
  const directory = path.relative(repositoryRoot, pkg.dir).split(path.sep).join('/');
  // Placed after `license`, where npm's own tools put it; JSON keeps the other keys in their order.
  const entries = Object.entries(manifest);
  const at = entries.findIndex(([key]) => key === 'license') + 1 || entries.length;
  entries.splice(at, 0, ['repository', { type: 'git', url: `git+${server}/${slug}.git`, directory }]);
  writeFileSync(file, `${JSON.stringify(Object.fromEntries(entries), null, 2)}\n`);
  console.log(`${pkg.name}: repository ${server}/${slug} (${directory})`);
}
