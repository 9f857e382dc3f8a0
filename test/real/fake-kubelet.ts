import { type IncomingMessage, STATUS_CODES } from 'node:http';
import { createServer, type Server } from 'node:https';
import type { Socket } from 'node:net';
import type { Pod } from '../../src/model/pod.js';
import { type ExecRequest, execRefusal, handleExec, serveExec } from '../../src/sim/http/exec.js';
import { serveLogs } from '../../src/sim/http/logs.js';
import { HttpError } from '../../src/sim/http/status.js';
import type { SimCluster } from '../../src/sim/index.js';
import { selfSignedCertificate } from '../../src/sim/tls-cert.js';
import { isSpdyUpgrade, spdyRefusal, upgradeSpdy } from './spdy-exec.js';

// The kubelet's HTTPS endpoint as the real apiserver reaches it for `pods/log`
// (`GET /containerLogs/{namespace}/{pod}/{container}`, kubelet-facts.md §8): logs come from the simulated kubelet, with
// the kubelet's own 400s. Exec (`/exec/{namespace}/{pod}/{container}`) runs the simulator's scripted shell over
// WebSocket (what the apiserver sends a v1.36 kubelet that declares ExtendWebSocketsToKubelet) or SPDY/3.1 (what it
// translates to for older kubelets, spdy-exec.ts). `down()` makes it unreachable, as a kubelet on a dead node is.

export class FakeKubelet {
  private server: Server | undefined;
  port = 0;
  readonly requests: string[] = [];

  constructor(
    private readonly cluster: SimCluster,
    /** The simulator's namespace for a real one (the mirror's prefix removed). */
    private readonly simNs: (namespace: string) => string | undefined,
  ) {}

  /** Listens (again on the same port, which the Node object names, after `down`). */
  async up(port = this.port): Promise<number> {
    const tls = selfSignedCertificate('fake-kubelet');
    const server = createServer({ key: tls.keyPem, cert: tls.certPem }, (req, res) => {
      const url = new URL(req.url ?? '/', 'https://kubelet');
      this.requests.push(`${req.method} ${url.pathname}${url.search}`);
      const match = /^\/containerLogs\/([^/]+)\/([^/]+)\/([^/]+)$/.exec(url.pathname);
      if (!match) {
        res.writeHead(404, { 'Content-Type': 'text/plain' }).end('404 page not found');
        return;
      }
      const [namespace, name, container] = match.slice(1).map(decodeURIComponent) as [string, string, string];
      const ns = this.simNs(namespace);
      const pod = ns === undefined ? undefined : this.cluster.pod(ns, name);
      if (!pod) {
        res.writeHead(404, { 'Content-Type': 'text/plain' }).end(`pod "${name}" not found`);
        return;
      }
      url.searchParams.set('container', container);
      try {
        serveLogs(res, this.cluster, pod, url.searchParams, { followPollMs: 200 });
      } catch (error) {
        const code = error instanceof HttpError ? error.code : 500;
        res.writeHead(code, { 'Content-Type': 'text/plain' }).end((error as Error).message);
      }
    });
    server.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) =>
      this.upgrade(req, socket, head),
    );
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    const address = server.address();
    this.port = typeof address === 'object' && address ? address.port : 0;
    this.server = server;
    return this.port;
  }

  /**
   * `/exec/{namespace}/{pod}/{container}?command=…&input=1&output=1&tty=1`, as the apiserver's ExecLocation builds it.
   */
  private upgrade(req: IncomingMessage, socket: Socket, head: Buffer): void {
    const url = new URL(req.url ?? '/', 'https://kubelet');
    this.requests.push(`${req.method} ${url.pathname}${url.search} upgrade=${req.headers.upgrade ?? ''}`);
    const match = /^\/exec\/([^/]+)\/([^/]+)\/([^/]+)$/.exec(url.pathname);
    const [namespace, name, container] = (match?.slice(1) ?? []).map(decodeURIComponent);
    const ns = namespace === undefined ? undefined : this.simNs(namespace);
    this.cluster.advance();
    const stored = ns === undefined ? undefined : this.cluster.pods.get(`${ns}/${name}`);
    const request: ExecRequest = {
      namespace: ns ?? '',
      name: name ?? '',
      container,
      command: url.searchParams.getAll('command'),
      tty: ['1', 'true'].includes(url.searchParams.get('tty') ?? ''),
    };
    const pod = stored && (JSON.parse(stored.json) as Pod);
    const refuse = (code: number, message: string) => {
      const body = `${message}\n`;
      socket.end(
        `HTTP/1.1 ${code} ${STATUS_CODES[code]}\r\nContent-Type: text/plain; charset=utf-8\r\n` +
          `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
      );
    };
    if (!isSpdyUpgrade(req)) {
      handleExec(req, socket, head, pod, request, (status) => refuse(status.code, status.message));
      return;
    }
    const refusal = execRefusal(pod, request);
    if (refusal) return void refuse(refusal.code, refusal.message);
    const unsupported = spdyRefusal(req);
    if (unsupported) return void refuse(403, unsupported);
    upgradeSpdy(req, socket, head, request, (channels) => serveExec(channels, pod!, request));
  }

  /** Unreachable: the apiserver's log requests get `connect: connection refused` (HTTP 500 to the client). */
  async down(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
