/**
 * The URL of one route of a chain: `<chain url>/<action>`, unless the URL already ends with a route.
 * @internal
 */
export function chainEndpoint(url: string, action: 'stream' | 'invoke'): string {
  const trimmed = url.replace(/\/+$/, '');
  return /\/(stream|invoke|chat)$/.test(trimmed) ? trimmed : `${trimmed}/${action}`;
}
