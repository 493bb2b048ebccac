// The main entry: everything `@stepwise/server/handler` exports, plus `createServer` (the Express app).

export { createServer } from './create-server';
export * from './handler';
