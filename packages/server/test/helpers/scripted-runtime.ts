import { setTimeout as sleep } from 'node:timers/promises';
import {
  AbortedError,
  type Chain,
  type ChainEvent,
  type ChainResult,
  type ChainRuntime,
  type ChainUsage,
  emptyUsage,
  type RunOptions,
  StepFailedError,
  StepwiseError,
  validateInput,
} from '@stepwise/core';

/** An internal host name in the scripted runtime's error messages, which clients must not see. */
export const SECRET_HOST = 'bedrock-proxy.corp.internal:8443';

/** What the scripted runtime does for a run. */
export interface Script {
  /** Text deltas of the `respond` step. */
  tokens: string[];
  /** Delay before the first token, ms. */
  firstTokenMs: number;
  /** Delay between tokens, ms. */
  tokenMs: number;
  /** Results of `retrieve` steps. */
  results: Array<{ text: string; score: number; source?: string }>;
  /** Fail this step with a `StepFailedError`-shaped error event. */
  failStep?: string;
  /** Throw (not an error event) after this many tokens. */
  throwAfterTokens?: number;
  /**
   * End with an error event after this many tokens, as a runtime reports a model stream that broke off
   * (`Bedrock.ModelStreamErrorException`); `run()` rejects with the `StepFailedError`.
   */
  failAfterTokens?: number;
  /** Emit one `step-retry` for this step. */
  retryStep?: string;
}

/**
 * A hand-written `ChainRuntime` for the server's tests: it walks the top-level steps, gives canned outputs,
 * streams `tokens` for `respond` with the given timings and honours the abort signal. `produced` counts the tokens
 * its "model" made, whether or not anyone read them.
 */
export function scriptedRuntime(options: Partial<Script> = {}) {
  const script: Script = {
    tokens: ['Hello', ', ', 'world', '!'],
    firstTokenMs: 0,
    tokenMs: 0,
    results: [{ text: 'Stepwise runs prompt chains.', score: 0.9, source: 's3://docs/intro.md' }],
    ...options,
  };
  const counters = { produced: 0, runs: 0, aborted: 0, lastRunId: '', lastInput: undefined as unknown };

  async function* model(signal: AbortSignal): AsyncGenerator<string> {
    for (let index = 0; index < script.tokens.length; index++) {
      const delay = index === 0 ? script.firstTokenMs : script.tokenMs;
      if (delay > 0) await sleep(delay, undefined, { signal });
      if (signal.aborted) throw signal.reason;
      counters.produced++;
      yield script.tokens[index]!;
    }
  }

  async function* events(chain: Chain, _input: unknown, runOptions: RunOptions): AsyncGenerator<ChainEvent> {
    const signal = runOptions.signal ?? new AbortController().signal;
    const runId = runOptions.runId ?? 'run-1';
    counters.lastRunId = runId;
    const started = Date.now();
    const usage: ChainUsage = emptyUsage();
    let text: string | undefined;
    let output: unknown = null;
    yield { type: 'chain-start', runId, chain: chain.name };
    let stepId: string | undefined;
    try {
      for (const step of chain.steps) {
        stepId = step.id;
        yield { type: 'step-start', stepId: step.id, stepType: step.type };
        if (script.retryStep === step.id) {
          yield {
            type: 'step-retry',
            stepId: step.id,
            attempt: 2,
            error: { name: 'Bedrock.ThrottlingException', message: `Slow down, ${SECRET_HOST} is busy.` },
          };
        }
        if (script.failStep === step.id) {
          // as a runtime reports it: the original message (leaky) and the ASL name beside the stepwise name
          const error = {
            name: 'StepFailedError',
            message: `Step "${step.id}" failed: Bedrock.ThrottlingException: slow down, ${SECRET_HOST} is busy.`,
            stepId: step.id,
            error: 'Bedrock.ThrottlingException',
            retryable: true,
          };
          yield { type: 'error', error };
          return;
        }
        let stepOutput: unknown;
        let stepUsage: { inputTokens: number; outputTokens: number } | undefined;
        if (step.type === 'retrieve') stepOutput = { results: script.results };
        else if (step.type === 'invoke') {
          stepUsage = { inputTokens: 10, outputTokens: 2 };
          stepOutput = { text: 'yes', value: true, usage: stepUsage };
        } else if (step.type === 'respond') {
          text = '';
          let count = 0;
          for await (const delta of model(signal)) {
            text += delta;
            yield { type: 'text-delta', stepId: step.id, delta };
            count++;
            if (script.throwAfterTokens !== undefined && count >= script.throwAfterTokens) {
              throw new Error('secret internal detail: db password is hunter2');
            }
            if (script.failAfterTokens !== undefined && count >= script.failAfterTokens) {
              throw new StepFailedError(
                `Step "${step.id}" failed: Bedrock.ModelStreamErrorException: connection to ${SECRET_HOST} reset`,
                { error: 'Bedrock.ModelStreamErrorException', stepId: step.id, retryable: true },
              );
            }
          }
          stepUsage = { inputTokens: 20, outputTokens: script.tokens.length };
          stepOutput = { text, usage: stepUsage };
        } else stepOutput = { ok: true };
        if (stepUsage) {
          usage.inputTokens += stepUsage.inputTokens;
          usage.outputTokens += stepUsage.outputTokens;
          usage.totalTokens += stepUsage.inputTokens + stepUsage.outputTokens;
          usage.byModel['fake.model'] = { inputTokens: usage.inputTokens, outputTokens: usage.outputTokens };
        }
        if (step.type !== 'respond') output = stepOutput;
        const end: ChainEvent = { type: 'step-end', stepId: step.id, stepType: step.type, output: stepOutput, ms: 1 };
        if (stepUsage) end.usage = stepUsage;
        yield end;
      }
    } catch (error) {
      if (signal.aborted) {
        counters.aborted++;
        yield {
          type: 'error',
          error: { name: 'AbortedError', message: 'The run was aborted.', ...(stepId ? { stepId } : {}) },
        };
        return;
      }
      if (StepwiseError.isInstance(error)) {
        // with the ASL name, as StepFailedError.toJSON() gives it
        yield { type: 'error', error: error.toJSON() };
        return;
      }
      throw error;
    }
    const end: ChainEvent = { type: 'chain-end', output, usage, ms: Date.now() - started };
    if (text !== undefined) end.text = text;
    yield end;
  }

  // Scripted events, not the chain's: their outputs are not typed by the chain, hence the assertion.
  const runtime = {
    name: 'scripted',
    counters,
    script,
    stream(chain, input, runOptions = {}) {
      counters.runs++;
      // like the real runtimes: an input failing the schema rejects the first next(), before chain-start
      return {
        async *[Symbol.asyncIterator]() {
          const valid = await validateInput(chain, input);
          counters.lastInput = valid;
          yield* events(chain, valid, runOptions);
        },
      };
    },
    async run(chain, input, runOptions = {}): Promise<ChainResult> {
      const steps: Record<string, unknown> = {};
      for await (const event of this.stream(chain, input, runOptions)) {
        if (event.type === 'step-end') steps[event.stepId] = event.output;
        if (event.type === 'error') {
          if (event.error.name === 'AbortedError') throw new AbortedError(event.error.message);
          const asl = (event.error as { error?: string }).error;
          throw new StepFailedError(event.error.message, {
            error: asl ?? 'Bedrock.ThrottlingException',
            errorCause: `${SECRET_HOST} answered 429`,
            retryable: true,
            ...(event.error.stepId ? { stepId: event.error.stepId } : {}),
          });
        }
        if (event.type === 'chain-end') {
          const result: ChainResult = { output: event.output, usage: event.usage, steps };
          if (event.text !== undefined) result.text = event.text;
          return result;
        }
      }
      throw new Error('no end');
    },
  } as ChainRuntime & { counters: typeof counters; script: Script };
  return runtime;
}
