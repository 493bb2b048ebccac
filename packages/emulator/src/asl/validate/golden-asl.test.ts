import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { validateDefinition } from './validate-definition';

/**
 * The compiler's golden ASL (runtime-sfn's compiler fixtures and each example's `__fixtures__/*.asl.json`) is what the
 * SFN runtime deploys: each must be a definition AWS accepts for an EXPRESS machine.
 */
const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../../../..');

function goldenFiles(folder: string): string[] {
  const path = resolve(root, folder);
  if (!existsSync(path)) return [];
  return readdirSync(path)
    .filter((file) => file.endsWith('.asl.json'))
    .map((file) => resolve(path, file));
}

const compilerFixtures = goldenFiles('packages/runtime-sfn/src/compiler/__fixtures__');
const exampleFixtures = readdirSync(resolve(root, 'examples'), { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .flatMap((entry) => goldenFiles(`examples/${entry.name}/__fixtures__`));

describe('the golden ASL validates', () => {
  it('finds the compiler fixtures and the examples', () => {
    expect(compilerFixtures.length).toBeGreaterThanOrEqual(40);
    expect(exampleFixtures.length).toBeGreaterThanOrEqual(5);
  });

  it.each([...compilerFixtures, ...exampleFixtures].map((file) => [file.slice(root.length + 1), file]))(
    '%s',
    (_name, file) => {
      expect(validateDefinition(readFileSync(file, 'utf8'), { type: 'EXPRESS' })).toEqual({
        result: 'OK',
        diagnostics: [],
      });
    },
  );
});
