import { ModelError, StepFailedError } from '@stepwise/core';

/** HTTP status of each Bedrock Runtime exception. */
const BEDROCK_STATUS: Record<string, number> = {
  ValidationException: 400,
  ServiceQuotaExceededException: 400,
  AccessDeniedException: 403,
  ResourceNotFoundException: 404,
  ModelTimeoutException: 408,
  ModelErrorException: 424,
  ModelStreamErrorException: 424,
  ThrottlingException: 429,
  ModelNotReadyException: 429,
  InternalServerException: 500,
  ServiceUnavailableException: 503,
};

/** A Bedrock Runtime exception as the service reports it. @internal */
export interface BedrockFault {
  /** `ThrottlingException`, ... (no `Bedrock.` prefix). */
  name: string;
  status: number;
  message: string;
}

/**
 * The Bedrock exception a fake's failure stands for: a `ModelError` by its `Bedrock.<Name>` error name, anything
 * else an `InternalServerException`.
 * @internal
 */
export function bedrockFaultOf(error: unknown): BedrockFault {
  const message = error instanceof Error ? error.message : String(error);
  if (ModelError.isInstance(error)) {
    const name = error.error.replace(/^Bedrock\./, '');
    return { name, status: error.statusCode ?? BEDROCK_STATUS[name] ?? 500, message };
  }
  return { name: 'InternalServerException', status: 500, message };
}

/**
 * The ASL error name under which a task's failure surfaces in an execution, as Step Functions names them:
 * a model failure `Bedrock.<Exception>`, a handler's error its `name` (Lambda's `errorType`).
 * @internal
 */
export function aslErrorNameOf(error: unknown, service: 'Bedrock' | 'BedrockAgentRuntime' | 'Lambda'): string {
  if (ModelError.isInstance(error) || StepFailedError.isInstance(error)) {
    return service === 'Bedrock' || error.error.includes('.') ? error.error : `${service}.${error.error}`;
  }
  if (service === 'Bedrock') return `Bedrock.${bedrockFaultOf(error).name}`;
  if (error instanceof Error && error.name) return error.name;
  return 'Error';
}
