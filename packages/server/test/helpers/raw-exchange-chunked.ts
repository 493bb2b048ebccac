import { connect } from 'node:net';

/** One answer read off the wire, with its body de-chunked. */
export interface WireAnswer {
  status: number;
  /** Header names in lower case; repeated headers joined with `, `. */
  headers: Record<string, string>;
  body: string;
  /** Status codes of interim answers (`100`). */
  interim: number[];
}

/**
 * Sends `request` (everything: request line, headers, blank line, body) over a fresh TCP connection, reads until
 * the server closes it, and parses every answer it sent (HTTP/1.1 pipelining gives several), chunked bodies included.
 */
export function sendRaw(
  port: number,
  request: string | Buffer,
  options: { head?: boolean; timeoutMs?: number } = {},
): Promise<WireAnswer[]> {
  const timeoutMs = options.timeoutMs ?? 10_000;
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`the server did not close the connection within ${timeoutMs} ms`));
    }, timeoutMs);
    socket.on('connect', () => socket.write(request));
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', () => {
      // a reset after the answers: what arrived is parsed below
    });
    socket.on('close', () => {
      clearTimeout(timer);
      try {
        resolve(parseAnswers(Buffer.concat(chunks), options.head === true));
      } catch (error) {
        reject(error);
      }
    });
  });
}

/**
 * Parses consecutive HTTP/1.1 answers. A body without length or chunking runs to the end of the data. `head`: the
 * answers are to `HEAD` requests (no body whatever the headers say).
 */
export function parseAnswers(data: Buffer, head = false): WireAnswer[] {
  const answers: WireAnswer[] = [];
  let interim: number[] = [];
  let at = 0;
  while (at < data.length) {
    const end = data.indexOf('\r\n\r\n', at);
    if (end < 0) throw new Error(`an unfinished head: ${data.subarray(at).toString('latin1')}`);
    const lines = data.subarray(at, end).toString('latin1').split('\r\n');
    at = end + 4;
    const status = Number(lines[0]!.split(' ')[1]);
    if (status >= 100 && status < 200) {
      interim.push(status);
      continue;
    }
    const headers: Record<string, string> = {};
    for (const line of lines.slice(1)) {
      const colon = line.indexOf(':');
      const name = line.slice(0, colon).trim().toLowerCase();
      const value = line.slice(colon + 1).trim();
      headers[name] = headers[name] === undefined ? value : `${headers[name]}, ${value}`;
    }
    let body: Buffer;
    if (headers['transfer-encoding']?.toLowerCase() === 'chunked') {
      const parts: Buffer[] = [];
      for (;;) {
        const lineEnd = data.indexOf('\r\n', at);
        if (lineEnd < 0) {
          // cut off before the last chunk
          parts.push(data.subarray(at));
          at = data.length;
          break;
        }
        const size = Number.parseInt(data.subarray(at, lineEnd).toString('latin1'), 16);
        at = lineEnd + 2;
        if (size === 0) {
          at = data.indexOf('\r\n', at) + 2;
          break;
        }
        parts.push(data.subarray(at, at + size));
        at += size + 2;
      }
      body = Buffer.concat(parts);
    } else if (head || isBodyless(status)) {
      body = Buffer.alloc(0);
    } else if (headers['content-length'] !== undefined) {
      const length = Number(headers['content-length']);
      body = data.subarray(at, at + length);
      at += length;
    } else {
      body = data.subarray(at);
      at = data.length;
    }
    answers.push({ status, headers, body: body.toString('utf8'), interim });
    interim = [];
  }
  return answers;
}

function isBodyless(status: number): boolean {
  return status === 204 || status === 304;
}
