import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { Socket } from 'node:net';
import type { Pod } from '../../model/pod.js';
import type { SimCluster, SimPod } from '../cluster.js';
import { isAccessReview, serveAccessReview } from './access-review.js';
import { apiGroupDocument, apiGroupList, apiResourceList, apiVersions, SERVER_VERSION } from './discovery.js';
import { isGzipped, sentBytes } from './encoding.js';
import { handleExec, parseExecPath } from './exec.js';
import { listPage, sendList } from './list.js';
import { serveLogs } from './logs.js';
import { parseResourcePath } from './paths.js';
import { decide, type Role, viewerRole } from './rbac.js';
import { type Resource, resources } from './resources.js';
import { HttpError, type StatusBody, sendJson, sendStatus, statusBody } from './status.js';
import { type IncludeObject, includeObjectParam, printTable, wantsTable } from './table.js';
import { serveWatch, WatchRegistry } from './watch.js';

// The Kubernetes API subset that kubectl and crashtop use, on node:http. Every response carries a `Date` header
// from the simulated clock (clients take it as the server clock). The listener can be stopped and started again on
// the same port with the cluster state kept, for clients' reconnect tests.

export interface SimServerOptions {
  token: string;
  /** Serve HTTPS with this certificate (kubectl sends bearer tokens only over TLS). */
  tls?: { certPem: string; keyPem: string };
  /** Between watch bookmarks (default a minute, as the watch cache sends them). */
  bookmarkIntervalMs?: number;
  followPollMs?: number;
  /** Called once per request when its response ends (a watch: when the stream closes). */
  onRequestDone?: (done: DoneRequest) => void;
}

/** A finished request, for the simulator's request log (`crashtop sim --request-log FILE`). */
export interface DoneRequest extends SeenRequest {
  /** Wall-clock ms when the request arrived. */
  startedAt: number;
  durationMs: number;
  status: number;
  /** The body's bytes as sent (gzipped ones compressed); undefined for streams (watches, logs). */
  bytes: number | undefined;
  /** The body was sent gzipped (a large answer to a client that asked for gzip, as kubectl does). */
  gzip: boolean;
  /** False when the connection closed before the response ended. */
  completed: boolean;
}

/** One request as the server saw it: what clients send, for tests that check how they identify themselves. */
export interface SeenRequest {
  method: string;
  /** Path and query. */
  url: string;
  userAgent: string | undefined;
}

/** How many recent requests are remembered (a long `crashtop sim` session must not grow without bound). */
const SEEN_REQUESTS = 1000;
/**
 * How long an idle keep-alive connection stays open: the apiserver's (secure_serving.go IdleTimeout, 90 s), not
 * Node's 5 s, whose `Keep-Alive: timeout=5` makes a Node client drop its idle connections after 4 s and pay a
 * TLS handshake per request where a real server would let it reuse them.
 */
const IDLE_TIMEOUT_MS = 90_000;
/** How long a list waits for a resourceVersion newer than the server has (the watch cache's blockTimeout). */
const FRESH_WAIT_MS = 3000;

const UNSERVED = {
  exec: 'Upgrade request required: exec is served over WebSocket (v5.channel.k8s.io)',
  attach: 'the crashtop simulator cannot attach to containers',
  portforward: 'the crashtop simulator cannot port-forward to pods',
} as const;

export class SimServer {
  readonly watches = new WatchRegistry();
  /** The most recent requests, oldest first (upgrades included). */
  readonly seen: SeenRequest[] = [];
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  private readonly resources: readonly Resource[];
  private port = 0;
  /** The one bearer token accepted; anything else is 401. */
  private token: string;

  constructor(
    readonly cluster: SimCluster,
    private readonly options: SimServerOptions,
  ) {
    this.resources = resources(cluster);
    this.token = options.token;
  }

  /** Listens on 127.0.0.1; `port` 0 picks a free one the first time, and later starts reuse it. */
  /** TLS handshakes completed: each is a new connection a client could have reused. */
  handshakes = 0;

  async start(port = this.port): Promise<number> {
    if (this.server) return this.port;
    const handler = (req: IncomingMessage, res: ServerResponse) => this.handle(req, res);
    const tls = this.options.tls;
    const server: Server = tls
      ? createTlsServer({ cert: tls.certPem, key: tls.keyPem }, handler)
      : createServer(handler);
    server.keepAliveTimeout = IDLE_TIMEOUT_MS;
    server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    server.on('secureConnection', () => this.handshakes++);
    server.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) => {
      this.see(req);
      this.upgrade(req, socket, head);
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
    const address = server.address();
    this.port = typeof address === 'object' && address ? address.port : port;
    this.server = server;
    return this.port;
  }

  /** Closes the listener and every open connection (watches end abruptly); the cluster keeps running. */
  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    this.watches.endAll();
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    for (const socket of this.sockets) socket.destroy();
    await closed;
  }

  /** Flow-control identities (API Priority and Fairness), one pair per server, as a real one names its own. */
  private readonly flowSchemaUid = randomUUID();
  private readonly priorityLevelUid = randomUUID();

  /**
   * The headers the apiserver's filters put on every answer: `Date` from the simulated clock (clients take it as
   * the server clock), an audit id, `Cache-Control` (filters/cachecontrol.go), and the flow-control identities.
   */
  private commonHeaders(res: ServerResponse): void {
    res.setHeader('Audit-Id', randomUUID());
    res.setHeader('Cache-Control', 'no-cache, private');
    res.setHeader('Date', new Date(this.cluster.clock.now()).toUTCString());
    res.setHeader('X-Kubernetes-Pf-Flowschema-Uid', this.flowSchemaUid);
    res.setHeader('X-Kubernetes-Pf-Prioritylevel-Uid', this.priorityLevelUid);
  }

  /** From now on only `token` is accepted, as when the old one is revoked or a credential plugin rotates it. */
  acceptToken(token: string): void {
    this.token = token;
  }

  private authorized(req: IncomingMessage): boolean {
    return req.headers.authorization === `Bearer ${this.token}`;
  }

  private see(req: IncomingMessage): SeenRequest {
    const seen = { method: req.method ?? '', url: req.url ?? '', userAgent: req.headers['user-agent'] };
    this.seen.push(seen);
    if (this.seen.length > SEEN_REQUESTS) this.seen.shift();
    return seen;
  }

  private logWhenDone(seen: SeenRequest, res: ServerResponse): void {
    const onDone = this.options.onRequestDone;
    if (!onDone) return;
    const startedAt = Date.now();
    const began = performance.now();
    res.once('close', () => {
      onDone({
        ...seen,
        startedAt,
        durationMs: performance.now() - began,
        status: res.statusCode,
        bytes: sentBytes(res),
        gzip: isGzipped(res),
        completed: res.writableFinished,
      });
    });
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    this.logWhenDone(this.see(req), res);
    this.commonHeaders(res);
    try {
      if (!this.authorized(req)) throw new HttpError(401, 'Unauthorized');
      const path = new URL(req.url ?? '/', 'http://localhost').pathname.replace(/\/$/, '');
      if (req.method === 'POST' && isAccessReview(path)) {
        serveAccessReview(req, res, path, this.role()).catch((error) => this.fail(res, error));
        return;
      }
      if (req.method !== 'GET')
        throw new HttpError(405, `the crashtop simulator is read-only: ${req.method} is not served`);
      this.cluster.advance();
      this.route(req, res);
    } catch (error) {
      this.fail(res, error);
    }
  }

  private fail(res: ServerResponse, error: unknown): void {
    if (res.headersSent) {
      res.end();
      return;
    }
    sendStatus(
      res,
      error instanceof HttpError ? error : new HttpError(500, `simulator error: ${(error as Error).message}`),
    );
  }

  /** The fixed documents: version, discovery, health. */
  private fixedDocument(path: string): { body: string; type?: string; raw?: boolean } | undefined {
    const groupVersion = /^\/(?:api\/(v1)|apis\/([^/]+)\/([^/]+))$/.exec(path);
    if (groupVersion) {
      const list = apiResourceList(
        this.resources,
        groupVersion[2] ?? '',
        (groupVersion[1] ?? groupVersion[3])!,
      );
      return list && { body: JSON.stringify(list) };
    }
    const group = /^\/apis\/([^/]+)$/.exec(path);
    if (group) {
      const document = apiGroupDocument(this.resources, group[1]!);
      return document && { body: JSON.stringify(document) };
    }
    switch (path) {
      case '/version':
        // Not an API object: written indented, without the encoder's newline (responsewriters.WriteRawJSON).
        return { body: JSON.stringify(SERVER_VERSION, null, 2), raw: true };
      case '/api':
        return { body: JSON.stringify(apiVersions(`127.0.0.1:${this.port}`)) };
      case '/apis':
        return { body: JSON.stringify(apiGroupList(this.resources)) };
      case '/healthz':
      case '/readyz':
      case '/livez':
        return { body: 'ok', type: 'text/plain' };
      default:
        return undefined;
    }
  }

  private route(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const path = url.pathname.replace(/\/$/, '');
    const query = url.searchParams;
    const fixed = this.fixedDocument(path);
    if (fixed) {
      sendJson(res, 200, fixed.body, fixed.type, fixed.raw);
      return;
    }
    const target = parseResourcePath(path);
    const resource = this.resources.find(
      (r) => r.group === target?.group && r.version === target.version && r.plural === target.plural,
    );
    if (!target || !resource || (target.namespace !== undefined && !resource.namespaced)) {
      throw new HttpError(404, 'the server could not find the requested resource');
    }
    const { namespace, name, subresource } = target;
    if (subresource !== undefined) {
      this.subresource(res, namespace, resource, name!, subresource, query);
      return;
    }
    const watching = query.get('watch') === 'true' || query.get('watch') === '1';
    this.authorize(
      resource,
      namespace,
      name === undefined ? (watching ? 'watch' : 'list') : 'get',
      name === undefined ? undefined : { name },
    );
    if (resource.plural === 'events' && namespace && this.cluster.failingEventNamespaces?.has(namespace)) {
      // What the API server answers when its storage does not (storage.ErrCodeTimeout → 500).
      throw new HttpError(500, 'etcdserver: request timed out');
    }
    const table = wantsTable(req.headers.accept) ? includeObjectParam(query.get('includeObject')) : undefined;
    if (name !== undefined) {
      this.getOne(res, resource, namespace, name, table);
    } else if (watching) {
      serveWatch(req, res, { resource, namespace, query, table }, this.watches, {
        bookmarkIntervalMs: this.options.bookmarkIntervalMs ?? 60_000,
        now: () => this.cluster.clock.now(),
      });
    } else {
      this.list(res, resource, namespace, query, table);
    }
  }

  private list(
    res: ServerResponse,
    resource: Resource,
    namespace: string | undefined,
    query: URLSearchParams,
    table: IncludeObject | undefined,
  ): void {
    const wanted = Number(query.get('resourceVersion'));
    if (resource.watchCache && Number.isInteger(wanted) && wanted > this.cluster.versions.latest) {
      // The watch cache waits up to 3 s for a resourceVersion it has not seen yet before it answers 504
      // (cacher/watch_cache.go waitUntilFreshAndBlock, blockTimeout).
      this.versionReached(wanted, FRESH_WAIT_MS)
        .then(() => {
          if (!res.destroyed) this.listNow(res, resource, namespace, query, table);
        })
        .catch((error: unknown) => this.fail(res, error));
      return;
    }
    this.listNow(res, resource, namespace, query, table);
  }

  private async versionReached(rv: number, withinMs: number): Promise<void> {
    const deadline = performance.now() + withinMs;
    while (this.cluster.versions.latest < rv && performance.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  private listNow(
    res: ServerResponse,
    resource: Resource,
    namespace: string | undefined,
    query: URLSearchParams,
    table: IncludeObject | undefined,
  ): void {
    const page = listPage(resource, namespace, query, this.cluster.versions.latest);
    if (!table) {
      sendList(res, resource, page).catch((error) => this.fail(res, error));
      return;
    }
    const metadata: Record<string, unknown> = { resourceVersion: String(page.resourceVersion) };
    if (page.continueToken) metadata.continue = page.continueToken;
    const json = page.items.map((o) => o.json);
    sendJson(res, 200, printTable(resource.plural, json, this.cluster.clock.now(), table, metadata));
  }

  /** What the token may read: the RBAC knobs (`cluster.restrictTo`, `cluster.deny`) on the served resources. */
  private role(): Role {
    return viewerRole(this.resources, this.cluster.allowedNamespaces, this.cluster.deniedResources);
  }

  /** Refuses with the API server's 403 Status (rbac.ts) what the token's role does not grant. */
  private authorize(
    resource: Resource,
    namespace: string | undefined,
    verb: string,
    object?: { name: string; subresource?: string },
  ): void {
    const decision = decide(this.role(), {
      verb,
      group: resource.group,
      resource: resource.plural,
      subresource: object?.subresource,
      namespace,
      name: object?.name,
    });
    if (!decision.allowed) {
      throw new HttpError(403, decision.message, {
        ...(object ? { name: object.name } : {}),
        ...(resource.group ? { group: resource.group } : {}),
        kind: resource.plural,
      });
    }
  }

  private getOne(
    res: ServerResponse,
    resource: Resource,
    namespace: string | undefined,
    name: string,
    table: IncludeObject | undefined,
  ): void {
    const object = resource.store.get(namespace ? `${namespace}/${name}` : name);
    if (!object) {
      throw new HttpError(404, `${resource.plural} "${name}" not found`, { name, kind: resource.plural });
    }
    const metadata = { resourceVersion: String(object.rv) };
    sendJson(
      res,
      200,
      table
        ? printTable(resource.plural, [object.json], this.cluster.clock.now(), table, metadata)
        : object.json,
    );
  }

  private subresource(
    res: ServerResponse,
    namespace: string | undefined,
    resource: Resource,
    name: string,
    sub: string,
    query: URLSearchParams,
  ): void {
    if (resource.plural !== 'pods' || resource.group !== '' || !namespace)
      throw new HttpError(404, 'the server could not find the requested resource');
    if (sub in UNSERVED) throw new HttpError(400, UNSERVED[sub as keyof typeof UNSERVED]);
    if (sub !== 'log') throw new HttpError(404, 'the server could not find the requested resource');
    this.authorize(resource, namespace, 'get', { name, subresource: 'log' });
    const pod = this.cluster.pod(namespace, name);
    if (!pod) throw new HttpError(404, `pods "${name}" not found`, { name, kind: 'pods' });
    this.reachKubelet(pod, namespace, name, query);
    serveLogs(res, this.cluster, pod, query, { followPollMs: this.options.followPollMs ?? 250 });
  }

  /**
   * The API server proxies pods/log to the node's kubelet; when that kubelet cannot be reached it answers
   * 500 with the dial error, as a real one does (reference/real-apiserver-harness.md, "Verified behaviour").
   */
  private reachKubelet(pod: SimPod, namespace: string, name: string, query: URLSearchParams): void {
    const unreachable = this.cluster.unreachableKubelets;
    const node = pod.placement.spec.nodeName ?? '';
    if (unreachable === undefined || (unreachable !== 'all' && !unreachable.has(node))) return;
    const kubelet = `${pod.placement.hostIP}:10250`;
    const container = encodeURIComponent(query.get('container') ?? '');
    const params = new URLSearchParams();
    for (const key of ['follow', 'previous', 'timestamps'] as const) {
      if (query.get(key) === 'true') params.set(key, 'true');
    }
    for (const key of ['sinceSeconds', 'tailLines', 'limitBytes'] as const) {
      const value = query.get(key);
      if (value !== null) params.set(key, value);
    }
    const search = params.size > 0 ? `?${params}` : '';
    throw new HttpError(
      500,
      `Get "https://${kubelet}/containerLogs/${namespace}/${name}/${container}${search}": dial tcp ${kubelet}: connect: connection refused`,
    );
  }

  /** exec is served over WebSocket (exec.ts); attach and port-forward are refused with a plain Status. */
  private upgrade(req: IncomingMessage, socket: Socket, head: Buffer): void {
    if (!this.authorized(req)) return void this.refuseUpgrade(socket, statusBody(401, 'Unauthorized'));
    const exec = parseExecPath(req.url ?? '');
    if (exec) {
      try {
        const pods = this.resources.find((r) => r.group === '' && r.plural === 'pods')!;
        // The request's own verb first (a WebSocket upgrade is a GET, a SPDY one a POST: create), then `create`,
        // as a v1.31+ API server authorizes it: a Role without pods/exec is refused for the first.
        for (const verb of req.method === 'GET' ? ['get', 'create'] : ['create'])
          this.authorize(pods, exec.namespace, verb, { name: exec.name, subresource: 'exec' });
      } catch (error) {
        if (error instanceof HttpError) {
          return void this.refuseUpgrade(socket, statusBody(error.code, error.message, error.details));
        }
        throw error;
      }
      this.cluster.advance();
      const stored = this.cluster.pods.get(`${exec.namespace}/${exec.name}`);
      const pod = stored ? (JSON.parse(stored.json) as Pod) : undefined;
      return void handleExec(req, socket, head, pod, exec, (status) => this.refuseUpgrade(socket, status));
    }
    const sub = /\/(attach|portforward)(?:\?|$)/.exec(req.url ?? '')?.[1] as
      | keyof typeof UNSERVED
      | undefined;
    this.refuseUpgrade(
      socket,
      statusBody(400, sub ? UNSERVED[sub] : 'the crashtop simulator does not upgrade connections'),
    );
  }

  /**
   * The answer to an upgrade that is not accepted: an HTTP response with the Status, as the API server sends,
   * or the kubelet's plain-text error passed through (`plain`).
   */
  private refuseUpgrade(socket: Socket, status: StatusBody & { plain?: boolean }): void {
    const { plain, ...json } = status;
    const body = plain ? `${status.message}\n` : JSON.stringify(json);
    const type = plain ? 'text/plain; charset=utf-8' : 'application/json';
    socket.end(
      `HTTP/1.1 ${status.code} ${status.reason}\r\nDate: ${new Date(this.cluster.clock.now()).toUTCString()}\r\n` +
        `Content-Type: ${type}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  }
}
