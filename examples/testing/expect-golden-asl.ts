import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Chain } from '@stepwise/core';
import { type CompileOptions, compileChain } from '@stepwise/runtime-sfn';
import { expect } from 'vitest';

/**
 * Compiles a chain and compares the ASL with the golden file; `UPDATE_GOLDEN=1` rewrites the file instead.
 *
 * @example
 * ```ts
 * it('compiles to the golden ASL', () => {
 *   expectGoldenAsl(router, new URL('./__fixtures__/router.asl.json', import.meta.url));
 * });
 * ```
 */
export function expectGoldenAsl(chain: Chain, file: URL, options: CompileOptions = {}): void {
  const asl = compileChain(chain, options);
  const json = `${JSON.stringify(asl, null, 2)}\n`;
  if (process.env.UPDATE_GOLDEN === '1') {
    mkdirSync(dirname(file.pathname), { recursive: true });
    writeFileSync(file, json);
    return;
  }
  if (!existsSync(file)) {
    throw new Error(`Golden file ${file.pathname} is missing: run the test with UPDATE_GOLDEN=1 to write it.`);
  }
  expect(asl, 'the compiled ASL differs from the golden file (UPDATE_GOLDEN=1 rewrites it)').toEqual(
    JSON.parse(readFileSync(file, 'utf8')),
  );
}
