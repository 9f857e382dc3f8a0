import type { IncomingMessage, ServerResponse } from 'node:http';
import { pipeline, type Writable } from 'node:stream';
import { createGzip } from 'node:zlib';

// Response compression as the apiserver does it (k8s.io/apiserver pkg/endpoints/handlers/responsewriters:
// writers.go deferredResponseWriter, gzip.go; feature APIResponseCompression, on by default): a body longer than
// 128 KiB is sent gzipped at level 1 when the request's Accept-Encoding names gzip, with `Vary: Accept-Encoding`
// and no Content-Length. Lists, tables and single objects only: watch and log streams are never compressed.
// kubectl (Go's transport) always asks for gzip; crashtop does not.

export const GZIP_THRESHOLD_BYTES = 128 * 1024;
/** "uses least CPU compared to higher levels, yet offers similar compression ratios" (kubernetes#112296). */
const GZIP_LEVEL = 1;

/** Compressed bytes sent per response, for the request log (a gzipped response declares no length). */
const gzipped = new WeakMap<ServerResponse, { bytes: number }>();

/**
 * True when Accept-Encoding has a token that is exactly `gzip` once trimmed (ContentEncodingSupported: split at
 * commas, no q-values: `gzip;q=1.0` does not count).
 */
export function acceptsGzip(req: IncomingMessage | undefined): boolean {
  const header = req?.headers['accept-encoding'];
  if (header === undefined) return false;
  return header.split(',').some((token) => token.trim() === 'gzip');
}

/**
 * Starts a response whose body is `length` bytes and returns where to write that body: the response itself, or
 * a gzip stream in front of it when the client asked for gzip and the body is over the threshold.
 */
export function openBody(res: ServerResponse, code: number, contentType: string, length: number): Writable {
  if (length <= GZIP_THRESHOLD_BYTES || !acceptsGzip(res.req)) {
    res.writeHead(code, { 'Content-Type': contentType, 'Content-Length': length });
    return res;
  }
  res.writeHead(code, { 'Content-Type': contentType, 'Content-Encoding': 'gzip', Vary: 'Accept-Encoding' });
  const gzip = createGzip({ level: GZIP_LEVEL });
  const sent = { bytes: 0 };
  gzipped.set(res, sent);
  gzip.on('data', (chunk: Buffer) => {
    sent.bytes += chunk.length;
  });
  // A client that hangs up mid-body ends both streams; the error is the client's, not the server's.
  pipeline(gzip, res, () => undefined);
  return gzip;
}

/** The body's bytes as sent: its declared length, or what a gzipped body came to; undefined for streams. */
export function sentBytes(res: ServerResponse): number | undefined {
  const compressed = gzipped.get(res);
  if (compressed) return compressed.bytes;
  const length = res.getHeader('content-length');
  return length === undefined ? undefined : Number(length);
}

export function isGzipped(res: ServerResponse): boolean {
  return gzipped.has(res);
}
