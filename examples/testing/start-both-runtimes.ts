import type { Chain, ChainResult, ChainRuntime } from '@stepwise/core';
import { startEmulator } from '@stepwise/emulator';
import type { ExampleServices } from '@stepwise/example-common';
import { createLocalRuntime } from '@stepwise/runtime-local';
import { createSfnRuntime } from '@stepwise/runtime-sfn';
import { expect } from 'vitest';
import { collectEvents } from './collect-events';

/** The two runtimes an example is tested on, each with its own copy of the fakes. */
export interface BothRuntimes {
  /** runtime-local, in process. */
  local: ChainRuntime;
  /** The SFN runtime: the real SDK clients against the loopback emulator (compiled ASL, StartSyncExecution, ConverseStream). */
  sfn: ChainRuntime;
  /** The fakes each runtime got (to inspect model calls). */
  services: { local: ExampleServices; sfn: ExampleServices };
  /**
   * Streams the chain on runtime-local, then on the SFN runtime, expects the same events (as {@link collectEvents}
   * gives them) and returns them.
   */
  sameEvents(chain: Chain, input: unknown): Promise<Record<string, unknown>[]>;
  /** Runs the chain on both runtimes at once, expects the same result and returns it. */
  sameResult(chain: Chain, input: unknown): Promise<ChainResult>;
  /** Stops the emulator. */
  close(): Promise<void>;
}

/**
 * Starts runtime-local and the SFN runtime (through the emulator) on fresh fakes from the same factory, so a test
 * can run an example on both and compare. `random` fixes the `split` draw on both.
 *
 * @example
 * ```ts
 * const runtimes = await startBothRuntimes(() => routerFakes());
 * afterAll(() => runtimes.close());
 * const events = await runtimes.sameEvents(router, input); // the same on both runtimes
 * const { output, text } = await runtimes.sameResult(router, input);
 * ```
 */
export async function startBothRuntimes(
  fakes: () => ExampleServices,
  options: { random?: () => number } = {},
): Promise<BothRuntimes> {
  const local = fakes();
  const sfn = fakes();
  const random = options.random ? { random: options.random } : {};
  const emulator = await startEmulator({ ...sfn, retryDelayMs: 0, ...random });
  const runtimes: Pick<BothRuntimes, 'local' | 'sfn'> = {
    local: createLocalRuntime({ ...local, ...random }),
    sfn: createSfnRuntime({
      endpoint: emulator.sfnEndpoint,
      bedrockEndpoint: emulator.bedrockEndpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
      maxAttempts: 1,
      roleArn: 'arn:aws:iam::123456789012:role/stepwise-examples',
    }),
  };
  return {
    ...runtimes,
    services: { local, sfn },
    async sameEvents(chain, input) {
      const localEvents = await collectEvents(runtimes.local.stream(chain, input));
      const sfnEvents = await collectEvents(runtimes.sfn.stream(chain, input));
      expect(sfnEvents, 'the SFN runtime streams other events than runtime-local').toEqual(localEvents);
      return localEvents;
    },
    async sameResult(chain, input) {
      const [localResult, sfnResult] = await Promise.all([
        runtimes.local.run(chain, input),
        runtimes.sfn.run(chain, input),
      ]);
      expect(sfnResult, 'the SFN runtime gives another result than runtime-local').toEqual(localResult);
      return localResult;
    },
    close: () => emulator.close(),
  };
}
