import { type Emulator, type StreamCut, startEmulator } from '@stepwise/emulator';
import { fakeModels } from '@stepwise/runtime-local';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanEnv, runStepwise } from './run-stepwise';

// `stepwise run` of a chain whose streamed answer the emulator cuts: the run fails (exit 1) on both runtimes.

const ANSWER = 'Tents rent for $25 a day, poles and pegs included.';
const FIXTURE = 'packages/cli/test/fixtures/cut-answer.ts';
let cut: StreamCut | undefined;
let emulator: Emulator;

beforeAll(async () => {
  emulator = await startEmulator({
    models: fakeModels({ byStep: { keywords: 'tents rental' }, default: ANSWER }),
    faults: { cutStream: () => cut },
  });
});

afterAll(async () => {
  await emulator?.close();
});

const runtimes = [
  ['sfn', () => ['--runtime', 'sfn'], () => cleanEnv({ STEPWISE_SFN_ENDPOINT: emulator.endpoint })],
  [
    'local with --bedrock',
    () => ['--runtime', 'local', '--bedrock'],
    () =>
      cleanEnv({
        AWS_ENDPOINT_URL_BEDROCK_RUNTIME: emulator.bedrockEndpoint,
        AWS_REGION: 'us-east-1',
        AWS_ACCESS_KEY_ID: 'stepwise-test',
        AWS_SECRET_ACCESS_KEY: 'stepwise-test',
        AWS_MAX_ATTEMPTS: '1',
      }),
  ],
] as const;

describe('stepwise run with a cut answer', () => {
  it.each(runtimes)('%s: a whole answer exits 0', async (_name, args, env) => {
    cut = undefined;
    const { code, stdout, stderr } = await runStepwise(['run', FIXTURE, ...args()], env());
    expect(stderr).not.toContain('error');
    expect(code).toBe(0);
    expect(stdout).toBe(`${ANSWER}\n`);
  });

  it.each(runtimes)(
    '%s: an answer cut before messageStop exits 1 and names the error and the step',
    async (_name, args, env) => {
      cut = { beforeEvent: 'messageStop' };
      const { code, stderr } = await runStepwise(['run', FIXTURE, ...args()], env());
      expect(code).toBe(1);
      expect(stderr).toContain('at step "answer"');
      expect(stderr).toContain('Bedrock.ModelStreamErrorException');
      expect(stderr).not.toContain('chain-end');
    },
  );

  it('sfn: an answer cut inside a frame exits 1, with --json ending in the error event', async () => {
    cut = { afterFrames: 4, afterBytes: 30, how: 'reset' };
    const { code, stdout } = await runStepwise(
      ['run', FIXTURE, '--runtime', 'sfn', '--json'],
      cleanEnv({ STEPWISE_SFN_ENDPOINT: emulator.endpoint }),
    );
    expect(code).toBe(1);
    const events = stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { type: string; error?: { stepId?: string; message: string } });
    expect(events.map((event) => event.type)).not.toContain('chain-end');
    expect(events.at(-1)).toMatchObject({ type: 'error', error: { stepId: 'answer' } });
    expect(events.at(-1)?.error?.message).toContain('Bedrock.ModelStreamErrorException');
  });
});
