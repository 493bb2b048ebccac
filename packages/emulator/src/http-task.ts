import { STEP_ID_HEADER } from './openai-compatible-service';

/**
 * Where the emulator's HTTP Tasks (`arn:aws:states:::http:invoke`) go: the loopback URL each API endpoint is
 * forwarded to, and the headers each EventBridge connection adds (its API key, as the connection's authorization
 * would).
 *
 * @example
 * ```ts
 * const http: HttpTaskRoutes = {
 *   endpoints: { 'https://api.openai.com/v1': server.baseUrl },
 *   connections: { [connectionArn]: { headers: { Authorization: 'Bearer test' } } },
 * };
 * ```
 */
export interface HttpTaskRoutes {
  /**
   * By URL prefix: an `ApiEndpoint` that starts with the key goes to the value with the rest of the URL appended
   * (`https://api.openai.com/v1/chat/completions` -> `http://127.0.0.1:4010/v1/chat/completions`). The longest key
   * that matches wins. An endpoint no key matches fails the task loudly: the emulator reaches no real API.
   */
  endpoints: { [apiEndpointPrefix: string]: string };
  /** Headers per connection ARN, added to every request made with that connection. */
  connections?: { [connectionArn: string]: { headers?: Record<string, string> } };
}

/**
 * An HTTP Task's failure under its ASL name (`States.Http.StatusCode.429`, `States.Http.Socket`, `States.Runtime`).
 * @internal
 */
export class HttpTaskError extends Error {
  constructor(name: string, cause: string) {
    super(cause);
    this.name = name;
  }
}

/** Step Functions ends an HTTP Task that got no answer within 60 seconds with `States.Http.Socket`. @internal */
export const HTTP_TASK_TIMEOUT_MS = 60_000;
const METHODS = new Set(['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD']);
const CONNECTION_ARN = /^arn:aws[\w-]*:events:[^:]+:\d{12}:connection\/.+$/;

function runtime(message: string): HttpTaskError {
  return new HttpTaskError('States.Runtime', message);
}

function target(routes: HttpTaskRoutes | undefined, endpoint: string): string | undefined {
  let best: string | undefined;
  for (const prefix of Object.keys(routes?.endpoints ?? {})) {
    if (endpoint.startsWith(prefix) && (best === undefined || prefix.length > best.length)) best = prefix;
  }
  return best === undefined ? undefined : `${routes!.endpoints[best]}${endpoint.slice(best.length)}`;
}

function stringRecord(value: unknown, field: string): Record<string, string> {
  if (value === undefined) return {};
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw runtime(`The HTTP Task's ${field} must be a JSON object.`);
  }
  const out: Record<string, string> = {};
  for (const [key, entry] of Object.entries(value))
    out[key] = typeof entry === 'string' ? entry : JSON.stringify(entry);
  return out;
}

/**
 * Runs an HTTP Task against the loopback server its endpoint maps to, as Step Functions runs it against the API:
 * `ApiEndpoint` (https), `Method`, `Authentication.ConnectionArn` (or `InvocationConfig.ConnectionArn`), `Headers`,
 * `QueryParameters`, `RequestBody`. The result has the HTTP Task's shape, `{ Headers, ResponseBody, StatusCode,
 * StatusText }`, with a JSON answer parsed into `ResponseBody` (any other answer stays text); a non-2xx answer fails
 * with `States.Http.StatusCode.<status>` and no answer within 60 seconds (or a refused or reset connection) with
 * `States.Http.Socket`. The step id goes along in `x-stepwise-step-id`, so fakes answer by step id.
 * @internal
 */
export async function invokeHttpTask(
  parameters: Record<string, unknown>,
  routes: HttpTaskRoutes | undefined,
  stepId: string | undefined,
  signal: AbortSignal,
): Promise<Record<string, unknown>> {
  const { ApiEndpoint, Method, RequestBody, Transform } = parameters;
  if (typeof ApiEndpoint !== 'string' || !ApiEndpoint.startsWith('https://')) {
    throw runtime(`The HTTP Task's ApiEndpoint must be an https URL; got ${JSON.stringify(ApiEndpoint)}.`);
  }
  if (typeof Method !== 'string' || !METHODS.has(Method)) {
    throw runtime(`The HTTP Task's Method must be one of ${[...METHODS].join(', ')}; got ${JSON.stringify(Method)}.`);
  }
  const authentication = (parameters.Authentication ?? parameters.InvocationConfig) as
    | { ConnectionArn?: unknown }
    | undefined;
  const connection = authentication?.ConnectionArn;
  if (typeof connection !== 'string' || !CONNECTION_ARN.test(connection)) {
    throw runtime(
      `The HTTP Task needs Authentication.ConnectionArn, an EventBridge connection ARN; got ${JSON.stringify(connection)}.`,
    );
  }
  const encoding = (Transform as { RequestBodyEncoding?: unknown } | undefined)?.RequestBodyEncoding;
  if (encoding !== undefined && encoding !== 'NONE') {
    // URL encoding of the body is documented, but the emulator does not reproduce it: fail loudly, never guess.
    throw runtime(`The emulator does not serve an HTTP Task with RequestBodyEncoding ${JSON.stringify(encoding)}.`);
  }
  const forward = target(routes, ApiEndpoint);
  if (forward === undefined) {
    throw runtime(
      `The emulator forwards no HTTP Task to ${ApiEndpoint}: map it to a loopback URL in startEmulator({ httpEndpoints }).`,
    );
  }
  const url = new URL(forward);
  for (const [key, value] of Object.entries(stringRecord(parameters.QueryParameters, 'QueryParameters'))) {
    url.searchParams.append(key, value);
  }
  const headers: Record<string, string> = {
    ...stringRecord(parameters.Headers, 'Headers'),
    ...(routes?.connections?.[connection]?.headers ?? {}),
  };
  if (stepId !== undefined) headers[STEP_ID_HEADER] = stepId;
  let body: string | undefined;
  if (RequestBody !== undefined && Method !== 'GET' && Method !== 'HEAD') {
    body = typeof RequestBody === 'string' ? RequestBody : JSON.stringify(RequestBody);
    if (!Object.keys(headers).some((key) => key.toLowerCase() === 'content-type')) {
      headers['Content-Type'] = 'application/json';
    }
  }
  const timeout = AbortSignal.timeout(HTTP_TASK_TIMEOUT_MS);
  let response: Response;
  let text: string;
  try {
    response = await fetch(url, {
      method: Method,
      headers,
      ...(body !== undefined ? { body } : {}),
      signal: AbortSignal.any([signal, timeout]),
    });
    text = await response.text();
  } catch (error) {
    signal.throwIfAborted();
    const reason = timeout.aborted ? 'no answer within 60 seconds' : (error as Error).message;
    throw new HttpTaskError('States.Http.Socket', `The HTTP Task to ${ApiEndpoint} failed: ${reason}.`);
  }
  const responseHeaders: Record<string, string[]> = {};
  response.headers.forEach((value, key) => {
    responseHeaders[key] = [value];
  });
  let responseBody: unknown = text;
  if ((response.headers.get('content-type') ?? '').includes('json')) {
    try {
      responseBody = JSON.parse(text);
    } catch {
      responseBody = text;
    }
  }
  if (response.status < 200 || response.status > 299) {
    throw new HttpTaskError(`States.Http.StatusCode.${response.status}`, text);
  }
  return {
    Headers: responseHeaders,
    ResponseBody: responseBody,
    StatusCode: response.status,
    StatusText: response.statusText,
  };
}
