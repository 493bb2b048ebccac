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

  it('reports service errors and bad logging settings as stepwise errors', async () => {
    const chain = chainWith('Errors {{input.text}}');
    await expect(deployChain(chain, { roleArn: 'not-a-role', client, name: 'bad-role' })).rejects.toThrow(/InvalidArn/);
    await expect(deployChain(chain, { roleArn: ROLE, client, logging: { level: 'ALL' } })).rejects.toThrow(
      /logGroupArn/,
    );
  });
});
