import type { Chain, Step } from '@stepwise/core';
import type { Mismatch } from './compare-observations';
import type { FuzzCase } from './fuzz-case';
import { allSteps } from './step-index';

/**
 * A difference between the runtimes that the fuzzer tolerates, by name, with the reason. `matches` says whether a
 * mismatch of a case is this difference; it should be as narrow as the difference is.
 *
 * @example
 * ```ts
 * const difference: KnownDifference = {
 *   name: 'example',
 *   reason: 'why it cannot be closed',
 *   matches: (mismatch) => mismatch.kind === 'usage differs',
 * };
 * ```
 */
export interface KnownDifference {
  name: string;
  reason: string;
  /** A class being fixed (reason `open: <class>, being fixed`), rather than a difference that cannot be closed. */
  open?: boolean;
  matches(mismatch: Mismatch, context: { fuzzCase: FuzzCase; chain: Chain }): boolean;
}

/** The kind, or for token counts that differ because a request did, the kind of that request difference. */
function cause(mismatch: Mismatch): string {
  return mismatch.kind.replace(/^usage differs after: /, '');
}

/** A known difference recognised by the cause its kind names. */
function byKind(name: string, reason: string, pattern: RegExp): KnownDifference {
  return {
    name,
    reason,
    ...(reason.startsWith('open:') ? { open: true } : {}),
    matches: (mismatch) => pattern.test(cause(mismatch)),
  };
}

const CONTAINERS = new Set(['parallel', 'choose', 'map', 'split']);

/**
 * Whether a chain has a `parallel`, `choose`, `map` or `split` with a timeout that can fire on runtime-local: its
 * steps include a slow handler, or a retry (whose waits add up).
 */
function hasTimedContainer(chain: Chain, fuzzCase: FuzzCase): boolean {
  const slowOrRetried = (step: Step) =>
    (step.type === 'task' && fuzzCase.handlers[step.handler]?.kind === 'slow') ||
    (step.type !== 'respond' && step.policy?.retry !== undefined);
  return allSteps(chain.steps).some(
    (step) =>
      CONTAINERS.has(step.type) &&
      step.type !== 'respond' &&
      step.policy?.timeoutSeconds !== undefined &&
      allSteps([step]).some((inner) => inner !== step && slowOrRetried(inner)),
  );
}

/**
 * The only differences the fuzzer tolerates. Mirrored in `src/compiler/ARCHITECTURE.md`, "Differences the fuzzer
 * tolerates" (a test checks that the two lists match). Entries whose reason starts with `open:` are mismatch classes
 * being fixed: remove each as its fix lands (`pnpm test:fuzz --strict` shows every open class).
 *
 * @example
 * ```ts
 * const names = knownDifferences.map((difference) => difference.name);
 * ```
 */
export const knownDifferences: readonly KnownDifference[] = [
  byKind(
    'mistral-invoke-usage',
    "Bedrock's Mistral InvokeModel answer carries no token counts (they travel in HTTP headers that Step Functions' " +
      'bedrock:invokeModel drops), so an invoke on a Mistral model counts 0 tokens on SFN; runtime-local sees the counts.',
    /^usage: a Mistral invoke counts 0 tokens/,
  ),
  byKind(
    'concurrent-failures',
    'When steps that run at once (parallel branches, map iterations) fail, the step fails with whichever failure comes ' +
      'first in time; neither Step Functions nor runtime-local orders concurrent work, so each may report another one.',
    /^race: /,
  ),
  {
    name: 'container-timeouts',
    reason:
      'Step Functions has TimeoutSeconds on Task states only, so a timeout on a parallel, choose, map or split ' +
      'fires on runtime-local alone (compileChain warns "timeout-ignored"); from there the runs part ways.',
    matches: (mismatch, { chain, fuzzCase }) =>
      hasTimedContainer(chain, fuzzCase) &&
      /^(outcome|error|events|output|text|usage|requests|race)/.test(mismatch.kind),
  },
  byKind(
    'open-placeholder-non-scalar',
    'open: a bare {{path}} on an object, array or null fails on runtime-local and renders on SFN, being fixed',
    /^placeholder: /,
  ),
  byKind(
    'open-chain-output',
    'open: a failing chain output fails differently (step id, streamed text), being fixed',
    /^chain output: /,
  ),
  byKind(
    'open-numbers',
    'open: numbers render the Java way on SFN (1.0E-7) and the JavaScript way on runtime-local (1e-7), being fixed',
    /^numbers: /,
  ),
  byKind(
    'open-control-tokens',
    'open: chat control tokens in Llama 3 and Mistral prompts are refused or sent differently on SFN, being fixed',
    /^control tokens: /,
  ),
  byKind(
    'open-stop-sequences-limit',
    'open: more than 4 stop sequences fail on SFN (Bedrock refuses them) and not on runtime-local, being fixed',
    /^stop sequences: /,
  ),
  byKind(
    'open-max-tokens-default',
    'open: without maxTokens, SFN sends a default (1024) that runtime-local does not send, being fixed',
    /^requests: maxTokens differs/,
  ),
  byKind(
    'open-null-task-input',
    'open: a task whose input is null gets {} from the emulator (lambda:invoke Payload) and null on runtime-local, being fixed',
    /^task input: /,
  ),
  byKind(
    'open-retryable',
    'open: a failed run is retryable on runtime-local (throttling, model timeouts) and not on SFN, being fixed',
    /^error\.retryable: local true, sfn false/,
  ),
];
