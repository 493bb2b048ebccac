// Runs the example once on fake models and prints each step and the streamed answer:
//   pnpm --filter @stepwise/example-ab-test start
import { printEvents } from '@stepwise/cli';
import { createLocalRuntime } from '@stepwise/runtime-local';
import { abTest, fakes, sampleInput } from './index';

const runtime = createLocalRuntime(fakes());
const { ok } = await printEvents(runtime.stream(abTest, sampleInput));
process.exitCode = ok ? 0 : 1;
