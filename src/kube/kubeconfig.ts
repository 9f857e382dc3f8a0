import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { KubeError, oneLine } from './errors.js';

/** What the user asked to see, spelled like kubectl's flags. */
export interface Scope {
  kubeconfig?: string;
  contexts?: string[];
  namespaces?: string[];
  allNamespaces?: boolean;
  selector?: string;
}

export interface ResolvedContext {
  name: string;
  server: string;
  /** The context's namespace, or `default` as kubectl uses. */
  defaultNamespace: string;
  /** A config whose current context is this one: auth and TLS for every request to it. */
  config: KubeConfig;
}

const serviceAccountToken = '/var/run/secrets/kubernetes.io/serviceaccount/token';

function kubeconfigLocation(scope: Scope): string {
  return scope.kubeconfig ?? process.env.KUBECONFIG ?? join(homedir(), '.kube', 'config');
}

function loadConfig(scope: Scope): KubeConfig {
  const config = new KubeConfig();
  const location = kubeconfigLocation(scope);
  try {
    if (scope.kubeconfig !== undefined) {
      if (!existsSync(scope.kubeconfig)) {
        throw new KubeError(`kubeconfig ${scope.kubeconfig} not found: check --kubeconfig`, 2);
      }
      config.loadFromFile(scope.kubeconfig);
      return config;
    }
    const envFiles = (process.env.KUBECONFIG ?? '').split(delimiter).filter((file) => file !== '');
    const missing = envFiles.find((file) => !existsSync(file));
    if (missing !== undefined) {
      throw new KubeError(
        `kubeconfig ${missing} (from KUBECONFIG) not found: fix KUBECONFIG or pass --kubeconfig`,
        2,
      );
    }
    if (envFiles.length === 0 && !existsSync(location) && !existsSync(serviceAccountToken)) {
      throw new KubeError(
        `no kubeconfig found at ${location} and not running in a pod: pass --kubeconfig or set KUBECONFIG`,
        2,
      );
    }
    config.loadFromDefault();
    return config;
  } catch (error) {
    if (error instanceof KubeError) throw error;
    throw new KubeError(
      `cannot read kubeconfig ${location}: ${oneLine(String((error as Error).message))}`,
      2,
    );
  }
}

// client-node refuses plain-http servers unless TLS verification is off (there is nothing to verify);
// kubectl accepts them, and so does the simulator's kubeconfig, so mark them that way.
function forContext(config: KubeConfig, name: string): KubeConfig {
  const single = new KubeConfig();
  single.loadFromOptions({
    clusters: config
      .getClusters()
      .map((cluster) => (cluster.server.startsWith('http:') ? { ...cluster, skipTLSVerify: true } : cluster)),
    users: config.getUsers(),
    contexts: config.getContexts(),
    currentContext: name,
  });
  return single;
}

/** Every context name of the kubeconfig (`:ctx` completion). */
export function contextNames(scope: Scope): string[] {
  return loadConfig(scope)
    .getContexts()
    .map((c) => c.name);
}

/** The contexts of the scope (the kubeconfig's current one when none is named), checked to exist. */
export async function resolveContexts(scope: Scope): Promise<ResolvedContext[]> {
  const config = loadConfig(scope);
  const location = kubeconfigLocation(scope);
  const known = config.getContexts().map((context) => context.name);
  const names =
    scope.contexts !== undefined && scope.contexts.length > 0 ? scope.contexts : [config.getCurrentContext()];
  return [...new Set(names)].map((name) => {
    if (name === undefined || name === '') {
      throw new KubeError(
        `kubeconfig ${location} has no current context: pass --context (contexts: ${known.join(', ') || 'none'})`,
        2,
      );
    }
    const context = config.getContextObject(name);
    if (context === null) {
      throw new KubeError(
        `context "${name}" not found in ${location} (contexts: ${known.join(', ') || 'none'})`,
        2,
      );
    }
    const cluster = config.getCluster(context.cluster);
    if (cluster === null) {
      throw new KubeError(`context "${name}" names cluster "${context.cluster}", which ${location} lacks`, 2);
    }
    return {
      name,
      server: cluster.server,
      defaultNamespace: context.namespace ?? 'default',
      config: forContext(config, name),
    };
  });
}
