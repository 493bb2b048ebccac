/**
 * The loopback emulator, re-exported from `@stepwise/emulator` (an optional peer dependency: install it beside
 * `@stepwise/runtime-sfn` to use this entry).
 *
 * @example
 * ```ts
 * import { startEmulator } from '@stepwise/runtime-sfn/testing';
 *
 * const emulator = await startEmulator({ models: fakeModels({ byStep: { answer: 'Hello!' } }) });
 * ```
 */
export * from '@stepwise/emulator';
