import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Change, ResourceVersions, StoredObject } from '../store.js';
import { objectFilter } from './filter.js';
import { apiVersionOf, type Resource } from './resources.js';
import { expiredStatus, HttpError } from './status.js';
import { type IncludeObject, printTable } from './table.js';

// WATCH as the apiserver serves it: newline-delimited `{"type":…,"object":…}` over a chunked response. From
// resourceVersion N it sends every later change once, in order; with no (or "0") resourceVersion it first sends the
// current objects as ADDED. Objects that stop (start) matching a selector arrive as DELETED (ADDED). Bookmarks
// carry the latest resourceVersion, and only resources served from the watch cache get them (not events, as on
// a real apiserver). `timeoutSeconds` ends the stream cleanly; without it (or with 0) the stream lasts a random
// 30 to 60 minutes (`--min-request-timeout` × [1, 2), endpoints/handlers/get.go).

export interface WatchOptions {
  bookmarkIntervalMs: number;
  /** How a watch that starts from a compacted resourceVersion is refused. */
  expiredStart: 'http-410' | 'error-event';
  now: () => number;
}

/** A slow client's unsent backlog beyond which the watch is ended (the client resumes from its last RV). */
const MAX_BACKLOG_BYTES = 16 * 1024 * 1024;
const MIN_REQUEST_TIMEOUT_S = 1800;

/** The stream's lifetime in ms as the apiserver computes it from `timeoutSeconds`. */
function watchTimeoutMs(param: string | null): number {
  const seconds = param === null ? 0 : Number(param);
  if (!Number.isInteger(seconds)) {
    throw new HttpError(400, `strconv.ParseInt: parsing ${JSON.stringify(param)}: invalid syntax`);
  }
  if (seconds > 0) return seconds * 1000;
  return MIN_REQUEST_TIMEOUT_S * (Math.random() + 1) * 1000;
}

export interface OpenWatch {
  stall(): void;
  expire(): void;
  end(): void;
}

export class WatchRegistry {
  readonly open = new Set<OpenWatch>();
  stallAll(): void {
    for (const w of this.open) w.stall();
  }
  expireAll(): void {
    for (const w of [...this.open]) w.expire();
  }
  endAll(): void {
    for (const w of [...this.open]) w.end();
  }
}

export interface WatchRequest {
  resource: Resource;
  namespace: string | undefined;
  query: URLSearchParams;
  table: IncludeObject | undefined;
}

export function serveWatch(
  req: IncomingMessage,
  res: ServerResponse,
  watch: WatchRequest,
  versions: ResourceVersions,
  registry: WatchRegistry,
  options: WatchOptions,
): void {
  const { resource, namespace, query } = watch;
  const matches = objectFilter(resource, namespace, query);
  const rvParam = query.get('resourceVersion');
  const fromRv = rvParam && rvParam !== '0' ? Number(rvParam) : undefined;
  if (fromRv !== undefined && !Number.isInteger(fromRv)) {
    throw new HttpError(400, `invalid resource version: ${rvParam}`);
  }
  const timeoutMs = watchTimeoutMs(query.get('timeoutSeconds'));
  const backlog = fromRv === undefined ? [] : resource.store.changesSince(fromRv);
  const oldest = resource.store.oldestResumable;
  if (backlog === undefined && options.expiredStart === 'http-410') {
    throw new HttpError(410, expiredStatus(fromRv!, oldest).message);
  }

  res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-cache, private' });
  res.socket?.setNoDelay(true);
  res.flushHeaders();

  let stalled = false;
  let finished = false;
  let timeoutTimer: NodeJS.Timeout | undefined;
  let bookmarkTimer: NodeJS.Timeout | undefined;
  const send = (type: string, json: string): void => {
    if (stalled || finished) return;
    res.write(`{"type":"${type}","object":${json}}\n`);
    if (res.writableLength > MAX_BACKLOG_BYTES) handle.end();
  };
  const render = (object: StoredObject): string =>
    watch.table
      ? printTable(resource.plural, [object.json], options.now(), watch.table, {}, false)
      : object.json;
  const bookmark = (annotations?: Record<string, string>): void => {
    const metadata = { resourceVersion: String(versions.latest), ...(annotations ? { annotations } : {}) };
    send('BOOKMARK', JSON.stringify({ kind: resource.kind, apiVersion: apiVersionOf(resource), metadata }));
  };
  const onChange = (change: Change): void => {
    const now = matches(change.object);
    const before = change.previous ? matches(change.previous) : false;
    if (change.type === 'DELETED') {
      if (before) send('DELETED', render(change.object));
    } else if (now) {
      send(change.type === 'MODIFIED' && before ? 'MODIFIED' : 'ADDED', render(change.object));
    } else if (before) {
      send('DELETED', render(change.object));
    }
  };
  const handle: OpenWatch = {
    stall: () => {
      stalled = true;
    },
    expire: () => {
      send('ERROR', JSON.stringify(expiredStatus(versions.latest, resource.store.oldestResumable)));
      handle.end();
    },
    end: () => {
      if (finished) return;
      finished = true;
      unsubscribe();
      clearTimeout(timeoutTimer);
      clearTimeout(bookmarkTimer);
      registry.open.delete(handle);
      res.end();
    },
  };
  const unsubscribe = resource.store.subscribe(onChange);
  registry.open.add(handle);
  req.on('close', () => handle.end());

  if (backlog === undefined) {
    handle.expire();
    return;
  }
  if (fromRv === undefined) {
    for (const object of resource.store.list()) if (matches(object)) send('ADDED', render(object));
    if (query.get('sendInitialEvents') === 'true' && query.get('allowWatchBookmarks') === 'true') {
      bookmark({ 'k8s.io/initial-events-end': 'true' });
    }
  } else {
    for (const change of backlog) onChange(change);
  }
  // A replay beyond the backlog bound has ended the watch already: no timer may outlive it (each would hold the
  // process open for up to an hour after the server stops).
  if (finished) return;

  const bookmarks = resource.watchCache && query.get('allowWatchBookmarks') === 'true';
  timeoutTimer = setTimeout(() => {
    if (bookmarks) bookmark();
    handle.end();
  }, timeoutMs);
  if (bookmarks) {
    const tick = (): void => {
      bookmark();
      if (!finished) bookmarkTimer = setTimeout(tick, options.bookmarkIntervalMs);
    };
    bookmarkTimer = setTimeout(tick, options.bookmarkIntervalMs);
  }
}
