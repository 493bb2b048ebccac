import { describe, expect, it } from 'vitest';
import { ModelError } from '../errors/model-error';
import { modelStreamError, toModelStreamFailure } from './model-stream-error';

describe('modelStreamError', () => {
  it('is the retryable Bedrock.ModelStreamErrorException', () => {
    const cause = new Error('reset');
    const error = modelStreamError('cut', cause);
    expect(error).toMatchObject({ error: 'Bedrock.ModelStreamErrorException', statusCode: 424, retryable: true });
    expect(error.cause).toBe(cause);
  });
});

describe('toModelStreamFailure', () => {
  const truncated = Object.assign(new Error('Truncated event message received.'), {
    $metadata: { httpStatusCode: 200 },
  });

  it('names a transport failure after a 200 (the SDK read the first frame in send())', () => {
    const failure = toModelStreamFailure(truncated);
    expect(ModelError.isInstance(failure)).toBe(true);
    expect(failure).toMatchObject({ error: 'Bedrock.ModelStreamErrorException' });
    expect((failure as Error).cause).toBe(truncated);
  });

  it('leaves failures before the stream started to the request', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' });
    expect(toModelStreamFailure(refused)).toBe(refused);
    const noResponse = Object.assign(new Error('http2 request did not get a response'), {
      name: 'TimeoutError',
      $metadata: { attempts: 1 },
    });
    expect(toModelStreamFailure(noResponse)).toBe(noResponse);
    expect(toModelStreamFailure(refused, { started: true })).toMatchObject({
      error: 'Bedrock.ModelStreamErrorException',
    });
  });

  it('keeps named failures and aborts', () => {
    const throttled = Object.assign(new Error('slow'), {
      name: 'ThrottlingException',
      $fault: 'client',
      $metadata: { httpStatusCode: 429 },
    });
    expect(toModelStreamFailure(throttled, { started: true })).toBe(throttled);
    const controller = new AbortController();
    controller.abort();
    expect(toModelStreamFailure(truncated, { signal: controller.signal })).toBe(truncated);
  });
});
