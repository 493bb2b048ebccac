// Starts the page's first API reads while its modules load: the chain list, and the chain the URL names
// (`/#<chain>`). app.js takes the answers from `window.stepwiseBoot`; without them it asks again.
// Standalone (no imports), so it runs as soon as it arrives.

const hash = decodeURIComponent(location.hash.slice(1));
let key = '';
try {
  key = localStorage.getItem('stepwise.apiKey') ?? '';
} catch {
  // storage unavailable
}
const headers = key ? { accept: 'application/json', authorization: `Bearer ${key}` } : { accept: 'application/json' };
// the bodies are read here too, so they are parsed while the modules still load
const read = (path) =>
  fetch(path, { headers }).then(async (response) => ({
    ok: response.ok,
    status: response.status,
    statusText: response.statusText,
    body: await response.json().catch(() => undefined),
  }));
window.stepwiseBoot = {
  key,
  chains: read('v1/chains'),
  name: hash || undefined,
  chain: hash ? read(`v1/chains/${encodeURIComponent(hash)}`) : undefined,
};
// a failed read is reported when app.js awaits it, not as an unhandled rejection here
window.stepwiseBoot.chains.catch(() => {});
window.stepwiseBoot.chain?.catch(() => {});
