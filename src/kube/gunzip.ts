import type { IncomingMessage } from 'node:http';
import { PassThrough, pipeline, type Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import type { KubeError } from './errors.js';

// A gzipped response body, decoded. Apart from http.ts, which imports it with the first gzipped answer: zlib is
// then loaded only when needed (a small cluster's lists, under 128 KiB, never come gzipped), and the live view's
// first frame waits for no module it does not use (test/e2e/start-order.test.ts).

/**
 * `response`'s body gunzipped on zlib's thread pool, chunk by chunk as it arrives (a long list still comes page by
 * page, its first bytes first). A gzip stream that is corrupt or ends early fails the body with `broken(zlib's
 * reason)`; a cut connection stays the network error it is.
 */
export function gunzipped(response: IncomingMessage, broken: (reason: string) => KubeError): Readable {
  const body = new PassThrough({
    // The error a destroyed stream emits is the one its destroy hands back: zlib's own say only which byte failed.
    destroy(error, callback) {
      const zlib = error !== null && String((error as NodeJS.ErrnoException).code).startsWith('Z_');
      callback(zlib ? broken(`gzip: ${error.message}`) : error);
    },
  });
  // Ended or failed, each stream is destroyed with the others: a reader that stops early hangs up the connection.
  // 64 KB out at a time (zlib's default is 16 KB): a 1.4 MB page in 23 chunks rather than 90, each a turn of the
  // event loop and a copy in readBody; 4 ms of 8 that gzip added to a page on loopback.
  pipeline(response, createGunzip({ chunkSize: 64 * 1024 }), body, () => undefined);
  return body;
}
