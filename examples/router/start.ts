// Runs the example on fake models, once per route, and prints each step and the streamed answer:
//   pnpm --filter @stepwise/example-router start
import { printEvents } from '@stepwise/cli';
import { createLocalRuntime } from '@stepwise/runtime-local';
import { fakes, router, sampleInput } from './index';

const runtime = createLocalRuntime(fakes());
const messages = [sampleInput, { customerId: 'c-7', message: 'How long does delivery to Denver take?' }];
let ok = true;
for (const input of messages) {
  process.stderr.write(`\n> ${input.message}\n`);
  ok = (await printEvents(runtime.stream(router, input))).ok && ok;
}
process.exitCode = ok ? 0 : 1;
