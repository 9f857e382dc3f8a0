import type { Readable } from 'node:stream';
import { visibleName } from '../model/kubectl.js';
import { KubeError, networkError, oneLine, type RequestPurpose } from './errors.js';
import type { KubeClient } from './http.js';
import { LineSplitter } from './lines.js';
import { listMetaAhead } from './list-head.js';
import { OwedAnswer } from './owed-answer.js';
import { Backoff, type BackoffPolicy, defaultBackoff } from './reconnect-backoff.js';
import { defaultStalePolicy, type StalePolicy, type WatchHealth } from './watch-health.js';

// One resilient list+watch of one resource in one namespace (or all), the loop client-go's reflector runs
// and client-node 1.4's informer lacks (reference/real-apiserver-harness.md §5):
// - LIST (paged), hand the whole set over (so a relist drops pods that vanished: no ghosts), then WATCH
//   from the list's resourceVersion with bookmarks, resuming from the last resourceVersion seen;
// - a stream the server ends (timeoutSeconds) is re-watched at once from where it stopped;
// - 410 Gone, as an HTTP status or as an in-stream ERROR event, clears the resourceVersion: relist, with
//   the health untouched (the old data stays on screen until the new list replaces it in one go);
// - a stream still open and silent past its own timeoutSeconds is a dead connection: abort, reconnect;
// - a stream quiet for quietProbeMs, its server having answered nothing else meanwhile, probes the server: no
//   answer to that either is a link that is down (it showed `live` up to 45 s): abort, reconnect;
// - any other failure: reconnect after a jittered backoff (reconnect-backoff.ts) that a 2xx answer to
//   another request to the same server cuts short (the server is back), reset once a watch is open;
// - a LIST, or a WATCH not yet answered, that has heard nothing while another request to its server went out
//   and got its answer is stuck on a dead connection: abort, ask again at once (owed-answer.ts).
//
// How a dead connection is told from a quiet one. A watch is silent whenever nothing changes: bookmarks
// are sent "at the server's discretion" (the API says clients must not rely on their interval), and the
// real apiserver sends none at all on resources without a watch cache, events among them. Waiting a fixed
// 75 s for a byte therefore took every quiet events watch for a dead one and reconnected it forever. What
// the server does promise is `timeoutSeconds`: it ends the stream cleanly by then, busy or quiet. So each
// watch asks for a short timeout (25–35 s) and is declared dead only when it has carried no byte for that
// long plus a grace: a healthy stream always ends or speaks before that, a dead path (a NAT or load
// balancer that dropped the flow, a proxy that stopped forwarding) is caught within 45 s, for every
// resource alike, with no assumption about bookmarks. Shorter than that and a dead path is shown `live`
// for less; the price is a re-watch every half minute per watch. (At 45–55 s + 15 s it stayed `live` over a
// minute.) Under a minute, too, because proxies in front of API
// servers often cut a connection idle for 60 s (nginx's default proxy_read_timeout, classic AWS ELBs): the
// server's clean end must come first. TCP keepalive cannot replace it: a stuck proxy or load balancer still
// answers the probes on its own half of the connection. The price is one re-watch per minute per watch,
// from the last resourceVersion (no list): a few hundred bytes each.
//
// A quiet events watch learns no newer resourceVersion (no bookmarks), so once etcd compacts past its last
// event (every ~5 min) the next re-watch gets 410 and relists the events. That is the only correct way
// back (a newer resourceVersion taken from elsewhere could skip events), and it stays bounded and unseen:
// at most one paged LIST per compaction while events are quiet, swapped in whole, health still `live`.

export interface WatchTimings {
  /**
   * Asked of the server for each watch, which ends the stream by then; spread so that the watches of one
   * view, and of many views, do not all end together.
   */
  watchTimeoutSeconds: () => number;
  /** How long past its timeoutSeconds a stream with no byte may stay open before it is taken for dead. */
  endGraceMs: number;
  /** For a LIST page, and for a WATCH until its response headers. */
  requestTimeoutMs: number;
  /**
   * How much longer than another request's round trip (sent, answered) a LIST, or a WATCH waiting for its
   * response headers, may have heard nothing before that answer takes it for stuck; doubled with each such abort
   * in a row, reset once a LIST is in whole or a WATCH open.
   */
  silentPastAnswerMs: number;
  /**
   * Silence of an open watch after which the server is probed (KubeClient.probe, `silentPastAnswerMs` to answer):
   * no answer to that either and the link is down, told at once rather than at the stream's deadline.
   */
  quietProbeMs: number;
  backoff: BackoffPolicy;
  stale: StalePolicy;
}

export const defaultWatchTimings: WatchTimings = {
  watchTimeoutSeconds: () => 25 + Math.floor(Math.random() * 11),
  endGraceMs: 10_000,
  requestTimeoutMs: 60_000,
  silentPastAnswerMs: 5_000,
  quietProbeMs: 10_000,
  backoff: defaultBackoff,
  stale: defaultStalePolicy,
};

/**
 * A whole list asked in place of pages that expired (see list) comes from a cluster big enough to outlast etcd's
 * compaction window while paging: it may take minutes, and timing it out as one page would call a working
 * cluster unreachable and start the expiring paged list again.
 */
const WHOLE_LIST_TIMEOUT_FACTOR = 5;

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface ListWatchHandlers<T> {
  /**
   * A LIST's items as they arrive, before `replace` gets the whole set: a 10,000-pod list takes seconds, and
   * the view can show the pods it already has meanwhile. `first`: with these (maybe none) the LIST's first page
   * is in.
   */
  page?(items: T[], first: boolean): void;
  /** A LIST replaced everything this watch had seen. */
  replace(items: T[]): void;
  apply(type: WatchEventType, item: T): void;
}

export interface ListWatchOptions<T> {
  client: KubeClient;
  resource: 'pods' | 'events';
  /** Undefined watches all namespaces. */
  namespace?: string;
  labelSelector?: string;
  /** Asked of the server on the LIST and the WATCH, so what it leaves out is never sent, parsed or slimmed. */
  fieldSelector?: string;
  slim: (raw: T) => T;
  handlers: ListWatchHandlers<T>;
  health: WatchHealth;
  timings: WatchTimings;
  now: () => number;
}

interface Listed {
  metadata?: { resourceVersion?: string; continue?: string };
}

/** A LIST page asked for, with the items it sent before the pages ahead of it were shown. */
interface AskedPage<T> {
  token: string | undefined;
  held: T[];
  /** Its items go to the view as they come: the pages before it are shown. */
  shown: boolean;
  answer: Promise<Listed>;
}

interface WatchLine {
  type?: string;
  object?: { metadata?: { resourceVersion?: string }; code?: number; message?: string; reason?: string };
}

const pageSize = 500;
// etcd refuses objects over 1.5 MiB; a longer line is a broken or hostile stream, not a pod.
const maxWatchLine = 16 * 1024 * 1024;

function isGone(error: unknown): boolean {
  return error instanceof KubeError && error.status === 410;
}

export class ListWatch<T extends { metadata?: { resourceVersion?: string } }> {
  private resourceVersion: string | undefined;
  private stopped = false;
  private current: AbortController | undefined;
  private wake: (() => void) | undefined;
  /** A LIST, or a WATCH before its headers: what the server owes it, and whether it is stuck. */
  private readonly owed: OwedAnswer;
  /** When a request to this server last got a 2xx answer (any client's): the path to it worked then. */
  private answeredAt = 0;
  private readonly stopAnswers: () => void;
  private readonly backoff: Backoff;
  private readonly purpose: RequestPurpose;
  private readonly path: string;
  private settleFirst: ((error: KubeError | undefined) => void) | undefined;
  /** Settles after the first LIST: undefined when it worked, else its error (the loop keeps retrying). */
  readonly firstList: Promise<KubeError | undefined>;
  private readonly loop: Promise<void>;

  constructor(private readonly options: ListWatchOptions<T>) {
    const { resource, namespace } = options;
    this.backoff = new Backoff(options.timings.backoff);
    this.purpose = { verb: 'list', resource, namespace };
    this.path =
      namespace === undefined
        ? `/api/v1/${resource}`
        : `/api/v1/namespaces/${encodeURIComponent(namespace)}/${resource}`;
    this.firstList = new Promise((resolve) => {
      this.settleFirst = resolve;
    });
    this.owed = new OwedAnswer({
      now: options.now,
      marginMs: options.timings.silentPastAnswerMs,
      probe: (timeoutMs) => void options.client.probe(timeoutMs),
      abort: () => this.current?.abort(),
    });
    this.stopAnswers = options.client.onAnswer((roundTripMs) => {
      this.answeredAt = options.now();
      this.owed.answeredElsewhere(roundTripMs);
    });
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.stopAnswers();
    this.owed.stop();
    this.current?.abort();
    this.wake?.();
    await this.loop;
  }

  private async run(): Promise<void> {
    let relistsInARow = 0;
    while (!this.stopped) {
      try {
        if (this.resourceVersion === undefined) await this.list();
        if (this.stopped) break;
        const openedAt = this.options.now();
        await this.watch();
        relistsInARow = 0;
        // A server that ends every stream as soon as it opens must not get a request storm.
        if (this.options.now() - openedAt < this.options.timings.backoff.initialMs) {
          await this.sleep(this.backoff.next());
        }
      } catch (error) {
        if (this.stopped) break;
        if (this.owed.tookForStuck()) continue;
        if (isGone(error)) {
          this.resourceVersion = undefined;
          relistsInARow++;
          if (relistsInARow > 1) await this.sleep(this.backoff.next());
          continue;
        }
        const failure = this.asKubeError(error);
        this.settleFirstList(failure);
        if (failure.status === 403) this.options.health.forbidden(failure.message);
        else this.options.health.failed(failure.message);
        // No answer at all (refused, reset, timed out): the server may come back any moment, and another
        // request to this server getting through says it has.
        await this.sleep(this.backoff.next(), failure.status === undefined);
      }
    }
    this.settleFirstList(undefined);
  }

  private settleFirstList(error: KubeError | undefined): void {
    this.settleFirst?.(error);
    this.settleFirst = undefined;
  }

  private asKubeError(error: unknown): KubeError {
    if (error instanceof KubeError) return error;
    const { name, server } = this.options.client.context;
    return networkError(name, server, error);
  }

  /**
   * Waits `ms`, or less when `untilAnswer` and another request to this server gets a 2xx answer: then
   * the retry comes at once, though never sooner than the first backoff step after the wait began, so a
   * flapping server cannot make a watch retry faster than the backoff's own first rate.
   */
  private sleep(ms: number, untilAnswer = false): Promise<void> {
    if (this.stopped) return Promise.resolve();
    const { now, client, timings } = this.options;
    return new Promise((resolve) => {
      const began = now();
      let stopListening = () => {};
      let timer: NodeJS.Timeout;
      const done = () => {
        clearTimeout(timer);
        stopListening();
        this.wake = undefined;
        resolve();
      };
      timer = setTimeout(done, ms);
      this.wake = done;
      if (untilAnswer) {
        stopListening = client.onAnswer(() => {
          stopListening();
          clearTimeout(timer);
          timer = setTimeout(done, Math.max(0, Math.min(ms, timings.backoff.initialMs) - (now() - began)));
        });
      }
    });
  }

  private async list(): Promise<void> {
    const { client, slim, labelSelector, fieldSelector, timings } = this.options;
    const items: T[] = [];
    // One signal for all of the list's pages: stopping, or a page that fails, ends the one asked ahead too.
    const abort = new AbortController();
    this.current = abort;
    this.owed.asking(true);
    const show = (slimmed: T[]) => {
      if (slimmed.length === 0 || this.stopped) return;
      for (const item of slimmed) items.push(item);
      this.options.handlers.page?.(slimmed, false);
    };
    // Said once the whole first page is in, not with its first items: the view draws that at once, and a frame
    // of the first few pods would spend it (its next frame comes a throttle interval later; at 10,000 pods the
    // first crash-looping row then came later than with whole pages).
    let firstPageIn = false;
    const ask = (continueToken: string | undefined, paged = true, onHead?: (head: string) => boolean) => {
      // Each chunk's items are parsed and slimmed as they arrive (list-items.ts): no page is held whole, as
      // text or parsed, and the rows reach the view while the rest of the page is on its way. A page asked
      // ahead keeps its slim items until the pages before it are shown, so that the view gets them in order.
      const onItems = (raw: unknown[]) => {
        const slimmed = raw.map((item) => slim(item as T));
        if (page.shown) show(slimmed);
        else for (const item of slimmed) page.held.push(item);
      };
      // Each request and each byte of its answer: a server that says nothing while connecting is told apart.
      const heard = () => {
        this.options.health.listHeard();
        this.owed.heard();
      };
      heard();
      const page: AskedPage<T> = {
        token: continueToken,
        held: [],
        shown: false,
        answer: client.getList<Listed>(
          this.path,
          { labelSelector, fieldSelector, limit: paged ? pageSize : undefined, continue: continueToken },
          this.purpose,
          {
            timeoutMs: paged
              ? timings.requestTimeoutMs
              : timings.requestTimeoutMs * WHOLE_LIST_TIMEOUT_FACTOR,
            signal: abort.signal,
            onHead,
            onItems,
            onBytes: heard,
          },
        ),
      };
      // Awaited in turn; if the list ends first (stopped, or a page's handler threw) its failure is moot.
      page.answer.catch(() => undefined);
      return page;
    };
    // Page 2 is asked for as soon as page 1's first bytes show its continue token (list-head.ts), so that the
    // server builds it while page 1 is still on its way: at 1,000 pods the crash-looping rows can be on page 2.
    // Later pages are asked for when the page before is in, as before: asked from each head, pages came in faster
    // than the view drew them (10,000 pods: the first crash-looping row later).
    let second: AskedPage<T> | undefined;
    let next: AskedPage<T> | undefined = ask(undefined, true, (head) => {
      const metadata = listMetaAhead(head);
      if (metadata === undefined) return false;
      if (metadata.continue && !this.stopped) second = ask(metadata.continue);
      return true;
    });
    let continuing = false;
    let metadata: Listed['metadata'];
    try {
      while (next !== undefined) {
        next.shown = true;
        show(next.held);
        next.held = [];
        try {
          ({ metadata } = await next.answer);
        } catch (error) {
          // The list took longer than the server keeps its snapshot (etcd compacted past it): one list without
          // pages, as client-go's pager does (FullListIfExpired). Starting the paged list again would expire
          // the same way on a busy cluster, again and again, and the view would never get past `loading`.
          if (!continuing || !isGone(error) || this.stopped) throw error;
          continuing = false;
          items.length = 0;
          // Its first byte may come minutes later (the server reads it all first): it has its own timeout.
          this.owed.asking(false);
          next = ask(undefined, false);
          continue;
        }
        if (this.stopped) return;
        if (!firstPageIn) this.options.handlers.page?.([], true);
        firstPageIn = true;
        const continueToken: string | undefined = metadata?.continue || undefined;
        next =
          continueToken === undefined || this.stopped
            ? undefined
            : second?.token === continueToken
              ? second
              : ask(continueToken);
        second = undefined;
        continuing = next !== undefined;
      }
    } catch (error) {
      this.owed.asking(false);
      abort.abort();
      throw error;
    }
    this.owed.asking(false);
    this.owed.settled();
    if (this.stopped) return;
    this.options.handlers.replace(items);
    this.options.health.heard();
    this.resourceVersion = metadata?.resourceVersion ?? '';
    this.settleFirstList(undefined);
  }

  private async watch(): Promise<void> {
    const { client, labelSelector, fieldSelector, timings, health } = this.options;
    this.current = new AbortController();
    const abort = this.current;
    const timeoutSeconds = timings.watchTimeoutSeconds();
    this.owed.asking(true);
    let response: Readable;
    try {
      response = await client.open(
        this.path,
        {
          watch: true,
          allowWatchBookmarks: true,
          resourceVersion: this.resourceVersion === '' ? undefined : this.resourceVersion,
          timeoutSeconds,
          labelSelector,
          fieldSelector,
        },
        { ...this.purpose, verb: 'watch' },
        { timeoutMs: timings.requestTimeoutMs, signal: abort.signal },
      );
    } finally {
      this.owed.asking(false);
    }
    this.owed.settled();
    health.connected();
    this.backoff.reset();
    await this.consume(response, abort, timeoutSeconds * 1000 + timings.endGraceMs);
  }

  /**
   * Reads the stream until it ends; `silenceMs` without a byte means the connection is dead, and so does a
   * silence of `quietProbeMs` that the server's probe leaves unanswered (the link is down: nothing gets through).
   */
  private consume(response: Readable, abort: AbortController, silenceMs: number): Promise<void> {
    const { client, timings, now } = this.options;
    const { name, server } = client.context;
    const splitter = new LineSplitter(maxWatchLine);
    return new Promise<void>((resolve, reject) => {
      let settled = false;
      let silence: NodeJS.Timeout | undefined;
      let quiet: NodeJS.Timeout | undefined;
      let heardAt = now();
      const settle = (error?: unknown, silent = false) => {
        if (settled) return;
        settled = true;
        clearTimeout(silence);
        clearTimeout(quiet);
        // An end, a reset or a bad line came from the server: the outage, if any, starts now. A silence
        // started at the last byte (watch-health.ts).
        if (!silent) this.options.health.heard();
        if (error === undefined) resolve();
        else {
          reject(error);
          abort.abort();
        }
      };
      const arm = () => {
        clearTimeout(silence);
        silence = setTimeout(
          () =>
            settle(
              new KubeError(
                `no data from ${server} (context ${visibleName(name)}) for ${Math.round(silenceMs / 1000)}s, past the end the server promised: the connection looks dead, reconnecting`,
              ),
              true,
            ),
          silenceMs,
        );
      };
      // A quiet watch is normal: only a probe nobody answers makes it a dead one. Checked when due rather than
      // re-armed per chunk (a busy stream brings hundreds a second); an answer to any request of the server
      // (another watch's probe among them) meanwhile proves the path, so a server gets about one probe per period.
      const armQuiet = (ms: number) => {
        quiet = setTimeout(() => {
          const quietMs = now() - Math.max(heardAt, this.answeredAt);
          if (quietMs < timings.quietProbeMs) return armQuiet(timings.quietProbeMs - quietMs);
          const probedAt = now();
          void client.probe(timings.silentPastAnswerMs).then((answered) => {
            if (settled) return;
            if (answered || heardAt >= probedAt || this.answeredAt >= probedAt)
              return armQuiet(timings.quietProbeMs);
            settle(
              new KubeError(
                `no data from ${server} (context ${visibleName(name)}) and no answer to a probe either: the link looks down, reconnecting`,
              ),
              true,
            );
          });
        }, ms);
        quiet.unref();
      };
      armQuiet(timings.quietProbeMs);
      const handle = (lines: string[]) => {
        for (const line of lines) {
          if (settled) return;
          try {
            this.handleLine(line);
          } catch (error) {
            settle(error);
          }
        }
      };
      arm();
      response.on('data', (chunk: Buffer) => {
        arm();
        heardAt = now();
        this.options.health.heard();
        handle(splitter.push(chunk));
      });
      response.on('end', () => {
        handle(splitter.end());
        settle();
      });
      response.on('error', (error) => settle(this.stopped ? error : networkError(name, server, error)));
      response.on('close', () =>
        settle(
          new KubeError(
            `the watch connection to ${server} (context ${visibleName(name)}) closed mid-stream, reconnecting`,
          ),
        ),
      );
    });
  }

  private handleLine(line: string): void {
    if (line.trim() === '') return;
    const { name } = this.options.client.context;
    let event: WatchLine;
    try {
      event = JSON.parse(line) as WatchLine;
    } catch {
      throw new KubeError(
        `the watch stream of context ${visibleName(name)} sent a line that is not JSON, reconnecting`,
      );
    }
    const object = event.object;
    switch (event.type) {
      case 'ADDED':
      case 'MODIFIED':
      case 'DELETED': {
        if (object === undefined) return;
        this.options.handlers.apply(event.type, this.options.slim(object as T));
        break;
      }
      case 'BOOKMARK':
        break;
      case 'ERROR': {
        const code = object?.code;
        throw new KubeError(
          `watch of ${this.purpose.resource} on context ${visibleName(name)} failed: ${oneLine(object?.message ?? 'ERROR event')}`,
          1,
          { status: code, reason: object?.reason },
        );
      }
      default:
        return;
    }
    const resourceVersion = object?.metadata?.resourceVersion;
    if (resourceVersion !== undefined && resourceVersion !== '') this.resourceVersion = resourceVersion;
  }
}
