import { randomBytes } from 'node:crypto';
import { type AddressInfo, connect, createServer, type Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { parseLink, startThrottle } from '../../bench/throttle.js';

// bench/throttle.js, the slow link of `live.js --link`: what it is told on its command line, and that it delivers
// every byte, in order, both ways, through a half-close (TLS records cut or reordered would fail every request).
// How slow it is, is what the bench measures with it, not a test.

describe('parseLink', () => {
  it.each([
    ['20mbit,30ms', { bitsPerSecond: 20e6, rttMs: 30 }],
    ['512kbit, 80ms', { bitsPerSecond: 512e3, rttMs: 80 }],
    ['1.5Mbit,0ms', { bitsPerSecond: 1.5e6, rttMs: 0 }],
    ['1gbit,0.5ms', { bitsPerSecond: 1e9, rttMs: 0.5 }],
  ])('reads %s', (text, link) => {
    expect(parseLink(text)).toEqual(link);
  });

  it.each(['20mbit', '20mb,30ms', '20mbit,30', 'fast', '', '-1mbit,30ms'])('refuses %j', (text) => {
    expect(parseLink(text)).toBeUndefined();
  });
});

/** Everything `socket` receives until its end. */
function received(socket: Socket): Promise<Buffer> {
  const chunks: Buffer[] = [];
  socket.on('data', (chunk: Buffer) => chunks.push(chunk));
  return new Promise((resolve, reject) => {
    socket.once('end', () => resolve(Buffer.concat(chunks)));
    socket.once('error', reject);
  });
}

describe('startThrottle', () => {
  it('delivers every byte in order both ways, the answer after the request has ended', async () => {
    const request = randomBytes(3 * 1024 * 1024);
    const answer = randomBytes(2 * 1024 * 1024);
    const atServer: Promise<Buffer>[] = [];
    const server = createServer({ allowHalfOpen: true }, (socket) => {
      const got = received(socket);
      atServer.push(got);
      // Answers only once the client's half is closed: the proxy must not close the other half meanwhile.
      void got.then(() => socket.end(answer));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const throttle = await startThrottle({
      targetPort: (server.address() as AddressInfo).port,
      bitsPerSecond: 1e9,
      rttMs: 2,
    });
    try {
      const client = connect({ port: throttle.port, host: '127.0.0.1', allowHalfOpen: true });
      const atClient = received(client);
      client.end(request);
      expect((await atClient).equals(answer)).toBe(true);
      expect((await atServer[0])?.equals(request)).toBe(true);
      expect(throttle.bytes()).toEqual({ up: request.length, down: answer.length });
    } finally {
      await throttle.close();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
