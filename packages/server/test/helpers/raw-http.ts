import { connect } from 'node:net';

/** What a raw HTTP/1.1 exchange gave. */
export interface RawExchange {
  /** Everything received, as latin1 text (interim `100 Continue` answers included). */
  raw: string;
  /** The final answer (after any `1xx`). */
  status: number;
  headers: Record<string, string>;
  body: string;
  /** Status codes of interim answers (`100`). */
  interim: number[];
  /** The socket error, if any (`ECONNRESET`, `EPIPE`): the connection was reset. */
  error?: string;
  /** The server closed its side (FIN) before the client did. */
  serverEnded: boolean;
  /** Body bytes the client managed to write. */
  bodyBytesSent: number;
}

/** How {@link rawExchange} sends. */
export interface RawOptions {
  /** The request line and headers, without the blank line that ends them. */
  head: string;
  /** A body written at once after the head. */
  body?: string | Buffer;
  /** A body of this many bytes, written in 64 KiB chunks as fast as the socket takes them. */
  uploadBytes?: number;
  /**
   * Stop uploading as soon as the final answer has arrived, then half-close, as curl does when the answer says
   * `Connection: close`. Default true.
   */
  stopOnAnswer?: boolean;
  /** Wait for an interim or final answer before sending the body (`Expect: 100-continue`). */
  awaitContinue?: boolean;
  /** End the head with its blank line. Default true; false leaves the request unfinished (a slow client). */
  endHead?: boolean;
  /** Give up after this long. Default 10 s. */
  timeoutMs?: number;
}

const CHUNK = Buffer.alloc(64 * 1024, 'x');

/**
 * One HTTP/1.1 request over a bare TCP socket, with full control of what is sent and when (no client library that
 * fixes up headers or hides resets). Resolves when the connection is closed.
 */
export function rawExchange(port: number, options: RawOptions): Promise<RawExchange> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    let error: string | undefined;
    let serverEnded = false;
    let sent = 0;
    let answered = false;
    let uploading = false;
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no end of the exchange within ${options.timeoutMs ?? 10_000} ms: ${received()}`));
    }, options.timeoutMs ?? 10_000);
    const received = () => Buffer.concat(chunks).toString('latin1');

    const pump = () => {
      const total = options.uploadBytes ?? 0;
      uploading = true;
      while (sent < total && !socket.destroyed) {
        if (answered && options.stopOnAnswer !== false) return;
        const piece = total - sent >= CHUNK.length ? CHUNK : CHUNK.subarray(0, total - sent);
        sent += piece.length;
        if (!socket.write(piece)) {
          socket.once('drain', pump);
          return;
        }
      }
    };
    const startBody = () => {
      if (uploading) return;
      if (options.body !== undefined) {
        socket.write(options.body);
        sent += Buffer.byteLength(options.body);
      }
      if (options.uploadBytes !== undefined) pump();
      else uploading = true;
    };

    socket.on('connect', () => {
      socket.write(options.endHead === false ? `${options.head}\r\n` : `${options.head}\r\n\r\n`);
      if (!options.awaitContinue) startBody();
    });
    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      const parsed = parse(received());
      if (parsed.interim.length > 0 && options.awaitContinue) startBody();
      if (parsed.complete && !answered) {
        answered = true;
        if (options.stopOnAnswer !== false && !socket.writableEnded) socket.end();
      }
    });
    socket.on('end', () => {
      serverEnded = true;
      if (!socket.writableEnded) socket.end();
    });
    socket.on('error', (caught: NodeJS.ErrnoException) => {
      error = caught.code ?? caught.message;
    });
    socket.on('close', () => {
      clearTimeout(timer);
      const parsed = parse(received());
      resolve({
        raw: received(),
        status: parsed.status,
        headers: parsed.headers,
        body: parsed.body,
        interim: parsed.interim,
        ...(error === undefined ? {} : { error }),
        serverEnded,
        bodyBytesSent: sent,
      });
    });
  });
}

/** Parses what arrived so far: interim answers, then the final head and its body (by `Content-Length`). */
function parse(text: string) {
  const interim: number[] = [];
  let rest = text;
  for (;;) {
    const end = rest.indexOf('\r\n\r\n');
    if (end < 0) return { interim, status: 0, headers: {}, body: '', complete: false };
    const lines = rest.slice(0, end).split('\r\n');
    const status = Number(lines[0]?.split(' ')[1]);
    if (status >= 100 && status < 200) {
      interim.push(status);
      rest = rest.slice(end + 4);
      continue;
    }
    const headers: Record<string, string> = {};
    for (const line of lines.slice(1)) {
      const colon = line.indexOf(':');
      headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
    }
    const body = rest.slice(end + 4);
    const length = headers['content-length'] === undefined ? undefined : Number(headers['content-length']);
    const complete = length !== undefined && Buffer.byteLength(body, 'latin1') >= length;
    return { interim, status, headers, body: Buffer.from(body, 'latin1').toString('utf8'), complete };
  }
}
