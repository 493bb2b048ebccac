import { afterAll, describe, expect, it } from 'vitest';
import type { KnowledgeBase } from '../model/knowledge-base';
import type { ChainEvent } from '../runtime/chain-event';
import type { ChainResult, ChainRuntime } from '../runtime/chain-runtime';
import type { ConformanceCase, ConformanceFixture, ConformanceSetup } from './conformance-case';
import { conformanceCases } from './conformance-cases';
import { conformanceHandlers } from './conformance-handlers';
import { normaliseEvents } from './normalise-events';

/**
 * Registers a vitest suite that runs every {@link conformanceCases} case on a runtime: same chains, inputs and
 * fakes; the same outputs, texts, step outputs and event sequences (`ms`, `runId` and `step-retry` aside); for
 * failures the same error name, ASL error and step id.
 *
 * @example
 * ```ts
 * import { describeRuntimeConformance } from '@stepwise/core/testing';
 * import { createLocalRuntime, fakeModels, memoryKnowledgeBase } from '@stepwise/runtime-local';
 *
 * describeRuntimeConformance('runtime-local', {
 *   createRuntime: ({ models, knowledgeBases, handlers, random }) =>
 *     createLocalRuntime({ models, knowledgeBases, handlers, random }),
 *   fakeModels,
 *   memoryKnowledgeBase,
 * });
 * ```
 */
export function describeRuntimeConformance(name: string, setup: ConformanceSetup): void {
  describe(`runtime conformance: ${name}`, () => {
    if (setup.teardown) afterAll(() => setup.teardown?.());
    for (const testCase of conformanceCases) {
      const skipped =
        setup.skip?.includes(testCase.name) || (testCase.tags ?? []).some((tag) => setup.skipTags?.includes(tag));
      const test = skipped ? it.skip : it;
      test(testCase.name, () => runCase(setup, testCase), setup.timeoutMs ?? 20_000);
    }
  });
}

function buildFixture(setup: ConformanceSetup, testCase: ConformanceCase): ConformanceFixture {
  const knowledgeBases: { [id: string]: KnowledgeBase } = {};
  for (const [id, documents] of Object.entries(testCase.knowledgeBases ?? {})) {
    knowledgeBases[id] = setup.memoryKnowledgeBase(documents);
  }
  const fixture: ConformanceFixture = {
    case: testCase,
    chain: testCase.chain,
    models: setup.fakeModels(testCase.models),
    knowledgeBases,
    handlers: conformanceHandlers(),
  };
  const random = testCase.random;
  if (random !== undefined) fixture.random = () => random;
  return fixture;
}

async function withRuntime(
  setup: ConformanceSetup,
  testCase: ConformanceCase,
  body: (runtime: ChainRuntime) => Promise<void>,
): Promise<void> {
  // Fakes and handlers keep counts (scripted throttles, flaky calls): every run gets fresh ones.
  const fixture = buildFixture(setup, testCase);
  try {
    await body(await setup.createRuntime(fixture));
  } finally {
    await setup.cleanup?.(fixture);
  }
}

async function runCase(setup: ConformanceSetup, testCase: ConformanceCase): Promise<void> {
  const mode = testCase.mode ?? 'run';
  if (mode === 'run' || mode === 'abort-after-ms') {
    await withRuntime(setup, testCase, (runtime) => checkRun(runtime, testCase));
  }
  if (mode !== 'abort-after-ms') {
    await withRuntime(setup, testCase, (runtime) => checkStream(runtime, testCase));
  }
}

async function checkRun(runtime: ChainRuntime, testCase: ConformanceCase): Promise<void> {
  const { expect: expected } = testCase;
  const controller = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  if (testCase.mode === 'abort-after-ms') timer = setTimeout(() => controller.abort(), testCase.abortAfterMs ?? 50);
  let result: ChainResult | undefined;
  let failure: unknown;
  try {
    result = await runtime.run(testCase.chain, testCase.input, { signal: controller.signal });
  } catch (error) {
    failure = error;
  } finally {
    clearTimeout(timer);
  }
  if (expected.error) {
    expect(failure, 'the run should fail').toBeDefined();
    expect(errorSummary(failure, expected.error)).toEqual(expected.error);
    return;
  }
  if (failure) throw failure;
  checkResult(result!, testCase);
  const end = expected.events?.at(-1);
  if (end?.type === 'chain-end') {
    expect(result!.output).toEqual(end.output);
    expect(result!.usage).toEqual(end.usage);
    if (end.text !== undefined) expect(result!.text).toBe(end.text);
  }
}

async function checkStream(runtime: ChainRuntime, testCase: ConformanceCase): Promise<void> {
  const { expect: expected } = testCase;
  const controller = new AbortController();
  const events: ChainEvent[] = [];
  let failure: unknown;
  try {
    for await (const event of runtime.stream(testCase.chain, testCase.input, { signal: controller.signal })) {
      events.push(event);
      if (testCase.mode === 'abort-on-first-delta' && event.type === 'text-delta') controller.abort();
    }
  } catch (error) {
    failure = error;
  }
  const last = events.at(-1);
  if (expected.error) {
    if (failure) {
      expect(errorSummary(failure, expected.error)).toEqual(expected.error);
    } else {
      expect(last?.type, 'the stream should end with an error event').toBe('error');
      const error = (last as Extract<ChainEvent, { type: 'error' }>).error;
      const summary: { name: string; stepId?: string } = { name: error.name };
      if (expected.error.stepId !== undefined) summary.stepId = error.stepId as string;
      const { error: _asl, ...rest } = expected.error;
      expect(summary).toEqual(rest);
      if (expected.events) expect(normaliseEvents(events.slice(0, -1))).toEqual(expected.events);
    }
    return;
  }
  if (failure) throw failure;
  expect(last?.type, 'the stream should end with chain-end').toBe('chain-end');
  const end = last as Extract<ChainEvent, { type: 'chain-end' }>;
  if ('output' in expected) expect(end.output).toEqual(expected.output);
  if (expected.text !== undefined) {
    expect(end.text).toBe(expected.text);
    const deltas = events.filter((event) => event.type === 'text-delta').map((event) => event.delta);
    expect(deltas.length, 'the answer should stream in several deltas').toBeGreaterThan(1);
    expect(deltas.join('')).toBe(expected.text);
  }
  if (expected.events) expect(normaliseEvents(events)).toEqual(expected.events);
}

function checkResult(result: ChainResult, testCase: ConformanceCase): void {
  const { expect: expected } = testCase;
  if ('output' in expected) expect(result.output).toEqual(expected.output);
  if (expected.text !== undefined) expect(result.text).toBe(expected.text);
  if (expected.steps) expect(result.steps).toEqual(expected.steps);
}

function errorSummary(
  error: unknown,
  expected: { name: string; error?: string; stepId?: string },
): { name: string; error?: string; stepId?: string } {
  const actual = error as { name?: unknown; error?: unknown; stepId?: unknown };
  const summary: { name: string; error?: string; stepId?: string } = { name: String(actual?.name) };
  if (expected.error !== undefined) summary.error = actual?.error as string;
  if (expected.stepId !== undefined) summary.stepId = actual?.stepId as string;
  return summary;
}
