import type { ServerResponse } from 'node:http';
import type { Writable } from 'node:stream';
import type { StoredObject } from '../store.js';
import { openBody } from './encoding.js';
import { objectFilter } from './filter.js';
import { apiVersionOf, type Resource } from './resources.js';
import { HttpError } from './status.js';

// LIST with `limit`/`continue` paging. The continue token carries the list's resourceVersion and the last key
// returned; once that resourceVersion leaves the retained window the token is "too old" (410), as with etcd
// compaction, and the 410's Status carries a token that goes on from the same key at the current state. Later pages are read from the current state, so unlike etcd they are not a consistent snapshot.
// A list at resourceVersion "0" of a resource with a watch cache is answered whole, `limit` ignored, as the
// apiserver's watch cache does (k8s.io/apiserver pkg/storage/cacher/cacher.go computeListLimit: "the limit is
// ignored for requests that set RV == 0"): that is the request client-go's informers start with
// (`limit=500&resourceVersion=0`), and paging it instead made k9s take 100 round trips for 50,000 pods and then
// replay every change made meanwhile.

export interface ListPage {
  resourceVersion: number;
  items: StoredObject[];
  continueToken?: string;
  remainingItemCount?: number;
}

interface ContinueToken {
  rv: number;
  start: string;
}

const TOO_OLD_CONTINUE =
  'The provided continue parameter is too old to display a consistent list result. You can start a new list ' +
  'without the continue parameter, or use the continue token in this response to retrieve the remainder of the ' +
  'results. Continuing with the provided token results in an inconsistent list - objects that were created, ' +
  'modified, or deleted between the time the first chunk was returned and now may show up in the list.';

/**
 * The resourceVersion of the token an expired one's Status offers: go on from the same key at the current state
 * (etcd3/errors.go handleCompactedErrorForPaging, "continue the list at the latest resource version").
 */
const LATEST = -1;

function encodeContinue(token: ContinueToken): string {
  return Buffer.from(JSON.stringify(token)).toString('base64url');
}

function decodeContinue(token: string): ContinueToken {
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64url').toString()) as ContinueToken;
    if (typeof parsed.rv === 'number' && typeof parsed.start === 'string') return parsed;
  } catch {
    // Falls through to the same error as a token of the wrong shape.
  }
  throw new HttpError(
    400,
    'continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)',
  );
}

export function listPage(
  resource: Resource,
  namespace: string | undefined,
  query: URLSearchParams,
  latestRv: number,
): ListPage {
  const matches = objectFilter(resource, namespace, query);
  const requested = Number(query.get('limit') ?? 0);
  if (!Number.isInteger(requested) || requested < 0) {
    throw new HttpError(400, `invalid limit: ${query.get('limit')}`);
  }
  checkListVersion(resource, query, latestRv);
  const fromWatchCache = resource.watchCache && query.get('resourceVersion') === '0';
  const limit = fromWatchCache ? 0 : requested;
  const continueParam = query.get('continue');
  let rv = latestRv;
  let start = '';
  if (continueParam) {
    const token = decodeContinue(continueParam);
    if (token.rv !== LATEST && token.rv < resource.store.oldestResumable) {
      throw new HttpError(410, TOO_OLD_CONTINUE, undefined, {
        continue: encodeContinue({ rv: LATEST, start: token.start }),
      });
    }
    rv = token.rv === LATEST ? latestRv : token.rv;
    start = token.start;
  }
  const all = resource.store.list();
  const items: StoredObject[] = [];
  let i = start ? lowerBound(all, start) : 0;
  for (; i < all.length; i++) {
    const object = all[i]!;
    if (object.key === start || !matches(object)) continue;
    if (limit > 0 && items.length === limit) break;
    items.push(object);
  }
  if (limit === 0 || i >= all.length) return { resourceVersion: rv, items };
  const rest = all.slice(i).filter(matches).length;
  if (rest === 0) return { resourceVersion: rv, items };
  const last = items[items.length - 1]!;
  return {
    resourceVersion: rv,
    items,
    continueToken: encodeContinue({ rv, start: last.key }),
    remainingItemCount: rest,
  };
}

/**
 * A list at an exact resourceVersion needs it in the retained window (410 otherwise, as after etcd compaction); one
 * newer than the server has is refused (after the server's wait for it, server.ts), with when to retry.
 */
function checkListVersion(resource: Resource, query: URLSearchParams, latestRv: number): void {
  const param = query.get('resourceVersion');
  if (!param || param === '0') return;
  const rv = Number(param);
  if (!Number.isInteger(rv) || rv < 0) throw new HttpError(400, `invalid resource version: ${param}`);
  if (rv > latestRv) {
    throw new HttpError(504, `Too large resource version: ${rv}, current: ${latestRv}`, {
      causes: [{ reason: 'ResourceVersionTooLarge', message: 'Too large resource version' }],
      retryAfterSeconds: 1,
    });
  }
  if (query.get('resourceVersionMatch') === 'Exact' && rv < resource.store.oldestResumable) {
    throw new HttpError(410, 'The resourceVersion for the provided list is too old.');
  }
}

function lowerBound(objects: StoredObject[], key: string): number {
  let low = 0;
  let high = objects.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (objects[mid]!.key < key) low = mid + 1;
    else high = mid;
  }
  return low;
}

/** Bytes written before waiting for the client to read them. */
const CHUNK_BYTES = 256 * 1024;

/**
 * The page as a JSON list, written a chunk at a time as the client reads it: a whole 50,000-pod list is 150 MB,
 * which as one string (and its Buffer) would double the simulator's memory. The items are a snapshot (stored
 * objects never change), so the body is consistent however long the client takes. Gzipped when asked and over
 * 128 KiB (encoding.ts).
 */
export async function sendList(res: ServerResponse, resource: Resource, page: ListPage): Promise<void> {
  const metadata: Record<string, unknown> = { resourceVersion: String(page.resourceVersion) };
  if (page.continueToken) {
    metadata.continue = page.continueToken;
    metadata.remainingItemCount = page.remainingItemCount;
  }
  const apiVersion = apiVersionOf(resource);
  const head = `{"kind":"${resource.listKind}","apiVersion":"${apiVersion}","metadata":${JSON.stringify(metadata)},"items":[`;
  const tail = ']}\n';
  // A list's items carry no kind or apiVersion on a real server (the list names them once); a watch event's and a
  // single object's do. Stored objects begin with both, cut here as each chunk is built, never all at once: a cut
  // string is a new one, and 50,000 of them would double the simulator's memory for the time of the list.
  const typeMeta = `{"apiVersion":"${apiVersion}","kind":"${resource.kind}",`;
  const cut = (json: string): boolean => json.startsWith(typeMeta);
  const { items } = page;
  let length = Buffer.byteLength(head) + tail.length + Math.max(0, items.length - 1);
  for (const { json } of items) length += Buffer.byteLength(json) - (cut(json) ? typeMeta.length - 1 : 0);
  const body = openBody(res, 200, 'application/json', length);
  let chunk = head;
  for (let i = 0; i < items.length; i++) {
    const { json } = items[i]!;
    if (i > 0) chunk += ',';
    chunk += cut(json) ? `{${json.slice(typeMeta.length)}` : json;
    if (chunk.length < CHUNK_BYTES) continue;
    const more = body.write(chunk);
    chunk = '';
    if (!more) await drained(body, res);
    if (res.destroyed) return;
  }
  body.end(chunk + tail);
}

function drained(body: Writable, res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      body.off('drain', done);
      res.off('close', done);
      resolve();
    };
    body.on('drain', done);
    res.on('close', done);
  });
}
