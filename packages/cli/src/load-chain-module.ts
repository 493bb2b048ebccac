import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Chain, ModelProvider } from '@stepwise/core';
import { StepwiseError } from '@stepwise/core';
import { tsImport } from 'tsx/esm/api';
import type { ChainModule, ChainServices } from './chain-module';
import { CliError } from './cli-error';
import { ExitCode } from './exit-code';
import { isChain } from './is-chain';

const INDEX_FILES = ['index.ts', 'index.mts', 'index.js', 'index.mjs'];

function resolveFile(file: string, cwd: string): string {
  const path = resolve(cwd, file);
  if (!existsSync(path)) throw new CliError(`Chain file not found: ${file}`, ExitCode.usage);
  if (!statSync(path).isDirectory()) return path;
  for (const name of INDEX_FILES) {
    const candidate = resolve(path, name);
    if (existsSync(candidate)) return candidate;
  }
  throw new CliError(`${file} is a directory without an index file (${INDEX_FILES.join(', ')}).`, ExitCode.usage);
}

function collectChains(exports: Record<string, unknown>, file: string): Chain[] {
  const found: Chain[] = [];
  const add = (value: unknown): void => {
    if (isChain(value) && !found.includes(value)) found.push(value);
  };
  for (const [key, value] of Object.entries(exports)) {
    if (key === 'chains' && value && typeof value === 'object') {
      for (const chain of Array.isArray(value) ? value : Object.values(value)) add(chain);
    } else {
      add(value);
    }
  }
  const byName = new Map<string, Chain>();
  for (const chain of found) {
    if (byName.has(chain.name)) throw new CliError(`${file} exports two different chains named "${chain.name}".`);
    byName.set(chain.name, chain);
  }
  return found;
}

function recordOf<T>(value: unknown, what: string, file: string): Record<string, T> | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new CliError(`The "${what}" export of ${file} must be an object keyed by name.`);
  }
  return value as Record<string, T>;
}

/**
 * Loads a chain file: a TypeScript or JavaScript module (or a directory with an `index` file), TypeScript loaded
 * without a build step. Returns its chains and, when it exports them, its fakes, handlers, knowledge bases and sample
 * input (see {@link ChainModule} for the convention). Throws a {@link CliError} with exit code 2 for a missing file,
 * a module that fails to load, or one that exports no chain.
 *
 * @example
 * ```ts
 * const { chains, fakes } = await loadChainModule('./chains.ts');
 * ```
 */
export async function loadChainModule(file: string, cwd: string = process.cwd()): Promise<ChainModule> {
  const path = resolveFile(file, cwd);
  let exports: Record<string, unknown>;
  try {
    exports = (await tsImport(pathToFileURL(path).href, import.meta.url)) as Record<string, unknown>;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const what = StepwiseError.isInstance(error) ? `${error.name}: ` : '';
    throw new CliError(`Could not load ${file}: ${what}${message}`, ExitCode.usage, { cause: error });
  }
  const chains = collectChains(exports, file);
  if (chains.length === 0) {
    throw new CliError(
      `${file} exports no chain. Export the result of defineChain(...) (or an array "chains" of them).`,
      ExitCode.usage,
    );
  }
  const module: ChainModule = {
    file: path,
    chains,
    sampleInputFor(chainName) {
      const sample = exports.sampleInput;
      if (chains.length === 1) return sample;
      return sample && typeof sample === 'object' ? (sample as Record<string, unknown>)[chainName] : undefined;
    },
  };
  const fakes = exports.fakes;
  if (fakes !== undefined) {
    if (typeof fakes !== 'function' && (typeof fakes !== 'object' || fakes === null)) {
      throw new CliError(`The "fakes" export of ${file} must be an object or a function returning one.`);
    }
    module.fakes = async () => {
      const services = typeof fakes === 'function' ? await (fakes as () => unknown)() : fakes;
      return services as ChainServices;
    };
  }
  const handlers = recordOf<NonNullable<ChainServices['handlers']>[string]>(exports.handlers, 'handlers', file);
  if (handlers) module.handlers = handlers;
  const knowledgeBases = recordOf<NonNullable<ChainServices['knowledgeBases']>[string]>(
    exports.knowledgeBases,
    'knowledgeBases',
    file,
  );
  if (knowledgeBases) module.knowledgeBases = knowledgeBases;
  const models = exports.models;
  if (models !== undefined) {
    const isProvider = (value: unknown): value is ModelProvider =>
      typeof value === 'object' && value !== null && typeof (value as ModelProvider).doStream === 'function';
    if (typeof models !== 'function' && !isProvider(models)) {
      throw new CliError(`The "models" export of ${file} must be a model provider or a function returning one.`);
    }
    module.models = async () => {
      const provider = typeof models === 'function' ? await (models as () => unknown)() : models;
      if (!isProvider(provider)) throw new CliError(`The "models" export of ${file} did not give a model provider.`);
      return provider;
    };
  }
  return module;
}
