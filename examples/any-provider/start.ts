// Runs the example on fake models, once per route, and prints each step and the streamed answer:
//   pnpm --filter @stepwise/example-any-provider start
// With OPENAI_API_KEY set (and COMPATIBLE_BASE_URL for the classifier, else OpenAI classifies too), on real models.
import { printEvents } from '@stepwise/cli';
import { createLocalRuntime } from '@stepwise/runtime-local';
import { anyProvider, fakes, realModels } from './index';

const runtime = createLocalRuntime(process.env.OPENAI_API_KEY ? { models: realModels() } : fakes());
const questions = [
  'I was charged twice for my tent order, can you fix that?',
  'The zip of my sleeping bag keeps splitting, what can I do?',
];
let ok = true;
for (const question of questions) {
  process.stderr.write(`\n> ${question}\n`);
  ok = (await printEvents(runtime.stream(anyProvider, { question }))).ok && ok;
}
process.exitCode = ok ? 0 : 1;
