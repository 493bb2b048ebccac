import type { ModelUsage } from './model-provider';

/**
 * Token usage of a run: totals, and per model id.
 *
 * @example
 * ```ts
 * const { totalTokens, byModel }: ChainUsage = (await runtime.run(chain, input)).usage;
 * ```
 */
export interface ChainUsage {
  inputTokens: number;
  outputTokens: number;
  totalTokens: number;
  byModel: { [modelId: string]: ModelUsage };
}

/**
 * An empty usage record.
 *
 * @example
 * ```ts
 * const usage = emptyUsage(); // { inputTokens: 0, outputTokens: 0, totalTokens: 0, byModel: {} }
 * ```
 */
export function emptyUsage(): ChainUsage {
  return { inputTokens: 0, outputTokens: 0, totalTokens: 0, byModel: {} };
}

/**
 * Adds one call's usage to a usage record, in place.
 *
 * @example
 * ```ts
 * const usage = emptyUsage();
 * addUsage(usage, 'anthropic.claude-3-haiku-20240307-v1:0', { inputTokens: 12, outputTokens: 3 });
 * ```
 */
export function addUsage(usage: ChainUsage, modelId: string, call: ModelUsage): ChainUsage {
  usage.inputTokens += call.inputTokens;
  usage.outputTokens += call.outputTokens;
  usage.totalTokens += call.inputTokens + call.outputTokens;
  const model = usage.byModel[modelId] ?? { inputTokens: 0, outputTokens: 0 };
  usage.byModel[modelId] = model;
  model.inputTokens += call.inputTokens;
  model.outputTokens += call.outputTokens;
  return usage;
}
