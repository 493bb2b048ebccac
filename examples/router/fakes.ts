import type { ModelRequest, TaskHandler } from '@stepwise/core';
import { type ExampleServices, type FakeLatency, stepFakes } from '@stepwise/example-common';
import { lastUserText } from '@stepwise/runtime-local';

/** A retention offer, as the `createRetentionOffer` handler returns it. */
export interface RetentionOffer {
  code: string;
  discountPercent: number;
  months: number;
  validDays: number;
}

/** The classifier, faked with keyword rules; it continues the `{` prefill, as the real model does. */
function classify(request: ModelRequest): string {
  const text = lastUserText(request).toLowerCase();
  let reason: string | undefined;
  if (/expensive|price|cost|cheaper/.test(text)) reason = 'price too high';
  else if (/competitor|switch|elsewhere|another (shop|store)/.test(text)) reason = 'considering a competitor';
  else if (/cancel|leaving|quit|close my account|unsubscribe/.test(text)) reason = 'wants to cancel';
  else if (/terrible|awful|worst|angry|never again/.test(text)) reason = 'unhappy with the service';
  return reason === undefined
    ? '"churnRisk": false, "reason": "routine question"}'
    : `"churnRisk": true, "reason": "${reason}"}`;
}

/** The reply model, faked: follows the instructions the chain put in the system prompt. */
function reply(request: ModelRequest): string {
  const system = request.system ?? '';
  const offer = /\((.+?)\)\..*?offer (\d+)% off for (\d+) months with the code (\S+) \(valid for (\d+) days\)/s.exec(
    system,
  );
  if (offer) {
    const [, reason, discount, months, code, days] = offer;
    return (
      `I am sorry to hear that, and I understand (${reason}). We would really like to keep you on the trail with us: ` +
      `here is ${discount}% off your next ${months} months with the code ${code}, valid for ${days} days. ` +
      'If there is anything else we can fix, just reply here.'
    );
  }
  const text = lastUserText(request).toLowerCase();
  if (/tent/.test(text)) {
    return 'Our tents come with a lifetime warranty against defects. For a repair, bring the tent to any store or send us a photo here.';
  }
  if (/order|deliver|ship/.test(text)) {
    return 'Standard delivery takes 3 to 5 business days. Share your order number and I will check where it is.';
  }
  return 'Thanks for reaching out! I am happy to help: could you tell me a little more about what you need?';
}

/**
 * The retention-offer service, faked: a bigger discount when price is the problem.
 *
 * @example
 * ```ts
 * await createRetentionOffer({ customerId: 'c-42', reason: 'price too high' }, context);
 * // { code: 'STAY-C42-25', discountPercent: 25, months: 3, validDays: 30 }
 * ```
 */
export const createRetentionOffer: TaskHandler = (input) => {
  const { customerId, reason } = input as { customerId?: unknown; reason?: unknown };
  if (typeof customerId !== 'string' || customerId.length === 0) {
    throw Object.assign(new Error('createRetentionOffer needs a customerId'), { name: 'InvalidOfferRequest' });
  }
  const discountPercent = typeof reason === 'string' && reason.includes('price') ? 25 : 15;
  const offer: RetentionOffer = {
    code: `STAY-${customerId.replace(/[^A-Za-z0-9]/g, '').toUpperCase()}-${discountPercent}`,
    discountPercent,
    months: 3,
    validDays: 30,
  };
  return offer;
};

/**
 * Fakes of the router example: a keyword classifier, a reply model that follows the chain's instructions, and the
 * `createRetentionOffer` handler. The same fakes serve runtime-local and the Step Functions emulator.
 *
 * @example
 * ```ts
 * const runtime = createLocalRuntime(routerFakes({ firstTokenMs: 300, tokenMs: 20 }));
 * ```
 */
export function routerFakes(latency: FakeLatency = {}): ExampleServices {
  return stepFakes({ classify, reply }, { ...latency, handlers: { createRetentionOffer } });
}
