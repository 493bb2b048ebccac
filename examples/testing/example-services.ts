import type { KnowledgeBase, ModelProvider, TaskHandler } from '@stepwise/core';

/** What an example's fakes give a runtime: models, knowledge bases by id, handlers by name. */
export interface ExampleServices {
  models: ModelProvider;
  knowledgeBases: Record<string, KnowledgeBase>;
  handlers: Record<string, TaskHandler>;
}
