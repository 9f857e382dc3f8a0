import type { ClientRequest, IncomingMessage } from 'node:http';
import { PassThrough, Writable } from 'node:stream';
import { Exec, type KubeConfig, type V1Status } from '@kubernetes/client-node';
import { deniedRequest, forbiddenText } from '../model/rbac.js';
import { SessionEscape } from '../model/session-escape.js';
import { applyCredentials } from './credentials.js';
import { KubeError, oneLine } from './errors.js';
import type { ResolvedContext } from './kubeconfig.js';
import type { PodRef } from './source.js';
import { userAgent } from './user-agent.js';

// `s` without kubectl on PATH: an interactive shell in the container over the API server's exec WebSocket
// (client-node's Exec, reference/real-apiserver-harness.md §5.5). The caller has already handed the
// terminal over (UI suspended, normal screen). Stdin and stdout go through streams of our own that are
// detached afterwards: client-node adds `data` and `resize` listeners it never removes, and a leftover
// `data` listener on the real stdin would swallow the keys the UI reads next.
// Every key goes to the remote shell (Ctrl-C included), so a session whose connection dies without a sign (a
// proxy or NAT that stops forwarding: no FIN, no RST) would hold the terminal for good: the WebSocket is
// pinged, and a session that hears nothing past a deadline is ended here, as kubectl's does after 61 s; `~.`
// at the start of a line ends it by hand (ssh's escape).

export interface ExecTerminal {
  stdin: NodeJS.ReadStream;
  stdout: NodeJS.WriteStream;
}

/** bash when the image has it, else sh (what `kubectl exec -it … -- sh` users end up typing). */
export const SHELL_COMMAND = ['sh', '-c', 'command -v bash >/dev/null && exec bash || exec sh'];

const REFUSAL_BYTES = 64 * 1024;

export interface ExecLiveness {
  pingEveryMs: number;
  /** Nothing heard (no pong, no output) for this long: the connection is taken for dead. */
  deadlineMs: number;
}

/** Three pings unanswered; a pong comes back within a round trip, output counts as a sign of life too. */
export const execLiveness: ExecLiveness = { pingEveryMs: 15_000, deadlineMs: 45_000 };

const OPEN = 1;

/** What the part of a `ws` WebSocket we use looks like (client-node's types leave it untyped). */
interface Socket {
  readonly readyState: number;
  once(event: 'close', listener: () => void): unknown;
  on(event: 'unexpected-response', listener: (req: ClientRequest, res: IncomingMessage) => void): unknown;
  on(event: 'pong' | 'message', listener: () => void): unknown;
  ping(): void;
  terminate(): void;
}

/** The API server's answer to an exec it refused: its HTTP status and its own one-line message. */
interface Refusal {
  status?: number;
  message?: string;
}

/** Runs a shell in the container; resolves with its exit code, rejects with a one-line KubeError. */
export async function execShell(
  context: ResolvedContext,
  ref: PodRef,
  container: string,
  tty: ExecTerminal,
  liveness: ExecLiveness = execLiveness,
): Promise<number> {
  const what = `exec into ${ref.namespace}/${ref.name} [${container}]`;
  const refusal: Refusal = {};
  const exec = new Exec(readingRefusals(context, refusal));
  const input = new PassThrough();
  const output = terminalProxy(tty.stdout);
  const raw = tty.stdin.isTTY === true;
  let status: V1Status | undefined;
  let socket: Socket | undefined;
  /** Why this side ended the session, if it did. */
  let ending: string | undefined;
  const endSession = (why: string) => {
    ending ??= why;
    socket?.terminate();
  };
  const keys = new SessionEscape();
  const onKeys = (chunk: Buffer | string) => {
    const { forward, disconnect } = keys.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
    if (forward.length > 0) input.write(forward);
    if (disconnect) endSession('ended with ~.');
  };
  let pinger: NodeJS.Timeout | undefined;
  let deadline: NodeJS.Timeout | undefined;
  if (raw) tty.stdin.setRawMode(true);
  tty.stdin.on('data', onKeys);
  tty.stdin.resume();
  try {
    socket = await exec
      .exec(ref.namespace, ref.name, container, SHELL_COMMAND, output.stream, null, input, true, (s) => {
        status = s;
      })
      .catch((error: unknown) => {
        const denied = refusal.status === 403 && refusal.message ? deniedRequest(refusal.message) : undefined;
        if (denied)
          throw new KubeError(`${what} is forbidden: ${forbiddenText(ref.context, denied)}`, 1, {
            status: 403,
            serverMessage: refusal.message,
          });
        throw new KubeError(`${what} failed: ${refusal.message ?? errorText(error)}`);
      });
    const open: Socket = socket;
    let heard = Date.now();
    const hear = () => {
      heard = Date.now();
    };
    open.on('pong', hear);
    open.on('message', hear);
    pinger = setInterval(() => {
      if (open.readyState === OPEN) open.ping();
    }, liveness.pingEveryMs);
    // Checked when the deadline is due, not at the next ping: checked with the pings, a session went 60 s
    // without an answer before it was ended, not the 45 s it says.
    const checkDeadline = () => {
      const silentMs = Date.now() - heard;
      if (silentMs >= liveness.deadlineMs)
        endSession(
          `no answer from the API server for ${Math.round(liveness.deadlineMs / 1000)} s, the session was ended`,
        );
      else deadline = setTimeout(checkDeadline, liveness.deadlineMs - silentMs);
    };
    deadline = setTimeout(checkDeadline, liveness.deadlineMs);
    const closed = new Promise<void>((resolve) => open.once('close', resolve));
    if (ending !== undefined) open.terminate();
    await closed;
    if (status !== undefined) return exitCode(status);
    if (ending !== undefined)
      throw new KubeError(
        `${what}: ${ending}; the terminal is crashtop's again (the shell may still run in the container)`,
      );
    // The kubelet always ends a session with a status: without one, the connection was lost.
    throw new KubeError(`${what} ended without an exit status (connection lost)`);
  } finally {
    clearInterval(pinger);
    clearTimeout(deadline);
    tty.stdin.off('data', onKeys);
    tty.stdin.pause();
    input.destroy();
    output.detach();
    if (raw) tty.stdin.setRawMode(false);
  }
}

/** `Success` is 0; a failure carries the exit code as a cause (`reason: ExitCode`); else 1. */
export function exitCode(status: V1Status): number {
  if (status.status === 'Success') return 0;
  const cause = status.details?.causes?.find((c) => c.reason === 'ExitCode');
  const code = Number(cause?.message);
  return Number.isInteger(code) ? code : 1;
}

/**
 * The API server explains a refused exec (forbidden, no such container, the simulator's "cannot exec") in
 * the body of its non-101 answer, which `ws` drops for a bare "Unexpected server response: 400". Its
 * `finishRequest` option hands us the socket before the request is sent, so we read that body ourselves.
 * The options come from KubeConfig.applyToHTTPSOptions, hence a config whose applyToHTTPSOptions adds it, after
 * the context's credentials (credentials.ts: an exec plugin's too, which the config does not run).
 */
function readingRefusals(context: ResolvedContext, refusal: Refusal): KubeConfig {
  const wrapped: KubeConfig = Object.create(context.config);
  wrapped.applyToHTTPSOptions = async (opts) => {
    const refused = await applyCredentials(context, opts);
    opts.headers = { ...opts.headers, 'User-Agent': userAgent };
    Object.assign(opts, {
      finishRequest(request: ClientRequest, socket: Socket) {
        socket.on('unexpected-response', (_req, response) => {
          if (response.statusCode === 401) refused?.();
          readBody(response).then((body) => {
            refusal.status = response.statusCode;
            refusal.message = statusMessage(body, response.statusCode);
            socket.terminate();
          });
        });
        request.end();
      },
    });
  };
  return wrapped;
}

async function readBody(response: IncomingMessage): Promise<string> {
  let body = '';
  try {
    for await (const chunk of response) {
      body += String(chunk);
      if (body.length > REFUSAL_BYTES) break;
    }
  } catch {
    // A body cut short still says what it could; the status code says the rest.
  }
  return body;
}

function statusMessage(body: string, code: number | undefined): string {
  try {
    const status = JSON.parse(body) as { message?: unknown };
    if (typeof status.message === 'string' && status.message !== '') return oneLine(status.message);
  } catch {
    // Not a Status object (a proxy's HTML page): fall back to the text or the code.
  }
  return oneLine(body.trim()) || `HTTP ${code ?? '?'}`;
}

function errorText(error: unknown): string {
  if (error instanceof Error) return oneLine(error.message);
  const message = (error as { message?: unknown } | null)?.message;
  return typeof message === 'string' ? oneLine(message) : oneLine(String(error));
}

/**
 * A stdout for client-node that writes to the terminal and looks resizable (columns, rows, `resize`), so
 * the remote shell follows the window size; detaching stops the resize forwarding.
 */
function terminalProxy(stdout: NodeJS.WriteStream): { stream: Writable; detach(): void } {
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      stdout.write(chunk, () => callback());
    },
  });
  Object.defineProperties(stream, {
    columns: { get: () => stdout.columns },
    rows: { get: () => stdout.rows },
  });
  const onResize = () => stream.emit('resize');
  stdout.on('resize', onResize);
  return {
    stream,
    detach: () => {
      stdout.off('resize', onResize);
      stream.destroy();
    },
  };
}
