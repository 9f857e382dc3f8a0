import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createClusterSource } from '../../src/kube/cluster-source.js';
import type { ClusterSource } from '../../src/kube/source.js';
import { parseScenario } from '../../src/sim/scenario-loader.js';
import { type Backend, startBackend } from '../helpers/backend.js';
import { Testenv } from './testenv.js';

// A quiet, healthy cluster watched for ten minutes (CRASHTOP_QUIET_MINUTES to change it) with production timings:
// a real apiserver sends the pods watch a bookmark about once a minute and the events watch nothing at all, and
// compacts etcd every five minutes. None of that may ever show as anything but `live`.

const MINUTES = Number(process.env.CRASHTOP_QUIET_MINUTES ?? 10);

const SCENARIO = `
name: quiet
namespaces:
  - name: calm
    workloads:
      - name: web
        kind: Deployment
        replicas: 2
        containers:
          - { name: web, image: example/web:1, behavior: { run: {} } }
`;

let env: Testenv;
let b: Backend;
let source: ClusterSource;

beforeAll(async () => {
  env = await Testenv.create();
  b = await startBackend({ scenario: parseScenario('quiet.yaml', SCENARIO), testenv: env.info() });
  source = await createClusterSource({ kubeconfig: b.kubeconfigPath });
}, 300_000);

afterAll(async () => {
  await source?.close();
  await b?.close();
  await env?.destroy();
});

describe('a quiet healthy cluster on a real kube-apiserver', () => {
  it(
    `stays live for ${MINUTES} minutes: no reconnect, no stale, no false alarm`,
    async () => {
      await vi.waitFor(
        () => expect(source.getSnapshot().watches.every((w) => w.state === 'live')).toBe(true),
        { timeout: 30_000 },
      );
      const alarms: string[] = [];
      const end = Date.now() + MINUTES * 60_000;
      while (Date.now() < end) {
        for (const w of source.getSnapshot().watches) {
          if (w.state !== 'live')
            alarms.push(`${new Date().toISOString()} ${w.resource ?? 'pods'} ${w.state}: ${w.message}`);
        }
        await new Promise((resolve) => setTimeout(resolve, 1000));
      }
      expect(alarms).toEqual([]);
      expect(source.getSnapshot().pods.size).toBe(2);
    },
    (MINUTES + 2) * 60_000,
  );
});
