import http, { type IncomingMessage } from 'node:http';
import https from 'node:https';
import type { Readable } from 'node:stream';
import { visibleName } from '../model/kubectl.js';
import type { ClockSample } from './clock.js';
import { parseDateHeader } from './clock.js';
import { agentFor, dropIdleConnections } from './connections.js';
import { applyCredentials } from './credentials.js';
import { httpError, KubeError, networkError, oneLine, type RequestPurpose } from './errors.js';
import type { ResolvedContext } from './kubeconfig.js';
import { type ListEnd, ListItemSplitter } from './list-items.js';
import { userAgent } from './user-agent.js';

// Plain GETs and streams to one context's API server over node:http(s). client-node supplies the auth and
// TLS options (credentials.ts: client certificates, tokens, auth providers, and exec plugins through ours), but its fetch-based calls cannot bound a
// stream by its silence nor hand back the `Date` header, so the requests themselves are ours.

export type Query = Record<string, string | number | boolean | undefined>;

export interface RequestOptions {
  /** For `open`: until the response headers arrive. For `getText`/`getJson`: the whole exchange. */
  timeoutMs: number;
  signal?: AbortSignal;
  /**
   * Ask for the body gzipped (`Accept-Encoding: gzip`, as kubectl does): the apiserver then compresses an API
   * object or list over 128 KiB (responsewriters.SerializeObject), ≈ 14× smaller, and the reader still gets
   * plain bytes. Not for watches or logs: the apiserver streams those uncompressed, and a proxy that did
   * compress one would hold its events back until a compressed block filled.
   */
  gzip?: boolean;
}

export interface BodyOptions extends RequestOptions {
  /**
   * Given the body's first bytes (at most HEAD_BYTES) while the rest is still on its way: after each chunk until
   * it returns true or HEAD_BYTES are in.
   */
  onHead?: (head: string) => boolean;
}

export interface ListOptions extends BodyOptions {
  /** The list's items as they arrive, parsed, in order, a chunk's worth at a time; never held by the client. */
  onItems: (items: unknown[]) => void;
  /** The server sent something: the response's headers, then each chunk of its body. */
  onBytes?: () => void;
}

export const defaultRequestTimeoutMs = 10_000;
/** Enough for a list's kind, apiVersion and metadata (a continue token is a few hundred bytes). */
const HEAD_BYTES = 4096;
const maxErrorBodyBytes = 64 * 1024;
const maxJsonBytes = 512 * 1024 * 1024;

type AnswerListener = (roundTripMs: number) => void;

/** A request ready to send, and what to do when the server refuses its credential (401). */
interface Authorized {
  url: URL;
  options: https.RequestOptions;
  refused: (() => void) | undefined;
}

/**
 * The listeners to the answers of every client, by the way to their server (its URL and any proxy): an answer to
 * one context proves the path for each context of that server (two namespaces, two users of one cluster).
 */
const answerListeners = new Map<string, Set<AnswerListener>>();
/** The probe out on each way to a server (see probe): one at a time, however many requests wait. */
const probing = new Map<string, Promise<boolean>>();

export class KubeClient {
  private readonly way: string;

  constructor(
    readonly context: ResolvedContext,
    private readonly onClockSample?: (sample: ClockSample) => void,
  ) {
    this.way = `${context.config.getCurrentCluster()?.proxyUrl ?? ''} ${context.server}`;
  }

  /**
   * Calls `listener` whenever a request to this client's server (of any client, any context) gets a 2xx answer,
   * with the time from sending it to its response headers: the server is up, so watches waiting out a back-off
   * after losing it can try again now, and a request of theirs silent for longer than that round trip is stuck.
   * Returns the unsubscribe function.
   */
  onAnswer(listener: AnswerListener): () => void {
    let listeners = answerListeners.get(this.way);
    if (listeners === undefined) {
      listeners = new Set();
      answerListeners.set(this.way, listeners);
    }
    listeners.add(listener);
    return () => {
      listeners.delete(listener);
      if (listeners.size === 0 && answerListeners.get(this.way) === listeners)
        answerListeners.delete(this.way);
    };
  }

  /**
   * Asks the server for its version, unless a probe to it is out already (then shares its outcome): a request of
   * its own, over a connection that works if any does, so that the answer listeners hear the server is back even
   * when every other request to it is stuck on a connection that died (at start-up, all of them are). Resolves
   * with whether the server answered at all within `timeoutMs` (any HTTP status: the path to it works).
   */
  probe(timeoutMs: number): Promise<boolean> {
    const out = probing.get(this.way);
    if (out !== undefined) return out;
    const probe = this.getText(
      '/version',
      {},
      { verb: 'get', resource: 'version' },
      { timeoutMs, maxBytes: 4096 },
    )
      .then(
        () => true,
        (error: unknown) => error instanceof KubeError && error.status !== undefined,
      )
      .then((answered) => {
        if (!answered) dropIdleConnections(this.context);
        return answered;
      })
      .finally(() => probing.delete(this.way));
    probing.set(this.way, probe);
    return probe;
  }

  /**
   * Sends a GET and resolves with its body, decoded, once the response headers say 2xx; otherwise rejects with a
   * KubeError.
   */
  async open(
    path: string,
    query: Query,
    purpose: RequestPurpose,
    options: RequestOptions,
  ): Promise<Readable> {
    const request = await this.authorized(path, query, options.gzip === true, options.signal);
    return this.send(
      request,
      purpose,
      options.timeoutMs,
      options.signal === undefined ? [] : [options.signal],
    );
  }

  /**
   * The request, its credentials in (credentials.ts). The wait for an exec plugin is not the server's: no
   * request timeout counts it, and `signal` ends it.
   */
  private async authorized(
    path: string,
    query: Query,
    gzip: boolean,
    signal: AbortSignal | undefined,
  ): Promise<Authorized> {
    const url = new URL(this.context.server.replace(/\/+$/, '') + path);
    for (const [key, value] of Object.entries(query)) {
      if (value !== undefined) url.searchParams.set(key, String(value));
    }
    const options: https.RequestOptions = {
      method: 'GET',
      headers: {
        Accept: 'application/json',
        'User-Agent': userAgent,
        ...(gzip ? { 'Accept-Encoding': 'gzip' } : {}),
      },
    };
    const refused = await applyCredentials(this.context, options, signal);
    return { url, options, refused };
  }

  /**
   * `open`, cut short by any of `signals`. Each is listened to on its own rather than through AbortSignal.any,
   * which in Node 20 costs ≈ 0.15 ms and 4 KB a call, kept alive by weak references that every GC then walks:
   * at rest the live view reads a previous log about once a second.
   */
  private send(
    { url, options: requestOptions, refused }: Authorized,
    purpose: RequestPurpose,
    timeoutMs: number,
    signals: readonly AbortSignal[],
  ): Promise<Readable> {
    const { name, server } = this.context;
    const transport = url.protocol === 'http:' ? http : https;
    const pooled = agentFor(this.context, requestOptions, transport === https);
    if (pooled) requestOptions.agent = pooled;
    return new Promise<Readable>((resolve, reject) => {
      const sentAt = Date.now();
      let timedOut = false;
      const timer = setTimeout(() => {
        timedOut = true;
        abortRequest();
      }, timeoutMs);
      // The abort is wired by hand rather than with `signal`: once the response has been read, its connection
      // is back in the keep-alive pool (maybe serving another request), and a late abort must not reach it.
      const request = transport.request(url, requestOptions, (response) => {
        clearTimeout(timer);
        response.once('end', detach);
        response.once('close', detach);
        const date = parseDateHeader(response.headers.date);
        if (!Number.isNaN(date)) this.onClockSample?.({ date, sentAt, receivedAt: Date.now() });
        const status = response.statusCode ?? 0;
        const ok = status >= 200 && status < 300;
        if (status === 401) refused?.();
        decoded(response, (reason) => brokenBodyError(name, server, purpose, reason)).then(
          (body) => {
            if (ok) {
              resolve(body);
              const roundTripMs = Date.now() - sentAt;
              for (const listener of [...(answerListeners.get(this.way) ?? [])]) listener(roundTripMs);
              return;
            }
            readBody(body, maxErrorBodyBytes).then(
              (text) => reject(httpError(name, purpose, status, text)),
              () => reject(httpError(name, purpose, status, '')),
            );
          },
          (error: unknown) => {
            response.destroy();
            // A refusal is still a refusal: its status says more than its unreadable body.
            reject(ok ? error : httpError(name, purpose, status, ''));
          },
        );
      });
      // Without an error: a socket just taken from the pool has no 'error' listener until the request
      // attaches one on the next tick, and an error it emitted then would be uncaught. The request still
      // fails ('socket hang up'), and the handler below says why from the signals.
      const abortRequest = () => request.destroy();
      const detach = () => {
        for (const signal of signals) signal.removeEventListener('abort', abortRequest);
      };
      if (signals.some((signal) => signal.aborted)) abortRequest();
      else for (const signal of signals) signal.addEventListener('abort', abortRequest, { once: true });
      request.on('socket', (socket) => socket.setKeepAlive(true, 15_000));
      request.on('error', (error) => {
        detach();
        clearTimeout(timer);
        const aborted = signals.find((signal) => signal.aborted);
        if (aborted !== undefined) return reject(aborted.reason ?? error);
        dropIdleConnections(this.context);
        reject(timedOut ? timeoutError(name, server, timeoutMs) : networkError(name, server, error));
      });
      request.end();
    });
  }

  /** A bounded GET: at most `maxBytes` of body, within `timeoutMs` overall. */
  getText(
    path: string,
    query: Query,
    purpose: RequestPurpose,
    options: BodyOptions & { maxBytes: number },
  ): Promise<string> {
    return this.receive(path, query, purpose, options, (body) =>
      readBody(body, options.maxBytes, options.onHead),
    );
  }

  /** A GET whose body `read` takes within `options.timeoutMs` overall. */
  private async receive<R>(
    path: string,
    query: Query,
    purpose: RequestPurpose,
    options: RequestOptions,
    read: (body: Readable) => Promise<R>,
  ): Promise<R> {
    const request = await this.authorized(path, query, options.gzip === true, options.signal);
    const deadline = new AbortController();
    const timer = setTimeout(() => deadline.abort(), options.timeoutMs);
    const signals = options.signal === undefined ? [deadline.signal] : [deadline.signal, options.signal];
    try {
      const body = await this.send(request, purpose, options.timeoutMs, signals);
      return await read(body);
    } catch (error) {
      if (deadline.signal.aborted && !options.signal?.aborted) {
        dropIdleConnections(this.context);
        throw timeoutError(this.context.name, this.context.server, options.timeoutMs);
      }
      if (error instanceof KubeError || options.signal?.aborted) throw error;
      throw networkError(this.context.name, this.context.server, error);
    } finally {
      clearTimeout(timer);
    }
  }

  async getJson<T>(path: string, query: Query, purpose: RequestPurpose, options: BodyOptions): Promise<T> {
    const body = await this.getText(path, query, purpose, { ...options, maxBytes: maxJsonBytes, gzip: true });
    try {
      return JSON.parse(body) as T;
    } catch {
      throw this.invalidJson(purpose);
    }
  }

  /**
   * A LIST read as it arrives: its items go to `onItems` one chunk's worth at a time (list-items.ts), so that
   * they are parsed while the rest is on its way and the page is never held whole, as text or parsed. Resolves
   * with the rest of the answer, its `items` empty; a body that is not a list's JSON rejects as getJson does,
   * after the items that came before the fault.
   */
  getList<T>(path: string, query: Query, purpose: RequestPurpose, options: ListOptions): Promise<T> {
    // Gzipped as getJson's: the splitter reads the decoded bytes as they come out.
    return this.receive(path, query, purpose, { ...options, gzip: true }, (body) =>
      readList<T>(body, options, () => this.invalidJson(purpose)),
    );
  }

  private invalidJson(purpose: RequestPurpose): KubeError {
    return new KubeError(
      `the server of context ${visibleName(this.context.name)} sent invalid JSON for ${purpose.resource}: is ${this.context.server} a Kubernetes API server?`,
    );
  }
}

function timeoutError(context: string, server: string, timeoutMs: number): KubeError {
  return new KubeError(
    `no answer from ${server} (context ${visibleName(context)}) within ${timeoutMs / 1000}s — is the cluster up? check --context`,
  );
}

function brokenBodyError(
  context: string,
  server: string,
  purpose: RequestPurpose,
  reason: string,
): KubeError {
  return new KubeError(
    `the answer from ${server} (context ${visibleName(context)}) to ${purpose.verb} ${purpose.resource} could not be decoded (${oneLine(reason)}): a proxy on the way may have cut or altered it`,
  );
}

/**
 * The response's body as sent before any Content-Encoding (gunzip.ts decodes gzip). Rejects with `broken` for an
 * encoding other than gzip, which is never asked for.
 */
async function decoded(response: IncomingMessage, broken: (reason: string) => KubeError): Promise<Readable> {
  const encoding = response.headers['content-encoding']?.trim().toLowerCase();
  if (encoding === undefined || encoding === '' || encoding === 'identity') return response;
  if (encoding !== 'gzip') throw broken(`Content-Encoding ${encoding}, which was not asked for`);
  const { gunzipped } = await import('./gunzip.js');
  return gunzipped(response, broken);
}

/**
 * Reads a LIST answer through a ListItemSplitter: the items to `onItems` as they come, the rest at the end. More
 * than maxJsonBytes, or bytes that are not JSON, reject with `invalid()`; so does an `onItems` that throws.
 */
function readList<T>(
  body: Readable,
  { onItems, onHead, onBytes }: ListOptions,
  invalid: () => KubeError,
): Promise<T> {
  onBytes?.();
  return new Promise((resolve, reject) => {
    const splitter = new ListItemSplitter();
    let length = 0;
    let head: Buffer[] | undefined = onHead === undefined ? undefined : [];
    const fail = (error: unknown) => {
      body.removeAllListeners('data');
      body.removeAllListeners('end');
      body.destroy();
      reject(error);
    };
    body.on('data', (chunk: Buffer) => {
      onBytes?.();
      length += chunk.length;
      if (length > maxJsonBytes) return fail(invalid());
      if (head !== undefined && onHead !== undefined) {
        head.push(chunk);
        const text = (head.length === 1 ? chunk : Buffer.concat(head)).toString('utf8', 0, HEAD_BYTES);
        if (onHead(text) || length >= HEAD_BYTES) head = undefined;
      }
      try {
        const items = splitter.push(chunk);
        if (items.length > 0) onItems(items);
      } catch (error) {
        // Not the network's doing: an item the view could not take is an answer it could not read.
        fail(error instanceof KubeError ? error : invalid());
      }
    });
    body.on('end', () => {
      let end: ListEnd;
      try {
        end = splitter.end();
      } catch {
        return reject(invalid());
      }
      try {
        if (end.items.length > 0) onItems(end.items);
        resolve(end.rest as T);
      } catch (error) {
        reject(error instanceof KubeError ? error : invalid());
      }
    });
    body.on('error', reject);
  });
}

/** Reads a response body, keeping at most `maxBytes` and then hanging up; `onHead` as in BodyOptions. */
function readBody(body: Readable, maxBytes: number, onHead?: (head: string) => boolean): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let length = 0;
    let reading = onHead;
    const finish = () => resolve(Buffer.concat(chunks).toString('utf8'));
    body.on('data', (chunk: Buffer) => {
      const room = maxBytes - length;
      if (chunk.length >= room) {
        chunks.push(chunk.subarray(0, room));
        length = maxBytes;
        body.removeAllListeners('end');
        body.destroy();
        finish();
        return;
      }
      chunks.push(chunk);
      length += chunk.length;
      if (reading !== undefined) {
        const head = (chunks.length === 1 ? chunk : Buffer.concat(chunks)).toString('utf8', 0, HEAD_BYTES);
        if (reading(head) || length >= HEAD_BYTES) reading = undefined;
      }
    });
    body.on('end', finish);
    body.on('error', reject);
  });
}
