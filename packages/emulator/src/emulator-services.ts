import type { KnowledgeBase, ModelProvider, TaskHandler } from '@stepwise/core';

/**
 * What the emulator answers with: the fake model provider behind Bedrock, knowledge bases by id behind
 * `bedrockagentruntime:retrieve`, and task handlers by name behind `lambda:invoke`.
 * @internal
 */
export interface EmulatorServices {
  models: ModelProvider;
  knowledgeBases: Record<string, KnowledgeBase>;
  handlers: Record<string, TaskHandler>;
}
