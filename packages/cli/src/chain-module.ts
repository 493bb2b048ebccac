import type { Chain, KnowledgeBase, ModelProvider, TaskHandler } from '@stepwise/core';

/**
 * What a runtime needs besides the chain: models, knowledge bases by id, task handlers by name.
 *
 * @example
 * ```ts
 * export const fakes = (): ChainServices => ({ models: fakeModels({ default: 'Hello!' }), handlers: { lookup } });
 * ```
 */
export interface ChainServices {
  models?: ModelProvider;
  knowledgeBases?: Record<string, KnowledgeBase>;
  handlers?: Record<string, TaskHandler>;
  /** Random source for `split` (runtime-local). */
  random?: () => number;
}

/**
 * A loaded chain file. The module convention:
 * - chains: every export that is a chain (made by `defineChain`), and the chains of a `chains` export (array or object);
 * - `fakes`: the services for runs without AWS (`{ models, knowledgeBases?, handlers? }`), or a function returning them;
 *   `run` and `serve` on the local runtime use them unless `--bedrock` is given, and `emulate` serves them;
 * - `handlers` and `knowledgeBases`: used on the local runtime with real Bedrock models (and over the fakes' own);
 * - `models`: a model provider for other providers' models (`openai:gpt-4o-mini`), e.g. `aiSdkModels(...)` from
 *   `@stepwise/runtime-local/ai-sdk`, or a function returning one: on the local runtime with real models it answers
 *   those models (Bedrock ids still go to Bedrock), and on `sfn` it streams their `respond` steps;
 * - `sampleInput`: the input `run` uses without `--input` (with several chains, an object of inputs by chain name).
 *
 * @example
 * ```ts
 * const module = await loadChainModule('examples/rag-assistant');
 * module.chains.map((chain) => chain.name); // ['rag-assistant']
 * ```
 */
export interface ChainModule {
  /** Absolute path of the loaded file. */
  file: string;
  chains: Chain[];
  /** Builds the module's fakes, when it exports some. */
  fakes?: () => Promise<ChainServices>;
  handlers?: Record<string, TaskHandler>;
  knowledgeBases?: Record<string, KnowledgeBase>;
  /** Builds the module's provider for other providers' models, when it exports one. */
  models?: () => Promise<ModelProvider>;
  /** The sample input for a chain, when the module has one. */
  sampleInputFor(chainName: string): unknown;
}
