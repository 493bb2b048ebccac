// The Bedrock models the examples call, in one place (a model upgrade is a one-line change; the deploy recipe's IAM
// policy follows from the compiled chains).

/**
 * Claude 3 Haiku: the small, fast model of classifications and subtasks.
 *
 * @example
 * ```ts
 * invoke('classify', { model: HAIKU, prompt: '{{input.message}}', output: 'json' });
 * ```
 */
export const HAIKU = 'anthropic.claude-3-haiku-20240307-v1:0';
/**
 * Claude 3.5 Sonnet: the larger model that writes (and streams) answers.
 *
 * @example
 * ```ts
 * respond('reply', { model: SONNET, prompt: '{{input.message}}' });
 * ```
 */
export const SONNET = 'anthropic.claude-3-5-sonnet-20240620-v1:0';
/**
 * Amazon Nova Micro: the cheap model that plans an answer.
 *
 * @example
 * ```ts
 * invoke('outline', { model: NOVA_MICRO, prompt: 'Outline an answer to: {{input.question}}' });
 * ```
 */
export const NOVA_MICRO = 'amazon.nova-micro-v1:0';
