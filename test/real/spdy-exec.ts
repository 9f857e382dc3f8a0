import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import { constants, createDeflate, createInflate, type Deflate, type Inflate } from 'node:zlib';
import {
  CLOSE,
  type ExecChannels,
  type ExecRequest,
  RESIZE,
  STATUS,
  STDERR,
  STDIN,
  STDOUT,
} from '../../src/sim/http/exec.js';

// The kubelet's end of exec over SPDY/3.1, as a kube-apiserver reaches a kubelet that does not declare
// ExtendWebSocketsToKubelet (every kubelet before v1.36): the apiserver's StreamTranslator
// (k8s.io/apiserver/pkg/util/proxy/streamtranslator.go) takes the client's WebSocket and runs client-go's SPDY
// executor towards the kubelet. That executor POSTs with `Upgrade: SPDY/3.1` and the remotecommand protocols it
// speaks (`X-Stream-Protocol-Version`), then opens one SPDY stream per channel (`streamtype` error, stdin, stdout,
// stderr without a tty, resize with one), each waiting for our SYN_REPLY; it pings every 5 s. The session ends as
// the kubelet ends it: the v4 Status on the error stream, every stream closed, GOAWAY, the connection closed.
// Frames and header blocks follow SPDY draft 3 (moby/spdystream's spdy package is the implementation on the other
// side): header blocks are zlib streams, one per direction for the whole connection, primed with the dictionary below.

const PROTOCOL = 'v4.channel.k8s.io';
const VERSION = 3;
const SYN_STREAM = 1;
const SYN_REPLY = 2;
const PING = 6;
const GOAWAY = 7;
const FLAG_FIN = 1;

/** SPDY/3's header compression dictionary: 65 length-prefixed words, then text (spdy draft 3 §2.6.10.1). */
const DICTIONARY = Buffer.concat([
  ...[
    'options',
    'head',
    'post',
    'put',
    'delete',
    'trace',
    'accept',
    'accept-charset',
    'accept-encoding',
    'accept-language',
    'accept-ranges',
    'age',
    'allow',
    'authorization',
    'cache-control',
    'connection',
    'content-base',
    'content-encoding',
    'content-language',
    'content-length',
    'content-location',
    'content-md5',
    'content-range',
    'content-type',
    'date',
    'etag',
    'expect',
    'expires',
    'from',
    'host',
    'if-match',
    'if-modified-since',
    'if-none-match',
    'if-range',
    'if-unmodified-since',
    'last-modified',
    'location',
    'max-forwards',
    'pragma',
    'proxy-authenticate',
    'proxy-authorization',
    'range',
    'referer',
    'retry-after',
    'server',
    'te',
    'trailer',
    'transfer-encoding',
    'upgrade',
    'user-agent',
    'vary',
    'via',
    'warning',
    'www-authenticate',
    'method',
    'get',
    'status',
    '200 OK',
    'version',
    'HTTP/1.1',
    'url',
    'public',
    'set-cookie',
    'keep-alive',
    'origin',
  ].map((word) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(word.length);
    return Buffer.concat([length, Buffer.from(word, 'latin1')]);
  }),
  Buffer.from(
    '100101201202205206300302303304305306307402405406407408409410411412413414415416417502504505' +
      '203 Non-Authoritative Information204 No Content301 Moved Permanently400 Bad Request401 Unauthorized' +
      '403 Forbidden404 Not Found500 Internal Server Error501 Not Implemented503 Service Unavailable' +
      'Jan Feb Mar Apr May Jun Jul Aug Sept Oct Nov Dec 00:00:00 Mon, Tue, Wed, Thu, Fri, Sat, Sun, GMT' +
      'chunked,text/html,image/png,image/jpg,image/gif,application/xml,application/xhtml+xml,text/plain,' +
      'text/javascript,publicprivatemax-age=gzip,deflate,sdchcharset=utf-8charset=iso-8859-1,utf-,*,enq=0.',
    'latin1',
  ),
]);

/** A request the kubelet upgrades to SPDY: `Upgrade: SPDY/3.1` and a remotecommand protocol both sides speak. */
export function isSpdyUpgrade(req: IncomingMessage): boolean {
  return (req.headers.upgrade ?? '').toLowerCase() === 'spdy/3.1';
}

/** Why the upgrade cannot be negotiated (the kubelet's 403 from httpstream.Handshake), or undefined. */
export function spdyRefusal(req: IncomingMessage): string | undefined {
  const offered = String(req.headers['x-stream-protocol-version'] ?? '')
    .split(',')
    .map((p) => p.trim());
  return offered.includes(PROTOCOL)
    ? undefined
    : `unable to upgrade: unable to negotiate protocol: client supports [${offered.join(' ')}], server accepts [${PROTOCOL}]`;
}

/**
 * Answers 101 and serves the session: `serve` gets the channels once every stream the request asks for is open
 * (error, stdin with input=1, stdout with output=1, stderr with error=1 and no tty, resize with tty=1).
 */
export function upgradeSpdy(
  req: IncomingMessage,
  socket: Socket,
  head: Buffer,
  request: ExecRequest,
  serve: (channels: ExecChannels) => void,
): void {
  socket.write(
    'HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: SPDY/3.1\r\n' +
      `X-Stream-Protocol-Version: ${PROTOCOL}\r\n\r\n`,
  );
  const query = new URL(req.url ?? '/', 'https://kubelet').searchParams;
  const expected = new Set(['error']);
  if (query.get('input') === '1') expected.add('stdin');
  if (query.get('output') === '1') expected.add('stdout');
  if (query.get('error') === '1' && !request.tty) expected.add('stderr');
  if (request.tty) expected.add('resize');
  new SpdySession(socket, expected, serve).receive(head);
}

const CHANNEL_OF: Readonly<Record<string, number>> = {
  stdin: STDIN,
  stdout: STDOUT,
  stderr: STDERR,
  error: STATUS,
  resize: RESIZE,
};

class SpdySession {
  private buffered = Buffer.alloc(0);
  /** Frames are handled one at a time: header blocks go through zlib, which answers asynchronously. */
  private queue: Promise<void> = Promise.resolve();
  private readonly inflate: Inflate = createInflate({ dictionary: DICTIONARY });
  private readonly deflate: Deflate = createDeflate({ dictionary: DICTIONARY });
  /** Channel number → the stream id the client opened for it. */
  private readonly streams = new Map<number, number>();
  private readonly channelOfStream = new Map<number, number>();
  private listener: (channel: number, payload: Buffer) => void = () => {};
  private readonly closeListeners: (() => void)[] = [];
  private started = false;
  private ended = false;
  private lastStreamId = 0;

  constructor(
    private readonly socket: Socket,
    private readonly expected: Set<string>,
    private readonly serve: (channels: ExecChannels) => void,
  ) {
    socket.on('data', (chunk: Buffer) => this.receive(chunk));
    socket.on('close', () => {
      this.ended = true;
      for (const listener of this.closeListeners) listener();
      this.inflate.close();
      this.deflate.close();
    });
    socket.on('error', () => socket.destroy());
  }

  receive(chunk: Buffer): void {
    this.buffered = Buffer.concat([this.buffered, chunk]);
    while (this.buffered.length >= 8) {
      const length = this.buffered.readUIntBE(5, 3);
      if (this.buffered.length < 8 + length) return;
      const frame = this.buffered.subarray(0, 8 + length);
      this.buffered = this.buffered.subarray(8 + length);
      this.queue = this.queue
        .then(() => this.handle(frame))
        .catch((error: Error) => {
          process.stderr.write(`fake kubelet: SPDY exec: ${error.message}\n`);
          this.socket.destroy();
        });
    }
  }

  private async handle(frame: Buffer): Promise<void> {
    const flags = frame[4]!;
    const data = frame.subarray(8);
    if ((frame[0]! & 0x80) === 0) {
      const streamId = frame.readUInt32BE(0) & 0x7fffffff;
      const channel = this.channelOfStream.get(streamId);
      if (channel === STDIN || channel === RESIZE) {
        if (data.length > 0) {
          // The executor writes each terminal size as one JSON line (json.Encoder).
          const messages = channel === RESIZE ? data.toString('utf8').split('\n').filter(Boolean) : [data];
          for (const m of messages) this.listener(channel, Buffer.from(m));
        }
        if (channel === STDIN && flags & FLAG_FIN) this.listener(CLOSE, Buffer.from([STDIN]));
      }
      return;
    }
    const type = frame.readUInt16BE(2);
    if (type === SYN_STREAM) {
      const streamId = data.readUInt32BE(0) & 0x7fffffff;
      this.lastStreamId = streamId;
      const headers = parseHeaderBlock(await this.inflateBlock(data.subarray(10)));
      const channel = CHANNEL_OF[headers.get('streamtype') ?? ''];
      if (channel !== undefined) {
        this.streams.set(channel, streamId);
        this.channelOfStream.set(streamId, channel);
      }
      const id = Buffer.alloc(4);
      id.writeUInt32BE(streamId);
      this.writeControl(SYN_REPLY, 0, Buffer.concat([id, await this.deflateBlock(headerBlock([]))]));
      const open = [...this.expected].every((t) => this.streams.has(CHANNEL_OF[t]!));
      if (open && !this.started) {
        this.started = true;
        this.serve(this.channels());
      }
    } else if (type === PING) {
      this.writeControl(PING, 0, data);
    } else if (type === GOAWAY) {
      this.socket.end();
    }
    // SYN_REPLY, RST_STREAM, SETTINGS, HEADERS, WINDOW_UPDATE: nothing to do for a session this small.
  }

  private channels(): ExecChannels {
    return {
      send: (channel, text) => {
        const streamId = this.streams.get(channel);
        if (streamId !== undefined && !this.ended) this.writeData(streamId, 0, Buffer.from(text, 'utf8'));
      },
      end: () => {
        if (this.ended) return;
        // Every stream closed from our side (the executor reads stdout and the error stream to their end), then
        // GOAWAY and the connection closed, as the kubelet's spdystream connection does on Close.
        for (const streamId of this.streams.values()) this.writeData(streamId, FLAG_FIN, Buffer.alloc(0));
        const goaway = Buffer.alloc(8);
        goaway.writeUInt32BE(this.lastStreamId);
        this.writeControl(GOAWAY, 0, goaway);
        this.ended = true;
        this.socket.end();
      },
      onMessage: (listener) => {
        this.listener = listener;
      },
      onClose: (listener) => {
        this.closeListeners.push(listener);
      },
    };
  }

  private writeControl(type: number, flags: number, data: Buffer): void {
    const header = Buffer.alloc(8);
    header.writeUInt16BE(0x8000 | VERSION, 0);
    header.writeUInt16BE(type, 2);
    header.writeUInt32BE((flags << 24) | data.length, 4);
    this.socket.write(Buffer.concat([header, data]));
  }

  private writeData(streamId: number, flags: number, data: Buffer): void {
    const header = Buffer.alloc(8);
    header.writeUInt32BE(streamId & 0x7fffffff, 0);
    header.writeUInt32BE((flags << 24) | data.length, 4);
    this.socket.write(Buffer.concat([header, data]));
  }

  private inflateBlock(block: Buffer): Promise<Buffer> {
    return flushed(this.inflate, block);
  }

  private deflateBlock(block: Buffer): Promise<Buffer> {
    return flushed(this.deflate, block);
  }
}

/** Writes one block into a zlib stream that lives as long as the connection, and returns what a sync flush gives. */
function flushed(stream: Inflate | Deflate, block: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    stream.once('error', reject);
    stream.write(block);
    stream.flush(constants.Z_SYNC_FLUSH, () => {
      stream.off('error', reject);
      // Paused mode: everything the flush produced waits in the readable buffer.
      const chunks: Buffer[] = [];
      for (let chunk = stream.read() as Buffer | null; chunk !== null; chunk = stream.read() as Buffer | null)
        chunks.push(chunk);
      resolve(Buffer.concat(chunks));
    });
  });
}

/** A v3 name/value block: a count, then length-prefixed names and values (several values joined by NUL). */
function headerBlock(pairs: readonly [string, string][]): Buffer {
  const parts = [u32(pairs.length)];
  for (const [name, value] of pairs) {
    parts.push(
      u32(Buffer.byteLength(name)),
      Buffer.from(name),
      u32(Buffer.byteLength(value)),
      Buffer.from(value),
    );
  }
  return Buffer.concat(parts);
}

function parseHeaderBlock(block: Buffer): Map<string, string> {
  const headers = new Map<string, string>();
  let at = 4;
  for (let i = 0; i < block.readUInt32BE(0); i++) {
    const nameLength = block.readUInt32BE(at);
    const name = block.toString('utf8', at + 4, at + 4 + nameLength);
    at += 4 + nameLength;
    const valueLength = block.readUInt32BE(at);
    headers.set(name, block.toString('utf8', at + 4, at + 4 + valueLength));
    at += 4 + valueLength;
  }
  return headers;
}

function u32(value: number): Buffer {
  const buffer = Buffer.alloc(4);
  buffer.writeUInt32BE(value);
  return buffer;
}
