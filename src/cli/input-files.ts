import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { parseAllDocuments } from 'yaml';
import { isRecord } from '../model/is-record.js';
import type { KubeEvent, Pod } from '../model/pod.js';
import type { ReplicaSetMeta } from '../model/rollout.js';
import { UsageError } from './usage-error.js';

// `explain --pod/--events/--logs` read what users already have on disk: `kubectl get pod -o yaml|json`
// output (a Pod or a List), an EventList, and plain log text. Every failure names the flag and the file.

async function readText(flag: string, path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : String(code);
    throw new UsageError(`cannot read ${flag} ${path}: ${why}`);
  }
}

/** JSON is YAML, so one parser serves both; several `---` documents count as a list. */
async function readObjects(flag: string, path: string): Promise<unknown[]> {
  const text = await readText(flag, path);
  const docs = parseAllDocuments(text);
  const list = Array.isArray(docs) ? docs : [docs];
  const objects: unknown[] = [];
  for (const doc of list) {
    const [error] = doc.errors;
    if (error) {
      const line = error.linePos?.[0]?.line;
      throw new UsageError(
        `${flag} ${path}${line ? `:${line}` : ''} is not valid JSON or YAML: ${error.message.split('\n')[0]}`,
      );
    }
    const value: unknown = doc.toJS();
    if (value !== null && value !== undefined) objects.push(value);
  }
  if (objects.length === 0) throw new UsageError(`${flag} ${path} is empty`);
  return objects;
}

function kindOf(value: unknown): string {
  return isRecord(value) && typeof value.kind === 'string' ? value.kind : 'an object without a kind';
}

function itemsOf(objects: unknown[]): unknown[] {
  return objects.flatMap((object) =>
    isRecord(object) && Array.isArray(object.items) && /List$/.test(String(object.kind ?? 'List'))
      ? object.items
      : [object],
  );
}

function isPod(value: unknown): value is Pod {
  return (
    isRecord(value) &&
    (value.kind === 'Pod' || value.kind === undefined) &&
    isRecord(value.metadata) &&
    typeof value.metadata.name === 'string' &&
    isRecord(value.spec) &&
    Array.isArray(value.spec.containers)
  );
}

function isReplicaSet(value: unknown): value is ReplicaSetMeta {
  return (
    isRecord(value) &&
    value.kind === 'ReplicaSet' &&
    isRecord(value.metadata) &&
    typeof value.metadata.name === 'string'
  );
}

/**
 * The pods of a `--pod` file, and the ReplicaSets beside them when it is `kubectl get rs,pods -o yaml`'s output
 * (their revisions say which ReplicaSet of a Deployment is new).
 */
export async function readPodFile(path: string): Promise<{ pods: Pod[]; replicaSets: ReplicaSetMeta[] }> {
  const items = itemsOf(await readObjects('--pod', path));
  const notPod = items.find((item) => !isPod(item) && !isReplicaSet(item));
  if (notPod !== undefined) {
    throw new UsageError(
      `--pod ${path} holds ${kindOf(notPod)}, not a Pod or a List of Pods (save one with: kubectl get pod NAME -o yaml)`,
    );
  }
  const pods = items.filter(isPod);
  if (pods.length === 0) throw new UsageError(`--pod ${path} is a List with no pods in it`);
  return { pods, replicaSets: items.filter(isReplicaSet) };
}

export async function readPods(path: string): Promise<Pod[]> {
  return (await readPodFile(path)).pods;
}

export async function readEvents(path: string): Promise<KubeEvent[]> {
  const items = itemsOf(await readObjects('--events', path));
  const notEvent = items.find((item) => !isRecord(item) || !isRecord(item.involvedObject));
  if (notEvent !== undefined) {
    throw new UsageError(
      `--events ${path} holds ${kindOf(notEvent)}, not Events (save them with: kubectl get events -n NS --field-selector involvedObject.name=POD -o yaml)`,
    );
  }
  return items as KubeEvent[];
}

/** `--logs FILE` (the pod's first failing container) or `--logs CONTAINER=FILE`, repeatable. */
export interface LogFile {
  container?: string;
  lines: string[];
}

export async function readLogFile(spec: string): Promise<LogFile> {
  // A file whose own name looks like `name=path` wins over the CONTAINER=FILE reading.
  const match = existsSync(spec) ? null : /^([a-z0-9]([-a-z0-9]*[a-z0-9])?)=(.+)$/.exec(spec);
  const container = match?.[1];
  const path = match?.[3] ?? spec;
  const text = await readText('--logs', path);
  const lines = text.split(/\r?\n/);
  if (lines.at(-1) === '') lines.pop();
  return container ? { container, lines } : { lines };
}
