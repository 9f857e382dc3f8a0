import type { ServerResponse } from 'node:http';
import { openBody } from './encoding.js';

// `metav1.Status`, the body of every error the apiserver returns; kubectl prints its `message`.

export interface StatusBody {
  kind: 'Status';
  apiVersion: 'v1';
  /** ListMeta: an expired continue token's Status carries the token to go on with (etcd3/errors.go). */
  metadata: { continue?: string };
  status: 'Failure';
  message: string;
  reason: string;
  details?: Record<string, unknown>;
  code: number;
}

const REASONS: Record<number, string> = {
  400: 'BadRequest',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'NotFound',
  405: 'MethodNotAllowed',
  406: 'NotAcceptable',
  410: 'Expired',
  413: 'RequestEntityTooLarge',
  500: 'InternalError',
  501: 'NotImplemented',
  504: 'Timeout',
};

export function statusBody(
  code: number,
  message: string,
  details?: Record<string, unknown>,
  metadata: StatusBody['metadata'] = {},
): StatusBody {
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata,
    status: 'Failure',
    message,
    reason: REASONS[code] ?? 'Unknown',
    ...(details ? { details } : {}),
    code,
  };
}

/**
 * A whole body, gzipped when asked and large (encoding.ts). An API object ends with a newline, as Go's JSON
 * encoder writes it; a `raw` one (/version, written with json.MarshalIndent) does not.
 */
export function sendJson(
  res: ServerResponse,
  code: number,
  body: string,
  contentType = 'application/json',
  raw = contentType !== 'application/json',
): void {
  const text = raw ? body : `${body}\n`;
  openBody(res, code, contentType, Buffer.byteLength(text)).end(text);
}

/** An error as its Status; one that says when to retry says it in `Retry-After` too (ErrorNegotiated). */
export function sendStatus(res: ServerResponse, error: HttpError) {
  const retryAfter = error.details?.retryAfterSeconds;
  if (typeof retryAfter === 'number' && retryAfter > 0) res.setHeader('Retry-After', String(retryAfter));
  sendJson(
    res,
    error.code,
    JSON.stringify(statusBody(error.code, error.message, error.details, error.metadata)),
  );
}

/**
 * The 410 Gone of a watch that cannot start (or go on) from `requested`: the watch cache names the oldest
 * resourceVersion it can still start from (cacher/watch_cache.go getAllEventsSinceLocked); a resource served
 * straight from etcd, without a watch cache (events), says only that it is too old (etcd3/watcher.go).
 */
export function expiredStatus(requested: number, oldest: number, watchCache: boolean): StatusBody {
  return statusBody(
    410,
    watchCache
      ? `too old resource version: ${requested} (${oldest})`
      : 'The resourceVersion for the provided watch is too old.',
  );
}

export class HttpError extends Error {
  constructor(
    readonly code: number,
    message: string,
    readonly details?: Record<string, unknown>,
    readonly metadata?: StatusBody['metadata'],
  ) {
    super(message);
  }
}
