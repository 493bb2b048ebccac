import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DescribeStateMachineCommand, SFNClient, StartSyncExecutionCommand } from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanEnv, repoRoot, runStepwise, type SpawnedStepwise, spawnStepwise } from './run-stepwise';

const ROLE = 'arn:aws:iam::123456789012:role/router-sfn';
const work = mkdtempSync(join(tmpdir(), 'stepwise-cli-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const goldenRouterAsl = JSON.parse(
  readFileSync(join(repoRoot, 'examples/router/__fixtures__/router.asl.json'), 'utf8'),
);

describe('stepwise run', () => {
  it('streams every event as NDJSON with --json, on the fakes the chain file exports', async () => {
    const { code, stdout, stderr } = await runStepwise([
      'run',
      'examples/router',
      '--json',
      '--input',
      '{"customerId":"c-7","message":"How long does delivery to Denver take?"}',
    ]);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const events = stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { type: string; stepId?: string });
    expect(events[0]).toMatchObject({ type: 'chain-start', chain: 'router' });
    expect(events.filter((event) => event.type === 'step-start').map((event) => event.stepId)).toEqual([
      'classify',
      'route',
      'supportBrief',
      'reply',
    ]);
    expect(events.at(-1)).toMatchObject({
      type: 'chain-end',
      output: { churnRisk: false, route: 'support' },
      text: 'Standard delivery takes 3 to 5 business days. Share your order number and I will check where it is.',
    });
  });

  it('prints progress on stderr and only the answer on stdout, using the sample input', async () => {
    const { code, stdout, stderr } = await runStepwise(['run', 'examples/api-call']);
    expect(code).toBe(0);
    expect(stdout).toBe(
      'Good news: your order 1042 (Alpine 2 tent and Trail stakes (8)) has shipped with UPS and should arrive in 2 business days.\n',
    );
    expect(stderr).toContain('Running api-call on the local runtime, fake models');
    expect(stderr).toMatch(/step-end buildRequest invoke \d+ms {2}\{"action":"getOrder","orderId":"1042"\}/);
    expect(stderr).toMatch(/chain-end \d+ms \d+ tokens/);
  });

  it('runs the chain file of the README', async () => {
    const { code, stdout } = await runStepwise(['run', 'packages/cli/test/fixtures/readme-chains.ts']);
    expect(code).toBe(0);
    expect(stdout).toBe('Tents rent for $25 a day.\n');
  });

  it('reads the input from a file with @file', async () => {
    const file = join(work, 'input.json');
    writeFileSync(file, JSON.stringify({ customerId: 'c-42', request: 'What are my orders?' }));
    const { code, stdout } = await runStepwise(['run', 'examples/api-call', '--input', `@${file}`]);
    expect(code).toBe(0);
    expect(stdout).toBe('You have 2 orders with us: 1042 (shipped), 1043 (processing).\n');
  });

  it('exits 1 with the failed step when the run fails', async () => {
    const { code, stdout, stderr } = await runStepwise([
      'run',
      'examples/api-call',
      '--input',
      '{"customerId":"c-42","request":"Give me all my money back!"}',
    ]);
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toContain('error StepFailedError at step "callApi"');
    expect(stderr).toContain('InvalidApiRequest');
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  it.each([
    [['run'], /No chain file given\.\nUsage: stepwise run <chain-file>/],
    [['run', 'examples/missing.ts'], /Chain file not found: examples\/missing\.ts/],
    [['run', 'examples/router', '--input', '{"customerId":'], /--input is not valid JSON/],
    [['run', 'examples/router', '--input', '@nope.json'], /Input file not found: nope\.json/],
    [['run', 'examples/router', '--input', '{"customerId":"c-1"}'], /Input of chain "router" is invalid: message: /],
    [['run', 'examples/router', '--chain', 'nope'], /No chain named "nope" in the file\. Chains: router\./],
    [
      ['run', 'examples/shared'],
      /several chains \(rag-assistant, router, ab-test, api-call, parallel-map, any-provider\); pick one with --chain/,
    ],
    [['run', 'examples/router', '--frobnicate'], /Unknown option '--frobnicate'/],
    [['run', 'examples/router', '--runtime', 'lambda'], /Unknown runtime "lambda"/],
    [['run', 'packages/cli/test/fixtures/no-chain.ts'], /exports no chain/],
    [['run', 'packages/cli/test/fixtures/broken-chain.ts'], /Could not load .*ChainDefinitionError: .*used twice/],
    [['frobnicate'], /unknown command "frobnicate"/],
  ])('exits 2 with a clear message: %j', async (args, message) => {
    const { code, stdout, stderr } = await runStepwise(args as string[]);
    expect(stderr).toMatch(message);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  it('asks for a state machine or a role for --runtime sfn on AWS', async () => {
    const { code, stderr } = await runStepwise(['run', 'examples/router', '--runtime', 'sfn']);
    expect(code).toBe(2);
    expect(stderr).toMatch(/--runtime sfn needs the state machine of "router": pass --state-machine-arn/);
  });
});

describe('stepwise run on AWS without credentials', () => {
  it('exits 3 and says what to set, for --runtime sfn', async () => {
    const { code, stderr } = await runStepwise(
      [
        'run',
        'examples/router',
        '--runtime',
        'sfn',
        '--state-machine-arn',
        'arn:aws:states:us-east-1:123456789012:stateMachine:router',
      ],
      cleanEnv({ AWS_REGION: 'us-east-1' }),
    );
    expect(stderr).toMatch(/AWS credentials are missing or invalid\. Set AWS_REGION .*AWS_PROFILE/);
    expect(code).toBe(3);
  });

  it('exits 3 and says what to set, for real Bedrock on the local runtime', async () => {
    const { code, stderr } = await runStepwise(['run', 'examples/router', '--bedrock']);
    expect(stderr).toMatch(/AWS region is not set\. Set AWS_REGION/);
    expect(code).toBe(3);
  });
});

describe('stepwise compile and policy', () => {
  it('prints the compiled ASL', async () => {
    const { code, stdout } = await runStepwise(['compile', 'examples/router']);
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual(goldenRouterAsl);
  });

  it('writes every chain of a file to a directory with --out dir/', async () => {
    const out = join(work, 'asl/');
    const { code, stderr } = await runStepwise(['compile', 'examples/shared', '--out', out]);
    expect(code).toBe(0);
    expect(stderr).toContain('router.asl.json');
    expect(JSON.parse(readFileSync(join(out, 'router.asl.json'), 'utf8'))).toEqual(goldenRouterAsl);
    expect(readFileSync(join(out, 'rag-assistant.asl.json'), 'utf8')).toBe(
      readFileSync(join(repoRoot, 'examples/rag-assistant/__fixtures__/rag-assistant.asl.json'), 'utf8'),
    );
  });

  it('names Lambda functions with --handler', async () => {
    const arn = 'arn:aws:lambda:us-east-1:123456789012:function:offers';
    const { code, stdout } = await runStepwise([
      'compile',
      'examples/router',
      '--handler',
      `createRetentionOffer=${arn}`,
    ]);
    expect(code).toBe(0);
    expect(stdout).toContain(arn);
  });

  it('prints the least-privilege policy', async () => {
    const { code, stdout } = await runStepwise([
      'policy',
      'examples/router',
      '--region',
      'us-east-1',
      '--account',
      '123456789012',
    ]);
    expect(code).toBe(0);
    const policy = JSON.parse(stdout) as { Statement: { Action: string[]; Resource: string[] }[] };
    const actions = policy.Statement.flatMap((statement) => statement.Action);
    expect(actions).toContain('bedrock:InvokeModel');
    expect(actions).toContain('lambda:InvokeFunction');
    const resources = policy.Statement.flatMap((statement) => statement.Resource);
    expect(resources).toContain('arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-3-haiku-20240307-v1:0');
    expect(resources.some((resource) => resource.includes(':function:createRetentionOffer'))).toBe(true);
    expect(resources).not.toContain('*');
  });

  it('adds the log delivery and X-Ray statements for --log-level and --tracing', async () => {
    const { code, stdout, stderr } = await runStepwise([
      'policy',
      'examples/router',
      '--log-level',
      'error',
      '--tracing',
    ]);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const policy = JSON.parse(stdout) as { Statement: { Sid: string; Action: string[]; Resource: string[] }[] };
    const logs = policy.Statement.find((statement) => statement.Sid === 'DeliverExecutionLogs');
    const traces = policy.Statement.find((statement) => statement.Sid === 'SendTraces');
    expect(logs).toMatchObject({ Resource: ['*'], Action: expect.arrayContaining(['logs:CreateLogDelivery']) });
    expect(traces).toMatchObject({ Resource: ['*'], Action: expect.arrayContaining(['xray:PutTraceSegments']) });
    // OFF logs nothing, so it needs nothing.
    const off = await runStepwise(['policy', 'examples/router', '--log-level', 'OFF']);
    expect(off.stdout).not.toContain('logs:');
  });
});

describe('stepwise deploy', () => {
  // `stepwise emulate` in a child process, serving the router example's fakes.
  let emulator: SpawnedStepwise;
  let endpoint: string;
  beforeAll(async () => {
    emulator = spawnStepwise(['emulate', '--port', '0', '--fakes', 'examples/router']);
    endpoint = (await emulator.waitFor(/listening on (http:\/\/127\.0\.0\.1:\d+)/))[1]!;
  });
  afterAll(() => emulator?.stop());

  it('prints the plan and the policy with --dry-run, calling nothing', async () => {
    const { code, stdout } = await runStepwise(['deploy', 'examples/router', '--role-arn', ROLE, '--dry-run']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^Dry run: nothing was deployed\./);
    expect(stdout).toMatch(
      /router: would create or update the EXPRESS state machine "router" \(\d+ states, [\d.]+ KiB\)/,
    );
    expect(stdout).toContain('"bedrock:InvokeModel"');
  });

  it('--dry-run --json gives the definition and policy of every chain', async () => {
    const { code, stdout } = await runStepwise([
      'deploy',
      'examples/router',
      '--role-arn',
      ROLE,
      '--dry-run',
      '--json',
    ]);
    expect(code).toBe(0);
    const [plan] = JSON.parse(stdout) as { definition: unknown; stateMachineName: string; type: string }[];
    expect(plan).toMatchObject({ stateMachineName: 'router', type: 'EXPRESS' });
    expect(plan!.definition).toEqual(goldenRouterAsl);
  });

  it('deploys to the endpoint in STEPWISE_SFN_ENDPOINT, then leaves an unchanged machine alone, then runs it', async () => {
    const env = cleanEnv({ STEPWISE_SFN_ENDPOINT: endpoint });
    const first = await runStepwise(['deploy', 'examples/router', '--role-arn', ROLE], env);
    expect(first.stderr).toBe('');
    expect(first.stdout).toMatch(/^router: created arn:aws:states:us-east-1:123456789012:stateMachine:router\n$/);
    expect(first.code).toBe(0);
    const second = await runStepwise(['deploy', 'examples/router', '--role-arn', ROLE], env);
    expect(second.stdout).toMatch(/^router: unchanged /);
    const run = await runStepwise(['run', 'examples/router', '--runtime', 'sfn', '--json'], env);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout.trim().split('\n').at(-1)!)).toMatchObject({
      type: 'chain-end',
      output: { churnRisk: true, route: 'retention' },
    });
  });

  it('takes the EventBridge connection of each provider (--connection, --endpoint), and refuses a chain without one', async () => {
    const openai = 'arn:aws:events:us-east-1:123456789012:connection/openai/4e0a2b34-0000-4000-8000-000000000001';
    const gateway = 'arn:aws:events:us-east-1:123456789012:connection/gateway/4e0a2b34-0000-4000-8000-000000000002';
    const { code, stdout } = await runStepwise([
      'deploy',
      'examples/any-provider',
      '--role-arn',
      ROLE,
      '--connection',
      `openai=${openai}`,
      '--connection',
      `compatible=${gateway}`,
      '--endpoint',
      'compatible=https://gateway.example.com/v1/chat/completions',
      '--dry-run',
      '--json',
    ]);
    expect(code).toBe(0);
    const [plan] = JSON.parse(stdout) as {
      definition: { States: Record<string, any> };
      policy: { Statement: any[] };
    }[];
    expect(plan!.definition.States.Topic.Parameters).toMatchObject({
      ApiEndpoint: 'https://gateway.example.com/v1/chat/completions',
      Authentication: { ConnectionArn: gateway },
    });
    expect(plan!.policy.Statement.map((statement) => statement.Sid)).toContain('InvokeHttpEndpoints');
    const env = cleanEnv({ STEPWISE_SFN_ENDPOINT: endpoint });
    const refused = await runStepwise(['deploy', 'examples/any-provider', '--role-arn', ROLE], env);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/cannot be deployed: .*compileOptions\.providers\.compatible has no connectionArn/);
    const bad = await runStepwise(['deploy', 'examples/any-provider', '--role-arn', ROLE, '--connection', 'gemini=x']);
    expect(bad.stderr).toMatch(/not an EventBridge connection ARN|unknown provider/);
  });

  it('turns on execution logs and X-Ray tracing: the plan shows them, the deployed machine has them', async () => {
    const group = '/aws/vendedlogs/states/router-logged';
    const flags = ['--log-level', 'ALL', '--log-group', group, '--include-execution-data', '--tracing'];
    const base = ['deploy', 'examples/router', '--role-arn', ROLE, '--name', 'router-logged', ...flags];
    const plan = await runStepwise([...base, '--region', 'eu-west-1', '--dry-run', '--json']);
    expect(plan.stderr).toBe('');
    const [planned] = JSON.parse(plan.stdout) as { logging: unknown; tracing: boolean; policy: { Statement: any[] } }[];
    expect(planned).toMatchObject({
      logging: {
        level: 'ALL',
        includeExecutionData: true,
        logGroupArn: `arn:aws:logs:eu-west-1:123456789012:log-group:${group}:*`,
      },
      tracing: true,
    });
    expect(planned!.policy.Statement.map((statement) => statement.Sid)).toEqual(
      expect.arrayContaining(['DeliverExecutionLogs', 'SendTraces']),
    );

    const env = cleanEnv({ STEPWISE_SFN_ENDPOINT: endpoint });
    const deployed = await runStepwise(base, env);
    expect(deployed.stderr).toBe('');
    expect(deployed.stdout).toMatch(
      /^router: created arn:aws:states:us-east-1:123456789012:stateMachine:router-logged \(execution logs: ALL with execution data to arn:aws:logs:us-east-1:123456789012:log-group:\/aws\/vendedlogs\/states\/router-logged:\*; X-Ray tracing: on\)\n$/,
    );
    const client = new SFNClient({
      endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      maxAttempts: 1,
    });
    const described = await client.send(
      new DescribeStateMachineCommand({
        stateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:router-logged',
      }),
    );
    client.destroy();
    expect(described.loggingConfiguration).toEqual({
      level: 'ALL',
      includeExecutionData: true,
      destinations: [
        { cloudWatchLogsLogGroup: { logGroupArn: `arn:aws:logs:us-east-1:123456789012:log-group:${group}:*` } },
      ],
    });
    expect(described.tracingConfiguration).toEqual({ enabled: true });
    const again = await runStepwise(base, env);
    expect(again.stdout).toMatch(/^router: unchanged /);
  });

  it.each([
    [
      ['deploy', 'examples/router', '--role-arn', ROLE, '--log-level', 'ERROR'],
      2,
      /--log-level ERROR needs --log-group/,
    ],
    [
      ['deploy', 'examples/router', '--role-arn', ROLE, '--log-level', 'DEBUG'],
      2,
      /"DEBUG" is not one of ALL, ERROR, FATAL, OFF/,
    ],
    [
      ['deploy', 'examples/router', '--role-arn', ROLE, '--log-group', 'arn:aws:s3:::logs', '--log-level', 'ALL'],
      2,
      /not a CloudWatch Logs log group ARN/,
    ],
    [
      ['deploy', 'examples/router', '--role-arn', ROLE, '--include-execution-data'],
      2,
      /--include-execution-data needs --log-level/,
    ],
    [['deploy', 'examples/router'], 2, /--role-arn is required/],
    [['deploy', 'examples/router', '--role-arn', 'router-role'], 2, /is not an IAM role ARN/],
    [['deploy', 'examples/router', '--role-arn', ROLE], 3, /AWS region is not set\. Set AWS_REGION/],
  ])('fails clearly: %j', async (args, exitCode, message) => {
    const { code, stderr } = await runStepwise(args as string[]);
    expect(stderr).toMatch(message);
    expect(code).toBe(exitCode);
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  it('says which AWS credentials to set when there are none', async () => {
    const { code, stderr } = await runStepwise(
      ['deploy', 'examples/router', '--role-arn', ROLE],
      cleanEnv({ AWS_REGION: 'us-east-1' }),
    );
    expect(stderr).toMatch(/AWS credentials are missing or invalid\. .*AWS_PROFILE.*AWS_ACCESS_KEY_ID/);
    expect(code).toBe(3);
  });
});

describe('stepwise (no command)', () => {
  it('prints the usage with the exit codes and exits 2', async () => {
    const { code, stderr } = await runStepwise([]);
    expect(code).toBe(2);
    expect(stderr).toContain('Exit codes: 0 ok, 1 run or deploy failed, 2 usage error');
  });
});

describe('stepwise serve', () => {
  it('serves the chains of a file, prints a curl line, and streams SSE', async () => {
    const server = spawnStepwise(['serve', 'examples/router', '--port', '0']);
    try {
      const [, url] = await server.waitFor(/playground {2}(http:\/\/127\.0\.0\.1:\d+)\//);
      expect(server.output().stdout).toContain(
        `curl -N ${url}/v1/chains/router/stream -H 'content-type: application/json'`,
      );
      const response = await fetch(`${url}/v1/chains/router/stream`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ input: { customerId: 'c-7', message: 'Is my tent covered by the warranty?' } }),
      });
      const body = await response.text();
      expect(body).toContain('"type":"text-delta"');
      expect(body).toContain('lifetime');
    } finally {
      expect(await server.stop()).toBe(0);
    }
  });
});

describe('stepwise emulate: HTTP Tasks of chains on other providers', () => {
  let emulator: SpawnedStepwise;
  let endpoint: string;
  beforeAll(async () => {
    emulator = spawnStepwise([
      'emulate',
      '--port',
      '0',
      '--fakes',
      'examples/any-provider',
      '--compatible-endpoint',
      'https://gateway.example.com/v1',
    ]);
    endpoint = (await emulator.waitFor(/listening on (http:\/\/127\.0\.0\.1:\d+)/))[1]!;
  });
  afterAll(() => emulator?.stop());

  it('forwards the classifier to a loopback API answered by the same fakes', async () => {
    const env = cleanEnv({ STEPWISE_SFN_ENDPOINT: endpoint });
    const deployed = await runStepwise(
      [
        'deploy',
        'examples/any-provider',
        '--role-arn',
        ROLE,
        '--connection',
        'openai=arn:aws:events:us-east-1:123456789012:connection/openai/4e0a2b34-0000-4000-8000-000000000001',
        '--connection',
        'compatible=arn:aws:events:us-east-1:123456789012:connection/gateway/4e0a2b34-0000-4000-8000-000000000002',
        '--endpoint',
        'compatible=https://gateway.example.com/v1/chat/completions',
      ],
      env,
    );
    expect(deployed.stderr).toBe('');
    const arn = /created (\S+)/.exec(deployed.stdout)![1]!;
    const client = new SFNClient({
      endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      disableHostPrefix: true,
      maxAttempts: 1,
    });
    const execution = await client.send(
      new StartSyncExecutionCommand({
        stateMachineArn: arn,
        input: JSON.stringify({ input: { question: 'I was charged twice, please refund me.' } }),
      }),
    );
    expect(execution.status, execution.cause).toBe('SUCCEEDED');
    const output = JSON.parse(execution.output!) as { steps: { topic: { value: unknown } } };
    expect(output.steps.topic.value).toEqual({ topic: 'billing' });
  });
});
