// Types of commands.js, for the TypeScript tests that import it.

export declare function shellQuote(text: string): string;
export declare function curlCommand(request: {
  pageUrl: string;
  chain: string;
  route: 'stream' | 'chat';
  body: unknown;
  apiKey?: boolean;
}): string;
export declare function cliCommand(request: { file: string; chain: string; input: unknown }): string;
