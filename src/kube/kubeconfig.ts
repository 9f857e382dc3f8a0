import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { KubeConfig, type User } from '@kubernetes/client-node';
import { visibleName } from '../model/kubectl.js';
import { KubeError } from './errors.js';
import { describeSource, type KubeconfigSource, loadKubeconfig } from './kubeconfig-files.js';

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
  /** The names the context gives its cluster and user (as `kubectl config view --minify` shows them). */
  cluster: string;
  user: string;
  /** The context's namespace, or `default` as kubectl uses. */
  defaultNamespace: string;
  /** A config whose current context is this one: auth and TLS for every request to it. */
  config: KubeConfig;
  /**
   * The kubeconfig files every kubectl command for this context must name, so it reads what crashtop read even
   * pasted into a shell with another KUBECONFIG, ~/.kube/config included (a pane set up for another cluster may
   * hold a context of the same name); absent only for the pod's service account.
   */
  kubeconfig?: string[];
  /** Read with the pod's service account: kubectl commands name no context (model/kubectl.ts KubectlCluster). */
  inCluster?: boolean;
  /**
   * The user's exec credential plugin (`users[].user.exec`) as the kubeconfig spells it, for exec-credentials.ts
   * to check and run: `config` keeps no trace of it, so client-node never runs it (its ExecAuth gives a plugin
   * a stdin that never ends and no time limit, and a login prompt would wait there for ever). Absent when the
   * user has a token, a password or a client certificate, which win over a plugin as they do in client-go.
   */
  exec?: unknown;
}

const serviceAccountToken = '/var/run/secrets/kubernetes.io/serviceaccount/token';

function loadConfig(scope: Scope): { source: KubeconfigSource; where: string } {
  const env = process.env.KUBECONFIG;
  const source = loadKubeconfig({ explicit: scope.kubeconfig, env });
  const where = describeSource(source);
  if (source.files.length === 0) {
    if (source.origin === 'default' && existsSync(serviceAccountToken)) {
      source.config.loadFromCluster();
      return { source, where: "the pod's service account" };
    }
    const why =
      source.origin === 'default'
        ? `no kubeconfig found at ${join(homedir(), '.kube', 'config')} and not running in a pod: pass --kubeconfig or set KUBECONFIG`
        : source.origin === 'env'
          ? `every file of ${where} is missing or empty: fix KUBECONFIG or pass --kubeconfig`
          : `${where} is empty: check --kubeconfig`;
    throw new KubeError(why, 2);
  }
  return { source, where };
}

/** The user's exec plugin unless a credential of its own wins (client-go's exec UpdateTransportConfig). */
function pluginOf(user: User | null): unknown {
  if (user?.exec === undefined || user.exec === null) return undefined;
  const hasCert = (user.certData || user.certFile) && (user.keyData || user.keyFile);
  return user.token || user.username || user.password || hasCert ? undefined : user.exec;
}

// client-node refuses plain-http servers unless TLS verification is off (there is nothing to verify);
// kubectl accepts them, and so does the simulator's kubeconfig, so mark them that way.
function forContext(config: KubeConfig, name: string): KubeConfig {
  const single = new KubeConfig();
  single.loadFromOptions({
    clusters: config
      .getClusters()
      .map((cluster) => (cluster.server.startsWith('http:') ? { ...cluster, skipTLSVerify: true } : cluster)),
    users: config.getUsers().map((user) => (user.exec ? { ...user, exec: undefined } : user)),
    contexts: config.getContexts(),
    currentContext: name,
  });
  return single;
}

/** The contexts of the scope (the kubeconfig's current one when none is named), checked to exist. */
export async function resolveContexts(scope: Scope): Promise<ResolvedContext[]> {
  return resolveScope(scope).contexts;
}

/**
 * The scope's contexts (as resolveContexts) and every context name of the kubeconfig (`:ctx` completion), from
 * one read of the files: the live view needs both, and each read parses the YAML and builds client-node's
 * configs again (~10 ms of start-up).
 */
export function resolveScope(scope: Scope): { contexts: ResolvedContext[]; names: string[] } {
  const { source, where: location } = loadConfig(scope);
  const { config } = source;
  // The in-cluster service account has no file to name.
  const spellOut = source.files.length > 0 ? source.files : undefined;
  const known = config.getContexts().map((context) => context.name);
  const names =
    scope.contexts !== undefined && scope.contexts.length > 0 ? scope.contexts : [config.getCurrentContext()];
  const contexts = [...new Set(names)].map((name) => {
    if (name === undefined || name === '') {
      throw new KubeError(
        `${location} has no current context: pass --context (contexts: ${known.join(', ') || 'none'})`,
        2,
      );
    }
    const context = config.getContextObject(name);
    if (context === null) {
      throw new KubeError(
        `context "${visibleName(name)}" not found in ${location} (contexts: ${known.join(', ') || 'none'})`,
        2,
      );
    }
    const cluster = config.getCluster(context.cluster);
    if (cluster === null) {
      throw new KubeError(
        `context "${visibleName(name)}" names cluster "${context.cluster}", which ${location} lacks`,
        2,
      );
    }
    const exec = pluginOf(config.getUser(context.user));
    return {
      name,
      server: cluster.server,
      cluster: context.cluster,
      user: context.user,
      defaultNamespace: context.namespace || 'default',
      config: forContext(config, name),
      ...(spellOut ? { kubeconfig: spellOut } : { inCluster: true }),
      ...(exec === undefined ? {} : { exec }),
    };
  });
  return { contexts, names: known };
}
