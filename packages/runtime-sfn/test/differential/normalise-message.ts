/**
 * A message with quoted names and numbers taken out, to group messages that differ only there.
 *
 * @example
 * ```ts
 * normaliseMessage('Step "s1": key "x.$" is reserved'); // 'Step "…": key "…" is reserved'
 * ```
 */
export function normaliseMessage(message: string): string {
  const text = message
    .replace(/"[^"]*"/g, '"…"')
    .replace(/'[^'\s]{0,60}'/g, "'…'")
    .replace(/\d+/g, 'N');
  return text.length > 120 ? `${text.slice(0, 120)}…` : text;
}
