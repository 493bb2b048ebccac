// Runs the example once on fake models and prints each step and the streamed answer:
//   pnpm --filter @stepwise/example-parallel-map start
import { printEvents } from '@stepwise/cli';
import { createLocalRuntime } from '@stepwise/runtime-local';
import { fakes, reviewDigest, sampleInput } from './index';

const runtime = createLocalRuntime(fakes());
const { ok } = await printEvents(runtime.stream(reviewDigest, sampleInput));
process.exitCode = ok ? 0 : 1;
