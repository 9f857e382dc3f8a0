import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import { type WebSocket, WebSocketServer } from 'ws';
import type { Pod } from '../../model/pod.js';
import { type StatusBody, statusBody } from './status.js';

// pods/exec as the API server and kubelet serve it over WebSocket: the channel protocol kubectl 1.32 speaks
// (v5.channel.k8s.io; v4 for older clients such as client-node's fallbacks). Every message is binary, its first
// byte the channel: 0 stdin, 1 stdout, 2 stderr, 3 the final Status (JSON), 4 terminal resize (JSON
// {"Width","Height"}); v5 adds 255 [channel] to close one channel. Behind it runs a small scripted shell per
// container (prompt, echo, env, ls, pwd, stty size, exit N). Refusals follow the real servers: a completed pod is
// refused by the API server (400), a container that is not running by the kubelet (`container not found`), which
// kubectl prints as `error: unable to upgrade connection: container not found ("app")`.

const PROTOCOLS = ['v5.channel.k8s.io', 'v4.channel.k8s.io'] as const;
export const STDIN = 0;
export const STDOUT = 1;
export const STDERR = 2;
export const STATUS = 3;
export const RESIZE = 4;
/** v5: the payload's first byte names the channel the client closed (stdin). */
export const CLOSE = 255;

/**
 * What carries one exec session, by channel number: the WebSocket here; SPDY streams in the real-server harness's
 * kubelet (test/real), which runs the same shell behind a real kube-apiserver.
 */
export interface ExecChannels {
  send(channel: number, text: string): void;
  /** The session is over: called once, after the status went out on STATUS. */
  end(): void;
  onMessage(listener: (channel: number, payload: Buffer) => void): void;
  onClose(listener: () => void): void;
}

export interface ExecRequest {
  namespace: string;
  name: string;
  container?: string;
  command: string[];
  tty: boolean;
}

/** `/api/v1/namespaces/NS/pods/NAME/exec?container=C&command=…&tty=true`, or undefined for other paths. */
export function parseExecPath(url: string): ExecRequest | undefined {
  const parsed = new URL(url, 'http://sim');
  const match = /^\/api\/v1\/namespaces\/([^/]+)\/pods\/([^/]+)\/exec$/.exec(parsed.pathname);
  if (!match) return undefined;
  const query = parsed.searchParams;
  return {
    namespace: decodeURIComponent(match[1]!),
    name: decodeURIComponent(match[2]!),
    container: query.get('container') ?? undefined,
    command: query.getAll('command'),
    tty: query.get('tty') === 'true',
  };
}

/**
 * Why the exec cannot start, as the real API server or kubelet words it; undefined when it can. The kubelet
 * answers in plain text (http.Error), which the API server passes through: `plain` marks that.
 */
export function execRefusal(
  pod: Pod | undefined,
  request: ExecRequest,
): (StatusBody & { plain?: boolean }) | undefined {
  if (!pod) return statusBody(404, `pods "${request.name}" not found`, { name: request.name, kind: 'pods' });
  const phase = pod.status?.phase;
  if (phase === 'Succeeded' || phase === 'Failed') {
    return statusBody(400, `cannot exec into a container in a completed pod; current phase is ${phase}`);
  }
  const names = pod.spec.containers.map((c) => c.name);
  const container = request.container ?? names[0];
  if (container === undefined || !names.includes(container)) {
    return statusBody(400, `container ${container ?? '""'} is not valid for pod ${request.name}`);
  }
  const status = pod.status?.containerStatuses?.find((s) => s.name === container);
  if (!status?.state?.running)
    return { ...statusBody(500, `container not found ("${container}")`), plain: true };
  return undefined;
}

interface Shell {
  pod: Pod;
  container: string;
  line: string;
  rows: number;
  columns: number;
}

const LISTINGS: Readonly<Record<string, string>> = {
  '/': 'app  bin  dev  etc  home  proc  root  sys  tmp  usr  var',
  '/app': 'config.yaml  server',
  '/tmp': '',
};

/** The container's environment as its process sees it; values from Secrets or ConfigMaps are not the sim's to show. */
function environment(shell: Shell): string[] {
  const spec = shell.pod.spec.containers.find((c) => c.name === shell.container);
  const own = (spec?.env ?? []).flatMap((e) => (e.value !== undefined ? [`${e.name}=${e.value}`] : []));
  return [
    'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
    `HOSTNAME=${shell.pod.metadata.name}`,
    'HOME=/root',
    'TERM=xterm',
    ...own,
  ];
}

/** One command line of the scripted shell: its output and, for `exit`, the status to end with. */
function run(shell: Shell, line: string): { output: string[]; exit?: number } {
  const [command, ...args] = line.trim().split(/\s+/);
  switch (command) {
    case undefined:
    case '':
      return { output: [] };
    case 'echo':
      return { output: [args.join(' ')] };
    case 'env':
      return { output: environment(shell) };
    case 'pwd':
      return { output: ['/'] };
    case 'ls': {
      const path = (args[0] ?? '/').replace(/(.)\/$/, '$1');
      const listing = LISTINGS[path];
      return {
        output:
          listing === undefined ? [`ls: ${path}: No such file or directory`] : [listing].filter(Boolean),
      };
    }
    case 'stty':
      return { output: args[0] === 'size' ? [`${shell.rows} ${shell.columns}`] : [] };
    case 'exit': {
      const code = Number(args[0] ?? 0);
      return { output: [], exit: Number.isInteger(code) ? code & 255 : 2 };
    }
    default:
      return { output: [`sh: ${command}: not found`] };
  }
}

function prompt(shell: Shell): string {
  return `${shell.container}@${shell.pod.metadata.name}:/# `;
}

/** The Status kubectl reads on channel 3: Success, or NonZeroExitCode with the code as a cause. */
function exitStatus(code: number, command: readonly string[]): object {
  if (code === 0) return { metadata: {}, status: 'Success' };
  return {
    metadata: {},
    status: 'Failure',
    message: `command terminated with non-zero exit code: error executing command [${command.join(' ')}], exit code ${code}`,
    reason: 'NonZeroExitCode',
    details: { causes: [{ reason: 'ExitCode', message: String(code) }] },
  };
}

/** A v4/v5 channel WebSocket: every message is binary, its first byte the channel. */
function webSocketChannels(socket: WebSocket): ExecChannels {
  return {
    send: (channel, text) => socket.send(Buffer.concat([Buffer.from([channel]), Buffer.from(text, 'utf8')])),
    end: () => socket.close(1000),
    onMessage: (listener) =>
      socket.on('message', (data: Buffer) => listener(data[0] ?? -1, data.subarray(1))),
    onClose: (listener) => socket.on('close', listener),
  };
}

/** An interactive shell (what `kubectl exec -it … -- sh` asks for) or one command run once. */
function interactive(command: readonly string[]): boolean {
  const first = command[0] ?? '';
  return /(^|\/)(ba)?sh$/.test(first) && (command.length === 1 || /exec (ba)?sh/.test(command.join(' ')));
}

/** The scripted shell (or one command) of a container, over any transport. */
export function serveExec(channels: ExecChannels, pod: Pod, request: ExecRequest): void {
  const send = (channel: number, text: string) => channels.send(channel, text);
  const container = request.container ?? pod.spec.containers[0]!.name;
  const shell: Shell = { pod, container, line: '', rows: 24, columns: 80 };
  const out = STDOUT;
  let finished = false;
  const finish = (code: number) => {
    if (finished) return;
    finished = true;
    send(STATUS, JSON.stringify(exitStatus(code, request.command)));
    channels.end();
  };

  if (!interactive(request.command)) {
    const line = request.command.join(' ');
    const result = run(shell, line);
    if (result.output.length > 0) send(out, `${result.output.join('\n')}\n`);
    const notFound = result.output[0]?.startsWith('sh: ') === true;
    finish(result.exit ?? (notFound ? 127 : 0));
    return;
  }

  const newline = request.tty ? '\r\n' : '\n';
  send(out, prompt(shell));
  const onInput = (text: string) => {
    for (const char of text) {
      if (finished) return;
      if (char === '\r' || char === '\n') {
        if (request.tty) send(out, newline);
        const result = run(shell, shell.line);
        shell.line = '';
        if (result.output.length > 0) send(out, `${result.output.join(newline)}${newline}`);
        if (result.exit !== undefined) return finish(result.exit);
        send(out, prompt(shell));
      } else if (char === '\u0003') {
        shell.line = '';
        send(out, `^C${newline}${prompt(shell)}`);
      } else if (char === '\u0004') {
        if (shell.line === '') return finish(0);
      } else if (char === '\u007f' || char === '\b') {
        if (shell.line.length > 0) {
          shell.line = shell.line.slice(0, -1);
          if (request.tty) send(out, '\b \b');
        }
      } else if (char >= ' ') {
        shell.line += char;
        if (request.tty) send(out, char);
      }
    }
  };
  channels.onMessage((channel, payload) => {
    if (channel === STDIN) onInput(payload.toString('utf8'));
    else if (channel === RESIZE) {
      try {
        // Go's encoding/json matches field names case-insensitively: client-node sends `width`, kubectl `Width`.
        const size = Object.fromEntries(
          Object.entries(JSON.parse(payload.toString('utf8')) as Record<string, unknown>).map(([k, v]) => [
            k.toLowerCase(),
            v,
          ]),
        );
        if (typeof size.width === 'number') shell.columns = size.width;
        if (typeof size.height === 'number') shell.rows = size.height;
      } catch {
        send(STDERR, 'resize: not JSON\n');
      }
    } else if (channel === CLOSE && payload[0] === STDIN) finish(0);
  });
  channels.onClose(() => {
    finished = true;
  });
}

/** Upgrades an authorised exec request, or answers with the refusal as an HTTP response (no upgrade). */
export function handleExec(
  req: IncomingMessage,
  socket: Socket,
  head: Buffer,
  pod: Pod | undefined,
  request: ExecRequest,
  refuse: (status: StatusBody & { plain?: boolean }) => void,
): void {
  const refusal = execRefusal(pod, request);
  if (refusal) return void refuse(refusal);
  if ((req.headers.upgrade ?? '').toLowerCase() !== 'websocket') {
    return void refuse(
      statusBody(
        400,
        'the crashtop simulator serves exec over WebSocket only (v5.channel.k8s.io or v4), not SPDY',
      ),
    );
  }
  const server = new WebSocketServer({
    noServer: true,
    // The first protocol of the client's list that the server speaks, as the API server's wsstream picks it.
    handleProtocols: (offered) =>
      [...offered].find((p) => (PROTOCOLS as readonly string[]).includes(p)) ?? false,
  });
  const offered = String(req.headers['sec-websocket-protocol'] ?? '')
    .split(',')
    .map((p) => p.trim());
  if (!offered.some((p) => (PROTOCOLS as readonly string[]).includes(p))) {
    return void refuse(statusBody(400, `exec needs one of the subprotocols ${PROTOCOLS.join(', ')}`));
  }
  server.handleUpgrade(req, socket, head, (ws) => serveExec(webSocketChannels(ws), pod!, request));
}
