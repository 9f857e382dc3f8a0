import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';

// The kubeconfig that points kubectl or crashtop at the simulator: one cluster, one user with the bearer token,
// one context whose namespace is the scenario's first. Written with mode 0600 since it holds the token.

export const SIM_CONTEXT = 'crashtop-sim';

export interface KubeconfigFile {
  path: string;
  remove(): Promise<void>;
}

export interface KubeconfigTarget {
  url: string;
  token: string;
  namespace: string;
  /** The server's self-signed certificate, trusted as the cluster's CA. */
  caPem?: string;
}

export async function writeKubeconfig(target: KubeconfigTarget, dir?: string): Promise<KubeconfigFile> {
  const ownDir = dir === undefined;
  const folder = dir ?? (await mkdtemp(join(tmpdir(), 'crashtop-sim-')));
  const path = join(folder, ownDir ? 'kubeconfig' : `crashtop-sim-${process.pid}-${Date.now()}.kubeconfig`);
  const config = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [
      {
        name: SIM_CONTEXT,
        cluster: {
          server: target.url,
          ...(target.caPem
            ? { 'certificate-authority-data': Buffer.from(target.caPem).toString('base64') }
            : {}),
        },
      },
    ],
    users: [{ name: SIM_CONTEXT, user: { token: target.token } }],
    contexts: [
      {
        name: SIM_CONTEXT,
        context: { cluster: SIM_CONTEXT, user: SIM_CONTEXT, namespace: target.namespace },
      },
    ],
    'current-context': SIM_CONTEXT,
    preferences: {},
  };
  await writeFile(path, stringify(config), { mode: 0o600 });
  return {
    path,
    remove: () => rm(ownDir ? folder : path, { recursive: true, force: true }),
  };
}
