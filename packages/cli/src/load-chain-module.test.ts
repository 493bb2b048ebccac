import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadChainModule } from './load-chain-module';

const dir = mkdtempSync(join(tmpdir(), 'stepwise-load-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const chain = (name: string) => `{ name: '${name}', steps: [{ type: 'respond', id: 'answer', model: 'm' }] }`;

describe('loadChainModule', () => {
  it('finds chains among the exports and in a "chains" export, and reads the convention exports', async () => {
    const file = join(dir, 'chains.ts');
    writeFileSync(
      file,
      `const a = ${chain('a')};\nexport const b: unknown = ${chain('b')};\nexport const chains = [a];\n` +
        `export const handlers = { h: () => 1 };\nexport const fakes = () => ({ models: 'm' });\n` +
        `export const sampleInput = { a: { q: 1 }, b: { q: 2 } };\n`,
    );
    const module = await loadChainModule(file);
    expect(module.chains.map((entry) => entry.name).sort()).toEqual(['a', 'b']);
    expect(Object.keys(module.handlers ?? {})).toEqual(['h']);
    expect(await module.fakes?.()).toEqual({ models: 'm' });
    expect(module.sampleInputFor('b')).toEqual({ q: 2 });
  });

  it('reads a "models" export (a provider, or a function returning one) and refuses anything else', async () => {
    const provider = `{ specificationVersion: 'v1', provider: 'p', doInvoke: async () => ({}), doStream: () => [] }`;
    const file = join(dir, 'models.ts');
    writeFileSync(file, `export const a = ${chain('a')};\nexport const models = () => (${provider});\n`);
    const module = await loadChainModule(file);
    expect((await module.models?.())?.provider).toBe('p');
    const bad = join(dir, 'bad-models.ts');
    writeFileSync(bad, `export const a = ${chain('a')};\nexport const models = 'openai';\n`);
    await expect(loadChainModule(bad)).rejects.toMatchObject({ name: 'CliError', message: /"models" export/ });
  });

  it('loads a directory through its index file', async () => {
    const sub = join(dir, 'pkg');
    const { mkdirSync } = await import('node:fs');
    mkdirSync(sub);
    writeFileSync(
      join(sub, 'index.js'),
      `export const only = ${chain('only')};\nexport const sampleInput = { q: 3 };\n`,
    );
    const module = await loadChainModule(sub);
    expect(module.chains.map((entry) => entry.name)).toEqual(['only']);
    expect(module.sampleInputFor('only')).toEqual({ q: 3 });
  });

  it('rejects two different chains with one name', async () => {
    const file = join(dir, 'dupe.ts');
    writeFileSync(file, `export const a = ${chain('x')};\nexport const b = ${chain('x')};\n`);
    await expect(loadChainModule(file)).rejects.toMatchObject({
      name: 'CliError',
      message: /two different chains named "x"/,
    });
  });

  it('reports a syntax error as a load failure with exit code 2', async () => {
    const file = join(dir, 'bad.ts');
    writeFileSync(file, 'export const = ;\n');
    await expect(loadChainModule(file)).rejects.toMatchObject({ exitCode: 2, message: /^Could not load / });
  });
});
