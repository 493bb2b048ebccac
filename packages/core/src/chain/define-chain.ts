import type { StandardSchemaV1 } from '@standard-schema/spec';
import type { Chain } from './chain';
import type { Step, ValueSpec } from './step';
import { validateChain } from './validate-chain';

/**
 * What {@link defineChain} takes.
 *
 * @example
 * ```ts
 * const definition: ChainDefinition = { name: 'echo', steps: [transform('echo', { set: { q: 'input.q' } })] };
 * const chain = defineChain(definition);
 * ```
 */
export interface ChainDefinition<Input = unknown> {
  /** Unique among the chains a server serves; also the state machine's default name. `[A-Za-z0-9_-]{1,80}`. */
  name: string;
  description?: string;
  /** Standard Schema (zod 4, valibot, arktype, ...) that the input must satisfy. */
  input?: StandardSchemaV1<unknown, Input>;
  /** JSON Schema of the input, when `input` cannot produce one itself. */
  inputJsonSchema?: Record<string, unknown>;
  steps: Step[];
  /** The chain's output, built from the final state; default: the last non-`respond` top-level step's output. */
  output?: { [key: string]: ValueSpec };
}

/**
 * Defines a chain: checks it (step ids, `respond` placement, every template and condition path in scope, policies)
 * and returns it as plain data. Throws `ChainDefinitionError` naming the step and the problem.
 *
 * @example
 * ```ts
 * const qa = defineChain({
 *   name: 'qa',
 *   input: z.object({ question: z.string() }),
 *   steps: [
 *     invoke('keywords', { model: haiku, prompt: 'Keywords for: {{input.question}}' }),
 *     respond('answer', { model: sonnet, prompt: '{{input.question}} (keywords: {{steps.keywords.text}})' }),
 *   ],
 * });
 * ```
 */
export function defineChain<Input = unknown>(definition: ChainDefinition<Input>): Chain<Input> {
  const chain: Chain<Input> = { name: definition.name, steps: definition.steps };
  if (definition.description !== undefined) chain.description = definition.description;
  if (definition.input !== undefined) chain.input = definition.input;
  if (definition.inputJsonSchema !== undefined) chain.inputJsonSchema = definition.inputJsonSchema;
  if (definition.output !== undefined) chain.output = definition.output;
  validateChain(chain as Chain);
  return chain;
}
