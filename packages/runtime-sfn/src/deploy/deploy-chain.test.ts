import { CreateStateMachineCommand, DescribeStateMachineCommand, SFNClient } from '@aws-sdk/client-sfn';
import { defineChain, invoke, StepwiseError } from '@stepwise/core';
import { type Emulator, startEmulator } from '@stepwise/emulator';
import { fakeModels } from '@stepwise/runtime-local';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deployChain } from './deploy-chain';

const HAIKU = 'anthropic.claude-3-haiku-20240307-v1:0';
const ROLE = 'arn:aws:iam::123456789012:role/stepwise';
const OTHER_ROLE = 'arn:aws:iam::123456789012:role/stepwise-v2';

const chainWith = (prompt: string) =>
  defineChain({ name: 'deploy-me', steps: [invoke('summary', { model: HAIKU, prompt })] });

describe('deployChain', () => {
  let emulator: Emulator;
  let client: SFNClient;
  const sent: string[] = [];

  beforeAll(async () => {
    emulator = await startEmulator({ models: fakeModels({ default: 'ok' }) });
    client = new SFNClient({
      endpoint: emulator.sfnEndpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
      maxAttempts: 1,
      disableHostPrefix: true,
    });
    client.middlewareStack.add(
      (next, context) => (args) => {
        sent.push(context.commandName as string);
        return next(args);
      },
      { step: 'initialize', name: 'recordCommands' },
    );
  });

  afterAll(async () => {
    client.destroy();
    await emulator.close();
  });

  it('creates, then makes no call when nothing changed, then updates on a change', async () => {
    const first = await deployChain(chainWith('Summarise {{input.text}}'), { roleArn: ROLE, client });
    expect(first).toEqual({
      stateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:deploy-me',
      action: 'created',
    });
    const described = await client.send(new DescribeStateMachineCommand({ stateMachineArn: first.stateMachineArn }));
    expect(described.type).toBe('EXPRESS');
    expect(JSON.parse(described.definition as string).States.Summary.Comment).toBe('step:summary');

    sent.length = 0;
    const again = await deployChain(chainWith('Summarise {{input.text}}'), { roleArn: ROLE, client });
    expect(again).toEqual({ stateMachineArn: first.stateMachineArn, action: 'unchanged' });
    expect(sent).not.toContain('UpdateStateMachineCommand');
    expect(sent).not.toContain('CreateStateMachineCommand');

    const changed = await deployChain(chainWith('Summarise briefly: {{input.text}}'), { roleArn: ROLE, client });
    expect(changed.action).toBe('updated');
    const after = await client.send(new DescribeStateMachineCommand({ stateMachineArn: first.stateMachineArn }));
    expect(after.definition).toContain('Summarise briefly');
    expect((await deployChain(chainWith('Summarise briefly: {{input.text}}'), { roleArn: ROLE, client })).action).toBe(
      'unchanged',
    );
  });

  it('updates when the role, tracing or logging change', async () => {
    const chain = chainWith('Role test {{input.text}}');
    const base = { name: 'deploy-settings', client };
    expect((await deployChain(chain, { ...base, roleArn: ROLE })).action).toBe('created');
    expect((await deployChain(chain, { ...base, roleArn: OTHER_ROLE })).action).toBe('updated');
    expect((await deployChain(chain, { ...base, roleArn: OTHER_ROLE, tracing: true })).action).toBe('updated');
    expect((await deployChain(chain, { ...base, roleArn: OTHER_ROLE, tracing: true })).action).toBe('unchanged');
    const logging = {
      level: 'ERROR' as const,
      logGroupArn: 'arn:aws:logs:us-east-1:123456789012:log-group:stepwise:*',
    };
    expect((await deployChain(chain, { ...base, roleArn: OTHER_ROLE, tracing: true, logging })).action).toBe('updated');
    expect((await deployChain(chain, { ...base, roleArn: OTHER_ROLE, tracing: true, logging })).action).toBe(
      'unchanged',
    );
    const described = await client.send(
      new DescribeStateMachineCommand({
        stateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:deploy-settings',
      }),
    );
    expect(described).toMatchObject({
      roleArn: OTHER_ROLE,
      tracingConfiguration: { enabled: true },
      loggingConfiguration: { level: 'ERROR' },
    });
  });

  it('uses a given ARN without listing, and refuses to turn a STANDARD machine into EXPRESS', async () => {
    const chain = chainWith('Standard {{input.text}}');
    const created = await client.send(
      new CreateStateMachineCommand({
        name: 'standard-one',
        roleArn: ROLE,
        type: 'STANDARD',
        definition: JSON.stringify({ StartAt: 'A', States: { A: { Type: 'Pass', End: true } } }),
      }),
    );
    sent.length = 0;
    const failure = deployChain(chain, { roleArn: ROLE, client, stateMachineArn: created.stateMachineArn });
    await expect(failure).rejects.toSatisfy(StepwiseError.isInstance);
    await expect(failure).rejects.toThrow(/STANDARD/);
    expect(sent).not.toContain('ListStateMachinesCommand');
  });

  it('deploys the logging and tracing asked for, as DescribeStateMachine then shows them', async () => {
    const chain = chainWith('Logged {{input.text}}');
    const group = 'arn:aws:logs:us-east-1:123456789012:log-group:/aws/vendedlogs/states/deploy-logged';
    const created = await deployChain(chain, {
      roleArn: ROLE,
      client,
      name: 'deploy-logged',
      // Without the trailing `:*`, as the console shows a log group's ARN: deployChain adds it.
      logging: { level: 'ALL', includeExecutionData: true, logGroupArn: group },
      tracing: true,
    });
    expect(created.action).toBe('created');
    const described = await client.send(new DescribeStateMachineCommand({ stateMachineArn: created.stateMachineArn }));
    expect(described.loggingConfiguration).toEqual({
      level: 'ALL',
      includeExecutionData: true,
      destinations: [{ cloudWatchLogsLogGroup: { logGroupArn: `${group}:*` } }],
    });
    expect(described.tracingConfiguration).toEqual({ enabled: true });
    // The same settings with the `:*` written out are the same settings.
    const again = await deployChain(chain, {
      roleArn: ROLE,
      client,
      name: 'deploy-logged',
      logging: { level: 'ALL', includeExecutionData: true, logGroupArn: `${group}:*` },
      tracing: true,
    });
    expect(again.action).toBe('unchanged');
    // Turning both off is an update that leaves level OFF and tracing off.
    const off = await deployChain(chain, { roleArn: ROLE, client, name: 'deploy-logged' });
    expect(off.action).toBe('updated');
    expect(
      await client.send(new DescribeStateMachineCommand({ stateMachineArn: created.stateMachineArn })),
    ).toMatchObject({
      loggingConfiguration: { level: 'OFF', includeExecutionData: false },
      tracingConfiguration: { enabled: false },
    });
  });

  it('reports service errors and bad logging settings as stepwise errors, before any call', async () => {
    const chain = chainWith('Errors {{input.text}}');
    await expect(deployChain(chain, { roleArn: 'not-a-role', client, name: 'bad-role' })).rejects.toThrow(/InvalidArn/);
    const group = 'arn:aws:logs:us-east-1:123456789012:log-group:stepwise:*';
    sent.length = 0;
    const refusals: [Parameters<typeof deployChain>[1], RegExp][] = [
      [{ roleArn: ROLE, logging: { level: 'ALL' } }, /needs a logGroupArn/],
      [
        { roleArn: ROLE, logging: { level: 'VERBOSE' as 'ALL', logGroupArn: group } },
        /not one of ALL, ERROR, FATAL, OFF/,
      ],
      [{ roleArn: ROLE, logging: { level: 'ERROR', logGroupArn: 'stepwise' } }, /not a CloudWatch Logs log group ARN/],
      [
        { roleArn: ROLE, logging: { level: 'ERROR', logGroupArn: 'arn:aws:s3:::logs-bucket' } },
        /not a CloudWatch Logs log group ARN/,
      ],
      [{ roleArn: ROLE, name: 'qa.prod', logging: { level: 'FATAL', logGroupArn: group } }, /A-Z, a-z, 0-9, - and _/],
      [{ roleArn: ROLE, tracing: 'yes' as unknown as boolean }, /tracing must be true or false/],
    ];
    for (const [options, message] of refusals) {
      const failure = deployChain(chain, { ...options, client });
      await expect(failure).rejects.toSatisfy(StepwiseError.isInstance);
      await expect(failure).rejects.toThrow(message);
    }
    expect(sent).toEqual([]);
  });
});
