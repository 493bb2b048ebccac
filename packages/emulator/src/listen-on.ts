import type { AddressInfo, Server } from 'node:net';

/**
 * Starts `server` listening on `host` (default `127.0.0.1`) and `port` (default 0: a free port), and gives back the
 * bound port and the base URL (an IPv6 host in brackets). Rejects with the listen error (a taken port).
 * @internal
 *
 * @example
 * ```ts
 * const { port, url } = await listenOn(server, { port: 0 });
 * ```
 */
export async function listenOn(
  server: Server,
  options: { host?: string; port?: number },
): Promise<{ host: string; port: number; url: string }> {
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  return { host, port, url: `http://${host.includes(':') ? `[${host}]` : host}:${port}` };
}
