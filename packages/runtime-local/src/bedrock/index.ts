/**
 * `@stepwise/runtime-local/bedrock`: the Amazon Bedrock provider, apart from the main entry so that only its users
 * load and install `@aws-sdk/client-bedrock-runtime` (an optional peer dependency; decision 0006).
 */
export { type BedrockModelsOptions, bedrockModels } from './bedrock-models';
