import {
  choose,
  defineChain,
  eq,
  invoke,
  map,
  parallel,
  type Step,
  split,
  type TaskHandler,
  task,
  transform,
  when,
} from '@stepwise/core';
import { describe, expect, it } from 'vitest';
import type { AslJson } from './asl-types';
import { compileChain } from './compile-chain';
import { runBoth } from './run-both';

const HAIKU = 'anthropic.claude-3-haiku-20240307-v1:0';

/**
 * Handlers (one set serves both runtimes of a run): `boom` always throws `BoomError`; `flaky` throws `FlakyError` on
 * its first two calls; `stuck` always throws `FlakyError`.
 */
function handlers(): { [name: string]: TaskHandler } {
  let flaky = 0;
  return {
    ok: (input) => ({ ok: true, input }),
    stuck: () => {
      const error = new Error('Still flaky.');
      error.name = 'FlakyError';
      throw error;
    },
    boom: () => {
      const error = new Error('It went boom.');
      error.name = 'BoomError';
      throw error;
    },
    flaky: () => {
      flaky += 1;
      if (flaky <= 2) {
        const error = new Error(`Flaky ${flaky}.`);
        error.name = 'FlakyError';
        throw error;
      }
      return { calls: flaky };
    },
  };
}

const boom = (id: string, policy?: object) => task(id, { handler: 'boom', ...(policy ? { policy } : {}) });

async function failsOnBoth(steps: Step[], expected: { error: string; stepId?: string }, input: unknown = {}) {
  const chain = defineChain({ name: 'blame', steps });
  const { local, asl } = await runBoth(chain, input, {
    models: { byStep: { throttled: { throttle: 9, text: 'x' } }, default: 'fine' },
    handlers: handlers(),
  });
  const summary = (side: typeof local) =>
    side.ok ? side : { error: side.error, ...(side.stepId !== undefined ? { stepId: side.stepId } : {}) };
  expect(summary(local), 'runtime-local').toEqual(expected);
  expect(summary(asl), 'compiled ASL').toEqual(expected);
  return { local, asl };
}

describe('one failure, one meaning: the same ASL error and the innermost failed step on both runtimes', () => {
  it('an inner step of a parallel, never the parallel', async () => {
    await failsOnBoth(
      [
        parallel('fan', {
          a: [transform('first', { set: { x: 1 } })],
          b: [task('fine', { handler: 'ok' }), boom('inner')],
        }),
      ],
      { error: 'BoomError', stepId: 'inner' },
    );
  });

  it('an inner step of a map iteration, never the map', async () => {
    await failsOnBoth(
      [map('each', { items: 'input.list', steps: [transform('shape', { set: { v: 'item' } }), boom('perItem')] })],
      { error: 'BoomError', stepId: 'perItem' },
      { list: [1, 2] },
    );
  });

  it('an inner step of a choose case, with or without a policy on the choose', async () => {
    const route = (policy?: object) =>
      choose(
        'route',
        [when(eq('input.kind', 'a'), [boom('caseStep')])],
        [transform('other', { set: {} })],
        policy ? { policy } : {},
      );
    await failsOnBoth([route()], { error: 'BoomError', stepId: 'caseStep' }, { kind: 'a' });
    // Wrapped in a one-branch Parallel to carry the policy: the inner step is still the one blamed.
    await failsOnBoth(
      [route({ retry: { errors: ['BoomError'], maxAttempts: 1, intervalSeconds: 1 } })],
      { error: 'BoomError', stepId: 'caseStep' },
      { kind: 'a' },
    );
  });

  it('an inner step of a split variant', async () => {
    await failsOnBoth([split('exp', { only: { weight: 1, steps: [boom('variantStep')] } })], {
      error: 'BoomError',
      stepId: 'variantStep',
    });
  });

  it("a fallback's error is the fallback step's", async () => {
    await failsOnBoth(
      [boom('main', { catch: { errors: ['BoomError'], fallback: [transform('prep', { set: {} }), boom('rescue')] } })],
      { error: 'BoomError', stepId: 'rescue' },
    );
    await failsOnBoth(
      [
        invoke('throttled', {
          model: HAIKU,
          prompt: 'Hi',
          policy: { catch: { errors: ['States.ALL'], fallback: [boom('rescue')] } },
        }),
      ],
      { error: 'BoomError', stepId: 'rescue' },
    );
  });

  it('a retried step that still fails is the one blamed; an earlier retried or caught step never is', async () => {
    await failsOnBoth(
      [task('stuck', { handler: 'stuck', policy: { retry: { errors: ['FlakyError'], maxAttempts: 1 } } })],
      { error: 'FlakyError', stepId: 'stuck' },
    );
    await failsOnBoth(
      [
        // Fails twice on runtime-local, then succeeds (and at once on the ASL side, as the calls are counted across).
        task('flaky', { handler: 'flaky', policy: { retry: { errors: ['FlakyError'], maxAttempts: 2 } } }),
        boom('caught', { catch: { errors: ['States.ALL'], fallback: [transform('saved', { set: {} })] } }),
        boom('later'),
      ],
      { error: 'BoomError', stepId: 'later' },
    );
  });

  it('an enclosing parallel retries and catches by the inner error name, then blames the inner step', async () => {
    const fan = (policy: object) => parallel('fan', { a: [boom('inner')] }, { policy });
    await failsOnBoth([fan({ retry: { errors: ['BoomError'], maxAttempts: 2 } })], {
      error: 'BoomError',
      stepId: 'inner',
    });
    const chain = defineChain({
      name: 'blame',
      steps: [fan({ catch: { errors: ['BoomError'], fallback: [transform('saved', { set: { saved: true } })] } })],
    });
    const both = await runBoth(chain, {}, { models: {}, handlers: handlers() });
    expect(both.local).toMatchObject({ ok: true, output: { saved: true } });
    expect(both.asl).toEqual(both.local);
  });

  it('a model error deep in nesting keeps its Bedrock name and its step', async () => {
    await failsOnBoth(
      [
        parallel('outer', {
          a: [
            map('each', {
              items: 'input.list',
              steps: [parallel('inner', { x: [invoke('throttled', { model: HAIKU, prompt: '{{item}}' })] })],
            }),
          ],
        }),
      ],
      { error: 'Bedrock.ThrottlingException', stepId: 'throttled' },
      { list: ['q'] },
    );
  });

  it('an uncatchable error (a missing template path) names its state, and so its step', async () => {
    await failsOnBoth([parallel('fan', { a: [invoke('ask', { model: HAIKU, prompt: 'Q: {{input.missing}}' })] })], {
      error: 'States.Runtime',
      stepId: 'ask',
    });
  });

  it('a failing chain output is no step', async () => {
    const chain = defineChain({
      name: 'blame',
      steps: [transform('shape', { set: { a: 1 } })],
      // a path under the input (no schema): one into the known output of "shape" is refused by defineChain
      output: { x: 'input.missing' },
    });
    const { local, asl } = await runBoth(chain, {}, { models: {} });
    expect(local).toMatchObject({ ok: false, error: 'States.Runtime' });
    expect(asl).toMatchObject({ ok: false, error: 'States.Runtime' });
    expect('stepId' in local || 'stepId' in asl).toBe(false);
  });

  it('carries the original cause out, unwrapped', async () => {
    const { asl } = await failsOnBoth([boom('inner')], { error: 'BoomError', stepId: 'inner' });
    expect(asl).toMatchObject({ message: expect.stringContaining('It went boom.') });
    expect((asl as { message: string }).message).not.toContain('stepwiseStepId');
  });

  it('gives a step that catches everything catchable no Fail state of its own', () => {
    const definition = compileChain(
      defineChain({
        name: 'blame',
        steps: [
          boom('all', { catch: { errors: ['States.ALL'], fallback: [] } }),
          boom('some', { catch: { errors: ['BoomError'], fallback: [] } }),
        ],
      }),
    );
    const fails = Object.keys(definition.States).filter((name) => definition.States[name]!.Type === 'Fail');
    expect(fails).toEqual(['Some.Failed']);
    expect(definition.States.Some!.Catch).toEqual([
      {
        ErrorEquals: ['BoomError'],
        Next: 'Some.Fallback',
        ResultPath: '$.steps.some',
        // A caught step records its start too (ARCHITECTURE.md, *Step timing*).
        Assign: { 't_some.$': '$$.State.EnteredTime' },
      },
      { ErrorEquals: ['States.ALL'], ResultPath: '$.steps.some', Next: 'Some.Failed' },
    ] as AslJson);
  });
});
