import type { StandardSchemaV1 } from '@standard-schema/spec';
import type { Chain } from './chain';
import type { ChainOutputType, ChainPathErrors, SchemaInput, SchemaOutput } from './chain-types';
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
export interface ChainDefinition<
  Schema extends StandardSchemaV1 | undefined = StandardSchemaV1 | undefined,
  Steps extends Step[] = Step[],
  Output extends { [key: string]: ValueSpec } | undefined = { [key: string]: ValueSpec } | undefined,
> {
  /** Unique among the chains a server serves; also the state machine's default name. `[A-Za-z0-9_-]{1,80}`. */
  name: string;
  description?: string;
  /** Standard Schema (zod 4, valibot, arktype, ...) that the input must satisfy. */
  input?: Schema;
  /** JSON Schema of the input, when `input` cannot produce one itself. */
  inputJsonSchema?: Record<string, unknown>;
  steps: Steps;
  /** The chain's output, built from the final state; default: the last non-`respond` top-level step's output. */
  output?: Output;
}

/**
 * Defines a chain: checks it and returns it as plain data. Throws `ChainDefinitionError` naming the step and the
 * problem: step ids, `respond` placement, policies, and every path the chain reads (templates, conditions,
 * `map.items`, `messages.from`, value paths, the output) against the scope and the shapes of the state (the
 * input's JSON Schema, each step's output), with the nearest valid path (`did you mean "steps.check.value"?`).
 *
 * The result is typed: `Chain<Input, Output, Parsed>` with the input schema's input type (what `run` accepts),
 * the output's type, and the parsed input. While you type, condition and value paths (and `map.items`,
 * `messages.from`) that cannot exist are compile errors, reported on `name`
 * (`Type '"qa"' is not assignable to type 'Step "route": path "steps.check.valeu" cannot exist here'`);
 * templates are checked when the chain is defined.
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
 *   output: { keywords: 'steps.keywords.text' },
 * });
 * const { output } = await runtime.run(qa, { question: 'Why?' }); // output: { keywords: string }
 * ```
 */
export function defineChain<
  const Steps extends Step[],
  Schema extends StandardSchemaV1 | undefined = undefined,
  const Output extends { [key: string]: ValueSpec } | undefined = undefined,
>(
  definition: ChainDefinition<Schema, Steps, Output> & { name: NameOrErrors<ChainPathErrors<Steps, Output, Schema>> },
): Chain<SchemaInput<Schema>, ChainOutputType<Steps, Output, Schema>, SchemaOutput<Schema>> {
  const chain: Chain = { name: definition.name, steps: definition.steps };
  if (definition.description !== undefined) chain.description = definition.description;
  if (definition.input !== undefined) chain.input = definition.input;
  if (definition.inputJsonSchema !== undefined) chain.inputJsonSchema = definition.inputJsonSchema;
  if (definition.output !== undefined) chain.output = definition.output;
  validateChain(chain);
  return chain as Chain<SchemaInput<Schema>, ChainOutputType<Steps, Output, Schema>, SchemaOutput<Schema>>;
}

/** `string` when every path can exist; otherwise the messages, which no name can be. */
type NameOrErrors<Errors extends string> = [Errors] extends [never] ? string : Errors;
