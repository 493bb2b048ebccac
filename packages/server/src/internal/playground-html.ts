/** @internal */
export function playgroundHtml(): string {
  return '<!doctype html><title>stepwise</title><p>playground</p>';
}
