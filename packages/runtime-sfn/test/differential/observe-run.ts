import {
  type Chain,
  type ChainEvent,
  type ChainRuntime,
  type ChainUsage,
  type ModelRequest,
  StepwiseError,
} from '@stepwise/core';

/**
 * A chain event as the fuzzer compares it: no `ms` or `runId`; no `step-retry` (runtime-local only, decision 0001);
 * consecutive `text-delta`s merged into one `text` event (how an answer is cut into deltas is not part of the
 * contract, what streams and where is); an `error` reduced to its name and step id (messages differ by runtime).
 *
 * @example
 * ```ts
 * const event: ObservedEvent = { type: 'text', stepId: 'answer', text: 'Hello!' };
 * ```
 */
export type ObservedEvent =
  | { type: 'chain-start'; chain: string }
  | { type: 'step-start'; stepId: string; stepType: string }
  | { type: 'step-end'; stepId: string; stepType: string; output: unknown; usage?: unknown }
  | { type: 'text'; stepId: string; text: string }
  | { type: 'chain-end'; output: unknown; text?: string; usage: ChainUsage }
  | { type: 'error'; name: string; stepId?: string };

/**
 * How a run failed, from `run()`'s rejection: the error's name, its ASL error (`StepFailedError`), step id,
 * retryability and message.
 *
 * @example
 * ```ts
 * const failure: Failure = { name: 'StepFailedError', error: 'States.Runtime', stepId: 's1', retryable: false, message: '...' };
 * ```
 */
export interface Failure {
  name: string;
  error?: string;
  stepId?: string;
  retryable: boolean;
  message: string;
}

/**
 * What one runtime did with a case: the streamed events, the end (success) or the failure (from a second execution
 * with `run()`, which alone carries the ASL error and retryability), or that the stream threw or hung.
 *
 * @example
 * ```ts
 * const observation: Observation = { events: [], text: '', end: { output: null, usage } };
 * ```
 */
export interface Observation {
  events: ObservedEvent[];
  /** Every text delta, joined. */
  text: string;
  /** The model requests the fakes received during the streamed execution, in call order. */
  requests: ModelRequest[];
  end?: { output: unknown; text?: string; usage: ChainUsage };
  failure?: Failure;
  /** The stream threw (not a terminal `error` event): the thrown error's name and message. */
  thrown?: string;
  /** The run did not end within the guard time. */
  hung?: boolean;
}

/**
 * A runtime prepared for one execution, and the requests its fresh fake models record.
 *
 * @example
 * ```ts
 * const prepare: PrepareRuntime = () => {
 *   const services = fuzzServices(fuzzCase);
 *   return { runtime: createLocalRuntime(services), requests: services.models.calls };
 * };
 * ```
 */
export type PrepareRuntime = () => { runtime: ChainRuntime; requests: ModelRequest[] };

function normalise(event: ChainEvent, out: ObservedEvent[]): void {
  switch (event.type) {
    case 'step-retry':
      return;
    case 'chain-start':
      out.push({ type: 'chain-start', chain: event.chain });
      return;
    case 'step-start':
      out.push({ type: 'step-start', stepId: event.stepId, stepType: event.stepType });
      return;
    case 'step-end':
      out.push({
        type: 'step-end',
        stepId: event.stepId,
        stepType: event.stepType,
        output: event.output,
        ...(event.usage !== undefined ? { usage: event.usage } : {}),
      });
      return;
    case 'text-delta': {
      const last = out.at(-1);
      if (last?.type === 'text' && last.stepId === event.stepId) last.text += event.delta;
      else out.push({ type: 'text', stepId: event.stepId, text: event.delta });
      return;
    }
    case 'chain-end':
      out.push({
        type: 'chain-end',
        output: event.output,
        ...(event.text !== undefined ? { text: event.text } : {}),
        usage: event.usage,
      });
      return;
    case 'error':
      out.push({
        type: 'error',
        name: event.error.name,
        ...(event.error.stepId !== undefined ? { stepId: event.error.stepId } : {}),
      });
      return;
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

function failureOf(error: unknown): Failure {
  if (!StepwiseError.isInstance(error)) {
    return { name: error instanceof Error ? error.name : typeof error, retryable: false, message: describe(error) };
  }
  const aslError = (error as { error?: unknown }).error;
  return {
    name: error.name,
    ...(typeof aslError === 'string' ? { error: aslError } : {}),
    ...(error.stepId !== undefined ? { stepId: error.stepId } : {}),
    retryable: error.retryable,
    message: error.message,
  };
}

/** Resolves with the promise's outcome, or `'hung'` after `ms` (aborting the signal). */
async function guarded<T>(
  ms: number,
  controller: AbortController,
  body: () => Promise<T>,
): Promise<{ value: T } | { error: unknown } | 'hung'> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<'hung'>((resolve) => {
    timer = setTimeout(() => {
      controller.abort();
      resolve('hung');
    }, ms);
  });
  try {
    return await Promise.race([
      body().then(
        (value) => ({ value }),
        (error: unknown) => ({ error }),
      ),
      timeout,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Runs a chain on one runtime as the fuzzer observes it: streams it, and when the stream fails, runs it again with
 * `run()` (on a freshly prepared runtime) to read the failure's ASL error and retryability.
 *
 * @example
 * ```ts
 * const observation = await observeRun(() => {
 *   const services = fuzzServices(fuzzCase);
 *   return { runtime: createLocalRuntime(services), requests: services.models.calls };
 * }, chain, input);
 * ```
 */
export async function observeRun(
  prepare: PrepareRuntime,
  chain: Chain,
  input: unknown,
  guardMs = 30_000,
): Promise<Observation> {
  const observation: Observation = { events: [], text: '', requests: [] };
  const streamed = new AbortController();
  const prepared = prepare();
  observation.requests = prepared.requests;
  const outcome = await guarded(guardMs, streamed, async () => {
    for await (const event of prepared.runtime.stream(chain, input, { signal: streamed.signal })) {
      if (event.type === 'text-delta') observation.text += event.delta;
      normalise(event, observation.events);
    }
  });
  if (outcome === 'hung') {
    observation.hung = true;
    return observation;
  }
  if ('error' in outcome) observation.thrown = describe(outcome.error);
  const last = observation.events.at(-1);
  if (last?.type === 'chain-end') {
    observation.end = {
      output: last.output,
      ...(last.text !== undefined ? { text: last.text } : {}),
      usage: last.usage,
    };
    return observation;
  }
  const ran = new AbortController();
  const run = await guarded(guardMs, ran, () => prepare().runtime.run(chain, input, { signal: ran.signal }));
  if (run === 'hung') observation.hung = true;
  else if ('error' in run) observation.failure = failureOf(run.error);
  else observation.thrown ??= 'run() succeeded where stream() failed';
  return observation;
}
