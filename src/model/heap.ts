// What a container's runtime was told about its heap, read from its spec: the JVM's -Xmx / -XX:MaxHeapSize /
// -XX:MaxRAMPercentage, Node's --max-old-space-size, Go's GOMEMLIMIT. A heap sized at or near the memory limit
// makes the runtime grow past the limit before it collects garbage hard, and the kernel kills it first.
import type { Container, EnvVar } from './pod.js';
import { parseQuantity } from './quantity.js';
import { looksSecret } from './secret-like.js';

export type Runtime = 'jvm' | 'node' | 'go';

/**
 * Memory a runtime uses beyond its heap setting, as a share of that setting: the JVM's metaspace, thread
 * stacks, code cache and direct buffers (hence the common advice of MaxRAMPercentage 75); V8's young
 * generation, code space and Buffers outside --max-old-space-size (Node's docs size it at 75 % of memory);
 * GOMEMLIMIT already counts all Go memory, and the Go GC guide leaves 5–10 % headroom for the rest.
 */
export const OVERHEAD: Record<Runtime, number> = { jvm: 0.25, node: 0.25, go: 0.1 };

export const RUNTIME_NAME: Record<Runtime, string> = {
  jvm: 'JVM',
  node: 'Node.js process',
  go: 'Go runtime',
};

/** Where a setting was read: an env var (set with `kubectl set env`) or the container's command/args. */
export type SettingSource = { env: string; value: string } | { field: 'command' | 'args' };

export interface HeapSetting {
  runtime: Runtime;
  /** The option as written: `-Xmx2g`, `-XX:MaxRAMPercentage=90.0`, `--max-old-space-size=4096`, `GOMEMLIMIT=1GiB`. */
  flag: string;
  /** The heap size in bytes, or the share of the memory limit (`-XX:MaxRAMPercentage`). */
  size: { bytes: number } | { percent: number };
  from: SettingSource;
}

/** A variable that may set the heap but whose value is not in the pod spec (`valueFrom`). */
export interface HiddenSetting {
  env: string;
  /** `ConfigMap jvm (key opts)`, `Secret app-env` (never a key or value of a Secret), `field metadata.name`. */
  source: string;
}

const JVM_UNITS: Record<string, number> = { '': 1, k: 2 ** 10, m: 2 ** 20, g: 2 ** 30, t: 2 ** 40 };

/** `2g`, `2048m`, `1536M`, `262144k`, `2147483648`: the JVM's size grammar (binary units, no fraction). */
export function parseJvmSize(text: string): number | undefined {
  const match = text.match(/^(\d+)([kKmMgGtT]?)$/);
  if (!match) return undefined;
  const bytes = Number(match[1]) * JVM_UNITS[match[2]!.toLowerCase()]!;
  return Number.isSafeInteger(bytes) && bytes > 0 ? bytes : undefined;
}

/** `75`, `75.0`, `12.5`: a percentage in (0, 100]. */
export function parsePercent(text: string): number | undefined {
  if (!/^\d+(?:\.\d+)?$/.test(text)) return undefined;
  const percent = Number(text);
  return percent > 0 && percent <= 100 ? percent : undefined;
}

const GO_UNITS: Record<string, number> = {
  '': 1,
  B: 1,
  KiB: 2 ** 10,
  MiB: 2 ** 20,
  GiB: 2 ** 30,
  TiB: 2 ** 40,
};

/** GOMEMLIMIT: a non-negative integer with an optional B/KiB/MiB/GiB/TiB suffix (runtime/debug); `off` is none. */
export function parseGoMemLimit(text: string): number | undefined {
  const match = text.trim().match(/^(\d+)(B|KiB|MiB|GiB|TiB)?$/);
  if (!match) return undefined;
  const bytes = Number(match[1]) * GO_UNITS[match[2] ?? '']!;
  return Number.isSafeInteger(bytes) && bytes > 0 ? bytes : undefined;
}

/** One JVM option; the last of several wins, as in the JVM. */
function jvmOption(token: string): HeapSetting['size'] | undefined {
  const size = token.match(/^(?:-Xmx|-XX:MaxHeapSize=)(.+)$/)?.[1];
  if (size !== undefined) {
    const bytes = parseJvmSize(size);
    return bytes === undefined ? undefined : { bytes };
  }
  const percent = token.match(/^-XX:MaxRAMPercentage=(.+)$/)?.[1];
  if (percent !== undefined) {
    const value = parsePercent(percent);
    return value === undefined ? undefined : { percent: value };
  }
  return undefined;
}

/** `--max-old-space-size=4096` (MiB; V8 also takes underscores and a separate value). */
function nodeOptions(tokens: readonly string[]): { flag: string; bytes: number } | undefined {
  let found: { flag: string; bytes: number } | undefined;
  tokens.forEach((token, index) => {
    const match = token.match(/^--max[-_]old[-_]space[-_]size(?:=(.*))?$/);
    if (!match) return;
    const value = match[1] ?? tokens[index + 1];
    if (value === undefined || !/^\d+$/.test(value) || Number(value) <= 0) return;
    found = { flag: match[1] === undefined ? `${token} ${value}` : token, bytes: Number(value) * 2 ** 20 };
  });
  return found;
}

function words(text: string): string[] {
  return text.split(/\s+/).filter((word) => word !== '');
}

interface Tokens {
  from: SettingSource;
  tokens: string[];
}

function lastJvm(sources: readonly Tokens[]): HeapSetting | undefined {
  // -Xmx anywhere beats MaxRAMPercentage anywhere: the JVM sizes the heap from the percentage only when no
  // maximum heap size is given.
  let explicit: HeapSetting | undefined;
  let share: HeapSetting | undefined;
  for (const { from, tokens } of sources) {
    for (const token of tokens) {
      const size = jvmOption(token);
      if (!size) continue;
      const setting: HeapSetting = { runtime: 'jvm', flag: token, size, from };
      if ('bytes' in size) explicit = setting;
      else share = setting;
    }
  }
  return explicit ?? share;
}

function literal(env: readonly EnvVar[], name: string): Tokens[] {
  const variable = env.findLast((e) => e.name === name);
  return variable?.value === undefined
    ? []
    : [{ from: { env: name, value: variable.value }, tokens: words(variable.value) }];
}

function commandLine(container: Container): Tokens[] {
  return (['command', 'args'] as const).map((field) => ({
    from: { field },
    // `sh -c "java -Xmx2g -jar app.jar"` holds the options inside one argument.
    tokens: (container[field] ?? []).flatMap(words),
  }));
}

/**
 * The heap setting the runtime obeys, from the JVM's precedence: JAVA_TOOL_OPTIONS is read first, then
 * JDK_JAVA_OPTIONS and the command line (JAVA_OPTS is no JVM variable: start scripts put it on the command
 * line), and _JAVA_OPTIONS last, overriding all. For Node the command line beats NODE_OPTIONS.
 */
export function heapSetting(container: Container, limitBytes?: number): HeapSetting | undefined {
  const env = container.env ?? [];
  const jvm = lastJvm([
    ...literal(env, 'JAVA_TOOL_OPTIONS'),
    ...literal(env, 'JDK_JAVA_OPTIONS'),
    ...literal(env, 'JAVA_OPTS'),
    ...commandLine(container),
    ...literal(env, '_JAVA_OPTIONS'),
  ]);
  if (jvm) return jvm;
  for (const { from, tokens } of [...commandLine(container).reverse(), ...literal(env, 'NODE_OPTIONS')]) {
    const node = nodeOptions(tokens);
    if (node) return { runtime: 'node', flag: node.flag, size: { bytes: node.bytes }, from };
  }
  const go = env.findLast((e) => e.name === 'GOMEMLIMIT');
  const limitRef = go?.valueFrom?.resourceFieldRef;
  if (go?.value !== undefined) {
    const bytes = parseGoMemLimit(go.value);
    if (bytes !== undefined) {
      const from = { env: 'GOMEMLIMIT', value: go.value };
      return { runtime: 'go', flag: `GOMEMLIMIT=${go.value.trim()}`, size: { bytes }, from };
    }
  } else if (limitRef?.resource === 'limits.memory' && limitBytes !== undefined) {
    // The kubelet writes the limit itself (in units of the divisor, rounded up): a known value, not a guess,
    // and one that follows the limit when it is raised.
    const divisor = parseQuantity(limitRef.divisor ?? '1') ?? 1;
    const percent = ((Math.ceil(limitBytes / divisor) * divisor) / limitBytes) * 100;
    const from = { env: 'GOMEMLIMIT', value: '' };
    return { runtime: 'go', flag: 'GOMEMLIMIT (from limits.memory)', size: { percent }, from };
  }
  return undefined;
}

const HEAP_VARIABLES = [
  'JAVA_TOOL_OPTIONS',
  'JDK_JAVA_OPTIONS',
  'JAVA_OPTS',
  '_JAVA_OPTIONS',
  'NODE_OPTIONS',
  'GOMEMLIMIT',
];

/** Heap variables whose value comes from elsewhere: named, never read, never guessed. */
export function hiddenSettings(container: Container): HiddenSetting[] {
  const hidden: HiddenSetting[] = [];
  for (const variable of container.env ?? []) {
    const from = variable.valueFrom;
    if (!HEAP_VARIABLES.includes(variable.name) || variable.value !== undefined || !from) continue;
    if (from.resourceFieldRef) continue;
    const source = from.configMapKeyRef
      ? `ConfigMap ${from.configMapKeyRef.name} (key ${from.configMapKeyRef.key})`
      : from.secretKeyRef
        ? `Secret ${from.secretKeyRef.name}`
        : `field ${from.fieldRef?.fieldPath ?? 'reference'}`;
    hidden.push({ env: variable.name, source });
  }
  return hidden;
}

/** Whether the rest of a variable's value can be shown: no option that looks like it carries a secret. */
export function showable(value: string): boolean {
  return !looksSecret(value);
}

function formatBinary(bytes: number, units: readonly [string, number][]): string {
  for (const [unit, size] of units) if (bytes % size === 0) return `${bytes / size}${unit}`;
  return String(bytes);
}

/** The setting written again with another size, in the runtime's own grammar. */
export function withSize(setting: HeapSetting, size: HeapSetting['size']): string {
  if ('percent' in size) return setting.flag.replace(/=.*$/, `=${size.percent.toFixed(1)}`);
  const mib = size.bytes / 2 ** 20;
  switch (setting.runtime) {
    case 'jvm': {
      const prefix = setting.flag.startsWith('-Xmx') ? '-Xmx' : '-XX:MaxHeapSize=';
      return `${prefix}${formatBinary(size.bytes, [
        ['g', 2 ** 30],
        ['m', 2 ** 20],
        ['k', 2 ** 10],
      ]).toLowerCase()}`;
    }
    case 'node':
      return setting.flag.includes('=')
        ? setting.flag.replace(/=.*$/, `=${Math.floor(mib)}`)
        : `--max-old-space-size=${Math.floor(mib)}`;
    case 'go':
      return `GOMEMLIMIT=${formatBinary(size.bytes, [
        ['GiB', 2 ** 30],
        ['MiB', 2 ** 20],
        ['KiB', 2 ** 10],
      ])}`;
  }
}

/** The variable's new value: the setting's last occurrence replaced, everything else kept as written. */
export function replacedValue(setting: HeapSetting, replacement: string): string | undefined {
  if (!('env' in setting.from)) return undefined;
  if (setting.runtime === 'go') return replacement.slice('GOMEMLIMIT='.length);
  const { value } = setting.from;
  const at = value.lastIndexOf(setting.flag);
  return at < 0 ? undefined : value.slice(0, at) + replacement + value.slice(at + setting.flag.length);
}
