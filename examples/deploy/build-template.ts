// biome-ignore-all lint/suspicious/noTemplateCurlyInString: CloudFormation `${...}` placeholders, not template literals.
import { Document, type Scalar } from 'yaml';
import { tagged } from './cloudformation-tags';
import { deployedChains, deployedDefinition, deployedHandlers, deployedPolicy, respondModels } from './deployment';

/** The Lambda Web Adapter layer version the template defaults to (a parameter). */
export const LAMBDA_ADAPTER_LAYER_VERSION = 25;

type Json = string | number | boolean | null | Scalar | Json[] | { [key: string]: Json };

function sub(value: string): Scalar {
  return tagged('!Sub', value);
}

/** Wraps a policy's resource strings that hold `${...}` in `!Sub`. */
function subResources(policy: ReturnType<typeof deployedPolicy>): Json {
  return {
    Version: policy.Version,
    Statement: policy.Statement.map((statement) => ({
      Sid: statement.Sid,
      Effect: statement.Effect,
      Action: statement.Action,
      Resource: statement.Resource.map((resource) => (resource.includes('${') ? sub(resource) : resource)),
    })),
  };
}

/**
 * Builds the SAM template of the deploy recipe: every example chain as an EXPRESS state machine (definition = the
 * compiled ASL, handler ARNs substituted) with its least-privilege role, the task handlers as Lambda functions, and
 * the server as a Lambda function behind a streaming Function URL (Lambda Web Adapter).
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
    const usesHandlers = JSON.stringify(definition).includes('Arn}');
    resources[`${logicalId}Role`] = {
      Type: 'AWS::IAM::Role',
      Properties: {
        Description: `Least privilege of the ${chain.name} state machine (stepwise policyFor)`,
        AssumeRolePolicyDocument: {
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Principal: { Service: 'states.amazonaws.com' }, Action: 'sts:AssumeRole' }],
        },
        Policies: [{ PolicyName: 'stepwise-chain', PolicyDocument: subResources(deployedPolicy(chain)) }],
      },
    };
    resources[`${logicalId}StateMachine`] = {
      Type: 'AWS::StepFunctions::StateMachine',
      Properties: {
        StateMachineName: sub(`\${AWS::StackName}-${chain.name}`),
        StateMachineType: 'EXPRESS',
        RoleArn: tagged('!GetAtt', `${logicalId}Role.Arn`),
        Definition: definition,
        ...(usesHandlers ? { DefinitionSubstitutions: substitutions } : {}),
      },
    };
  }

  const stateMachineMap = `{${deployedChains
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
              Resource: deployedChains.map(({ logicalId }) => tagged('!Ref', `${logicalId}StateMachine`)),
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
      LambdaAdapterLayerVersion: {
        Type: 'Number',
        Default: LAMBDA_ADAPTER_LAYER_VERSION,
        Description:
          'Version of the Lambda Web Adapter layer (arn:aws:lambda:<region>:753240598075:layer:LambdaAdapterLayerX86).',
      },
    },
    Resources: resources,
    Outputs: {
      FunctionUrl: {
        Description: 'The server: POST <url>v1/chains/<chain>/stream',
        Value: tagged('!GetAtt', 'ServerFunctionUrl.FunctionUrl'),
      },
      ...Object.fromEntries(
        deployedChains.map(({ chain, logicalId }) => [
          `${logicalId}StateMachineArn`,
          {
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
