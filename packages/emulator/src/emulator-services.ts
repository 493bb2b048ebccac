import type { KnowledgeBase, ModelProvider, TaskHandler } from '@stepwise/core';
import type { HttpTaskRoutes } from './http-task';

/**
 * What the emulator answers with: the fake model provider behind Bedrock, knowledge bases by id behind
 * `bedrockagentruntime:retrieve`, task handlers by name behind `lambda:invoke`, and the loopback URLs behind
 * `http:invoke`.
 * @internal
 */
export interface EmulatorServices {
  models: ModelProvider;
  knowledgeBases: Record<string, KnowledgeBase>;
  handlers: Record<string, TaskHandler>;
  http?: HttpTaskRoutes | undefined;
}
