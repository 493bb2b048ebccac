/**
 * What a task handler receives besides its input.
 *
 * @example
 * ```ts
 * const getOrder: TaskHandler = async (input, { stepId, signal }: TaskContext) => fetch(url, { signal }).then((r) => r.json());
 * ```
 */
export interface TaskContext {
  /** The `task` step being run. */
  stepId: string;
  /** Aborted when the run is aborted or the step times out. */
  signal: AbortSignal;
}

/**
 * User code behind a `task` step: a local function on runtime-local and in the emulator, a Lambda function on
 * Step Functions. It returns JSON; a thrown error's `name` is the ASL error name policies match on
 * (as Lambda reports `errorType`).
 *
 * @example
 * ```ts
 * const createRetentionOffer: TaskHandler = async (input) => {
 *   const { customerId } = input as { customerId: string };
 *   return { offerId: `offer-${customerId}`, discount: 20 };
 * };
 * ```
 */
export type TaskHandler = (input: unknown, context: TaskContext) => unknown | Promise<unknown>;
