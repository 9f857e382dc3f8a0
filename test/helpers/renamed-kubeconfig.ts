import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';

/**
 * A copy of a simulator's kubeconfig, written to `dir`, with its cluster, user and context all named `name`:
 * several of them in one KUBECONFIG (`a.yaml:b.yaml`) merge into one config of several contexts.
 */
export function renamedKubeconfig(kubeconfigPath: string, name: string, dir: string): string {
  const config = parse(readFileSync(kubeconfigPath, 'utf8')) as {
    clusters: { name: string }[];
    users: { name: string }[];
    contexts: { name: string; context: Record<string, string> }[];
    'current-context'?: string;
  };
  for (const entry of [...config.clusters, ...config.users]) entry.name = name;
  for (const context of config.contexts)
    Object.assign(context, { name, context: { ...context.context, cluster: name, user: name } });
  config['current-context'] = name;
  const path = join(dir, `${name}.yaml`);
  writeFileSync(path, stringify(config));
  return path;
}
