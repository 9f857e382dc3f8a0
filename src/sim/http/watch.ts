import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Change, StoredObject } from '../store.js';
import { objectFilter } from './filter.js';
import { apiVersionOf, type Resource } from './resources.js';
import { expiredStatus, HttpError } from './status.js';
import { type IncludeObject, printTable } from './table.js';

// WATCH as the apiserver serves it: newline-delimited `{"type":…,"object":…}` over a chunked response. From
// resourceVersion N it sends every later change once, in order; with no (or "0") resourceVersion it first sends the
// current objects as ADDED. Objects that stop (start) matching a selector arrive as DELETED (ADDED). A start from a
// resourceVersion older than the retained history is answered 200 with one ERROR event carrying a 410 Status, then
// the end (cacher.go newErrWatcher: "once we have passed authn/authz/admission, and successfully parsed a resource
// version, other errors must fail with a watch event of type ERROR"). `timeoutSeconds` ends the stream cleanly;
// without it (or with 0) the stream lasts a random 30 to 60 minutes (`--min-request-timeout` × [1, 2),
// endpoints/handlers/get.go).
//
// Bookmarks, when asked for, come as the watch cache sends them (cacher/cache_watcher.go nextBookmarkTime): a
// minute after the watch starts and every minute after, but 2 s before the watch's deadline when that comes first,
// and none once that moment has passed; so a watch of under a minute gets its bookmarks just before it ends (two:
// the cacher's dispatch tick, every 1–1.25 s by whole-second buckets, finds it due twice), and one of 2 s or less
// gets none. A bookmark carries the resourceVersion of the resource's newest change and is sent only when that is
// newer than where the watch started, or than the last change it replayed (cache_watcher.go processInterval,
// process). Only resources served from the watch cache get
// them (not events, as on a real apiserver).

export interface WatchOptions {
  /** Between bookmarks (the cacher's defaultBookmarkFrequency is a minute); tests shorten it. */
  bookmarkIntervalMs: number;
  now: () => number;
}

/** A slow client's unsent backlog beyond which the watch is ended (the client resumes from its last RV). */
const MAX_BACKLOG_BYTES = 16 * 1024 * 1024;
const MIN_REQUEST_TIMEOUT_S = 1800;
/** The cacher's last bookmark goes this long before the watch's deadline. */
const PRE_TIMEOUT_MS = 2000;
/** The cacher's bookmark dispatch tick (cacher.go dispatchEvents: wait.Jitter(time.Second, 0.25)). */
const DISPATCH_TICK_MS = 1000;

/** The stream's lifetime in ms as the apiserver computes it from `timeoutSeconds`. */
function watchTimeoutMs(param: string | null): number {
  const seconds = param === null ? 0 : Number(param);
  if (!Number.isInteger(seconds)) {
    throw new HttpError(400, `strconv.ParseInt: parsing ${JSON.stringify(param)}: invalid syntax`);
  }
  if (seconds > 0) return seconds * 1000;
  return MIN_REQUEST_TIMEOUT_S * (Math.random() + 1) * 1000;
}

/**
 * When the next bookmark is due (ms, on `now`'s clock), or undefined when the watch gets no more. Due right now
 * counts as past: on a real server the clock has moved on from the deadline's start by the time it asks, so a
 * watch of 2 s gets none.
 */
export function nextBookmarkAt(now: number, deadline: number, intervalMs: number): number | undefined {
  const at = Math.min(now + intervalMs, deadline - PRE_TIMEOUT_MS);
  return at <= now ? undefined : at;
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
  const started = performance.now();
  const deadline = started + timeoutMs;
  const { store } = resource;
  const backlog = fromRv === undefined ? [] : store.changesSince(fromRv);
  /** Changes after this are sent. */
  const startRv = fromRv ?? store.latestRv;
  /** Bookmarks only for a resourceVersion newer than this: where the watch started, or its last replayed change. */
  let bookmarkAfter = startRv;

  res.writeHead(200, { 'Content-Type': 'application/json' });
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
    const metadata = { resourceVersion: String(store.latestRv), ...(annotations ? { annotations } : {}) };
    send('BOOKMARK', JSON.stringify({ kind: resource.kind, apiVersion: apiVersionOf(resource), metadata }));
  };
  /** Sends what a change means to this watch; returns whether it meant anything. */
  const onChange = (change: Change): boolean => {
    // A watch from a resourceVersion the server has not reached yet waits for it, silent until then.
    if (change.rv <= startRv) return false;
    const now = matches(change.object);
    const before = change.previous ? matches(change.previous) : false;
    if (change.type !== 'DELETED' && now) {
      send(change.type === 'MODIFIED' && before ? 'MODIFIED' : 'ADDED', render(change.object));
    } else if (before) {
      send('DELETED', render(change.object));
    } else {
      return false;
    }
    return true;
  };
  const handle: OpenWatch = {
    stall: () => {
      stalled = true;
    },
    expire: () => {
      send(
        'ERROR',
        JSON.stringify(expiredStatus(fromRv ?? startRv, store.oldestResumable, resource.watchCache)),
      );
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
  const unsubscribe = store.subscribe(onChange);
  registry.open.add(handle);
  req.on('close', () => handle.end());

  if (backlog === undefined) {
    handle.expire();
    return;
  }
  if (fromRv === undefined) {
    for (const object of store.list()) if (matches(object)) send('ADDED', render(object));
    if (query.get('sendInitialEvents') === 'true' && query.get('allowWatchBookmarks') === 'true') {
      bookmark({ 'k8s.io/initial-events-end': 'true' });
    }
  } else {
    // As the cacher's processInterval: a bookmark must not go back behind a change already replayed.
    for (const change of backlog) if (onChange(change)) bookmarkAfter = change.rv;
  }
  // A replay beyond the backlog bound has ended the watch already: no timer may outlive it (each would hold the
  // process open for up to an hour after the server stops).
  if (finished) return;

  timeoutTimer = setTimeout(() => handle.end(), timeoutMs);
  if (!resource.watchCache || query.get('allowWatchBookmarks') !== 'true') return;
  // Due bookmarks go out on the cacher's dispatch tick, by whole-second buckets: up to a tick early, and after one,
  // the next no sooner than the following tick.
  const tick = Math.min(DISPATCH_TICK_MS, options.bookmarkIntervalMs);
  const schedule = (now: number, soonestMs: number): void => {
    const at = nextBookmarkAt(now, deadline, options.bookmarkIntervalMs);
    if (at === undefined) return;
    bookmarkTimer = setTimeout(
      () => {
        if (store.latestRv > bookmarkAfter) bookmark();
        if (!finished) schedule(performance.now(), tick);
      },
      Math.max(at - now - tick, soonestMs),
    );
  };
  schedule(started, 0);
}
