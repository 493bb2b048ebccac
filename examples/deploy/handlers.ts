// The task handlers of the example chains as Lambda functions. Step Functions' lambda:invoke passes the task's input
// as the event; a thrown error's name becomes the ASL error the chains' retry and catch policies match.
import { createOrderApi } from '@stepwise/example-api-call';
import { createRetentionOffer as offer } from '@stepwise/example-router';

const orderApiHandler = createOrderApi();

function taskContext(stepId: string) {
  return { stepId, signal: AbortSignal.timeout(9_000) };
}

/**
 * Lambda handler of the router example's `createRetentionOffer` task.
 *
 * @example
 * ```ts
 * await createRetentionOffer({ customerId: 'c-42', reason: 'price too high' });
 * ```
 */
export const createRetentionOffer = async (event: unknown): Promise<unknown> =>
  offer(event, taskContext('createOffer'));

/**
 * Lambda handler of the api-call example's `orderApi` task (the fake order API).
 *
 * @example
 * ```ts
 * await orderApi({ customerId: 'c-42', call: { action: 'getOrder', orderId: '1042' } });
 * ```
 */
export const orderApi = async (event: unknown): Promise<unknown> => orderApiHandler(event, taskContext('callApi'));
