/**
 * The SFN runtime end to end on loopback: the reference chain (invoke classify as boolean -> choose -> parallel of two
 * invokes -> respond streaming 50 tokens) run by `createSfnRuntime` with the real AWS SDK clients against the
 * in-process emulator (`startEmulator`, fakes at zero latency): StartSyncExecution on aws-local-stepfunctions, then
 * ConverseStream over HTTP/2. Reports runs/s, the wall time of each phase, and where the CPU goes (a V8 CPU profile,
 * self time by origin: stepwise's own code, the emulator and fakes, the AWS SDK, Node's HTTP stacks).
 */
import { Session } from 'node:inspector/promises';
import { BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';
import { SFNClient } from '@aws-sdk/client-sfn';
import { startEmulator } from '@stepwise/emulator';
import { fakeModels } from '@stepwise/runtime-local';
import { createSfnRuntime, deployChain } from '@stepwise/runtime-sfn';
import { collectGarbage, median, printTable, runsPerSecond } from './lib/measure';
import { REFERENCE_ANSWER, referenceChain, referenceInput, referenceReplies } from './reference-chain';

const models = fakeModels({ byStep: referenceReplies });
const emulator = await startEmulator({ models });
const common = {
  region: 'us-east-1',
  credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' },
  maxAttempts: 1,
};

// Phase timers: middleware times each client call (and the ConverseStream iteration); the rest of a run is stepwise.
const phases = { execution: 0, stream: 0, total: 0 };
const client = new SFNClient({ ...common, endpoint: emulator.sfnEndpoint, disableHostPrefix: true });
client.middlewareStack.add(
  (next) => async (args) => {
    const start = performance.now();
    try {
      return await next(args);
    } finally {
      phases.execution += performance.now() - start;
    }
  },
  { step: 'initialize', name: 'benchTimer' },
);
const bedrock = new BedrockRuntimeClient({ ...common, endpoint: emulator.bedrockEndpoint });
bedrock.middlewareStack.add(
  (next) => async (args) => {
    const start = performance.now();
    const result = await next(args);
    phases.stream += performance.now() - start;
    const output = result.output as { stream?: AsyncIterable<unknown> };
    const stream = output.stream;
    if (stream) {
      output.stream = {
        async *[Symbol.asyncIterator]() {
          const iterator = stream[Symbol.asyncIterator]();
          for (;;) {
            const pulled = performance.now();
            const next = await iterator.next();
            phases.stream += performance.now() - pulled;
            if (next.done) return;
            yield next.value;
          }
        },
      };
    }
    return result;
  },
  { step: 'initialize', name: 'benchTimer' },
);
const { stateMachineArn } = await deployChain(referenceChain, {
  roleArn: 'arn:aws:iam::123456789012:role/bench',
  client,
});
const runtime = createSfnRuntime({ client, bedrock, stateMachines: { reference: stateMachineArn } });

const run = async () => {
  const start = performance.now();
  const result = await runtime.run(referenceChain, referenceInput);
  phases.total += performance.now() - start;
  return result;
};

const check = await run();
if (check.text !== REFERENCE_ANSWER) throw new Error(`unexpected answer: ${check.text}`);

// Throughput: runs back to back.
const ROUNDS = 5;
const ROUND_MS = 1_500;
await runsPerSecond(run, 1_000); // warm-up
const rates: number[] = [];
for (let round = 0; round < ROUNDS; round++) {
  collectGarbage();
  rates.push(await runsPerSecond(run, ROUND_MS));
  models.calls.length = 0;
}

// Phases, over a fixed number of runs.
phases.execution = 0;
phases.stream = 0;
phases.total = 0;
const PHASE_RUNS = 200;
for (let i = 0; i < PHASE_RUNS; i++) await run();
models.calls.length = 0;
const measured = { ...phases };

// CPU profile, attributed by the origin of each sample's function.
const session = new Session();
session.connect();
await session.post('Profiler.enable');
await session.post('Profiler.setSamplingInterval', { interval: 100 });
await session.post('Profiler.start');
for (let i = 0; i < PHASE_RUNS; i++) await run();
const { profile } = await session.post('Profiler.stop');
session.disconnect();

type Origin =
  | 'stepwise runtime and core'
  | 'emulator and fakes'
  | 'AWS SDK (smithy)'
  | 'Node (http, http2, streams, GC)'
  | 'idle';
function originOf(url: string, functionName: string): Origin {
  if (functionName === '(idle)' || functionName === '(program)') return 'idle';
  if (url.includes('/packages/emulator/src/')) return 'emulator and fakes';
  if (/\/packages\/(core|runtime-sfn)\/src\//.test(url)) return 'stepwise runtime and core';
  if (
    /aws-local-stepfunctions|jsonpath-plus|asl-validator|p-limit|wildcard-match|\/packages\/runtime-local\//.test(url)
  ) {
    return 'emulator and fakes';
  }
  if (/@aws-sdk|@smithy|@aws-crypto|fast-xml-parser|bowser/.test(url)) return 'AWS SDK (smithy)';
  return 'Node (http, http2, streams, GC)';
}
const selfMicros = new Map<Origin, number>();
const byId = new Map(profile.nodes.map((node) => [node.id, node]));
const samples = profile.samples ?? [];
const deltas = profile.timeDeltas ?? [];
for (let i = 0; i < samples.length; i++) {
  const node = byId.get(samples[i] as number);
  if (!node) continue;
  const origin = originOf(node.callFrame.url, node.callFrame.functionName);
  selfMicros.set(origin, (selfMicros.get(origin) ?? 0) + (deltas[i] ?? 0));
}
const busy = [...selfMicros.entries()].filter(([origin]) => origin !== 'idle').reduce((sum, [, us]) => sum + us, 0);

const rate = median(rates);
printTable(
  ['variant', 'runs/s (median)', 'ms/run', 'min runs/s', 'max runs/s'],
  [['SFN runtime + emulator, run()', rate, 1000 / rate, Math.min(...rates), Math.max(...rates)]],
);
console.log(`\nWall time per run, over ${PHASE_RUNS} runs:\n`);
const per = (value: number) => value / PHASE_RUNS;
const own = measured.total - measured.execution - measured.stream;
printTable(
  ['phase', 'ms/run', 'share'],
  [
    [
      'StartSyncExecution (SDK, HTTP/1.1, emulator executing the machine)',
      per(measured.execution),
      pct(measured.execution, measured.total),
    ],
    [
      'ConverseStream (SDK, HTTP/2, event stream, fake model)',
      per(measured.stream),
      pct(measured.stream, measured.total),
    ],
    ['stepwise runtime (input, events from the recorded state, usage)', per(own), pct(own, measured.total)],
    ['total', per(measured.total), '100%'],
  ],
);
console.log(`\nCPU self time by origin (V8 profile of ${PHASE_RUNS} runs, idle excluded):\n`);
printTable(
  ['origin', 'CPU ms/run', 'share of CPU'],
  [...selfMicros.entries()]
    .filter(([origin]) => origin !== 'idle')
    .sort((a, b) => b[1] - a[1])
    .map(([origin, us]) => [origin, us / 1000 / PHASE_RUNS, pct(us, busy)]),
);

function pct(part: number, whole: number): string {
  return `${((100 * part) / whole).toFixed(1)}%`;
}

client.destroy();
bedrock.destroy();
await emulator.close();
