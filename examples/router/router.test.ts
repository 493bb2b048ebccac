import { type BothRuntimes, expectGoldenAsl, startBothRuntimes } from '@stepwise/example-testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { router } from './chain';
import { createRetentionOffer, routerFakes } from './fakes';

const context = { stepId: 'createOffer', signal: new AbortController().signal };

describe('router', () => {
  let runtimes: BothRuntimes;
  beforeAll(async () => {
    runtimes = await startBothRuntimes(() => routerFakes());
  });
  afterAll(() => runtimes?.close());

  it('compiles to the golden ASL', () => {
    expectGoldenAsl(router, new URL('./__fixtures__/router.asl.json', import.meta.url));
  });

  it('routes a customer at risk to the retention branch, with the same events on both runtimes', async () => {
    const input = { customerId: 'c-42', message: 'Your membership got too expensive, I am thinking of cancelling it.' };
    const events = await runtimes.sameEvents(router, input);
    const started = events.filter((event) => event.type === 'step-start').map((event) => event.stepId);
    expect(started).toEqual(['classify', 'route', 'createOffer', 'retentionBrief', 'reply']);
    const end = events.at(-1) as { output: unknown; text: string };
    expect(end.output).toEqual({ churnRisk: true, reason: 'price too high', route: 'retention' });
    expect(end.text).toContain('here is 25% off your next 3 months with the code STAY-C42-25, valid for 30 days');
  });

  it('answers a routine question with plain support, on both runtimes', async () => {
    const input = { customerId: 'c-7', message: 'How long does delivery to Denver take?' };
    const result = await runtimes.sameResult(router, input);
    expect(result.output).toEqual({ churnRisk: false, reason: 'routine question', route: 'support' });
    expect(result.steps).not.toHaveProperty('createOffer');
    expect(result.text).toBe(
      'Standard delivery takes 3 to 5 business days. Share your order number and I will check where it is.',
    );
  });

  it('creates smaller offers when price is not the reason', async () => {
    expect(await createRetentionOffer({ customerId: 'c-9', reason: 'considering a competitor' }, context)).toEqual({
      code: 'STAY-C9-15',
      discountPercent: 15,
      months: 3,
      validDays: 30,
    });
    expect(() => createRetentionOffer({ reason: 'x' }, context)).toThrow('createRetentionOffer needs a customerId');
  });
});
