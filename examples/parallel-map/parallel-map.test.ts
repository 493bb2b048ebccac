import { type BothRuntimes, collectEvents, expectGoldenAsl, startBothRuntimes } from '@stepwise/example-testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reviewDigest, reviewDigestChain } from './chain';
import { reviewDigestFakes, sampleDigestInput } from './fakes';

describe('parallel-map', () => {
  let runtimes: BothRuntimes;
  beforeAll(async () => {
    runtimes = await startBothRuntimes(() => reviewDigestFakes());
  });
  afterAll(() => runtimes?.close());

  it('compiles to the golden ASL', () => {
    expectGoldenAsl(reviewDigest, new URL('./__fixtures__/parallel-map.asl.json', import.meta.url));
  });

  it('summarises every document in order, then streams a synthesis, the same on both runtimes', async () => {
    const input = sampleDigestInput(12);
    const local = await collectEvents(runtimes.local.stream(reviewDigest, input));
    const sfn = await collectEvents(runtimes.sfn.stream(reviewDigest, input));
    expect(sfn).toEqual(local);
    const end = local.at(-1) as { output: { summaries: { title: string; summary: string }[] }; text: string };
    expect(end.output.summaries).toHaveLength(12);
    expect(end.output.summaries.map((entry) => entry.title)).toEqual(input.documents.map((document) => document.title));
    expect(end.output.summaries[0]).toEqual({
      title: 'Review 1: Alpine 2 tent',
      summary: 'Alpine 2 tent: It stayed dry through a full night of heavy rain.',
    });
    expect(end.text).toMatch(/^Across 12 reviews, the main themes about what customers like and dislike are: /);
  });

  it('counts the tokens of every summary in the run usage on both runtimes', async () => {
    const input = sampleDigestInput(4);
    const [local, sfn] = await Promise.all([
      runtimes.local.run(reviewDigest, input),
      runtimes.sfn.run(reviewDigest, input),
    ]);
    expect(local.usage.byModel).toHaveProperty(['anthropic.claude-3-haiku-20240307-v1:0']);
    expect(sfn.usage).toEqual(local.usage);
  });

  it('keeps at most maxConcurrency model calls in flight', async () => {
    let inFlight = 0;
    let peak = 0;
    const fakes = reviewDigestFakes({ firstTokenMs: 20 });
    const models = fakes.models;
    const counting = {
      ...models,
      specificationVersion: 'v1' as const,
      provider: 'counting',
      async doInvoke(...args: Parameters<typeof models.doInvoke>) {
        inFlight += 1;
        peak = Math.max(peak, inFlight);
        try {
          return await models.doInvoke(...args);
        } finally {
          inFlight -= 1;
        }
      },
      doStream: models.doStream.bind(models),
    };
    const { createLocalRuntime } = await import('@stepwise/runtime-local');
    const runtime = createLocalRuntime({ ...fakes, models: counting });
    await runtime.run(reviewDigestChain({ maxConcurrency: 3 }), sampleDigestInput(10));
    expect(peak).toBe(3);
  });
});
