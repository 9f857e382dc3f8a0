import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, dirname, join, resolve } from 'node:path';
import {
  type Cluster,
  type ConfigOptions,
  type Context,
  KubeConfig,
  type User,
} from '@kubernetes/client-node';
import { CORE_SCHEMA, load, type YAMLException } from 'js-yaml';
import { isRecord } from '../model/is-record.js';
import { KubeError, oneLine } from './errors.js';

// Reads kubeconfig files as kubectl (client-go's clientcmd loader) reads them: `--kubeconfig FILE` alone,
// else every file of `$KUBECONFIG` in order, else ~/.kube/config. In a list, missing and empty files are
// skipped, the first file that sets current-context wins, and the first definition of a cluster, user or
// context name wins (later ones are ignored, not an error). Relative paths are relative to their own file.

export interface KubeconfigSource {
  /** Where the files came from, for messages: `--kubeconfig`, `KUBECONFIG` or the default. */
  origin: 'flag' | 'env' | 'default';
  /** The files kubectl would look at, absolute, in precedence order. */
  listed: string[];
  /** Those that were read (missing and empty ones left out). */
  files: string[];
  /** The merged config; its current context is the first one any file set. */
  config: KubeConfig;
}

export interface KubeconfigRequest {
  /** `--kubeconfig`: only this file, which must exist. */
  explicit?: string;
  /** `$KUBECONFIG`. */
  env?: string;
}

function readFile(file: string, mustExist: boolean): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' && !mustExist) return undefined;
    if (code === 'ENOENT') throw new KubeError(`kubeconfig ${file} not found: check --kubeconfig`, 2);
    throw new KubeError(`cannot read kubeconfig ${file}: ${oneLine(String((error as Error).message))}`, 2);
  }
}

/** One file as its own config, paths made absolute; undefined when it is empty (kubectl skips those). */
function parseFile(file: string, text: string): KubeConfig | undefined {
  if (text.trim() === '') return undefined;
  let document: unknown;
  try {
    // js-yaml, which client-node loads anyway, rather than the yaml package: ~25 ms less start-up (its module
    // and a cold first parse). The YAML 1.2 core schema, as before: a timestamp-like value stays a string.
    document = load(text, { schema: CORE_SCHEMA });
  } catch (error) {
    // Its message quotes the file around the mistake (maybe a token): only the reason and the position.
    const { reason, mark } = error as YAMLException;
    const where = mark ? ` at line ${mark.line + 1}, column ${mark.column + 1}` : '';
    throw new KubeError(
      `kubeconfig ${file} is not valid YAML: ${oneLine(reason ?? 'unreadable')}${where}`,
      2,
    );
  }
  if (document === null || document === undefined) return undefined;
  if (typeof document !== 'object' || Array.isArray(document)) {
    throw new KubeError(
      `kubeconfig ${file} is not a kubeconfig (expected a mapping with clusters, users and contexts)`,
      2,
    );
  }
  const config = new KubeConfig();
  try {
    // Entries kubectl would only reject when used (a cluster without a server) are dropped, not fatal.
    config.loadFromString(JSON.stringify(document), filterInvalid);
    config.makePathsAbsolute(dirname(file));
    resolvePluginPaths(config, dirname(file));
  } catch (error) {
    throw new KubeError(`kubeconfig ${file}: ${oneLine(String((error as Error).message))}`, 2);
  }
  return config;
}

/**
 * An exec plugin's command that names a path (it has a `/`) is relative to its file, as client-go's loader
 * resolves it (ResolveLocalPaths); a bare name is looked up on PATH when it runs. client-node leaves it as written.
 */
function resolvePluginPaths(config: KubeConfig, directory: string): void {
  for (const user of config.getUsers()) {
    const exec: unknown = user.exec;
    if (isRecord(exec) && typeof exec.command === 'string' && exec.command.includes('/'))
      exec.command = resolve(directory, exec.command);
  }
}

// client-node exports the option's type but not its constant.
const filterInvalid: ConfigOptions = { onInvalidEntry: 'filter' };

function firstByName<T extends { name: string }>(lists: readonly (readonly T[])[]): T[] {
  const seen = new Map<string, T>();
  for (const item of lists.flat()) if (!seen.has(item.name)) seen.set(item.name, item);
  return [...seen.values()];
}

function merge(configs: readonly KubeConfig[]): KubeConfig {
  const merged = new KubeConfig();
  merged.loadFromOptions({
    clusters: firstByName<Cluster>(configs.map((c) => c.getClusters())),
    users: firstByName<User>(configs.map((c) => c.getUsers())),
    contexts: firstByName<Context>(configs.map((c) => c.getContexts())),
    currentContext: configs.map((c) => c.getCurrentContext()).find((name) => !!name) ?? '',
  });
  return merged;
}

/** The files kubectl would read, in precedence order, and where that list came from. */
function precedence(request: KubeconfigRequest): { origin: KubeconfigSource['origin']; files: string[] } {
  if (request.explicit !== undefined) return { origin: 'flag', files: [resolve(request.explicit)] };
  const list = (request.env ?? '').split(delimiter).filter((file) => file !== '');
  if (list.length > 0) return { origin: 'env', files: [...new Set(list.map((file) => resolve(file)))] };
  return { origin: 'default', files: [join(homedir(), '.kube', 'config')] };
}

export function loadKubeconfig(request: KubeconfigRequest): KubeconfigSource {
  const { origin, files } = precedence(request);
  const read: { file: string; config: KubeConfig }[] = [];
  for (const file of files) {
    const text = readFile(file, origin === 'flag');
    const config = text === undefined ? undefined : parseFile(file, text);
    if (config) read.push({ file, config });
  }
  return { origin, listed: files, files: read.map((r) => r.file), config: merge(read.map((r) => r.config)) };
}

/** How the files are named in messages: `kubeconfig FILE`, or the KUBECONFIG list. */
export function describeSource(source: Pick<KubeconfigSource, 'origin' | 'listed'>): string {
  if (source.origin === 'env') return `KUBECONFIG (${source.listed.join(delimiter)})`;
  return `kubeconfig ${source.listed[0]}`;
}
