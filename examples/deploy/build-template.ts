// biome-ignore-all lint/suspicious/noTemplateCurlyInString: CloudFormation `${...}` placeholders, not template literals.
import { Document, Scalar } from 'yaml';
import { tagged } from './cloudformation-tags';
import {
  deployedChains,
  deployedDefinition,
  deployedHandlers,
  deployedPolicy,
  observabilityStatements,
  providerParameters,
  respondModels,
  usesProviders,
} from './deployment';

/** The condition on the chains that call other providers: their connections were given. */
const PROVIDER_CONDITION = 'DeployProviderChains';

/** The conditions on execution logs (a level other than OFF), their execution data, and X-Ray tracing. */
const LOG_CONDITION = 'LogExecutions';
const LOG_DATA_CONDITION = 'LogExecutionData';
const TRACE_CONDITION = 'TraceExecutions';

/** The retention periods CloudFormation takes for a log group's `RetentionInDays`. */
const LOG_RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1827, 3653];

/**
 * The state machines' execution log group, ARN as Step Functions takes it (ending in `:*`). Its name is under
 * `/aws/vendedlogs/`, as the Step Functions guide advises, so that CloudWatch Logs' resource policy stays small.
 */
const LOG_GROUP_ARN = 'arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:${ExecutionLogGroup}:*';

/**
 * `OFF` in double quotes: YAML 1.1 parsers, which CloudFormation's tools include, read a bare `OFF` as the boolean
 * false.
 */
function off(): Scalar {
  const scalar = new Scalar('OFF');
  scalar.type = Scalar.QUOTE_DOUBLE;
  return scalar;
}

/** `Fn::If` of a condition: `then` when it holds, `otherwise` (default: no value) when not. */
function when(condition: string, then: Json, otherwise: Json = tagged('!Ref', 'AWS::NoValue')): Json {
  return { 'Fn::If': [condition, then, otherwise] };
}

/** The Lambda Web Adapter layer version the template defaults to (a parameter). */
export const LAMBDA_ADAPTER_LAYER_VERSION = 25;

type Json = string | number | boolean | null | Scalar | Json[] | { [key: string]: Json };

function sub(value: string): Scalar {
  return tagged('!Sub', value);
}

function subString(value: string): Json {
  return value.includes('${') ? sub(value) : value;
}

/** Wraps a policy's resource and condition strings that hold `${...}` in `!Sub`. */
function subResources(policy: ReturnType<typeof deployedPolicy>): Json {
  return {
    Version: policy.Version,
    Statement: policy.Statement.map((statement) => ({
      Sid: statement.Sid,
      Effect: statement.Effect,
      Action: statement.Action,
      Resource: statement.Resource.map(subString),
      ...(statement.Condition
        ? {
            Condition: Object.fromEntries(
              Object.entries(statement.Condition).map(([operator, keys]) => [
                operator,
                Object.fromEntries(
                  Object.entries(keys).map(([key, value]) => [
                    key,
                    Array.isArray(value) ? value.map(subString) : subString(value),
                  ]),
                ),
              ]),
            ),
          }
        : {}),
    })),
  };
}

/** `Ref`s of the provider parameters, for the definitions that name them. */
function providerSubstitutions(): Record<string, Json> {
  const names = [providerParameters.openai.connectionArn, ...Object.values(providerParameters.compatible)];
  return Object.fromEntries(names.map((name) => [name, tagged('!Ref', name)]));
}

/**
 * Builds the SAM template of the deploy recipe: every example chain as an EXPRESS state machine (definition = the
 * compiled ASL, handler ARNs substituted) with its least-privilege role, the task handlers as Lambda functions, and
 * the server as a Lambda function behind a streaming Function URL (Lambda Web Adapter). The `ExecutionLogLevel` and
 * `ExecutionTracing` parameters turn on CloudWatch Logs (to a log group the stack creates) and X-Ray for every machine,
 * with the role statements `policyFor` gives for them.
 *
 * @example
 * ```ts
 * writeFileSync('template.yaml', buildTemplate());
 * ```
 */
export function buildTemplate(): string {
  const resources: Record<string, Json> = {};
  const substitutions: Record<string, Json> = Object.fromEntries(
    deployedHandlers.map(({ logicalId }) => [`${logicalId}Arn`, tagged('!GetAtt', `${logicalId}.Arn`)]),
  );

  for (const { handler, logicalId } of deployedHandlers) {
    resources[logicalId] = {
      Type: 'AWS::Serverless::Function',
      Properties: {
        Description: `stepwise task handler "${handler}" of the example chains`,
        CodeUri: 'dist/handlers',
        Handler: `handlers.${handler}`,
        Runtime: 'nodejs24.x',
        Architectures: ['x86_64'],
        MemorySize: 256,
        Timeout: 10,
      },
    };
  }

  for (const { chain, logicalId } of deployedChains) {
    const definition = deployedDefinition(chain) as unknown as Json;
    const usesHandlers = JSON.stringify(definition).includes('FunctionArn}');
    const providers = usesProviders(chain);
    const condition: Record<string, Json> = providers ? { Condition: PROVIDER_CONDITION } : {};
    const observability = observabilityStatements(chain);
    const definitionSubstitutions = {
      ...(usesHandlers ? substitutions : {}),
      ...(providers ? providerSubstitutions() : {}),
    };
    resources[`${logicalId}Role`] = {
      Type: 'AWS::IAM::Role',
      ...condition,
      Properties: {
        Description: `Least privilege of the ${chain.name} state machine (stepwise policyFor)`,
        AssumeRolePolicyDocument: {
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Principal: { Service: 'states.amazonaws.com' }, Action: 'sts:AssumeRole' }],
        },
        Policies: [
          { PolicyName: 'stepwise-chain', PolicyDocument: subResources(deployedPolicy(chain)) },
          // What execution logs and X-Ray need (policyFor's logging and tracing), only when they are on.
          when(LOG_CONDITION, {
            PolicyName: 'stepwise-execution-logs',
            PolicyDocument: { Version: '2012-10-17', Statement: observability.logging as unknown as Json },
          }),
          when(TRACE_CONDITION, {
            PolicyName: 'stepwise-tracing',
            PolicyDocument: { Version: '2012-10-17', Statement: observability.tracing as unknown as Json },
          }),
        ],
      },
    };
    resources[`${logicalId}StateMachine`] = {
      Type: 'AWS::StepFunctions::StateMachine',
      ...condition,
      Properties: {
        StateMachineName: sub(`\${AWS::StackName}-${chain.name}`),
        StateMachineType: 'EXPRESS',
        RoleArn: tagged('!GetAtt', `${logicalId}Role.Arn`),
        Definition: definition,
        ...(Object.keys(definitionSubstitutions).length > 0
          ? { DefinitionSubstitutions: definitionSubstitutions }
          : {}),
        LoggingConfiguration: when(
          LOG_CONDITION,
          {
            Level: tagged('!Ref', 'ExecutionLogLevel'),
            IncludeExecutionData: when(LOG_DATA_CONDITION, true, false),
            Destinations: [{ CloudWatchLogsLogGroup: { LogGroupArn: sub(LOG_GROUP_ARN) } }],
          },
          { Level: off() },
        ),
        TracingConfiguration: { Enabled: when(TRACE_CONDITION, true, false) },
      },
    };
  }

  resources.ExecutionLogGroup = {
    Type: 'AWS::Logs::LogGroup',
    Condition: LOG_CONDITION,
    Properties: {
      LogGroupName: sub('/aws/vendedlogs/states/${AWS::StackName}'),
      RetentionInDays: tagged('!Ref', 'ExecutionLogRetentionDays'),
    },
  };

  const bedrockChains = deployedChains.filter(({ chain }) => !usesProviders(chain));
  const providerChains = deployedChains.filter(({ chain }) => usesProviders(chain));
  const providerMachineMap = `{${providerChains
    .map(({ chain, logicalId }) => `"${chain.name}":"\${${logicalId}StateMachine}"`)
    .join(',')}}`;
  const stateMachineMap = `{${bedrockChains
    .map(({ chain, logicalId }) => `"${chain.name}":"\${${logicalId}StateMachine}"`)
    .join(',')}}`;
  const streamedModels = [...new Set(deployedChains.flatMap(({ chain }) => respondModels(chain)))];
  resources.ServerFunction = {
    Type: 'AWS::Serverless::Function',
    Properties: {
      Description: 'stepwise server: the example chains on the Step Functions runtime, streamed over SSE',
      CodeUri: 'dist/server',
      Handler: 'run.sh',
      Runtime: 'nodejs24.x',
      Architectures: ['x86_64'],
      MemorySize: 1024,
      Timeout: 300,
      Layers: [
        sub('arn:aws:lambda:${AWS::Region}:753240598075:layer:LambdaAdapterLayerX86:${LambdaAdapterLayerVersion}'),
      ],
      Environment: {
        Variables: {
          AWS_LAMBDA_EXEC_WRAPPER: '/opt/bootstrap',
          AWS_LWA_INVOKE_MODE: 'response_stream',
          PORT: '8080',
          STEPWISE_STATE_MACHINES: sub(stateMachineMap),
          // The chains on other providers, when their connections were given (the streamed answer needs the key).
          STEPWISE_PROVIDER_STATE_MACHINES: { 'Fn::If': [PROVIDER_CONDITION, sub(providerMachineMap), '{}'] },
          OPENAI_API_KEY: tagged('!Ref', 'OpenAiApiKey'),
          STEPWISE_API_KEY: tagged('!Ref', 'ApiKey'),
        },
      },
      FunctionUrlConfig: { AuthType: 'NONE', InvokeMode: 'RESPONSE_STREAM' },
      Policies: [
        {
          Version: '2012-10-17',
          Statement: [
            {
              Sid: 'RunChains',
              Effect: 'Allow',
              Action: ['states:StartSyncExecution'],
              Resource: [
                ...bedrockChains.map(({ logicalId }) => tagged('!Ref', `${logicalId}StateMachine`)),
                ...providerChains.map(({ logicalId }) => ({
                  'Fn::If': [
                    PROVIDER_CONDITION,
                    tagged('!Ref', `${logicalId}StateMachine`),
                    tagged('!Ref', 'AWS::NoValue'),
                  ],
                })),
              ],
            },
            {
              Sid: 'StreamAnswers',
              Effect: 'Allow',
              Action: ['bedrock:InvokeModelWithResponseStream'],
              Resource: streamedModels.map((model) =>
                sub(`arn:\${AWS::Partition}:bedrock:\${AWS::Region}::foundation-model/${model}`),
              ),
            },
          ],
        },
      ],
    },
  };

  const template = {
    AWSTemplateFormatVersion: '2010-09-09',
    Transform: 'AWS::Serverless-2016-10-31',
    Description:
      'stepwise examples: every example chain as a Step Functions Express state machine, served by a streaming Lambda Function URL. ' +
      'Generated by `pnpm --filter @stepwise/example-deploy generate`; do not edit by hand.',
    Parameters: {
      ApiKey: {
        Type: 'String',
        NoEcho: true,
        MinLength: 16,
        Description: 'The key clients send as "Authorization: Bearer <key>" (at least 16 characters).',
      },
      [providerParameters.openai.connectionArn]: {
        Type: 'String',
        Default: '',
        Description:
          'EventBridge connection (API key authorization, header "Authorization", value "Bearer <key>") for OpenAI. ' +
          'With the two below, deploys the chains on other providers (any-provider); empty: they are left out.',
      },
      [providerParameters.compatible.connectionArn]: {
        Type: 'String',
        Default: '',
        Description:
          'EventBridge connection for the OpenAI-compatible endpoint the classifier of any-provider runs on.',
      },
      [providerParameters.compatible.endpoint]: {
        Type: 'String',
        Default: 'https://gateway.example.com/v1/chat/completions',
        Description: "The OpenAI-compatible endpoint's Chat Completions URL (https).",
      },
      OpenAiApiKey: {
        Type: 'String',
        NoEcho: true,
        Default: '',
        Description: "OpenAI API key of the server, which streams any-provider's answer from OpenAI.",
      },
      ExecutionLogLevel: {
        Type: 'String',
        Default: off(),
        AllowedValues: [off(), 'ERROR', 'FATAL', 'ALL'],
        Description:
          'Execution logs of the state machines in CloudWatch Logs (a log group the stack creates): OFF, ERROR, FATAL or ALL. ' +
          'Express machines keep no execution history otherwise.',
      },
      ExecutionLogIncludesData: {
        Type: 'String',
        Default: 'false',
        AllowedValues: ['false', 'true'],
        Description: "Whether the execution logs hold each state's input and output (they may hold user data).",
      },
      ExecutionLogRetentionDays: {
        Type: 'Number',
        Default: 14,
        AllowedValues: LOG_RETENTION_DAYS,
        Description: 'How many days the execution log group keeps its events.',
      },
      ExecutionTracing: {
        Type: 'String',
        Default: 'false',
        AllowedValues: ['false', 'true'],
        Description: 'AWS X-Ray tracing of the state machines.',
      },
      LambdaAdapterLayerVersion: {
        Type: 'Number',
        Default: LAMBDA_ADAPTER_LAYER_VERSION,
        Description:
          'Version of the Lambda Web Adapter layer (arn:aws:lambda:<region>:753240598075:layer:LambdaAdapterLayerX86).',
      },
    },
    Conditions: {
      [PROVIDER_CONDITION]: {
        'Fn::And': [
          { 'Fn::Not': [{ 'Fn::Equals': [tagged('!Ref', providerParameters.openai.connectionArn), ''] }] },
          { 'Fn::Not': [{ 'Fn::Equals': [tagged('!Ref', providerParameters.compatible.connectionArn), ''] }] },
        ],
      },
      [LOG_CONDITION]: { 'Fn::Not': [{ 'Fn::Equals': [tagged('!Ref', 'ExecutionLogLevel'), off()] }] },
      [LOG_DATA_CONDITION]: { 'Fn::Equals': [tagged('!Ref', 'ExecutionLogIncludesData'), 'true'] },
      [TRACE_CONDITION]: { 'Fn::Equals': [tagged('!Ref', 'ExecutionTracing'), 'true'] },
    },
    Resources: resources,
    Outputs: {
      FunctionUrl: {
        Description: 'The server: POST <url>v1/chains/<chain>/stream',
        Value: tagged('!GetAtt', 'ServerFunctionUrl.FunctionUrl'),
      },
      ExecutionLogGroupName: {
        Condition: LOG_CONDITION,
        Description: "The state machines' execution log group",
        Value: tagged('!Ref', 'ExecutionLogGroup'),
      },
      ...Object.fromEntries(
        deployedChains.map(({ chain, logicalId }) => [
          `${logicalId}StateMachineArn`,
          {
            ...(usesProviders(chain) ? { Condition: PROVIDER_CONDITION } : {}),
            Description: `State machine of the ${chain.name} chain`,
            Value: tagged('!Ref', `${logicalId}StateMachine`),
          },
        ]),
      ),
    },
  };
  const yaml = new Document(template)
    .toString({ lineWidth: 0 })
    // Dates as strings, the way CloudFormation and IAM expect the format and policy versions.
    .replace(/: (\d{4}-\d{2}-\d{2})$/gm, ': "$1"');
  return `# Generated by \`pnpm --filter @stepwise/example-deploy generate\` from the example chains; do not edit by hand.\n${yaml}`;
}
