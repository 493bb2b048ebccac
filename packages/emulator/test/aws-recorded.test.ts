import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CreateStateMachineCommand, SFNClient, StartSyncExecutionCommand } from '@aws-sdk/client-sfn';
import { fakeModels } from '@stepwise/runtime-local';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from '../src/start-emulator';

/**
 * The AWS-recorded judge: every execution that real AWS Step Functions recorded (definition, input, output or error)
 * runs on the emulator through the real SDK, and must end as it ended on AWS. The recordings live beside the
 * repository (`../shared/aws-recorded`, see its README); they are never copied into it.
 */

const here = dirname(fileURLToPath(import.meta.url));
const DATA = resolve(here, '../../..', '../shared/aws-recorded');
const FILES = [
  'base.json',
  'choice_operators.json',
  'error_handling.json',
  'intrinsic_functions.json',
  'languages_and_api.json',
  'scenarios.json',
];

interface RecordedCase {
  id: string;
  definition?: unknown;
  definitionText?: string;
  input?: unknown;
  inputText?: string;
  expected: {
    status: 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT';
    output?: unknown;
    /** A regular expression, or a JSON value where `{ "$any": ... }` stands for any value. */
    outputPattern?: string | Record<string, unknown>;
    /** The output with placeholders (`<ArnPart_0idx>`) that `substitute` maps to what they stand for. */
    outputTemplate?: unknown;
    substitute?: Record<string, string>;
    error?: string;
    cause?: string;
    causePattern?: string;
  };
}

/**
 * Recorded executions the emulator does not reproduce, by id, with the reason. Each is expected to fail, so a fix shows
 * up as an unexpected pass. Keep runtime-sfn's ARCHITECTURE.md ("AWS-recorded cases the emulator does not reproduce")
 * in step with this list.
 */
const expectedFailures: Record<string, string> = {};

const available = existsSync(DATA);
const cases: RecordedCase[] = available
  ? FILES.flatMap((file) => (JSON.parse(readFileSync(resolve(DATA, file), 'utf8')) as { cases: RecordedCase[] }).cases)
  : [];

/** `{ "$any": ... }` in a recorded pattern matches any value (a random draw the recording masked). */
function anyMarked(pattern: unknown): unknown {
  if (Array.isArray(pattern)) return pattern.map(anyMarked);
  if (typeof pattern !== 'object' || pattern === null) return pattern;
  if ('$any' in pattern) return expect.anything();
  return Object.fromEntries(Object.entries(pattern).map(([key, value]) => [key, anyMarked(value)]));
}

/** The template with each placeholder replaced by what it stands for (`stateMachineName`: the machine's name). */
function substituted(template: unknown, substitute: Record<string, string>, machineName: string): unknown {
  if (Array.isArray(template)) return template.map((item) => substituted(item, substitute, machineName));
  if (typeof template === 'string') {
    const meaning = substitute[template];
    if (meaning === 'stateMachineName') return machineName;
    if (meaning !== undefined) throw new Error(`unknown substitution ${meaning}`);
    return template;
  }
  if (typeof template !== 'object' || template === null) return template;
  return Object.fromEntries(
    Object.entries(template).map(([key, value]) => [key, substituted(value, substitute, machineName)]),
  );
}

const ROLE = 'arn:aws:iam::123456789012:role/stepwise-recorded';

describe.skipIf(!available)('AWS-recorded executions', () => {
  let emulator: Emulator;
  let sfn: SFNClient;

  beforeAll(async () => {
    emulator = await startEmulator({
      models: fakeModels({ default: 'unused' }),
      retryDelayMs: 0,
      fastForwardWaits: true,
    });
    sfn = new SFNClient({
      endpoint: emulator.sfnEndpoint,
      region: 'us-east-1',
      disableHostPrefix: true,
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    });
  });

  afterAll(async () => {
    sfn?.destroy();
    await emulator?.close();
  });

  it('has every recorded execution (469)', () => {
    expect(cases).toHaveLength(469);
  });

  for (const [index, recorded] of cases.entries()) {
    const reason = expectedFailures[recorded.id];
    const test = reason === undefined ? it : it.fails;
    test(recorded.id, async () => {
      const name = `recorded_${index}`;
      const definition = recorded.definitionText ?? JSON.stringify(recorded.definition);
      const input = recorded.inputText ?? JSON.stringify(recorded.input ?? {});
      const { stateMachineArn } = await sfn.send(
        new CreateStateMachineCommand({
          name,
          definition,
          roleArn: ROLE,
          type: 'EXPRESS',
        }),
      );
      const result = await sfn.send(new StartSyncExecutionCommand({ stateMachineArn, input }));
      const { expected } = recorded;
      const summary = { status: result.status, output: result.output, error: result.error, cause: result.cause };
      expect(summary.status, JSON.stringify(summary)).toBe(expected.status);
      if (expected.status === 'SUCCEEDED') {
        if (typeof expected.outputPattern === 'string') {
          expect(result.output).toMatch(new RegExp(expected.outputPattern));
        } else if (expected.outputPattern !== undefined) {
          expect(JSON.parse(result.output ?? 'null')).toEqual(anyMarked(expected.outputPattern));
        } else if (expected.outputTemplate !== undefined) {
          expect(JSON.parse(result.output ?? 'null')).toEqual(
            substituted(expected.outputTemplate, expected.substitute ?? {}, name),
          );
        } else {
          expect(JSON.parse(result.output ?? 'null')).toEqual(expected.output);
        }
        return;
      }
      expect(result.error).toBe(expected.error);
      if (expected.causePattern !== undefined) expect(result.cause).toMatch(new RegExp(expected.causePattern));
      else expect(result.cause).toBe(expected.cause);
    });
  }
});

// Only where the recordings are absent: one skipped test that says so (none when they are there).
if (!available) {
  describe('AWS-recorded executions (absent)', () => {
    it.skip(`skipped: no recordings at ${DATA} (the shared/aws-recorded folder beside the repository)`, () => {});
  });
}
