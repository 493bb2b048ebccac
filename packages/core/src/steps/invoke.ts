import type { InvokeOutputFormat, InvokeStep, StepPolicy } from '../chain/step';
import { compact } from './compact';

/**
 * Options of {@link invoke}.
 *
 * @example
 * ```ts
 * const options: InvokeOptions = { model: 'us.amazon.nova-micro-v1:0', prompt: '{{input.q}}', output: 'json', prefill: '{' };
 * invoke('extract', options);
 * ```
 */
export interface InvokeOptions<
  Format extends InvokeOutputFormat = InvokeOutputFormat,
  Policy extends StepPolicy = StepPolicy,
> {
  model: string;
  system?: string;
  prompt: string;
  prefill?: string;
  /** Default `text`. */
  output?: Format;
  maxTokens?: number;
  temperature?: number;
  topP?: number;
  stopSequences?: string[];
  policy?: Policy;
}

/**
 * One model call. Output `{ text, value?, usage }`: `value` is the parsed JSON (`output: 'json'`) or the boolean
 * (`output: 'boolean'`, the model must answer `true` or `false`).
 *
 * @example
 * ```ts
 * invoke('needsContext', {
 *   model: 'anthropic.claude-3-haiku-20240307-v1:0',
 *   prompt: 'Does this question need company documents? Answer true or false.\n{{input.question}}',
 *   output: 'boolean',
 *   maxTokens: 5,
 *   policy: { retry: { errors: ['Bedrock.ThrottlingException'], maxAttempts: 3 } },
 * });
 * ```
 */
export function invoke<
  const Id extends string,
  const Format extends InvokeOutputFormat = 'text',
  const Policy extends StepPolicy = never,
>(id: Id, options: InvokeOptions<Format, Policy>): InvokeStep<Id, NoInfer<Format>, NoInfer<Policy>> {
  const { output = 'text', ...rest } = options;
  return compact({ type: 'invoke', id, ...rest, output }) as InvokeStep<Id, Format, Policy>;
}
