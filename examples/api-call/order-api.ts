import type { TaskHandler } from '@stepwise/core';
import { z } from 'zod';

/** The order API's request schema: what the model's JSON must match. */
export const orderApiCall = z.discriminatedUnion('action', [
  z.object({ action: z.literal('getOrder'), orderId: z.string().regex(/^\d+$/, 'must be digits') }).strict(),
  z.object({ action: z.literal('cancelOrder'), orderId: z.string().regex(/^\d+$/, 'must be digits') }).strict(),
  z.object({ action: z.literal('listOrders') }).strict(),
]);

/** One order of the fake order API. */
export interface Order {
  orderId: string;
  customerId: string;
  status: 'processing' | 'shipped' | 'delivered';
  items: string[];
  carrier?: string;
  eta?: string;
}

/** The orders the fake API knows. */
export const sampleOrders: Order[] = [
  {
    orderId: '1042',
    customerId: 'c-42',
    status: 'shipped',
    items: ['Alpine 2 tent', 'Trail stakes (8)'],
    carrier: 'UPS',
    eta: 'in 2 business days',
  },
  { orderId: '1043', customerId: 'c-42', status: 'processing', items: ['Merino base layer'] },
  { orderId: '1077', customerId: 'c-77', status: 'delivered', items: ['Headlamp 400'] },
];

/** An error the handler throws; its `name` is the ASL error name that policies and callers see. */
function apiError(name: string, message: string): Error {
  return Object.assign(new Error(message), { name });
}

/**
 * Builds the `orderApi` task handler: checks the model's request against {@link orderApiCall} (throwing
 * `InvalidApiRequest` with every issue when it does not match) and answers from `orders`, never showing a
 * customer another customer's order. Cancelling is answered, not applied, so runs are repeatable.
 *
 * @example
 * ```ts
 * const orderApi = createOrderApi(sampleOrders);
 * await orderApi({ customerId: 'c-42', call: { action: 'getOrder', orderId: '1042' } }, context);
 * // { ok: true, order: { orderId: '1042', status: 'shipped', ... } }
 * ```
 */
export function createOrderApi(orders: Order[] = sampleOrders): TaskHandler {
  return (input) => {
    const { customerId, call } = (input ?? {}) as { customerId?: unknown; call?: unknown };
    if (typeof customerId !== 'string') throw apiError('InvalidApiRequest', 'customerId is missing.');
    const parsed = orderApiCall.safeParse(call);
    if (!parsed.success) {
      const issues = parsed.error.issues.map((issue) =>
        issue.path.length > 0 ? `${issue.path.join('.')}: ${issue.message}` : issue.message,
      );
      throw apiError(
        'InvalidApiRequest',
        `The model's request ${JSON.stringify(call)} does not match the order API: ${issues.join('; ')}.`,
      );
    }
    const mine = orders.filter((order) => order.customerId === customerId);
    const request = parsed.data;
    if (request.action === 'listOrders') {
      return { ok: true, orders: mine.map(({ orderId, status, items }) => ({ orderId, status, items })) };
    }
    const order = mine.find((candidate) => candidate.orderId === request.orderId);
    if (!order) return { ok: false, error: 'not-found', orderId: request.orderId };
    const { customerId: _owner, ...visible } = order;
    if (request.action === 'getOrder') return { ok: true, order: visible };
    if (order.status !== 'processing') {
      return { ok: false, error: 'cannot-cancel', orderId: order.orderId, status: order.status };
    }
    return { ok: true, cancelled: true, orderId: order.orderId };
  };
}
