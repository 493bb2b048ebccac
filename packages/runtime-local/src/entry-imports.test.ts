import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SRC = dirname(fileURLToPath(import.meta.url));
/** Static `import`/`export ... from`, side-effect `import '...'` and dynamic `import('...')` specifiers. */
const SPECIFIER = /(?:\bfrom\s*|\bimport\s*\(?\s*)['"]([^'"]+)['"]/g;

function resolveLocal(from: string, specifier: string): string {
  const base = join(dirname(from), specifier);
  for (const candidate of [`${base}.ts`, join(base, 'index.ts'), base]) if (existsSync(candidate)) return candidate;
  throw new Error(`${relative(SRC, from)} imports "${specifier}", which does not resolve.`);
}

/** The packages a source entry loads, through every local module it reaches (type-only imports and comments left out). */
function packagesReachedFrom(entry: string): { packages: Set<string>; files: Set<string> } {
  const packages = new Set<string>();
  const files = new Set<string>();
  const pending = [join(SRC, entry)];
  while (pending.length > 0) {
    const file = pending.pop()!;
    if (files.has(file)) continue;
    files.add(file);
    const source = readFileSync(file, 'utf8')
      .replace(/\/\*[\s\S]*?\*\//g, '') // TSDoc examples import packages too
      .replace(/^\s*(?:import|export)\s+type\s[^;]*;/gm, '');
    for (const [, specifier] of source.matchAll(SPECIFIER)) {
      if (specifier!.startsWith('.')) pending.push(resolveLocal(file, specifier!));
      else packages.add(specifier!);
    }
  }
  return { packages, files };
}

describe('entry points', () => {
  it('the main entry loads nothing from the AWS SDK (decision 0006)', () => {
    const { packages, files } = packagesReachedFrom('index.ts');
    expect(files.size).toBeGreaterThan(5);
    expect([...packages].filter((name) => name.startsWith('@aws-sdk/') || name.startsWith('@smithy/'))).toEqual([]);
    expect([...files].map((file) => relative(SRC, file)).filter((file) => file.startsWith('bedrock'))).toEqual([]);
  });

  it('no entry loads the AI SDK at run time; the ai-sdk entry takes only its types (decision 0007)', () => {
    const main = packagesReachedFrom('index.ts');
    expect([...main.files].map((file) => relative(SRC, file)).filter((file) => file.startsWith('ai-sdk'))).toEqual([]);
    const aiSdk = packagesReachedFrom('ai-sdk/index.ts');
    expect(aiSdk.files.size).toBeGreaterThan(1);
    for (const { packages } of [main, aiSdk]) {
      expect([...packages].filter((name) => name === 'ai' || name.startsWith('@ai-sdk/'))).toEqual([]);
    }
  });

  it('the bedrock entry is where the Bedrock client comes from', () => {
    expect(packagesReachedFrom('bedrock/index.ts').packages).toContain('@aws-sdk/client-bedrock-runtime');
  });
});
