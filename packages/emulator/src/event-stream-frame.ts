import { EventStreamCodec } from '@smithy/eventstream-codec';
import { fromUtf8, toUtf8 } from '@smithy/util-utf8';

const codec = new EventStreamCodec(toUtf8, fromUtf8);

/**
 * Encodes one `application/vnd.amazon.eventstream` event frame with a JSON payload, as Bedrock sends them:
 * `:message-type: event`, `:event-type: <eventType>`, `:content-type: application/json`.
 *
 * @example
 * ```ts
 * response.write(eventFrame('chunk', { bytes: Buffer.from('{}').toString('base64') }));
 * ```
 * @internal
 */
export function eventFrame(eventType: string, payload: unknown): Uint8Array {
  return codec.encode({
    headers: {
      ':message-type': { type: 'string', value: 'event' },
      ':event-type': { type: 'string', value: eventType },
      ':content-type': { type: 'string', value: 'application/json' },
    },
    body: fromUtf8(JSON.stringify(payload)),
  });
}

/**
 * Encodes one in-stream exception frame: `:message-type: exception`, `:exception-type: <lowerCamel member name>`.
 * The SDK turns it into the typed exception (`ThrottlingException`, `ModelStreamErrorException`, ...).
 *
 * @example
 * ```ts
 * response.end(exceptionFrame('modelStreamErrorException', { message: 'The model stopped' }));
 * ```
 * @internal
 */
export function exceptionFrame(exceptionType: string, payload: unknown): Uint8Array {
  return codec.encode({
    headers: {
      ':message-type': { type: 'string', value: 'exception' },
      ':exception-type': { type: 'string', value: exceptionType },
      ':content-type': { type: 'string', value: 'application/json' },
    },
    body: fromUtf8(JSON.stringify(payload)),
  });
}
