import { type Chain, modelFamilyOf, type Step } from '@stepwise/core';
import type { Mismatch } from './compare-observations';
import type { FuzzCase } from './fuzz-case';
import { allSteps, ancestorsOf, stepIndex } from './step-index';

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
 * Whether a chain reads the token counts of a Mistral invoke (its `usage`, its whole output, or the output of a
 * container holding it) into a template, a value or a condition: then whatever follows may differ, since SFN counts 0.
 */
function readsMistralUsage(chain: Chain): boolean {
  const related = new Set<string>();
  const index = stepIndex(chain.steps);
  for (const [id, entry] of index) {
    if (entry.step.type !== 'invoke' || modelFamilyOf(entry.step.model) !== 'mistral') continue;
    related.add(id);
    for (const outer of ancestorsOf(index, id)) related.add(outer);
  }
  if (related.size === 0) return false;
  const text = JSON.stringify({ steps: chain.steps, output: chain.output ?? null });
  for (const match of text.matchAll(/steps\.([A-Za-z][A-Za-z0-9_]*)((?:\.[A-Za-z_][A-Za-z0-9_]*|\[\d+\])*)/g)) {
    const [, id, rest = ''] = match;
    if (!related.has(id!)) continue;
    const isInvoke = index.get(id!)?.step.type === 'invoke';
    if (!isInvoke || rest === '' || rest.startsWith('.usage')) return true;
  }
  return false;
}

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
 * The only differences the fuzzer tolerates, tried in order: the first that matches names the tolerance (`mistral-usage`
 * comes last, as it also covers whatever follows in a chain that reads a Mistral invoke's counts). Mirrored in `src/compiler/ARCHITECTURE.md`, "Differences the fuzzer
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
    'format-object-placeholder',
    "A bare {{path}} on an object, array or null is a TemplateError (States.Runtime) on runtime-local; Step Functions' " +
      'States.Format prints it. defineChain refuses it where the shape is known; the compiled machine does not guard ' +
      'shapes it cannot know (two states per step); an input schema closes it.',
    /^placeholder: /,
  ),
  byKind(
    'retried-attempt-tokens',
    'Model calls that succeeded in a failed attempt of a retried parallel, map, choose or split count on runtime-local ' +
      "only: a Retry re-runs the state from its input and drops the failed attempt's output.",
    /^usage: tokens of a failed attempt of a retried container/,
  ),
  byKind(
    'caught-container-tokens',
    'Model calls that succeeded inside a parallel or map that then failed into its catch count on runtime-local only: ' +
      'the Catch hands on only { Error, Cause }.',
    /^usage: tokens of a container that failed into its catch/,
  ),
  {
    name: 'container-timeout',
    reason:
      'Step Functions has TimeoutSeconds on Task states only, so a timeout on a parallel, choose, map or split ' +
      'fires on runtime-local alone (compileChain warns "timeout-ignored"); from there the runs part ways.',
    matches: (mismatch, { chain, fuzzCase }) =>
      hasTimedContainer(chain, fuzzCase) &&
      /^(outcome|error|events|output|text|usage|requests|race)/.test(mismatch.kind),
  },
  byKind(
    'concurrent-failures',
    'When steps that run at once (parallel branches, map iterations) fail, the step fails with whichever failure comes ' +
      'first in time; neither Step Functions nor runtime-local orders concurrent work, so each may report another one ' +
      '(a payload failure at state entry beside a missing handler or knowledge base: SFN the payload failure, ' +
      'runtime-local the earlier branch).',
    /^race: /,
  ),
  {
    name: 'mistral-usage',
    reason:
      "Bedrock's Mistral InvokeModel answer carries no token counts, so an invoke on a Mistral model counts 0 tokens on " +
      'SFN, and so does any value, prompt or condition that reads them (whatever follows from those may differ too); ' +
      'runtime-local sees the counts.',
    matches: (mismatch, { chain }) =>
      /^usage: a Mistral invoke counts 0 tokens/.test(cause(mismatch)) || readsMistralUsage(chain),
  },
];
