import {
  CreateStateMachineCommand,
  DescribeStateMachineCommand,
  type LoggingConfiguration,
  SFNClient,
  StartSyncExecutionCommand,
  UpdateStateMachineCommand,
  ValidateStateMachineDefinitionCommand,
} from '@aws-sdk/client-sfn';
import { fakeModels } from '@stepwise/runtime-local';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from './start-emulator';

/** Definition validation as the service answers it, through the real SDK. */

const ROLE = 'arn:aws:iam::123456789012:role/validation';
let emulator: Emulator;
let sfn: SFNClient;
let counter = 0;

beforeAll(async () => {
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
  sfn.destroy();
  await emulator.close();
});

const pass = (parameters: Record<string, unknown>) => ({
  StartAt: 'A',
  States: { A: { Type: 'Pass', Parameters: parameters, End: true } },
});

async function create(definition: unknown, type: 'STANDARD' | 'EXPRESS' = 'EXPRESS'): Promise<string> {
  const text = typeof definition === 'string' ? definition : JSON.stringify(definition);
  const { stateMachineArn } = await sfn.send(
    new CreateStateMachineCommand({ name: `validation-${++counter}`, definition: text, roleArn: ROLE, type }),
  );
  return stateMachineArn as string;
}

describe('CreateStateMachine and UpdateStateMachine validate as AWS does', () => {
  it('creates STANDARD machines; StartSyncExecution still refuses them', async () => {
    const arn = await create(pass({ a: 1 }), 'STANDARD');
    await expect(sfn.send(new StartSyncExecutionCommand({ stateMachineArn: arn }))).rejects.toMatchObject({
      name: 'StateMachineTypeNotSupported',
    });
  });

  it('refuses a field with more than 10 intrinsic function calls with InvalidDefinition', async () => {
    let eleven = '$.x';
    for (let index = 0; index < 11; index++) eleven = `States.JsonToString(${eleven})`;
    await expect(create(pass({ 'v.$': eleven }))).rejects.toMatchObject({
      name: 'InvalidDefinition',
      message:
        "Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: The value for the field 'v.$' must not contain more than 10 intrinsic function calls (it contains 11) at /States/A/Parameters'",
    });
  });

  it('runs what AWS accepts: newlines, "\\n\\nHuman:", backslashes and escaped quotes and braces in States.Format', async () => {
    const arn = await create(
      pass({
        stop: ['\n\nHuman:'],
        'text.$': "States.Format('{}\n\nHuman: it\\'s \\{x\\} C:\\\\dir', $.name)",
      }),
    );
    const result = await sfn.send(
      new StartSyncExecutionCommand({ stateMachineArn: arn, input: JSON.stringify({ name: 'Ann' }) }),
    );
    expect(result.status).toBe('SUCCEEDED');
    expect(JSON.parse(result.output as string)).toEqual({
      stop: ['\n\nHuman:'],
      text: "Ann\n\nHuman: it's {x} C:\\dir",
    });
  });

  it('validates an update for the machine’s own type', async () => {
    const arn = await create(pass({ a: 1 }));
    const sync = {
      StartAt: 'T',
      States: { T: { Type: 'Task', Resource: 'arn:aws:states:::states:startExecution.sync', End: true } },
    };
    await expect(
      sfn.send(new UpdateStateMachineCommand({ stateMachineArn: arn, definition: JSON.stringify(sync) })),
    ).rejects.toMatchObject({
      name: 'InvalidDefinition',
      message:
        "Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: Express state machine does not support '.sync' service integration at /States/T/Resource'",
    });
    const standard = await create(pass({ a: 1 }), 'STANDARD');
    await sfn.send(new UpdateStateMachineCommand({ stateMachineArn: standard, definition: JSON.stringify(sync) }));
  });

  it('answers an empty or over-long definition with ValidationException, as the API’s length constraint', async () => {
    await expect(create('')).rejects.toMatchObject({ name: 'ValidationException' });
    const long = JSON.stringify(pass({ a: 'x'.repeat(1_048_576) }));
    await expect(create(long)).rejects.toMatchObject({
      name: 'ValidationException',
      message: expect.stringContaining('less than or equal to 1048576'),
    });
  });

  it('creates a JSONata machine as AWS does, and refuses loudly to run it', async () => {
    const arn = await create({
      QueryLanguage: 'JSONata',
      StartAt: 'P',
      States: { P: { Type: 'Pass', Output: '{% 1 %}', End: true } },
    });
    await expect(sfn.send(new StartSyncExecutionCommand({ stateMachineArn: arn }))).rejects.toMatchObject({
      message: expect.stringContaining('JSONPath states only'),
    });
  });
});

describe('loggingConfiguration and tracingConfiguration, checked as the API reference states them', () => {
  const GROUP = 'arn:aws:logs:us-east-1:123456789012:log-group:/aws/vendedlogs/states/stepwise:*';
  const destination = (logGroupArn: string) => ({ cloudWatchLogsLogGroup: { logGroupArn } });
  const createWith = (settings: { loggingConfiguration?: unknown; tracingConfiguration?: unknown }) =>
    sfn.send(
      new CreateStateMachineCommand({
        name: `logging-${++counter}`,
        definition: JSON.stringify(pass({ a: 1 })),
        roleArn: ROLE,
        type: 'EXPRESS',
        ...(settings as { loggingConfiguration?: LoggingConfiguration }),
      }),
    );

  it('keeps what it accepts, and DescribeStateMachine shows it', async () => {
    const { stateMachineArn } = await createWith({
      loggingConfiguration: { level: 'ERROR', includeExecutionData: true, destinations: [destination(GROUP)] },
      tracingConfiguration: { enabled: true },
    });
    expect(await sfn.send(new DescribeStateMachineCommand({ stateMachineArn }))).toMatchObject({
      loggingConfiguration: { level: 'ERROR', includeExecutionData: true, destinations: [destination(GROUP)] },
      tracingConfiguration: { enabled: true },
    });
    const plain = await createWith({});
    expect(await sfn.send(new DescribeStateMachineCommand({ stateMachineArn: plain.stateMachineArn }))).toMatchObject({
      loggingConfiguration: { level: 'OFF', includeExecutionData: false },
      tracingConfiguration: { enabled: false },
    });
  });

  it.each([
    [
      'a level outside ALL | ERROR | FATAL | OFF',
      { level: 'DEBUG', destinations: [destination(GROUP)] },
      'ValidationException',
      /enum value set: \[ALL, ERROR, FATAL, OFF\]/,
    ],
    [
      'a level other than OFF without a destination',
      { level: 'ALL' },
      'InvalidLoggingConfiguration',
      /destination is required/,
    ],
    [
      'more than one destination',
      { level: 'ALL', destinations: [destination(GROUP), destination(GROUP)] },
      'InvalidLoggingConfiguration',
      /at most one/,
    ],
    [
      'a log group ARN without the trailing :*',
      { level: 'ALL', destinations: [destination(GROUP.slice(0, -2))] },
      'InvalidLoggingConfiguration',
      /ending with ':\*'/,
    ],
    [
      'something else than a log group ARN',
      { level: 'FATAL', destinations: [destination('arn:aws:s3:::bucket:*')] },
      'InvalidLoggingConfiguration',
      /not a CloudWatch Logs log group ARN/,
    ],
    [
      'a destination without a log group',
      { level: 'ERROR', destinations: [{}] },
      'InvalidLoggingConfiguration',
      /names no log group/,
    ],
    [
      'a log group ARN over 256 characters',
      { level: 'ALL', destinations: [destination(`${GROUP.slice(0, -2)}${'x'.repeat(250)}:*`)] },
      'ValidationException',
      /less than or equal to 256/,
    ],
    [
      'includeExecutionData that is not a boolean',
      { level: 'ALL', includeExecutionData: 'yes', destinations: [destination(GROUP)] },
      'SerializationException',
      /boolean/,
    ],
  ])('refuses %s', async (_case, loggingConfiguration, name, message) => {
    await expect(createWith({ loggingConfiguration })).rejects.toMatchObject({
      name,
      message: expect.stringMatching(message),
    });
  });

  it('refuses tracing whose enabled is not true or false with InvalidTracingConfiguration', async () => {
    await expect(createWith({ tracingConfiguration: { enabled: 'yes' } })).rejects.toMatchObject({
      name: 'InvalidTracingConfiguration',
    });
  });

  it('checks an update the same way, and a refused update changes nothing', async () => {
    const { stateMachineArn } = await createWith({ tracingConfiguration: { enabled: true } });
    await expect(
      sfn.send(
        new UpdateStateMachineCommand({
          stateMachineArn,
          definition: JSON.stringify(pass({ b: 2 })),
          loggingConfiguration: { level: 'ALL' },
        }),
      ),
    ).rejects.toMatchObject({ name: 'InvalidLoggingConfiguration' });
    const unchanged = await sfn.send(new DescribeStateMachineCommand({ stateMachineArn }));
    expect(JSON.parse(unchanged.definition as string)).toEqual(pass({ a: 1 }));
    await sfn.send(
      new UpdateStateMachineCommand({
        stateMachineArn,
        loggingConfiguration: { level: 'ALL', destinations: [destination(GROUP)] },
        tracingConfiguration: { enabled: false },
      }),
    );
    expect(await sfn.send(new DescribeStateMachineCommand({ stateMachineArn }))).toMatchObject({
      loggingConfiguration: { level: 'ALL', includeExecutionData: false, destinations: [destination(GROUP)] },
      tracingConfiguration: { enabled: false },
    });
  });
});

describe('ValidateStateMachineDefinition', () => {
  it('judges by the machine type', async () => {
    const activity = {
      StartAt: 'T',
      States: { T: { Type: 'Task', Resource: 'arn:aws:states:us-east-1:111111111111:activity:a', End: true } },
    };
    const definition = JSON.stringify(activity);
    expect(await sfn.send(new ValidateStateMachineDefinitionCommand({ definition }))).toMatchObject({
      result: 'OK',
      diagnostics: [],
      truncated: false,
    });
    expect(await sfn.send(new ValidateStateMachineDefinitionCommand({ definition, type: 'EXPRESS' }))).toMatchObject({
      result: 'FAIL',
      diagnostics: [
        {
          severity: 'ERROR',
          code: 'SCHEMA_VALIDATION_FAILED',
          message: 'Express state machine does not support Activity ARN',
          location: '/States/T/Resource',
        },
      ],
    });
  });

  it('returns at most maxResults diagnostics and says it truncated them', async () => {
    const definition = JSON.stringify({ StartAt: 'A', States: { A: { Type: 'Pass', Extra: 1, Other: 2, End: true } } });
    const all = await sfn.send(new ValidateStateMachineDefinitionCommand({ definition }));
    expect(all.diagnostics).toHaveLength(2);
    const one = await sfn.send(new ValidateStateMachineDefinitionCommand({ definition, maxResults: 1 }));
    expect(one).toMatchObject({ result: 'FAIL', truncated: true });
    expect(one.diagnostics).toHaveLength(1);
    await expect(
      sfn.send(new ValidateStateMachineDefinitionCommand({ definition, maxResults: 101 })),
    ).rejects.toMatchObject({ name: 'ValidationException' });
  });
});

describe('StartSyncExecution', () => {
  it('refuses input that is not JSON with Jackson’s words, as AWS does', async () => {
    const arn = await create(pass({ a: 1 }));
    await expect(
      sfn.send(new StartSyncExecutionCommand({ stateMachineArn: arn, input: '[1, 2' })),
    ).rejects.toMatchObject({
      name: 'InvalidExecutionInput',
      message:
        'Invalid State Machine Execution Input: \'Unexpected end-of-input: expected close marker for Array (start marker at [Source: (String)"[1, 2"; line: 1, column: 1])\'',
    });
  });
});
