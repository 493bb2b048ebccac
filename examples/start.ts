// `pnpm start`: every example chain on the local runtime with fake models, and the playground.
// PORT (default 3000) and HOST (default 127.0.0.1) change where it listens. Failures' original messages are shown to
// clients (exposeErrorDetails), and step events stream as they happen (liveEvents), the model calls inside parallel
// and map included (eventDetail: 'nested', runtime-local only), for the playground's live graph, as suits a local
// playground; a production server leaves them off.
import { startExamples } from './shared/start-examples';

try {
  await startExamples({ exposeErrorDetails: true, liveEvents: true, eventDetail: 'nested' });
} catch (error) {
  const { code, port } = error as { code?: unknown; port?: unknown };
  if (code !== 'EADDRINUSE') throw error;
  const taken = typeof port === 'number' ? port : (process.env.PORT ?? 3000);
  process.stderr.write(`Port ${taken} is in use: set PORT to another port (PORT=3001 pnpm start).\n`);
  process.exitCode = 1;
}
