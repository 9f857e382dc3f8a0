import type { ServerResponse } from 'node:http';
import type { SimCluster, SimPod } from '../cluster.js';
import { type Instance, instanceLog, type LogLine } from '../container-log.js';
import { rfc3339Nano } from '../time-format.js';
import { HttpError } from './status.js';

// `GET …/pods/NAME/log`, with the apiserver's and the kubelet's checks and messages (kubelet-facts.md §8):
// container, previous, tailLines, limitBytes, timestamps, sinceSeconds/sinceTime and follow.

export interface LogOptions {
  /** How often a follow stream looks for new lines, in real milliseconds. */
  followPollMs: number;
}

function pickContainer(pod: SimPod, requested: string | null): string {
  const name = pod.placement.meta.name;
  const containers = pod.runtime.template.containers.map((c) => c.spec.name);
  const inits = pod.runtime.template.initContainers.map((c) => c.spec.name);
  if (requested) {
    if (!containers.includes(requested) && !inits.includes(requested)) {
      throw new HttpError(400, `container ${requested} is not valid for pod ${name}`);
    }
    return requested;
  }
  if (containers.length === 1) return containers[0]!;
  const initText = inits.length > 0 ? ` or one of the init containers: [${inits.join(' ')}]` : '';
  throw new HttpError(
    400,
    `a container name must be specified for pod ${name}, choose one of: [${containers.join(' ')}]${initText}`,
  );
}

/** `validateContainerLogStatus` in pkg/kubelet/kubelet_pods.go. */
function instanceFor(pod: SimPod, container: string, previous: boolean): Instance {
  const podName = pod.placement.meta.name;
  const instance = pod.runtime.logInstance(container, previous);
  if (instance) return instance;
  if (previous)
    throw new HttpError(400, `previous terminated container "${container}" in pod "${podName}" not found`);
  const waiting = pod.runtime.waitingReason(container);
  const reason =
    waiting === 'ErrImagePull'
      ? "image can't be pulled"
      : waiting === 'ImagePullBackOff'
        ? 'trying and failing to pull image'
        : (waiting ?? 'ContainerCreating');
  throw new HttpError(400, `container "${container}" in pod "${podName}" is waiting to start: ${reason}`);
}

function formatLines(lines: LogLine[], timestamps: boolean): string {
  return lines.map((l) => (timestamps ? `${rfc3339Nano(l.at)} ${l.text}\n` : `${l.text}\n`)).join('');
}

export function serveLogs(
  res: ServerResponse,
  cluster: SimCluster,
  pod: SimPod,
  query: URLSearchParams,
  options: LogOptions,
): void {
  const container = pickContainer(pod, query.get('container'));
  const previous = query.get('previous') === 'true';
  const instance = instanceFor(pod, container, previous);
  const timestamps = query.get('timestamps') === 'true';
  const tailParam = query.get('tailLines');
  const tail = tailParam === null ? undefined : Number(tailParam);
  if (tail !== undefined && (!Number.isInteger(tail) || tail < 0)) {
    throw new HttpError(400, `tailLines must be a non-negative integer, not "${tailParam}"`);
  }
  const limitParam = query.get('limitBytes');
  let budget = limitParam === null ? Number.POSITIVE_INFINITY : Number(limitParam);
  if (!(budget > 0)) throw new HttpError(400, `limitBytes must be a positive integer, not "${limitParam}"`);
  const now = cluster.clock.now();
  const since = sinceMs(query, now);
  let lines = instanceLog(instance, now, since === undefined ? tail : undefined);
  if (since !== undefined) {
    lines = lines.filter((l) => l.at >= since);
    if (tail !== undefined) lines = lines.slice(Math.max(0, lines.length - tail));
  }

  res.writeHead(200, { 'Content-Type': 'text/plain' });
  let lastAt = lines.length > 0 ? lines[lines.length - 1]!.at : now;
  const write = (text: string): boolean => {
    const bytes = Buffer.from(text);
    if (bytes.length >= budget) {
      res.write(bytes.subarray(0, budget));
      budget = 0;
      return false;
    }
    budget -= bytes.length;
    res.write(bytes);
    return true;
  };
  const more = write(formatLines(lines, timestamps));
  const follow = query.get('follow') === 'true' && more && instance.finishedAt === undefined;
  if (!follow) {
    res.end();
    return;
  }
  const poll = setInterval(() => {
    cluster.advance();
    const current = cluster.clock.now();
    const fresh = instanceLog(instance, current, 1000).filter((l) => l.at > lastAt);
    if (fresh.length > 0) lastAt = fresh[fresh.length - 1]!.at;
    const open = write(formatLines(fresh, timestamps));
    if (!open || instance.finishedAt !== undefined || pod.runtime.deleted) stop();
  }, options.followPollMs);
  const stop = (): void => {
    clearInterval(poll);
    res.end();
  };
  res.on('close', () => clearInterval(poll));
}

function sinceMs(query: URLSearchParams, now: number): number | undefined {
  const seconds = query.get('sinceSeconds');
  const time = query.get('sinceTime');
  if (seconds !== null && time !== null) {
    throw new HttpError(400, 'at most one of sinceTime or sinceSeconds may be specified');
  }
  if (seconds !== null) {
    const n = Number(seconds);
    if (!Number.isInteger(n) || n < 1)
      throw new HttpError(400, 'sinceSeconds: Invalid value: must be greater than 0');
    return now - n * 1000;
  }
  if (time !== null) {
    const t = Date.parse(time);
    if (Number.isNaN(t)) throw new HttpError(400, `sinceTime: Invalid value: "${time}": must be RFC 3339`);
    return t;
  }
  return undefined;
}
