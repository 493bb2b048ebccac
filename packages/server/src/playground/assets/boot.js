// Starts the page's first API reads while its modules load: the chain list, and the chain the page shows first (the
// one the URL names, `/#<chain>`, else the first of the list). app.js takes the answers from `window.stepwiseBoot`;
// without them it asks again.
// A classic script, the first thing in the page's head, which the server carries inline (`data-inline`, allowed by
// its hash in the page's Content-Security-Policy): it runs as the head is parsed, before the stylesheet and the
// modules have arrived, and always before app.js (a module, which runs once the page is parsed). So the reads start
// as early as they can, and app.js never asks twice.

(() => {
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
  const detail = (name) => read(`v1/chains/${encodeURIComponent(name)}`).then((answer) => ({ name, answer }));
  const chains = read('v1/chains');
  window.stepwiseBoot = {
    key,
    chains,
    // the chain the page shows first: the one the URL names, else the first of the list
    chain: hash
      ? detail(hash)
      : chains.then((list) => {
          const first = list.ok ? list.body?.chains?.[0]?.name : undefined;
          return first === undefined ? undefined : detail(first);
        }),
  };
  // a failed read is reported when app.js awaits it, not as an unhandled rejection here
  window.stepwiseBoot.chains.catch(() => {});
  window.stepwiseBoot.chain.catch(() => {});
})();
