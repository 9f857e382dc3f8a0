import { execFile } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { parse } from 'yaml';
import type { Pod } from '../../src/model/pod.js';
import { formatRestarts, podSummary } from '../../src/model/status.js';
import { Api } from './api.js';
import { kubeconfigYaml } from './kubeconfig.js';
import { TOKENS } from './testenv.js';

// crashtop's READY / STATUS / RESTARTS (src/model/status.ts, a port of printPod) against what kubectl prints from a
// real kube-apiserver, whose Table columns come from Kubernetes' own printers: every pod fixture of
// test/fixtures/status is created on the server with its status, and every column is compared. (On the simulator
// this comparison would be circular: it prints Tables with crashtop's own port.)

const run = promisify(execFile);
const FIXTURES = new URL('../fixtures/status/', import.meta.url);
const HOLD = 'crashtop.test/hold';

let api: Api;
let kubeconfig: string;
let dir: string;
const namespace = `printers-${randomBytes(3).toString('hex')}`;
const pods = new Map<string, Pod>();

/** Every pod of every fixture (a file holds a Pod or a List of them), keyed `file` or `file#name`. */
function fixturePods(): [string, Pod][] {
  return readdirSync(FIXTURES)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .flatMap((file): [string, Pod][] => {
      const doc = parse(readFileSync(new URL(file, FIXTURES), 'utf8')) as
        | Pod
        | { kind: 'List'; items: Pod[] };
      if ('items' in doc) return doc.items.map((pod) => [`${file}#${pod.metadata.name}`, pod]);
      return [[file, doc]];
    });
}

beforeAll(async () => {
  const env = inject('testenv');
  api = new Api(env.url, env.caFile, TOKENS.admin);
  dir = await mkdtemp(join(tmpdir(), 'crashtop-printers-'));
  kubeconfig = join(dir, 'kubeconfig');
  await writeFile(kubeconfig, kubeconfigYaml(env, TOKENS.admin, namespace), { mode: 0o600 });
  await api.call('POST', '/api/v1/namespaces', { metadata: { name: namespace } });
  for (const [file, fixture] of fixturePods()) {
    const deleting = fixture.metadata.deletionTimestamp !== undefined;
    const {
      deletionTimestamp: _d,
      deletionGracePeriodSeconds: _g,
      creationTimestamp: _c,
      ...meta
    } = fixture.metadata as Pod['metadata'] & { deletionGracePeriodSeconds?: number };
    const name = fixture.metadata.name;
    // Fixtures leave out owner uids, which the server requires: give each one.
    for (const owner of (meta as { ownerReferences?: { uid?: string }[] }).ownerReferences ?? [])
      owner.uid ||= randomUUID();
    // A finalizer holds a deleted pod on the server, as a kubelet that has not confirmed the deletion does.
    await api.call('POST', `/api/v1/namespaces/${namespace}/pods`, {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { ...meta, namespace, finalizers: [HOLD] },
      spec: fixture.spec,
    });
    await api.mergePatch(`/api/v1/namespaces/${namespace}/pods/${name}/status`, { status: fixture.status });
    if (deleting) await api.call('DELETE', `/api/v1/namespaces/${namespace}/pods/${name}`);
    pods.set(file, await api.call<Pod>('GET', `/api/v1/namespaces/${namespace}/pods/${name}`));
  }
}, 120_000);

afterAll(async () => {
  for (const pod of pods.values()) {
    const path = `/api/v1/namespaces/${namespace}/pods/${pod.metadata.name}`;
    await api.tryCall('PATCH', path, { metadata: { finalizers: null } }, 'application/merge-patch+json');
    await api.tryCall('DELETE', `${path}?gracePeriodSeconds=0`);
  }
  api.close();
  await rm(dir, { recursive: true, force: true });
});

/** `kubectl get pods` as a user sees it, cut into columns at the header's column starts. */
async function kubectlColumns(): Promise<Map<string, Record<string, string>>> {
  const { stdout } = await run('kubectl', ['--kubeconfig', kubeconfig, 'get', 'pods', '-n', namespace]);
  const [header = '', ...lines] = stdout.trimEnd().split('\n');
  const starts = [...header.matchAll(/\S+/g)].map((m) => ({ name: m[0], at: m.index ?? 0 }));
  const rows = new Map<string, Record<string, string>>();
  for (const line of lines) {
    const row: Record<string, string> = {};
    starts.forEach((col, i) => {
      row[col.name] = line.slice(col.at, starts[i + 1]?.at ?? line.length).trim();
    });
    rows.set(row.NAME ?? '', row);
  }
  return rows;
}

describe("crashtop's printPod port against kubectl on a real kube-apiserver", () => {
  it('prints READY, STATUS and RESTARTS exactly as kubectl does, for every status fixture', async () => {
    const printed = await kubectlColumns();
    const now = Date.now();
    const mismatches: string[] = [];
    for (const [file, pod] of pods) {
      const row = printed.get(pod.metadata.name);
      expect(row, file).toBeDefined();
      const summary = podSummary(pod);
      const ours = { READY: summary.ready, STATUS: summary.status, RESTARTS: formatRestarts(summary, now) };
      for (const column of ['READY', 'STATUS', 'RESTARTS'] as const) {
        if (ours[column] !== row?.[column])
          mismatches.push(`${file} ${column}: kubectl "${row?.[column]}", crashtop "${ours[column]}"`);
      }
    }
    expect(mismatches).toEqual([]);
    expect(pods.size).toBe(fixturePods().length);
  });

  it('covers the corners of printPod', () => {
    const statuses = new Set([...pods.values()].map((pod) => podSummary(pod).status));
    for (const status of [
      'Init:1/3',
      'Init:CrashLoopBackOff',
      'Terminating',
      'Unknown',
      'SchedulingGated',
      'Completed',
      'Error',
      'CrashLoopBackOff',
      'OOMKilled',
    ]) {
      expect(statuses, status).toContain(status);
    }
  });
});
