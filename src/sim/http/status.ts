import type { ServerResponse } from 'node:http';

// `metav1.Status`, the body of every error the apiserver returns; kubectl prints its `message`.

export interface StatusBody {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, never>;
  status: 'Failure';
  message: string;
  reason: string;
  code: number;
  details?: Record<string, unknown>;
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

export function statusBody(code: number, message: string, details?: Record<string, unknown>): StatusBody {
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message,
    reason: REASONS[code] ?? 'Unknown',
    code,
    ...(details ? { details } : {}),
  };
}

export function sendJson(
  res: ServerResponse,
  code: number,
  body: string,
  contentType = 'application/json',
): void {
  res.writeHead(code, { 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}

export function sendStatus(
  res: ServerResponse,
  code: number,
  message: string,
  details?: Record<string, unknown>,
) {
  sendJson(res, code, JSON.stringify(statusBody(code, message, details)));
}

/** A `too old resource version` Status (the watch cache's 410 Gone). */
export function expiredStatus(requested: number, oldest: number): StatusBody {
  return statusBody(410, `too old resource version: ${requested} (${oldest + 1})`);
}

export class HttpError extends Error {
  constructor(
    readonly code: number,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
  }
}
