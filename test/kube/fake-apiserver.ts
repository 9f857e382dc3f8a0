import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createGzip, deflateSync, gzipSync } from 'node:zlib';
import { stringify } from 'yaml';
import type { ClusterSourceOptions } from '../../src/kube/cluster-source.js';

// A small API server speaking the part of the Kubernetes wire protocol the watchers use (list, watch with
// resourceVersion/bookmarks/timeoutSeconds, 410, Status errors, pods/log), with knobs to break it the ways
// real clusters break: restart, compacted history, silently stalled connections, bad tokens, RBAC.

type Resource = 'pods' | 'events';
interface Stored {
  metadata: { name: string; namespace: string; resourceVersion?: string; uid?: string };
  [field: string]: unknown;
}
interface Change {
  rv: number;
  type: 'ADDED' | 'MODIFIED' | 'DELETED';
  object: Stored;
}
interface OpenWatch {
  resource: Resource;
  namespace?: string;
  response: ServerResponse;
  stalled: boolean;
}

/** The cluster source's options for tests against this server: every duration shrunk. */
export const fastSourceOptions: ClusterSourceOptions = {
  notifyIntervalMs: 5,
  firstListWaitMs: 3000,
  timings: {
    watchTimeoutSeconds: () => 1,
    endGraceMs: 400,
    requestTimeoutMs: 2000,
    backoff: { initialMs: 50, maxMs: 200 },
    stale: { afterMs: 60_000 },
  },
};

export interface FakeApiServer {
  url: string;
  token: string;
  kubeconfigPath: string;
  /** Every request path with its query, in order. */
  requests: string[];
  put(resource: Resource, object: Stored): void;
  remove(resource: Resource, namespace: string, name: string): void;
  /** Forget history: a resume from an older resourceVersion gets 410. */
  compact(mode?: 'http' | 'stream'): void;
  bookmark(): void;
  /** Writes raw bytes to every open watch (broken proxies, truncated lines). */
  sendRaw(text: string): void;
  /** Open watches keep their TCP connection but receive nothing more. */
  stall(): void;
  /** Stops listening (connections dropped), then listens again on the same port with the same data. */
  restart(downMs?: number): Promise<void>;
  stop(): Promise<void>;
  forbidClusterWide: Set<Resource>;
  setLog(
    namespace: string,
    pod: string,
    container: string,
    previous: boolean,
    text: string | undefined,
  ): void;
  appendLog(namespace: string, pod: string, container: string, text: string): void;
  dateOffsetMs: number;
  /** A LIST page holds at most this many items (fewer than `limit` asks for is allowed by the API). */
  maxPage: number;
  /** While set, LIST pages after the first wait for it (a long list still on its way). */
  laterPages: Promise<void> | undefined;
  /** While set, a LIST page sends its kind and metadata at once and its items only once this settles. */
  pageItems: Promise<void> | undefined;
  /** While set, a LIST page sends all but the end of its last item at once, and the rest once this settles. */
  lastItem: Promise<void> | undefined;
  /** While set, a LIST page asked with a continue token gets 410 Expired (etcd compacted past the list). */
  expireContinue: boolean;
  /** A LIST without `limit` is answered this much later (a whole list of a big cluster takes its time). */
  wholeListDelayMs: number;
  /** False: watches stay open past their timeoutSeconds (a server or proxy that ignores it). */
  honourTimeouts: boolean;
  /**
   * How a LIST answer goes to a client that asks for gzip: as is (`off`), gzipped whatever its size (`sound`; the
   * real apiserver only past 128 KiB), or gzipped and then broken: a byte flipped in the middle (`corrupt`), the
   * last bytes cut off (`truncated`, a proxy that closed the stream early); or deflated, which was not asked for
   * (`deflate`, a proxy that recompresses).
   */
  gzip: 'off' | 'sound' | 'corrupt' | 'truncated' | 'deflate';
  openWatches(): number;
  close(): Promise<void>;
}

function status(response: ServerResponse, code: number, reason: string, message: string) {
  response.writeHead(code, { 'Content-Type': 'application/json' });
  response.end(
    JSON.stringify({ kind: 'Status', apiVersion: 'v1', status: 'Failure', message, reason, code }),
  );
}

export async function startFakeApiServer(options: { token?: string } = {}): Promise<FakeApiServer> {
  const token = options.token ?? 'fake-token';
  const store: Record<Resource, Map<string, Stored>> = { pods: new Map(), events: new Map() };
  let rv = 100;
  let oldestRv = 100;
  let tooOldMode: 'http' | 'stream' = 'stream';
  const history: Record<Resource, Change[]> = { pods: [], events: [] };
  const watches = new Set<OpenWatch>();
  const sockets = new Set<Socket>();
  const logs = new Map<string, string | undefined>();
  const followers = new Map<string, Set<ServerResponse>>();
  const requests: string[] = [];

  const key = (namespace: string, name: string) => `${namespace}/${name}`;
  const send = (watch: OpenWatch, line: object) => {
    if (!watch.stalled) watch.response.write(`${JSON.stringify(line)}\n`);
  };

  function handle(request: IncomingMessage, response: ServerResponse) {
    const url = new URL(request.url ?? '/', 'http://x');
    requests.push(`${url.pathname}${url.search}`);
    response.setHeader('Date', new Date(Date.now() + fake.dateOffsetMs).toUTCString());
    if (request.headers.authorization !== `Bearer ${token}`) {
      status(response, 401, 'Unauthorized', 'Unauthorized');
      return;
    }
    const logMatch = /^\/api\/v1\/namespaces\/([^/]+)\/pods\/([^/]+)\/log$/.exec(url.pathname);
    if (logMatch) {
      const [, namespace, pod] = logMatch as unknown as [string, string, string];
      const container = url.searchParams.get('container') ?? '';
      const previous = url.searchParams.get('previous') === 'true';
      const text = logs.get(`${namespace}/${pod}/${container}/${previous}`);
      if (text === undefined) {
        status(
          response,
          400,
          'BadRequest',
          `previous terminated container "${container}" in pod "${pod}" not found`,
        );
        return;
      }
      response.writeHead(200, { 'Content-Type': 'text/plain' });
      if (url.searchParams.get('follow') === 'true') {
        response.write(text);
        const id = `${namespace}/${pod}/${container}`;
        const set = followers.get(id) ?? new Set();
        set.add(response);
        followers.set(id, set);
        response.on('close', () => set.delete(response));
        return;
      }
      // limitBytes is deliberately ignored: the client must bound what it reads on its own.
      response.end(text);
      return;
    }
    const match = /^\/api\/v1\/(?:namespaces\/([^/]+)\/)?(pods|events)(?:\/([^/]+))?$/.exec(url.pathname);
    if (!match) {
      status(response, 404, 'NotFound', 'the server could not find the requested resource');
      return;
    }
    const [, namespace, resource, name] = match as unknown as [string, string | undefined, Resource, string?];
    if (namespace === undefined && fake.forbidClusterWide.has(resource)) {
      status(
        response,
        403,
        'Forbidden',
        `${resource} is forbidden: User "dev" cannot list resource "${resource}" in API group "" at the cluster scope`,
      );
      return;
    }
    const inScope = (object: Stored) => namespace === undefined || object.metadata.namespace === namespace;
    if (name !== undefined) {
      const object = store[resource].get(key(namespace ?? '', name));
      if (object === undefined) status(response, 404, 'NotFound', `${resource} "${name}" not found`);
      else response.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(object));
      return;
    }
    if (url.searchParams.get('watch') !== 'true') {
      const fieldSelector = url.searchParams.get('fieldSelector');
      const items = [...store[resource].values()].filter(inScope).filter((object) => {
        if (fieldSelector === null) return true;
        return fieldSelector.split(',').every((term) => {
          const [field, value] = term.split('=') as [string, string];
          const involved = (object.involvedObject ?? {}) as Record<string, string>;
          return involved[field.replace('involvedObject.', '')] === value;
        });
      });
      const start = Number(url.searchParams.get('continue') || 0);
      if (start > 0 && fake.expireContinue) {
        status(
          response,
          410,
          'Expired',
          'The provided continue parameter is too old to display a consistent list result.',
        );
        return;
      }
      // A list without `limit` is never paged (the API server pages only when asked).
      const limit = url.searchParams.get('limit');
      const size = limit ? Math.min(Number(limit), fake.maxPage) : items.length;
      const end = start + size;
      const metadata = {
        resourceVersion: String(rv),
        ...(end < items.length ? { continue: String(end) } : {}),
      };
      const answer = () => {
        const body = JSON.stringify({ kind: 'List', metadata, items: items.slice(start, end) });
        const held = fake.pageItems ?? fake.lastItem;
        const itemsAt = fake.pageItems ? body.indexOf(',"items":') : body.lastIndexOf(',{"metadata":') + 20;
        const { gzip: how } = fake;
        const gzipped = how !== 'off' && /\bgzip\b/.test(request.headers['accept-encoding'] ?? '');
        response.writeHead(200, {
          'Content-Type': 'application/json',
          ...(gzipped ? { 'Content-Encoding': how === 'deflate' ? 'deflate' : 'gzip' } : {}),
        });
        if (gzipped && how === 'deflate') response.end(deflateSync(body));
        else if (gzipped && (how === 'corrupt' || how === 'truncated'))
          response.end(broken(gzipSync(body), how));
        else if (gzipped) {
          const gzip = createGzip();
          gzip.pipe(response);
          if (!fake.pageItems) gzip.end(body);
          else {
            // Flushed, so that the head's compressed bytes go out before the items exist.
            gzip.write(body.slice(0, itemsAt));
            gzip.flush();
            void fake.pageItems.then(() => gzip.end(body.slice(itemsAt)));
          }
        } else if (!held) response.end(body);
        else {
          response.write(body.slice(0, itemsAt));
          void held.then(() => response.end(body.slice(itemsAt)));
        }
      };
      if (start > 0 && fake.laterPages) void fake.laterPages.then(answer);
      else if (!limit && fake.wholeListDelayMs > 0) setTimeout(answer, fake.wholeListDelayMs);
      else answer();
      return;
    }
    const from = Number(url.searchParams.get('resourceVersion') ?? rv);
    if (from < oldestRv && tooOldMode === 'http') {
      status(response, 410, 'Expired', `too old resource version: ${from} (${oldestRv})`);
      return;
    }
    response.writeHead(200, { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' });
    response.flushHeaders();
    const watch: OpenWatch = { resource, namespace, response, stalled: false };
    if (from < oldestRv) {
      send(watch, {
        type: 'ERROR',
        object: {
          kind: 'Status',
          apiVersion: 'v1',
          status: 'Failure',
          message: `too old resource version: ${from} (${oldestRv})`,
          reason: 'Expired',
          code: 410,
        },
      });
      response.end();
      return;
    }
    watches.add(watch);
    response.on('close', () => watches.delete(watch));
    for (const change of history[resource]) {
      if (change.rv > from && inScope(change.object))
        send(watch, { type: change.type, object: change.object });
    }
    const timeout = Number(url.searchParams.get('timeoutSeconds') ?? 0);
    if (timeout > 0 && fake.honourTimeouts) {
      const timer = setTimeout(() => {
        watches.delete(watch);
        if (!watch.stalled) response.end();
      }, timeout * 1000);
      response.on('close', () => clearTimeout(timer));
    }
  }

  const server: Server = createServer(handle);
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}`;
  const dir = mkdtempSync(join(tmpdir(), 'crashtop-kube-'));
  const kubeconfigPath = join(dir, 'kubeconfig');
  const cluster = (name: string, server: string) => ({ name, cluster: { server } });
  writeFileSync(
    kubeconfigPath,
    stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [cluster('fake', url), cluster('refused', 'http://127.0.0.1:1')],
      users: [
        { name: 'fake-user', user: { token } },
        { name: 'bad-user', user: { token: 'wrong-secret-token' } },
      ],
      contexts: [
        { name: 'fake', context: { cluster: 'fake', user: 'fake-user', namespace: 'shop' } },
        { name: 'bad-token', context: { cluster: 'fake', user: 'bad-user' } },
        { name: 'refused', context: { cluster: 'refused', user: 'fake-user' } },
      ],
      'current-context': 'fake',
    }),
  );

  const dropAll = () => {
    for (const watch of watches) watch.response.destroy();
    watches.clear();
    for (const socket of sockets) socket.destroy();
  };

  const fake: FakeApiServer = {
    url,
    token,
    kubeconfigPath,
    requests,
    forbidClusterWide: new Set(),
    dateOffsetMs: 0,
    maxPage: Number.POSITIVE_INFINITY,
    pageItems: undefined,
    lastItem: undefined,
    laterPages: undefined,
    expireContinue: false,
    wholeListDelayMs: 0,
    honourTimeouts: true,
    gzip: 'off',
    put(resource, object) {
      rv++;
      const id = key(object.metadata.namespace, object.metadata.name);
      const type = store[resource].has(id) ? 'MODIFIED' : 'ADDED';
      const stored = { ...object, metadata: { ...object.metadata, resourceVersion: String(rv) } };
      store[resource].set(id, stored);
      history[resource].push({ rv, type, object: stored });
      for (const watch of watches) {
        const inScope = watch.namespace === undefined || watch.namespace === stored.metadata.namespace;
        if (watch.resource === resource && inScope) send(watch, { type, object: stored });
      }
    },
    remove(resource, namespace, name) {
      const stored = store[resource].get(key(namespace, name));
      if (stored === undefined) return;
      rv++;
      store[resource].delete(key(namespace, name));
      const gone = { ...stored, metadata: { ...stored.metadata, resourceVersion: String(rv) } };
      history[resource].push({ rv, type: 'DELETED', object: gone });
      for (const watch of watches) {
        const inScope = watch.namespace === undefined || watch.namespace === namespace;
        if (watch.resource === resource && inScope) send(watch, { type: 'DELETED', object: gone });
      }
    },
    compact(mode = 'stream') {
      tooOldMode = mode;
      history.pods = [];
      history.events = [];
      oldestRv = rv;
    },
    bookmark() {
      for (const watch of watches) {
        send(watch, { type: 'BOOKMARK', object: { kind: 'Pod', metadata: { resourceVersion: String(rv) } } });
      }
    },
    sendRaw(text) {
      for (const watch of watches) watch.response.write(text);
    },
    stall() {
      for (const watch of watches) watch.stalled = true;
    },
    async restart(downMs = 0) {
      await fake.stop();
      await new Promise((resolve) => setTimeout(resolve, downMs));
      await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    },
    async stop() {
      const closed = new Promise((resolve) => server.close(resolve));
      dropAll();
      await closed;
    },
    setLog(namespace, pod, container, previous, text) {
      logs.set(`${namespace}/${pod}/${container}/${previous}`, text);
    },
    appendLog(namespace, pod, container, text) {
      for (const response of followers.get(`${namespace}/${pod}/${container}`) ?? []) response.write(text);
    },
    openWatches: () => [...watches].filter((watch) => !watch.stalled).length,
    async close() {
      if (server.listening) await fake.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return fake;
}

function broken(gzipped: Buffer, how: 'corrupt' | 'truncated'): Buffer {
  if (how === 'truncated') return gzipped.subarray(0, Math.floor(gzipped.length / 2));
  const copy = Buffer.from(gzipped);
  const middle = Math.floor(copy.length / 2);
  copy[middle] = (copy[middle] ?? 0) ^ 0xff;
  return copy;
}

export function fakePod(namespace: string, name: string, extra: Record<string, unknown> = {}) {
  return {
    metadata: {
      name,
      namespace,
      uid: `uid-${namespace}-${name}`,
      managedFields: [{ manager: 'kubectl', operation: 'Update', fieldsV1: { 'f:spec': {} } }],
      annotations: {
        'kubectl.kubernetes.io/last-applied-configuration': '{"huge":"json"}',
        'meta.helm.sh/release-name': 'shop',
      },
    },
    spec: {
      containers: [{ name: 'app', image: 'shop/app:1.0', terminationMessagePath: '/dev/termination-log' }],
    },
    status: { phase: 'Running' },
    ...extra,
  };
}
