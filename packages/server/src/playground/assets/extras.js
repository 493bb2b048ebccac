// What the first view does not need: the step inspector, the JSON view and the copy commands. app.js imports this
// module right after the page is interactive (or on first use, if that comes sooner); the package build bundles it
// into one file of its own, so it stays off the page's critical path.

export { cliCommand, curlCommand, shellQuote } from './commands.js';
export { renderInspector, sourceList } from './inspector.js';
export { jsonView } from './json-view.js';
