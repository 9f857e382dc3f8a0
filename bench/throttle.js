// A slow link between a client and an API server on this machine: a TCP proxy on 127.0.0.1 whose two directions
// each carry at most `bitsPerSecond`, shared by every connection as one WAN link is, and deliver each byte half a
// round trip after it left the link (an SSH bastion far from its cluster). TLS goes through untouched, so a
// kubeconfig whose server is 127.0.0.1 works through it with only the port changed. Bench code: it bounds what
// it holds (a sender waits while a direction has more than its window in flight, as TCP's window makes it) and
// never reads what it forwards.
//   node bench/throttle.js --target PORT [--link 20mbit,30ms] [--port N]
// prints `throttle: 127.0.0.1:N → 127.0.0.1:PORT at …` and runs until stopped.

import { connect, createServer } from 'node:net';
import { pathToFileURL } from 'node:url';
import { flagValue, numberFlag } from './flags.js';

// Forwarded in slices this size, so that a 64 KB read does not arrive as one lump 26 ms (at 20 Mbit/s) late.
const SLICE_BYTES = 16 * 1024;
// In flight on one direction of one connection before its sender is paused: a generous TCP window.
const WINDOW_BYTES = 1024 * 1024;

const UNITS = { bit: 1, kbit: 1e3, mbit: 1e6, gbit: 1e9 };

/** `20mbit,30ms` → { bitsPerSecond: 20e6, rttMs: 30 }; undefined for anything else. */
export function parseLink(text) {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(bit|kbit|mbit|gbit)\s*,\s*(\d+(?:\.\d+)?)\s*ms\s*$/i.exec(text ?? '');
  if (!match) return undefined;
  return { bitsPerSecond: Number(match[1]) * UNITS[match[2].toLowerCase()], rttMs: Number(match[3]) };
}

export const describeLink = ({ bitsPerSecond, rttMs }) =>
  `${bitsPerSecond / 1e6} Mbit/s each way, ${rttMs} ms round trip`;

/** One direction of the link: when it is next free to send, shared by every connection. */
function direction(bitsPerSecond) {
  return { freeAt: 0, msPerByte: 8000 / bitsPerSecond, bytes: 0 };
}

/** Sends `from`'s bytes to `to` through `link`, each slice delivered half a round trip after it left the link. */
function forward(from, to, link, oneWayMs) {
  const queue = [];
  let inFlight = 0;
  let timer;
  let ended = false;
  const pump = () => {
    timer = undefined;
    const now = performance.now();
    while (queue.length > 0 && queue[0].at <= now) {
      const { chunk } = queue.shift();
      inFlight -= chunk.length;
      if (!to.destroyed) to.write(chunk);
    }
    if (inFlight < WINDOW_BYTES && from.isPaused()) from.resume();
    if (queue.length > 0) timer = setTimeout(pump, queue[0].at - now);
    else if (ended && !to.destroyed) to.end();
  };
  from.on('data', (chunk) => {
    for (let offset = 0; offset < chunk.length; offset += SLICE_BYTES) {
      const slice = chunk.subarray(offset, offset + SLICE_BYTES);
      const leaves = Math.max(performance.now(), link.freeAt) + slice.length * link.msPerByte;
      link.freeAt = leaves;
      link.bytes += slice.length;
      queue.push({ at: leaves + oneWayMs, chunk: slice });
      inFlight += slice.length;
    }
    if (inFlight >= WINDOW_BYTES) from.pause();
    if (timer === undefined) pump();
  });
  from.on('end', () => {
    ended = true;
    if (timer === undefined) pump();
  });
  return () => clearTimeout(timer);
}

/**
 * Listens on 127.0.0.1 (`port`, default a free one) and forwards to 127.0.0.1:`targetPort` over the link.
 * Returns the port, the bytes each direction carried, and close().
 */
export async function startThrottle({ targetPort, bitsPerSecond, rttMs, port = 0 }) {
  const up = direction(bitsPerSecond);
  const down = direction(bitsPerSecond);
  const sockets = new Set();
  // Half-open allowed, so that an end in one direction waits for the bytes still on the link in the other.
  const server = createServer({ allowHalfOpen: true }, (client) => {
    const upstream = connect({ port: targetPort, host: '127.0.0.1', allowHalfOpen: true });
    const stops = [forward(client, upstream, up, rttMs / 2), forward(upstream, client, down, rttMs / 2)];
    const drop = () => {
      for (const stop of stops) stop();
      client.destroy();
      upstream.destroy();
    };
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('error', drop);
      socket.on('close', () => sockets.delete(socket));
    }
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  return {
    port: server.address().port,
    bytes: () => ({ up: up.bytes, down: down.bytes }),
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

async function main() {
  const target = numberFlag('--target', undefined);
  const link = parseLink(flagValue('--link', '20mbit,30ms'));
  if (target === undefined || link === undefined) {
    process.stderr.write('usage: node bench/throttle.js --target PORT [--link 20mbit,30ms] [--port N]\n');
    return 2;
  }
  const throttle = await startThrottle({ targetPort: target, ...link, port: numberFlag('--port', 0) });
  console.log(`throttle: 127.0.0.1:${throttle.port} → 127.0.0.1:${target} at ${describeLink(link)}`);
  const stop = () => {
    const { up, down } = throttle.bytes();
    console.log(`throttle: carried ${up} bytes up, ${down} down`);
    void throttle.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  return undefined;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const code = await main();
  if (code !== undefined) process.exitCode = code;
}
