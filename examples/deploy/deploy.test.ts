// biome-ignore-all lint/suspicious/noTemplateCurlyInString: CloudFormation `${...}` placeholders, not template literals.
import { readFileSync } from 'node:fs';
import { exampleConnections } from '@stepwise/example-any-provider';
import { chains } from '@stepwise/examples';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { buildTemplate } from './build-template';
import { cloudFormationTags } from './cloudformation-tags';
import { deployedChains, deployedHandlers, deployedPolicy, providerParameters, usesProviders } from './deployment';

type Resource = { Type: string; Properties: Record<string, any> };
const text = readFileSync(new URL('./template.yaml', import.meta.url), 'utf8');
const template = parse(text, { customTags: cloudFormationTags }) as {
  Resources: Record<string, Resource>;
  Outputs: any;
};
const { Resources: resources } = template;

/** The golden ASL of an example: examples/<chain>/__fixtures__/<chain>.asl.json. */
function golden(chainName: string): unknown {
  const file = new URL(`../${chainName}/__fixtures__/${chainName}.asl.json`, import.meta.url);
  return JSON.parse(readFileSync(file, 'utf8'));
}

/**
 * The deployed definition with the `${<Function>Arn}` placeholders put back to the handler names of the golden ASL,
 * and the provider parameters to the connections the golden ASL was compiled with.
 */
function withHandlerNames(definition: unknown): unknown {
  let json = JSON.stringify(definition);
  for (const { handler, logicalId } of deployedHandlers) json = json.replaceAll(`\${${logicalId}Arn}`, handler);
  json = json
    .replaceAll(`\${${providerParameters.openai.connectionArn}}`, exampleConnections.openai!.connectionArn)
    .replaceAll(`\${${providerParameters.compatible.connectionArn}}`, exampleConnections.compatible!.connectionArn)
    .replaceAll(`\${${providerParameters.compatible.endpoint}}`, exampleConnections.compatible!.endpoint!);
  return JSON.parse(json);
}

describe('deploy template', () => {
  it('is up to date with the example chains (pnpm --filter @stepwise/example-deploy generate)', () => {
    expect(text).toBe(buildTemplate());
  });

  it('deploys every example chain as an EXPRESS state machine whose definition is the golden ASL', () => {
    expect(deployedChains.map(({ chain }) => chain.name)).toEqual(chains.map((chain) => chain.name));
    for (const { chain, logicalId } of deployedChains) {
      const machine = resources[`${logicalId}StateMachine`]!;
      expect(machine.Type).toBe('AWS::StepFunctions::StateMachine');
      expect(machine.Properties.StateMachineType).toBe('EXPRESS');
      expect(machine.Properties.RoleArn).toEqual({ 'Fn::GetAtt': [`${logicalId}Role`, 'Arn'] });
      expect(withHandlerNames(machine.Properties.Definition), chain.name).toEqual(golden(chain.name));
    }
  });

  it('substitutes the handler functions ARNs into the definitions that call them', () => {
    const router = resources.RouterStateMachine!.Properties;
    expect(JSON.stringify(router.Definition)).toContain('"FunctionName":"${CreateRetentionOfferFunctionArn}"');
    expect(router.DefinitionSubstitutions.CreateRetentionOfferFunctionArn).toEqual({
      'Fn::GetAtt': ['CreateRetentionOfferFunction', 'Arn'],
    });
    expect(resources.RagAssistantStateMachine!.Properties.DefinitionSubstitutions).toBeUndefined();
    // No other `${...}` in any definition: CloudFormation would try to substitute it.
    for (const { logicalId } of deployedChains) {
      const placeholders =
        JSON.stringify(resources[`${logicalId}StateMachine`]!.Properties.Definition).match(/\$\{[^}]*\}/g) ?? [];
      for (const placeholder of placeholders) {
        expect(placeholder).toMatch(
          /^\$\{((CreateRetentionOffer|OrderApi)FunctionArn|OpenAiConnectionArn|CompatibleConnectionArn|CompatibleEndpoint)\}$/,
        );
      }
    }
  });

  it('deploys the chains on other providers with their connections as parameters, when given', () => {
    const machine = resources.AnyProviderStateMachine!;
    expect((machine as unknown as { Condition: string }).Condition).toBe('DeployProviderChains');
    expect(JSON.stringify(machine.Properties.Definition)).toContain(
      '"Authentication":{"ConnectionArn":"${CompatibleConnectionArn}"}',
    );
    expect(machine.Properties.DefinitionSubstitutions).toEqual({
      OpenAiConnectionArn: { Ref: 'OpenAiConnectionArn' },
      CompatibleConnectionArn: { Ref: 'CompatibleConnectionArn' },
      CompatibleEndpoint: { Ref: 'CompatibleEndpoint' },
    });
    const parameters = (template as unknown as { Parameters: Record<string, { Type: string }> }).Parameters;
    for (const name of ['OpenAiConnectionArn', 'CompatibleConnectionArn', 'CompatibleEndpoint', 'OpenAiApiKey']) {
      expect(parameters[name]?.Type, name).toBe('String');
    }
    const statements = resources.AnyProviderRole!.Properties.Policies[0].PolicyDocument.Statement as {
      Sid: string;
      Action: string[];
      Resource: unknown[];
      Condition?: unknown;
    }[];
    const http = statements.find((statement) => statement.Sid === 'InvokeHttpEndpoints')!;
    expect(http.Action).toEqual(['states:InvokeHTTPEndpoint']);
    expect(http.Resource).toEqual([
      { 'Fn::Sub': 'arn:aws:states:${AWS::Region}:${AWS::AccountId}:stateMachine:${AWS::StackName}-any-provider' },
    ]);
    expect(http.Condition).toEqual({
      StringEquals: { 'states:HTTPMethod': 'POST' },
      StringLike: { 'states:HTTPEndpoint': [{ 'Fn::Sub': '${CompatibleEndpoint}' }] },
    });
    expect(statements.find((statement) => statement.Sid === 'RetrieveConnectionCredentials')!.Resource).toEqual([
      { 'Fn::Sub': '${CompatibleConnectionArn}' },
    ]);
    expect(statements.find((statement) => statement.Sid === 'ReadConnectionSecrets')!.Action).toEqual([
      'secretsmanager:GetSecretValue',
      'secretsmanager:DescribeSecret',
    ]);
  });

  it('gives each state machine a least-privilege role', () => {
    const statements = (logicalId: string) =>
      resources[`${logicalId}Role`]!.Properties.Policies[0].PolicyDocument.Statement as {
        Action: string[];
        Resource: ({ 'Fn::Sub': string } | string)[];
      }[];
    for (const { logicalId } of deployedChains) {
      const role = resources[`${logicalId}Role`]!;
      expect(role.Type).toBe('AWS::IAM::Role');
      expect(role.Properties.AssumeRolePolicyDocument.Statement).toEqual([
        { Effect: 'Allow', Principal: { Service: 'states.amazonaws.com' }, Action: 'sts:AssumeRole' },
      ]);
      for (const statement of statements(logicalId)) {
        expect(statement.Resource).not.toContain('*');
        expect([
          'bedrock:InvokeModel',
          'bedrock:Retrieve',
          'lambda:InvokeFunction',
          'states:InvokeHTTPEndpoint',
          'events:RetrieveConnectionCredentials',
          'secretsmanager:GetSecretValue',
          'secretsmanager:DescribeSecret',
        ]).toEqual(expect.arrayContaining(statement.Action));
      }
    }
    const resourcesOf = (logicalId: string, action: string) =>
      statements(logicalId)
        .filter((statement) => statement.Action.includes(action))
        .flatMap((statement) =>
          statement.Resource.map((resource) => (typeof resource === 'string' ? resource : resource['Fn::Sub'])),
        );
    expect(resourcesOf('RagAssistant', 'bedrock:Retrieve')).toEqual([
      'arn:aws:bedrock:${AWS::Region}:${AWS::AccountId}:knowledge-base/STEPWISEKB',
    ]);
    expect(resourcesOf('RagAssistant', 'bedrock:InvokeModel')).toEqual([
      'arn:aws:bedrock:${AWS::Region}::foundation-model/anthropic.claude-3-haiku-20240307-v1:0',
    ]);
    expect(resourcesOf('RagAssistant', 'lambda:InvokeFunction')).toEqual([]);
    expect(resourcesOf('Router', 'lambda:InvokeFunction')).toEqual([
      'arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}:function:${CreateRetentionOfferFunction}',
    ]);
    expect(resourcesOf('AbTest', 'bedrock:InvokeModel')).toEqual([
      'arn:aws:bedrock:${AWS::Region}::foundation-model/amazon.nova-micro-v1:0',
    ]);
  });

  it('serves the chains from a Lambda function behind a streaming Function URL (Lambda Web Adapter)', () => {
    const server = resources.ServerFunction!;
    expect(server.Type).toBe('AWS::Serverless::Function');
    expect(server.Properties.Runtime).toBe('nodejs24.x');
    expect(server.Properties.Handler).toBe('run.sh');
    expect(server.Properties.Layers).toEqual([
      {
        'Fn::Sub':
          'arn:aws:lambda:${AWS::Region}:753240598075:layer:LambdaAdapterLayerX86:${LambdaAdapterLayerVersion}',
      },
    ]);
    expect(server.Properties.Environment.Variables).toMatchObject({
      AWS_LAMBDA_EXEC_WRAPPER: '/opt/bootstrap',
      AWS_LWA_INVOKE_MODE: 'response_stream',
    });
    expect(server.Properties.FunctionUrlConfig).toEqual({ AuthType: 'NONE', InvokeMode: 'RESPONSE_STREAM' });
    expect(template.Outputs.FunctionUrl.Value).toEqual({ 'Fn::GetAtt': ['ServerFunctionUrl', 'FunctionUrl'] });

    const variables = server.Properties.Environment.Variables;
    const machines = {
      ...JSON.parse(variables.STEPWISE_STATE_MACHINES['Fn::Sub']),
      ...JSON.parse(variables.STEPWISE_PROVIDER_STATE_MACHINES['Fn::If'][1]['Fn::Sub']),
    };
    expect(machines).toEqual(
      Object.fromEntries(deployedChains.map(({ chain, logicalId }) => [chain.name, `\${${logicalId}StateMachine}`])),
    );
    expect(variables.STEPWISE_PROVIDER_STATE_MACHINES['Fn::If'][0]).toBe('DeployProviderChains');
    expect(variables.OPENAI_API_KEY).toEqual({ Ref: 'OpenAiApiKey' });
    const [run, stream] = server.Properties.Policies[0].Statement;
    expect(run.Action).toEqual(['states:StartSyncExecution']);
    expect(run.Resource).toEqual(
      deployedChains.map(({ chain, logicalId }) =>
        usesProviders(chain)
          ? { 'Fn::If': ['DeployProviderChains', { Ref: `${logicalId}StateMachine` }, { Ref: 'AWS::NoValue' }] }
          : { Ref: `${logicalId}StateMachine` },
      ),
    );
    expect(stream.Action).toEqual(['bedrock:InvokeModelWithResponseStream']);
  });

  it('turns on execution logs and X-Ray for every machine from parameters, with the log group and role statements they need', () => {
    const full = template as unknown as {
      Parameters: Record<string, { Type: string; Default: unknown; AllowedValues?: unknown[] }>;
      Conditions: Record<string, unknown>;
    };
    expect(full.Parameters.ExecutionLogLevel).toMatchObject({
      Type: 'String',
      Default: 'OFF',
      AllowedValues: ['OFF', 'ERROR', 'FATAL', 'ALL'],
    });
    expect(full.Parameters.ExecutionLogIncludesData).toMatchObject({
      Default: 'false',
      AllowedValues: ['false', 'true'],
    });
    expect(full.Parameters.ExecutionTracing).toMatchObject({ Default: 'false', AllowedValues: ['false', 'true'] });
    expect(full.Parameters.ExecutionLogRetentionDays).toMatchObject({ Type: 'Number', Default: 14 });
    // A bare OFF would be the boolean false to a YAML 1.1 reader: the template quotes it.
    expect(text).not.toMatch(/[:-] OFF$/m);
    expect(full.Conditions).toMatchObject({
      LogExecutions: { 'Fn::Not': [{ 'Fn::Equals': [{ Ref: 'ExecutionLogLevel' }, 'OFF'] }] },
      LogExecutionData: { 'Fn::Equals': [{ Ref: 'ExecutionLogIncludesData' }, 'true'] },
      TraceExecutions: { 'Fn::Equals': [{ Ref: 'ExecutionTracing' }, 'true'] },
    });

    const group = resources.ExecutionLogGroup as Resource & { Condition: string };
    expect(group).toMatchObject({
      Type: 'AWS::Logs::LogGroup',
      Condition: 'LogExecutions',
      Properties: {
        LogGroupName: { 'Fn::Sub': '/aws/vendedlogs/states/${AWS::StackName}' },
        RetentionInDays: { Ref: 'ExecutionLogRetentionDays' },
      },
    });
    expect(template.Outputs.ExecutionLogGroupName).toMatchObject({ Condition: 'LogExecutions' });

    for (const { chain, logicalId } of deployedChains) {
      const machine = resources[`${logicalId}StateMachine`]!.Properties;
      expect(machine.LoggingConfiguration, chain.name).toEqual({
        'Fn::If': [
          'LogExecutions',
          {
            Level: { Ref: 'ExecutionLogLevel' },
            IncludeExecutionData: { 'Fn::If': ['LogExecutionData', true, false] },
            Destinations: [
              {
                CloudWatchLogsLogGroup: {
                  LogGroupArn: {
                    'Fn::Sub':
                      'arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:${ExecutionLogGroup}:*',
                  },
                },
              },
            ],
          },
          { Level: 'OFF' },
        ],
      });
      expect(machine.TracingConfiguration, chain.name).toEqual({
        Enabled: { 'Fn::If': ['TraceExecutions', true, false] },
      });

      // The role: the chain's own policy always, policyFor's logging and tracing statements under their conditions.
      const [own, logs, traces] = resources[`${logicalId}Role`]!.Properties.Policies;
      expect(own.PolicyName).toBe('stepwise-chain');
      const statementsOf = (policy: any, condition: string, name: string) => {
        expect(policy['Fn::If'][0]).toBe(condition);
        expect(policy['Fn::If'][2]).toEqual({ Ref: 'AWS::NoValue' });
        expect(policy['Fn::If'][1].PolicyName).toBe(name);
        return policy['Fn::If'][1].PolicyDocument.Statement;
      };
      const withBoth = deployedPolicy(chain, { logging: true, tracing: true }).Statement;
      expect(statementsOf(logs, 'LogExecutions', 'stepwise-execution-logs')).toEqual(
        withBoth.filter((statement) => statement.Sid === 'DeliverExecutionLogs'),
      );
      expect(statementsOf(traces, 'TraceExecutions', 'stepwise-tracing')).toEqual(
        withBoth.filter((statement) => statement.Sid === 'SendTraces'),
      );
    }
    const [, logs, traces] = resources.RouterRole!.Properties.Policies;
    expect(logs['Fn::If'][1].PolicyDocument.Statement[0]).toMatchObject({
      Action: expect.arrayContaining(['logs:CreateLogDelivery', 'logs:PutResourcePolicy', 'logs:DescribeLogGroups']),
      Resource: ['*'],
    });
    expect(traces['Fn::If'][1].PolicyDocument.Statement[0]).toMatchObject({
      Action: expect.arrayContaining(['xray:PutTraceSegments', 'xray:GetSamplingTargets']),
      Resource: ['*'],
    });
  });

  it('deploys each task handler as a Lambda function', () => {
    for (const { handler, logicalId } of deployedHandlers) {
      expect(resources[logicalId]).toMatchObject({
        Type: 'AWS::Serverless::Function',
        Properties: { Handler: `handlers.${handler}`, Runtime: 'nodejs24.x', CodeUri: 'dist/handlers' },
      });
    }
  });
});
