// Types of format.js, for the TypeScript tests that import it.

export declare function formatMs(ms: number): string;
export declare function formatTokens(usage: { inputTokens?: number; outputTokens?: number }): string;
export declare function modelName(model: string): string;
