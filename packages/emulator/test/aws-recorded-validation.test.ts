import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  CreateStateMachineCommand,
  SFNClient,
  StartSyncExecutionCommand,
  ValidateStateMachineDefinitionCommand,
} from '@aws-sdk/client-sfn';
import { fakeModels } from '@stepwise/runtime-local';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from '../src/start-emulator';

/**
 * The AWS-recorded judge for definitions: every definition that real AWS Step Functions refused at
 * CreateStateMachine, judged with ValidateStateMachineDefinition, or ran with an execution input it refused, goes to
 * the emulator through the real SDK and must get AWS's answer: the same error code and message, or the same result and
 * diagnostics. The recordings live beside the repository (`../shared/aws-recorded/validation.json`, see its README);
 * they are never copied into it.
 */

const here = dirname(fileURLToPath(import.meta.url));
const DATA = resolve(here, '../../..', '../shared/aws-recorded/validation.json');
const ROLE = 'arn:aws:iam::123456789012:role/recorded';

interface RecordedDiagnostic {
  severity: string;
  code: string;
  message: string;
  location?: string;
}

interface RecordedValidation {
  id: string;
  kind: 'CreateStateMachine' | 'ValidateStateMachineDefinition' | 'StartExecutionInput';
  type: 'STANDARD' | 'EXPRESS';
  definitionText: string;
  inputText?: string;
  expected:
    | { rejected: boolean; code?: string; message?: string }
    | { result: 'OK' | 'FAIL'; diagnostics: RecordedDiagnostic[] };
}

/**
 * Recorded validations the emulator does not reproduce, by id, with the reason. Each is expected to fail, so a fix
 * shows up as an unexpected pass. Empty: the emulator answers all 75 as AWS did.
 */
const expectedFailures: Record<string, string> = {};

const available = existsSync(DATA);
const cases: RecordedValidation[] = available
  ? (JSON.parse(readFileSync(DATA, 'utf8')) as { validation: RecordedValidation[] }).validation
  : [];

let emulator: Emulator;
let sfn: SFNClient;

beforeAll(async () => {
  if (!available) return;
  emulator = await startEmulator({ models: fakeModels({ default: 'ok' }) });
  sfn = new SFNClient({
    endpoint: emulator.sfnEndpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    disableHostPrefix: true,
    maxAttempts: 1,
  });
});

afterAll(async () => {
  sfn?.destroy();
  await emulator?.close();
});

/** The outcome of a request: what the service answered, or the error it refused with. */
async function outcome<T>(request: Promise<T>): Promise<{ answer?: T; error?: { code: string; message: string } }> {
  try {
    return { answer: await request };
  } catch (error) {
    const { name, message } = error as Error;
    return { error: { code: name, message } };
  }
}

async function judge(entry: RecordedValidation, index: number): Promise<void> {
  const { expected } = entry;
  if (entry.kind === 'ValidateStateMachineDefinition') {
    if (!('result' in expected)) throw new Error(`${entry.id}: a validation without a recorded result`);
    const answer = await sfn.send(
      new ValidateStateMachineDefinitionCommand({ definition: entry.definitionText, type: entry.type }),
    );
    expect({ result: answer.result, diagnostics: answer.diagnostics }).toEqual(expected);
    return;
  }
  if (!('rejected' in expected)) throw new Error(`${entry.id}: a refusal without a recorded outcome`);
  const name = `recorded-${index}`;
  if (entry.kind === 'CreateStateMachine') {
    const created = await outcome(
      sfn.send(
        new CreateStateMachineCommand({ name, definition: entry.definitionText, roleArn: ROLE, type: entry.type }),
      ),
    );
    if (!expected.rejected) {
      expect(created.error).toBeUndefined();
      return;
    }
    expect(created.error).toEqual({ code: expected.code, message: expected.message });
    return;
  }
  // StartExecutionInput: the recordings used StartExecution on a STANDARD machine; the emulator runs EXPRESS machines
  // only, and StartSyncExecution validates the input the same way.
  const { stateMachineArn } = await sfn.send(
    new CreateStateMachineCommand({ name, definition: entry.definitionText, roleArn: ROLE, type: 'EXPRESS' }),
  );
  const started = await outcome(sfn.send(new StartSyncExecutionCommand({ stateMachineArn, input: entry.inputText })));
  if (!expected.rejected) {
    expect(started.error).toBeUndefined();
    return;
  }
  expect(started.error).toEqual({ code: expected.code, message: expected.message });
}

describe.skipIf(!available)('AWS-recorded validations on the emulator', () => {
  it.each(cases.map((entry, index) => [entry.id, entry, index] as const))('%s', async (id, entry, index) => {
    if (id in expectedFailures) {
      await expect(judge(entry, index), `expected to fail: ${expectedFailures[id]}`).rejects.toThrow();
      return;
    }
    await judge(entry, index);
  });

  it('lists in expectedFailures only recorded cases', () => {
    const ids = new Set(cases.map((entry) => entry.id));
    expect(Object.keys(expectedFailures).filter((id) => !ids.has(id))).toEqual([]);
  });
});

// Only where the recordings are absent: one skipped test that says so (none when they are there).
if (!available) {
  describe('AWS-recorded validations (data absent)', () => {
    it.skip(`needs ${DATA}: the recordings of AWS Step Functions (see ../shared/aws-recorded/README.md)`, () => {});
  });
}
