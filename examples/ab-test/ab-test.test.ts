import { expectGoldenAsl, startBothRuntimes } from '@stepwise/example-testing';
import { describe, expect, it } from 'vitest';
import { abTest } from './chain';
import { abTestFakes } from './fakes';

const input = { question: 'How do I choose a sleeping bag for autumn camping?' };

describe('ab-test', () => {
  it('compiles to the golden ASL', () => {
    expectGoldenAsl(abTest, new URL('./__fixtures__/ab-test.asl.json', import.meta.url));
  });

  // The split draws from `random`: below 0.5 is the first variant (`direct`), from 0.5 the second (`outlined`).
  for (const [draw, variant, steps] of [
    [0.2, 'direct', ['experiment', 'directPrompt', 'finalAnswer']],
    [0.7, 'outlined', ['experiment', 'outline', 'outlinedPrompt', 'finalAnswer']],
  ] as const) {
    it(`reports the ${variant} variant in the output and the stream, the same on both runtimes`, async () => {
      const runtimes = await startBothRuntimes(() => abTestFakes(), { random: () => draw });
      try {
        const events = await runtimes.sameEvents(abTest, input);
        expect(events.filter((event) => event.type === 'step-start').map((event) => event.stepId)).toEqual(steps);
        const experimentEnd = events.find((event) => event.type === 'step-end' && event.stepId === 'experiment');
        expect(experimentEnd?.output).toMatchObject({ variant });
        const end = events.at(-1) as { output: unknown; text: string };
        expect(end.output).toEqual({ variant });
        if (variant === 'outlined') expect(end.text).toMatch(/^1\. What matters for: How do I choose a sleeping bag/);
        else expect(end.text).toMatch(/^Good question: "How do I choose a sleeping bag/);
      } finally {
        await runtimes.close();
      }
    });
  }

  it('splits traffic between both variants at random', async () => {
    const runtimes = await startBothRuntimes(() => abTestFakes());
    try {
      const seen = new Set<unknown>();
      for (let run = 0; run < 40 && seen.size < 2; run++) {
        const result = await runtimes.local.run(abTest, input);
        seen.add((result.output as { variant: string }).variant);
      }
      expect([...seen].sort()).toEqual(['direct', 'outlined']);
    } finally {
      await runtimes.close();
    }
  });
});
