import type { KnowledgeBase, ModelProvider, TaskHandler } from '@stepwise/core';

/**
 * What an example's fakes give a runtime to run it without AWS: models, knowledge bases by id, handlers by name.
 * `createLocalRuntime` and the Step Functions emulator both take it as it is.
 *
 * @example
 * ```ts
 * const services: ExampleServices = routerFakes();
 * const runtime = createLocalRuntime(services);
 * ```
 */
export interface ExampleServices {
  models: ModelProvider;
  knowledgeBases: Record<string, KnowledgeBase>;
  handlers: Record<string, TaskHandler>;
}
