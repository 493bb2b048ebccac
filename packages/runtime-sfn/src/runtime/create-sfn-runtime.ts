import { randomUUID } from 'node:crypto';
import type { BedrockRuntimeClient, Message } from '@aws-sdk/client-bedrock-runtime';
import type { SFNClient, StartSyncExecutionCommandOutput } from '@aws-sdk/client-sfn';
import {
  AbortedError,
  addUsage,
  type Chain,
  type ChainEvent,
  type ChainResult,
  type ChainRuntime,
  type ChainUsage,
  decodeConverseStream,
  ExecutionTimeoutError,
  emptyUsage,
  errorEventOf,
  isProviderModel,
  ModelError,
  type ModelProvider,
  type ModelRequest,
  type ModelUsage,
  providerErrorOfHttpTask,
  type RespondStep,
  type RunOptions,
  type RunTelemetry,
  respondMessages,
  StepFailedError,
  StepwiseError,
  TELEMETRY_ATTRIBUTES,
  type TelemetryOptions,
  type TraceSpan,
  toModelStreamFailure,
  validateInput,
} from '@stepwise/core';
import type { CompileOptions } from '../compiler/compile-options';
import { executionInput } from '../compiler/execution-input';
import type { ExecutionOutput, RespondRequest } from '../compiler/respond-request';
import { usagePlan } from '../compiler/usage-plan';
import { type DeployChainOptions, deployChain } from '../deploy/deploy-chain';
import { locateFailedStep } from './locate-failed-step';
import { mapBedrockError, mapSfnError } from './map-aws-error';
import { collectUsage, type RecordedStep, recordedSteps } from './recorded-steps';
import { resolveChainOutput } from './resolve-chain-output';
import { activeContext, startSfnTelemetry } from './sfn-telemetry';
import { streamProviderRespond } from './stream-provider-respond';
import { ExecutionTrace, traceFailure } from './trace-execution';

/** AWS credentials, as the SDK clients take them. */
type Credentials = NonNullable<ConstructorParameters<typeof SFNClient>[0]>['credentials'];

/**
 * Options of {@link createSfnRuntime}.
 *
 * @example
 * ```ts
 * const options: SfnRuntimeOptions = {
 *   region: 'eu-west-1',
 *   stateMachines: { qa: 'arn:aws:states:eu-west-1:123456789012:stateMachine:qa' },
 * };
 * ```
 */
export interface SfnRuntimeOptions {
  /** AWS region of both clients. Default: the SDK's (environment, profile). */
  region?: string;
  /** Step Functions endpoint (the emulator, a VPC endpoint). Sets `disableHostPrefix` so StartSyncExecution reaches it. */
  endpoint?: string;
  /** Bedrock Runtime endpoint for the streamed `respond` step. */
  bedrockEndpoint?: string;
  /** Credentials of both clients. Default: the SDK's provider chain. */
  credentials?: Credentials;
  /** SDK attempts per call (the SDK retries throttling and 5xx by itself). Default: the SDK's, 3. */
  maxAttempts?: number;
  /** The state machine ARN of each chain, by chain name. */
  stateMachines?: { [chainName: string]: string };
  /**
   * Role for chains without an entry in `stateMachines`: the chain is deployed with `deployChain` on first use (once
   * per runtime, created or updated as needed). Without it such a chain fails to run.
   */
  roleArn?: string;
  /** Options of the on-demand deploy (name, logging, tracing) besides the role. */
  deploy?: Omit<DeployChainOptions, 'roleArn' | 'client' | 'compileOptions'>;
  /** Passed to `compileChain` for on-demand deploys. */
  compileOptions?: CompileOptions;
  /** Step Functions client; overrides `region`, `endpoint`, `credentials`. */
  client?: SFNClient;
  /** Bedrock Runtime client for `respond`; overrides `region`, `bedrockEndpoint`, `credentials`. */
  bedrock?: BedrockRuntimeClient;
  /**
   * Streams `respond` steps on other providers' models (`openai:gpt-4o`) in this process, over the provider's
   * streaming API: `aiSdkModels({ openai: createOpenAI(...) })` from `@stepwise/runtime-local/ai-sdk`. Bedrock
   * models keep streaming with ConverseStream.
   */
  models?: ModelProvider;
  /**
   * OpenTelemetry spans of each run, through `@opentelemetry/api` (nothing is recorded until the application registers
   * an SDK): the run span, live, with the execution ARN; the step and call spans rebuilt from what the execution
   * recorded, with their real times; the `respond` stream's spans, live. `recordContent: true` adds prompts and answers.
   */
  telemetry?: TelemetryOptions;
}

/** What an execution gave back: its output, and when it ran (milliseconds since the epoch). */
interface ExecutionResult {
  output: ExecutionOutput;
  started: number;
  stopped: number;
}

type SfnSdk = typeof import('@aws-sdk/client-sfn');
type BedrockSdk = typeof import('@aws-sdk/client-bedrock-runtime');

/**
 * The AWS SDK client modules, loaded on first use: importing runtime-sfn (a Lambda's cold start) does not load them,
 * the first run does. Once loaded, a run reads them synchronously, without a promise.
 */
let sfnSdk: SfnSdk | undefined;
let bedrockSdk: BedrockSdk | undefined;

async function loadSfnSdk(): Promise<SfnSdk> {
  sfnSdk ??= await import('@aws-sdk/client-sfn');
  return sfnSdk;
}

async function loadBedrockSdk(): Promise<BedrockSdk> {
  bedrockSdk ??= await import('@aws-sdk/client-bedrock-runtime');
  return bedrockSdk;
}

function clientConfig(options: SfnRuntimeOptions, endpoint: string | undefined) {
  return {
    ...(options.region !== undefined ? { region: options.region } : {}),
    ...(options.credentials !== undefined ? { credentials: options.credentials } : {}),
    ...(options.maxAttempts !== undefined ? { maxAttempts: options.maxAttempts } : {}),
    ...(endpoint !== undefined ? { endpoint } : {}),
  };
}

/**
 * The request's messages as Converse messages: history (last N, checked by core's `respondMessages` as runtime-local
 * checks it), then the prompt as a user turn.
 */
function converseMessages(request: RespondRequest, step: RespondStep): Message[] {
  const kept =
    request.messages === undefined
      ? []
      : respondMessages(request.messages, { stepId: step.id, from: step.messages?.from ?? '', last: request.last });
  const messages: Message[] = kept.map((message) => ({ role: message.role, content: [{ text: message.content }] }));
  if (request.prompt !== undefined) messages.push({ role: 'user', content: [{ text: request.prompt }] });
  return messages;
}

/** The `respond` request as a model request, for its span (messages only when they go on it). */
function respondModelRequest(request: RespondRequest, step: RespondStep, withMessages: boolean): ModelRequest {
  const model: ModelRequest = { modelId: request.modelId, stepId: request.stepId ?? step.id, messages: [] };
  const config = request.inferenceConfig;
  if (config?.maxTokens !== undefined) model.maxTokens = config.maxTokens;
  if (config?.temperature !== undefined) model.temperature = config.temperature;
  if (config?.topP !== undefined) model.topP = config.topP;
  if (config?.stopSequences !== undefined) model.stopSequences = config.stopSequences;
  if (withMessages) {
    if (request.system !== undefined) model.system = request.system;
    try {
      for (const message of converseMessages(request, step)) {
        model.messages.push({ role: message.role as 'user' | 'assistant', content: message.content?.[0]?.text ?? '' });
      }
    } catch {
      // an invalid history fails the stream itself, below
    }
  }
  return model;
}

function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new AbortedError('The run was aborted.');
}

function toEvents(steps: RecordedStep[], out: ChainEvent[]): void {
  for (const step of steps) {
    out.push({ type: 'step-start', stepId: step.stepId, stepType: step.stepType });
    toEvents(step.children, out);
    out.push({
      type: 'step-end',
      stepId: step.stepId,
      stepType: step.stepType,
      output: step.output,
      ...(step.usage ? { usage: step.usage } : {}),
      ms: 0,
    });
  }
}

function reported(steps: RecordedStep[], out: { [stepId: string]: unknown }): { [stepId: string]: unknown } {
  for (const step of steps) {
    out[step.stepId] = step.output;
    reported(step.children, out);
  }
  return out;
}

/**
 * A `ChainRuntime` on AWS Step Functions: each run is one `StartSyncExecution` of the chain's EXPRESS state machine
 * (from `stateMachines[chain.name]`, or deployed on first use when `roleArn` is set); then the step events are
 * replayed from the step outputs the execution recorded (`ms` is 0: Step Functions does not time steps for sync
 * Express runs), then the final `respond` step streams with Bedrock `ConverseStream`. Aborting the signal stops the
 * wait and the stream; the execution itself cannot be stopped on Express.
 *
 * Failures: `FAILED` executions reject with `StepFailedError` (the ASL `error`, the `cause`, and the step id when it
 * can be told from the chain), `TIMED_OUT` with `ExecutionTimeoutError`, aborts with `AbortedError`. A `respond`
 * stream cut before `messageStop` and `metadata`, or broken by the transport, fails that step with
 * `Bedrock.ModelStreamErrorException`: the stream ends with an `error` event and no `chain-end`.
 *
 * @example
 * ```ts
 * import { createSfnRuntime } from '@stepwise/runtime-sfn';
 *
 * const runtime = createSfnRuntime({
 *   region: 'eu-west-1',
 *   stateMachines: { qa: 'arn:aws:states:eu-west-1:123456789012:stateMachine:qa' },
 * });
 * for await (const event of runtime.stream(qaChain, { question: 'How do refunds work?' })) {
 *   if (event.type === 'text-delta') process.stdout.write(event.delta);
 * }
 * ```
 */
export function createSfnRuntime(options: SfnRuntimeOptions = {}): ChainRuntime {
  const providerModels = options.models;
  const telemetryOptions = options.telemetry;
  // The clients are made on first use, when their SDK module has been loaded (see `loadSfnSdk`).
  let sfn: SFNClient | undefined = options.client;
  let bedrock: BedrockRuntimeClient | undefined = options.bedrock;
  const deployed = new Map<string, Promise<string>>();

  async function sfnClient(): Promise<SFNClient> {
    const sdk = await loadSfnSdk();
    sfn ??= new sdk.SFNClient({
      ...clientConfig(options, options.endpoint),
      ...(options.endpoint !== undefined ? { disableHostPrefix: true } : {}),
    });
    return sfn;
  }

  async function bedrockClient(): Promise<BedrockRuntimeClient> {
    const sdk = await loadBedrockSdk();
    bedrock ??= new sdk.BedrockRuntimeClient(clientConfig(options, options.bedrockEndpoint));
    return bedrock;
  }

  function stateMachineArn(chain: Chain): Promise<string> {
    const configured = options.stateMachines?.[chain.name];
    if (configured !== undefined) return Promise.resolve(configured);
    const roleArn = options.roleArn;
    if (roleArn === undefined) {
      return Promise.reject(
        new StepwiseError(
          `No state machine for chain "${chain.name}": pass its ARN in stateMachines, or a roleArn to deploy it on first use.`,
        ),
      );
    }
    let pending = deployed.get(chain.name);
    if (!pending) {
      pending = sfnClient()
        .then((client) =>
          deployChain(chain, {
            ...options.deploy,
            roleArn,
            client,
            ...(options.compileOptions ? { compileOptions: options.compileOptions } : {}),
          }),
        )
        .then((result) => result.stateMachineArn);
      deployed.set(chain.name, pending);
      pending.catch(() => deployed.delete(chain.name));
    }
    return pending;
  }

  async function execute(
    chain: Chain,
    input: unknown,
    signal: AbortSignal | undefined,
    telemetry: RunTelemetry | undefined,
  ): Promise<ExecutionResult> {
    const arn = await stateMachineArn(chain);
    if (telemetry) telemetry.setAttributes(telemetry.run, { [TELEMETRY_ATTRIBUTES.stateMachineArn]: arn });
    // Warm runs take the loaded module and the client without waiting for a promise.
    const sdk = sfnSdk ?? (await loadSfnSdk());
    const client = sfn ?? (await sfnClient());
    throwIfAborted(signal);
    let execution: StartSyncExecutionCommandOutput;
    try {
      execution = await client.send(
        new sdk.StartSyncExecutionCommand({ stateMachineArn: arn, input: JSON.stringify(executionInput(input)) }),
        signal ? { abortSignal: signal } : {},
      );
    } catch (error) {
      throw mapSfnError(error, 'StartSyncExecution', signal);
    }
    if (telemetry && execution.executionArn !== undefined) {
      telemetry.setAttributes(telemetry.run, { [TELEMETRY_ATTRIBUTES.executionArn]: execution.executionArn });
    }
    throwIfAborted(signal);
    if (execution.status === 'SUCCEEDED') {
      try {
        const output = JSON.parse(execution.output ?? 'null') as ExecutionOutput;
        const stopped = execution.stopDate?.getTime() ?? Date.now();
        return { output, started: execution.startDate?.getTime() ?? stopped, stopped };
      } catch (error) {
        throw new StepwiseError('The execution output is not valid JSON.', { cause: error });
      }
    }
    if (execution.status === 'TIMED_OUT') {
      throw new ExecutionTimeoutError(`The execution of chain "${chain.name}" timed out.`, {
        cause: execution.cause ?? execution.error,
      });
    }
    const raw = execution.error ?? 'States.TaskFailed';
    // Decision 0005: the step that failed, and its own cause, from the machine's failure envelope or AWS's cause.
    const { stepId, cause } = locateFailedStep(chain, raw, execution.cause);
    // Decision 0007: an HTTP Task's error (`States.Http.StatusCode.429`) under the name runtime-local gives it.
    const error = providerErrorOfHttpTask(raw) ?? raw;
    return Promise.reject(
      new StepFailedError(
        `${stepId === undefined ? `Chain "${chain.name}"` : `Step "${stepId}"`} failed: ${error}${cause ? `: ${causeMessage(cause)}` : ''}`,
        {
          error,
          ...(cause !== undefined ? { errorCause: cause } : {}),
          ...(stepId !== undefined ? { stepId } : {}),
          // As runtime-local flags a ModelError: the execution only says the name.
          retryable: ModelError.isRetryableName(error),
        },
      ),
    );
  }

  async function* events(
    chain: Chain,
    input: unknown,
    options: RunOptions,
    sink: { result?: ChainResult },
    parent: unknown,
  ): AsyncGenerator<ChainEvent> {
    const value = await validateInput(chain, input);
    const started = Date.now();
    const signal = options.signal;
    throwIfAborted(signal);
    const telemetry = startSfnTelemetry(telemetryOptions, chain.name, options.runId, parent);
    if (!telemetry) {
      yield* run(chain, value, options, sink, started, undefined);
      return;
    }
    let ended = false;
    try {
      yield* run(chain, value, options, sink, started, telemetry);
      ended = true;
      telemetry.endRun(sink.result ? { usage: sink.result.usage } : {});
    } catch (error) {
      ended = true;
      telemetry.endRun({ error });
      throw error;
    } finally {
      // The consumer stopped reading before the end.
      if (!ended) telemetry.endRun({ error: new AbortedError('The run was stopped before its end.') });
    }
  }

  async function* run(
    chain: Chain,
    value: unknown,
    options: RunOptions,
    sink: { result?: ChainResult },
    started: number,
    telemetry: RunTelemetry | undefined,
  ): AsyncGenerator<ChainEvent> {
    const signal = options.signal;
    yield { type: 'chain-start', runId: telemetry?.runId ?? options.runId ?? randomUUID(), chain: chain.name };

    let execution: ExecutionResult;
    try {
      execution = await execute(chain, value, signal, telemetry);
    } catch (error) {
      if (telemetry && StepFailedError.isInstance(error)) {
        traceFailure(telemetry, chain, error.stepId, error, started, Date.now());
      }
      throw error;
    }
    const recorded = execution.output;
    const stepOutputs = recorded.steps ?? {};
    const plan = usagePlan(chain.steps);
    if (telemetry)
      new ExecutionTrace(telemetry, chain, value, recorded, plan).build(execution.started, execution.stopped);
    const ran = recordedSteps(chain.steps, stepOutputs, plan);
    const usage: ChainUsage = emptyUsage();
    collectUsage(chain.steps, stepOutputs, plan, (modelId, call) => addUsage(usage, modelId, call));
    const stepEvents: ChainEvent[] = [];
    toEvents(ran, stepEvents);
    for (const event of stepEvents) {
      throwIfAborted(signal);
      yield event;
    }
    const steps = reported(ran, {});

    let text: string | undefined;
    const last = chain.steps.at(-1);
    if (last?.type === 'respond') {
      const request = recorded.respond;
      if (!request) {
        throw new StepwiseError(`The execution of chain "${chain.name}" did not output the request of "${last.id}".`);
      }
      throwIfAborted(signal);
      const step = telemetry?.startStep(telemetry.run, last);
      const call = step
        ? telemetry!.startModelCall(step, {
            stepId: last.id,
            stepType: 'respond',
            request: respondModelRequest(request, last, telemetry!.recordContent),
            stream: true,
          })
        : undefined;
      let answered: { text: string; usage: ModelUsage; ms: number };
      try {
        yield { type: 'step-start', stepId: last.id, stepType: 'respond' };
        answered = yield* isProviderModel(request.modelId)
          ? streamProviderRespond(
              providerModels,
              last,
              request,
              signal,
              call ? { telemetry: telemetry!, call } : undefined,
            )
          : streamRespond(last, request, signal, call ? { telemetry: telemetry!, call } : undefined);
      } catch (error) {
        if (call) telemetry!.endModelCall(call, { error });
        if (step) telemetry!.endStep(step, { error });
        throw error;
      }
      const { ms, ...answer } = answered;
      if (call) telemetry!.endModelCall(call, { usage: answer.usage, text: answer.text });
      if (step) telemetry!.endStep(step);
      addUsage(usage, request.modelId, answer.usage);
      text = answer.text;
      steps[last.id] = answer;
      yield { type: 'step-end', stepId: last.id, stepType: 'respond', output: answer, usage: answer.usage, ms };
    }
    // Decision 0005: with `respond`, the runtime builds the chain output after the answer, as runtime-local does.
    const output =
      (last?.type === 'respond' && chain.output ? resolveChainOutput(chain, value, steps) : recorded.output) ?? null;
    sink.result = { output, ...(text !== undefined ? { text } : {}), usage, steps };
    yield { type: 'chain-end', output, ...(text !== undefined ? { text } : {}), usage, ms: Date.now() - started };
  }

  async function* streamRespond(
    step: RespondStep,
    request: RespondRequest,
    signal: AbortSignal | undefined,
    traced: { telemetry: RunTelemetry; call: TraceSpan } | undefined,
  ): AsyncGenerator<ChainEvent, { text: string; usage: ModelUsage; ms: number }> {
    const started = Date.now();
    const stepId = request.stepId ?? step.id;
    let text = '';
    let usage: ModelUsage = { inputTokens: 0, outputTokens: 0 };
    try {
      const sdk = bedrockSdk ?? (await loadBedrockSdk());
      const client = bedrock ?? (await bedrockClient());
      const command = new sdk.ConverseStreamCommand({
        modelId: request.modelId,
        messages: converseMessages(request, step),
        ...(request.system !== undefined ? { system: [{ text: request.system }] } : {}),
        ...(request.inferenceConfig ? { inferenceConfig: request.inferenceConfig } : {}),
        requestMetadata: { stepwiseStepId: stepId },
      });
      const send = () => client.send(command, signal ? { abortSignal: signal } : {});
      // The model call's span is active while the SDK sends, so an instrumented HTTP client nests under it.
      const response = await (traced ? traced.telemetry.within(traced.call, send) : send());
      // Ends with one finish (messageStop and metadata arrived), or fails with Bedrock.ModelStreamErrorException
      // when the stream was cut: a short answer never ends the run as if it were whole.
      for await (const part of decodeConverseStream(response.stream ?? [], { signal })) {
        throwIfAborted(signal);
        if (part.type === 'text-delta') {
          text += part.delta;
          yield { type: 'text-delta', stepId, delta: part.delta };
        } else {
          usage = part.usage;
        }
      }
    } catch (error) {
      // A cut inside the first frame rejects send() itself, after the HTTP 200: a stream failure too.
      throw respondFailure(toModelStreamFailure(error, { signal }), stepId, signal);
    }
    throwIfAborted(signal);
    return { text, usage, ms: Date.now() - started };
  }

  return {
    name: 'sfn',
    async run<Input, Output>(chain: Chain<Input, Output, any>, input: Input, runOptions: RunOptions = {}) {
      const sink: { result?: ChainResult } = {};
      for await (const _event of events(chain, input, runOptions, sink, activeContext())) {
        // events are the stream's; run() only wants the result
      }
      return sink.result as ChainResult<Output>;
    },
    stream<Input, Output>(chain: Chain<Input, Output, any>, input: Input, runOptions: RunOptions = {}) {
      const parent = activeContext();
      const iterable: AsyncIterable<ChainEvent> = {
        [Symbol.asyncIterator]() {
          const inner = events(chain, input, runOptions, {}, parent);
          let started = false;
          let done = false;
          return {
            async next(): Promise<IteratorResult<ChainEvent>> {
              if (done) return { done: true, value: undefined };
              try {
                const next = await inner.next();
                started = true;
                if (next.done) done = true;
                return next;
              } catch (error) {
                if (!started) throw error;
                done = true;
                return { done: false, value: { type: 'error', error: errorEventOf(error) } };
              }
            },
            async return(): Promise<IteratorResult<ChainEvent>> {
              done = true;
              await inner.return(undefined);
              return { done: true, value: undefined };
            },
          };
        },
      };
      return iterable as AsyncIterable<ChainEvent<Output>>;
    },
  };
}

/**
 * The failure of the streamed `respond` step: a `ModelError` from the stream reader (a cut stream, an in-stream
 * exception) becomes a `StepFailedError` with its Bedrock name and the step id; anything else goes through
 * `mapBedrockError`.
 */
function respondFailure(error: unknown, stepId: string, signal: AbortSignal | undefined): StepwiseError {
  if (!ModelError.isInstance(error) || signal?.aborted) return mapBedrockError(error, stepId, signal);
  return new StepFailedError(`Step "${stepId}" failed: ${error.error}: ${error.message}`, {
    error: error.error,
    errorCause: error.message,
    stepId,
    cause: error,
    retryable: error.retryable,
  });
}

/** The readable part of a cause: Lambda's `{"errorMessage": ...}` JSON, or the text itself. */
function causeMessage(cause: string): string {
  try {
    const parsed = JSON.parse(cause) as { errorMessage?: unknown };
    if (typeof parsed.errorMessage === 'string') return parsed.errorMessage;
  } catch {
    // not JSON
  }
  return cause.length > 500 ? `${cause.slice(0, 500)}…` : cause;
}
