import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { AuthOptions } from '../server-options';

/**
 * Builds the key check: a function option is called as is; a key list is compared in constant time
 * (SHA-256 of each side, `timingSafeEqual`, every key compared, no early exit).
 * @internal
 */
export function createKeyVerifier(
  auth: AuthOptions,
): (key: string | undefined, request: IncomingMessage) => Promise<boolean> {
  if (typeof auth === 'function') return async (key, request) => (await auth(key, request)) === true;
  const digests = auth.apiKeys.filter((key) => key.length > 0).map(digest);
  return async (key) => {
    if (key === undefined || key.length === 0) return false;
    const candidate = digest(key);
    let match = false;
    for (const known of digests) match = timingSafeEqual(known, candidate) || match;
    return match;
  };
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

/**
 * The API key of a request: `Authorization: Bearer <key>`, else `x-api-key`.
 * @internal
 */
export function apiKeyOf(request: IncomingMessage): string | undefined {
  const authorization = request.headers.authorization;
  if (authorization !== undefined) {
    const match = /^Bearer\s+(.+)$/i.exec(authorization.trim());
    if (match) return match[1]!.trim();
  }
  const header = request.headers['x-api-key'];
  return typeof header === 'string' && header.length > 0 ? header : undefined;
}
