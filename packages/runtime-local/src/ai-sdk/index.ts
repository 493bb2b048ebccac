export {
  type AiSdkLanguageModel,
  type AiSdkModelsOptions,
  type AiSdkProvider,
  type AiSdkProviders,
  aiSdkModels,
} from './ai-sdk-models';
