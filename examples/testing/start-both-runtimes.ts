import type { ChainRuntime } from '@stepwise/core';
import type { ExampleServices } from '@stepwise/example-common';
import { createLocalRuntime } from '@stepwise/runtime-local';
import { createSfnRuntime } from '@stepwise/runtime-sfn';
import { startEmulator } from '@stepwise/runtime-sfn/testing';

/** The two runtimes an example is tested on, each with its own copy of the fakes. */
export interface BothRuntimes {
  /** runtime-local, in process. */
  local: ChainRuntime;
  /** The SFN runtime: the real SDK clients against the loopback emulator (compiled ASL, StartSyncExecution, ConverseStream). */
  sfn: ChainRuntime;
  /** The fakes each runtime got (to inspect model calls). */
  services: { local: ExampleServices; sfn: ExampleServices };
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
 * const [local, sfn] = await Promise.all([runtimes.local.run(router, input), runtimes.sfn.run(router, input)]);
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
  return {
    local: createLocalRuntime({ ...local, ...random }),
    sfn: createSfnRuntime({
      endpoint: emulator.sfnEndpoint,
      bedrockEndpoint: emulator.bedrockEndpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
      maxAttempts: 1,
      roleArn: 'arn:aws:iam::123456789012:role/stepwise-examples',
    }),
    services: { local, sfn },
    close: () => emulator.close(),
  };
}
