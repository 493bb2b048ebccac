import type { Chain } from '../chain/chain';
import type { ChainUsage } from '../model/usage';
import type { ChainEvent } from './chain-event';

/**
 * Options of one run.
 *
 * @example
 * ```ts
 * await runtime.run(chain, input, { signal: request.signal, runId: 'req-42' } satisfies RunOptions);
 * ```
 */
export interface RunOptions {
  /** Aborting it stops the run at once; the run rejects with `AbortedError`. */
  signal?: AbortSignal;
  /** Run id for events and logs; generated when absent. */
  runId?: string;
  /**
   * Stream step events as they happen, for a live view of the run (runtime-local; other runtimes ignore it). By
   * default a stream holds step events back until the run reaches `respond` or its end, and leaves out failed
   * attempts, so the sequence is the one every runtime gives (Step Functions reports steps only once its execution
   * has succeeded). Live events include steps of a run that then fails, and attempts that a policy retried or caught.
   */
  live?: boolean;
  /**
   * How deep a stream reports steps. `'top'` (the default): the steps of the main path, as every runtime does; steps
   * inside `parallel` branches, `map` iterations and `catch` fallbacks report only through their parent's `step-end`.
   * `'nested'` (runtime-local only): every step that runs reports its `step-start`, `step-retry` and `step-end`, and
   * those inside another step carry `parent` (the enclosing step's id) and, inside a `map`, `index` (the iteration);
   * steps inside `choose` and `split` carry `parent` too. Nested steps never stream text (`respond` is top-level).
   *
   * Nested events only make sense while the run works, so `'nested'` implies `live: true` (whatever `live` says):
   * events go out as they happen, in the order the concurrent branches and iterations run, failed attempts included.
   * Step Functions cannot report them: the SFN runtime learns of steps only from the state of an Express execution
   * that has finished, and it ignores this option. `run` accepts it and ignores it (it emits no events).
   *
   * @example
   * ```ts
   * for await (const event of runtime.stream(chain, input, { detail: 'nested' })) {
   *   if (event.type === 'step-end' && event.parent === 'summaries') console.log(`item ${event.index} done`);
   * }
   * ```
   */
  detail?: 'top' | 'nested';
}

/**
 * What a finished run gives back.
 *
 * @example
 * ```ts
 * const { output, text, usage, steps }: ChainResult = await runtime.run(chain, { question: 'Why?' });
 * ```
 */
export interface ChainResult<Output = unknown> {
  /** The chain's output (see `Chain.output`), typed as the chain's output when the chain is typed. */
  output: Output;
  /** The streamed answer, when the chain ends with `respond`. */
  text?: string;
  usage: ChainUsage;
  /** The output of every step that ran and reports events, by step id. */
  steps: { [stepId: string]: unknown };
}

/**
 * The runtime interface: runtime-local and runtime-sfn implement it, the server is handed one.
 * `run` and `stream` validate the input against the chain's schema first (`InputValidationError`). Both are typed
 * by the chain: they accept only the chain's input type (`ChainInput`), and the result's `output` and the
 * `chain-end` event's `output` have the chain's output type (`ChainOutput`).
 *
 * @example
 * ```ts
 * async function answer(runtime: ChainRuntime, question: string) {
 *   const result = await runtime.run(chain, { question });
 *   return result.text;
 * }
 * ```
 */
export interface ChainRuntime {
  /** `local`, `sfn`, ... for logs. */
  readonly name: string;
  /** Runs to the end and resolves with the result, or rejects with a `StepwiseError`. */
  run<Input, Output>(
    chain: Chain<Input, Output, any>,
    input: NoInfer<Input>,
    options?: RunOptions,
  ): Promise<ChainResult<Output>>;
  /**
   * Runs and yields events as they happen. Failures end the stream with an `error` event (it does not throw),
   * except that an input failing the chain's schema throws `InputValidationError` before the first event.
   * Each iteration is one run. The result may also be a `PushIterable` (runtime-local's is): `forEach` then
   * delivers the same events synchronously as they are emitted, and `@stepwise/server` uses it.
   */
  stream<Input, Output>(
    chain: Chain<Input, Output, any>,
    input: NoInfer<Input>,
    options?: RunOptions,
  ): AsyncIterable<ChainEvent<Output>>;
}
