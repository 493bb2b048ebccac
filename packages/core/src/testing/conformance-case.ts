import type { Chain } from '../chain/chain';
import type { KnowledgeBase } from '../model/knowledge-base';
import type { ModelProvider } from '../model/model-provider';
import type { ChainEvent } from '../runtime/chain-event';
import type { ChainRuntime } from '../runtime/chain-runtime';
import type { TaskHandler } from '../runtime/task-handler';

/**
 * One scripted fake answer, as data. A string is the answer text. An object can script failures:
 * - `throttle: n`: the first `n` calls answered by this reply fail with `Bedrock.ThrottlingException` (HTTP 429);
 * - `fail: 'Bedrock.<Name>'`: every call fails with that error;
 * - `timeout: true`: every call fails with `Bedrock.ModelTimeoutException` (HTTP 408);
 * - `failAfterDeltas: k`: a stream fails with `Bedrock.ModelStreamErrorException` after `k` text deltas;
 * - `echo: true`: the answer is the last user message (handy to see a rendered prompt).
 *
 * @example
 * ```ts
 * const reply: FakeReplySpec = { text: 'true', throttle: 2 };
 * ```
 */
export type FakeReplySpec =
  | string
  | {
      text?: string;
      echo?: boolean;
      throttle?: number;
      fail?: string;
      timeout?: boolean;
      failAfterDeltas?: number;
      firstTokenMs?: number;
      tokenMs?: number;
    };

/**
 * The data form of fake models, as the conformance suite hands it to `fakeModels` (runtime-local's `fakeModels`
 * takes this and more). A call is answered by the first that applies: `byStep[stepId]`, the next `queue` entry,
 * `byModel[modelId]`, `default`; with none, the call fails with `Bedrock.ValidationException`.
 *
 * @example
 * ```ts
 * const spec: FakeModelsSpec = { byStep: { classify: 'true' }, default: 'ok' };
 * ```
 */
export interface FakeModelsSpec {
  byStep?: { [stepId: string]: FakeReplySpec };
  byModel?: { [modelId: string]: FakeReplySpec };
  queue?: FakeReplySpec[];
  default?: FakeReplySpec;
  /** Milliseconds before the first text delta (and before a whole answer). Default 0. */
  firstTokenMs?: number;
  /** Milliseconds between text deltas. Default 0. */
  tokenMs?: number;
}

/**
 * A document of a memory knowledge base, as data.
 *
 * @example
 * ```ts
 * const document: MemoryDocumentSpec = { text: 'Refunds take 14 days.', source: 's3://kb/refunds.md' };
 * ```
 */
export interface MemoryDocumentSpec {
  text: string;
  /** A URI or id; becomes the result's `source`. */
  source?: string;
  metadata?: { [key: string]: unknown };
}

/**
 * A chain event as the suite compares it: without `ms` and `runId`.
 *
 * @example
 * ```ts
 * const start: ExpectedEvent = { type: 'step-start', stepId: 'classify', stepType: 'invoke' };
 * ```
 */
export type ExpectedEvent = ChainEvent extends infer E
  ? E extends ChainEvent
    ? Omit<E, 'ms' | 'runId'>
    : never
  : never;

/**
 * What a case must produce. Either `error` (a failed run) or the rest (a successful one).
 *
 * @example
 * ```ts
 * const failed: ConformanceExpectation = { error: { name: 'StepFailedError', error: 'States.Timeout', stepId: 'slow' } };
 * ```
 */
export interface ConformanceExpectation {
  /** The run's output (`ChainResult.output`, `chain-end.output`). */
  output?: unknown;
  /** The streamed answer (`ChainResult.text`). */
  text?: string;
  /** `ChainResult.steps`. */
  steps?: { [stepId: string]: unknown };
  /**
   * The exact event sequence, `ms` and `runId` aside, `step-retry` excluded. Absent while a case has no golden
   * sequence yet; then only output, text and steps are compared. For a failed run (`error`), the events before the
   * terminal `error` event, when the stream ends with one.
   */
  events?: ExpectedEvent[];
  /** A failed run: the error's `name`, ASL `error` (StepFailedError) and `stepId`. */
  error?: { name: string; error?: string; stepId?: string };
}

/**
 * One conformance case: a chain, an input, the fakes it runs against, and what every runtime must produce.
 * Cases are plain data (handlers aside, which come from {@link conformanceHandlers}), so other tools can use them:
 * the compiler writes golden ASL for each, the emulator serves their fakes.
 *
 * @example
 * ```ts
 * const timeouts = conformanceCases.filter((testCase: ConformanceCase) => testCase.tags?.includes('timeout'));
 * ```
 */
export interface ConformanceCase {
  /** Unique, kebab-case. */
  name: string;
  description: string;
  chain: Chain;
  input: unknown;
  models: FakeModelsSpec;
  /** Documents of memory knowledge bases, by knowledge-base id. */
  knowledgeBases?: { [knowledgeBaseId: string]: MemoryDocumentSpec[] };
  /** The value the runtime's random source returns (for `split`). Cases with it are tagged `random`. */
  random?: number;
  /**
   * How the case is run: `run` (default) calls `runtime.run`; `stream` collects `runtime.stream` events;
   * `abort-on-first-delta` streams and aborts at the first `text-delta`; `abort-after-ms` runs and aborts after `abortAfterMs`.
   */
  mode?: 'run' | 'stream' | 'abort-on-first-delta' | 'abort-after-ms';
  abortAfterMs?: number;
  /** Features the case relies on, so a runtime can skip what it cannot do (`random`, `abort`, `timeout`, `retry`). */
  tags?: string[];
  expect: ConformanceExpectation;
}

/**
 * What the suite hands to `createRuntime` for one case.
 *
 * @example
 * ```ts
 * const createRuntime = ({ models, knowledgeBases, handlers, random }: ConformanceFixture) =>
 *   createLocalRuntime({ models, knowledgeBases, handlers, ...(random ? { random } : {}) });
 * ```
 */
export interface ConformanceFixture {
  case: ConformanceCase;
  chain: Chain;
  models: ModelProvider;
  knowledgeBases: { [knowledgeBaseId: string]: KnowledgeBase };
  handlers: { [name: string]: TaskHandler };
  /** The random source for `split`, when the case fixes one. */
  random?: () => number;
}

/**
 * How a runtime plugs into {@link describeRuntimeConformance}. Core cannot import a runtime, so the caller passes
 * the factories: the suite builds each case's fakes with them and hands them to `createRuntime`.
 *
 * @example
 * ```ts
 * const setup: ConformanceSetup = {
 *   createRuntime: ({ models, knowledgeBases, handlers }) => createLocalRuntime({ models, knowledgeBases, handlers }),
 *   fakeModels,
 *   memoryKnowledgeBase,
 *   skipTags: ['timeout'],
 * };
 * describeRuntimeConformance('my-runtime', setup);
 * ```
 */
export interface ConformanceSetup {
  /** A runtime for one case (the SFN runtime deploys `fixture.chain` here). */
  createRuntime(fixture: ConformanceFixture): ChainRuntime | Promise<ChainRuntime>;
  /** `fakeModels` of runtime-local, or anything that accepts the same data. */
  fakeModels(spec: FakeModelsSpec): ModelProvider;
  /** `memoryKnowledgeBase` of runtime-local, or anything that accepts the same data. */
  memoryKnowledgeBase(documents: MemoryDocumentSpec[]): KnowledgeBase;
  /** Called after each case. */
  cleanup?(fixture: ConformanceFixture): void | Promise<void>;
  /** Called once after the suite. */
  teardown?(): void | Promise<void>;
  /** Case names to skip. */
  skip?: string[];
  /** Tags whose cases are skipped. */
  skipTags?: string[];
  /** Per-case test timeout in milliseconds. Default 20,000. */
  timeoutMs?: number;
}
