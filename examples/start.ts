// `pnpm start`: every example chain on the local runtime with fake models, and the playground.
// PORT (default 3000) and HOST (default 127.0.0.1) change where it listens.
import { startExamples } from './shared/start-examples';

await startExamples();
