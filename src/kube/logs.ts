import type { Pod } from '../model/pod.js';
import { KubeError, networkError, oneLine } from './errors.js';
import { defaultRequestTimeoutMs, KubeClient } from './http.js';
import type { ResolvedContext } from './kubeconfig.js';
import { LineSplitter } from './lines.js';
import type { LogEnd, LogFollower, LogRequest } from './source.js';

// Container logs through the API server (`pods/log`), always bounded: the server is asked for a tail and a
// byte limit, and the client stops reading at that limit too, so a container that logs megabytes per
// second costs neither the cluster nor the bastion anything.

export interface LogTarget {
  namespace: string;
  name: string;
}

export interface LogBounds {
  tailLines: number;
  limitBytes: number;
  timeoutMs: number;
}

/** What the live view reads on demand. */
export const viewLogBounds: LogBounds = {
  tailLines: 1000,
  limitBytes: 256 * 1024,
  timeoutMs: defaultRequestTimeoutMs,
};
/** What `crashtop explain` reads per container. */
export const explainLogBounds: LogBounds = {
  tailLines: 200,
  limitBytes: 64 * 1024,
  timeoutMs: defaultRequestTimeoutMs,
};
const maxLineLength = 16 * 1024;

function logPath(target: LogTarget): string {
  return `/api/v1/namespaces/${encodeURIComponent(target.namespace)}/pods/${encodeURIComponent(target.name)}/log`;
}

function purpose(target: LogTarget) {
  return { verb: 'get', resource: 'pods/log', namespace: target.namespace } as const;
}

/** The kubelet's answer when the container has not restarted yet (or its previous run was cleaned up). */
export function isNoPreviousLog(error: unknown): boolean {
  return (
    error instanceof KubeError &&
    error.status === 400 &&
    /previous terminated container .* not found/i.test(error.serverMessage ?? '')
  );
}

// For logs the kubelet's own words ("container foo is not valid for pod bar") say it best.
function logError(error: unknown): unknown {
  if (error instanceof KubeError && error.status === 400 && error.serverMessage !== undefined) {
    return new KubeError(error.serverMessage, 1, { status: 400, serverMessage: error.serverMessage });
  }
  return error;
}

export async function readLogs(
  client: KubeClient,
  target: LogTarget,
  request: LogRequest,
  bounds: LogBounds = viewLogBounds,
): Promise<string[]> {
  let text: string;
  try {
    text = await client.getText(
      logPath(target),
      {
        container: request.container,
        previous: request.previous || undefined,
        tailLines: request.tailLines ?? bounds.tailLines,
        limitBytes: bounds.limitBytes,
        timestamps: request.timestamps || undefined,
      },
      purpose(target),
      { timeoutMs: bounds.timeoutMs, maxBytes: bounds.limitBytes },
    );
  } catch (error) {
    throw logError(error);
  }
  const splitter = new LineSplitter(maxLineLength);
  return [...splitter.push(text), ...splitter.end()];
}

/** The previous (crashed) run's log, or undefined when there is none. */
export async function readPreviousLog(
  context: ResolvedContext,
  pod: Pod,
  container: string,
  client = new KubeClient(context),
): Promise<string[] | undefined> {
  const target = { namespace: pod.metadata.namespace ?? context.defaultNamespace, name: pod.metadata.name };
  try {
    return await readLogs(client, target, { container, previous: true }, explainLogBounds);
  } catch (error) {
    if (isNoPreviousLog(error)) return undefined;
    throw error;
  }
}

/** Why a log could not be read, in one line, for a report that goes on without it. */
export function logUnavailableReason(error: unknown): string {
  return oneLine(error instanceof Error ? error.message : String(error));
}

/** Streams new log lines (after a bounded tail) until stopped or until the server ends the stream. */
export function followLogs(
  client: KubeClient,
  target: LogTarget,
  request: LogRequest,
  onLines: (lines: string[]) => void,
  onEnd: (end: LogEnd) => void,
  bounds: LogBounds = viewLogBounds,
): LogFollower {
  const abort = new AbortController();
  let stopped = false;
  let ended = false;
  const end = (how: LogEnd) => {
    if (stopped || ended) return;
    ended = true;
    onEnd(how);
  };
  const splitter = new LineSplitter(maxLineLength);
  const { name, server } = client.context;
  client
    .open(
      logPath(target),
      {
        container: request.container,
        previous: request.previous || undefined,
        follow: request.previous ? undefined : true,
        tailLines: request.tailLines ?? bounds.tailLines,
        timestamps: request.timestamps || undefined,
        sinceTime: request.sinceTime,
      },
      purpose(target),
      { timeoutMs: bounds.timeoutMs, signal: abort.signal },
    )
    .then(
      (response) => {
        if (!stopped) onLines([]);
        response.on('data', (chunk: Buffer) => {
          if (stopped) return;
          const lines = splitter.push(chunk);
          if (lines.length > 0) onLines(lines);
        });
        response.on('end', () => {
          const last = splitter.end();
          if (last.length > 0 && !stopped) onLines(last);
          end({ kind: 'ended' });
        });
        response.on('error', (error) =>
          end({ kind: 'cut', message: networkError(name, server, error).message }),
        );
        response.on('close', () =>
          end({ kind: 'cut', message: `the log stream of container ${request.container} was cut` }),
        );
      },
      // No answer at all (reset, refused, timed out) is an outage to wait out, not the server refusing the read.
      (error: unknown) =>
        end({
          kind: error instanceof KubeError && error.status === undefined ? 'cut' : 'failed',
          message: (logError(error) as Error).message,
        }),
    );
  return {
    stop() {
      stopped = true;
      abort.abort();
    },
  };
}

// `2026-11-25T14:00:00.123456789Z message`: the kubelet's RFC 3339 (nanoseconds, Z or offset) and one space.
const TIMESTAMP = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:\d\d)) /;

/** A line read with `timestamps: true`, split into the kubelet's timestamp and the container's text. */
export function splitTimestamp(line: string): { time?: string; text: string } {
  const match = TIMESTAMP.exec(line);
  return match ? { time: match[1], text: line.slice(match[0].length) } : { text: line };
}
