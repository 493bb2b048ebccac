import { createOpenAI } from '@ai-sdk/openai';
import type { ModelProvider } from '@stepwise/core';
import { aiSdkModels } from '@stepwise/runtime-local/ai-sdk';

/**
 * The example's models for real: OpenAI answers (`OPENAI_API_KEY`); the classifier runs on the OpenAI-compatible
 * endpoint at `COMPATIBLE_BASE_URL` (a local Ollama: `http://localhost:11434/v1`), or, without one, on OpenAI's
 * `gpt-4o-mini`, which speaks the same API.
 *
 * @example
 * ```ts
 * const runtime = createLocalRuntime({ models: realModels() });
 * ```
 */
export function realModels(env: NodeJS.ProcessEnv = process.env): ModelProvider {
  const openai = createOpenAI({ apiKey: env.OPENAI_API_KEY });
  const compatibleUrl = env.COMPATIBLE_BASE_URL;
  const compatible = compatibleUrl
    ? createOpenAI({ baseURL: compatibleUrl, apiKey: env.COMPATIBLE_API_KEY ?? 'none' })
    : undefined;
  return aiSdkModels({
    openai: (id) => openai.chat(id),
    compatible: (id) => (compatible ? compatible.chat(id) : openai.chat('gpt-4o-mini')),
  });
}
