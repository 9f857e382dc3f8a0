import { readFile } from 'node:fs/promises';
import type { Node, YAMLMap } from 'yaml';
import type { Volume } from '../model/pod.js';
import { DEFAULT_CRASH_LOOP_CURVE } from './backoff.js';
import type {
  Behavior,
  ContainerScenario,
  LogScript,
  NamespaceScenario,
  NodeEventScenario,
  PodTemplateScenario,
  Scenario,
  SimContainer,
  WorkloadScenario,
} from './scenario.js';
import { NODE_EVENT_REASONS } from './scenario.js';
import { ScenarioError, YamlReader } from './yaml-reader.js';

// Reads a scenario file (format: scenarios/README.md). Every error is one line, `FILE:LINE: what is wrong`.

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const WORKLOAD_KINDS = ['Deployment', 'StatefulSet', 'DaemonSet', 'Job', 'Pod'] as const;
const RESTART_POLICIES = ['Always', 'OnFailure', 'Never'] as const;
const SIM_KEYS = ['behavior', 'logs', 'exitLogs', 'repeat'];

export async function loadScenario(path: string): Promise<Scenario> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    throw new ScenarioError(`${path}:1: cannot read the scenario file (${code})`);
  }
  return parseScenario(path, text);
}

export function parseScenario(file: string, text: string): Scenario {
  const r = new YamlReader(file, text);
  const root = r.map(r.root, 'the scenario');
  r.onlyKeys(root, ['name', 'nodes', 'crashLoop', 'namespaces', 'nodeEvents'], 'the scenario');
  const nameNode = r.get(root, 'name');
  const nodesNode = r.get(root, 'nodes');
  const nodes = nodesNode
    ? r.seq(nodesNode, 'nodes').items.map((n) => dnsName(r, n, 'a node name'))
    : ['sim-node-1'];
  if (nodes.length === 0) r.fail(nodesNode, 'nodes must list at least one node');
  const namespacesNode = r.get(root, 'namespaces');
  if (!namespacesNode) r.fail(root, 'the scenario needs a "namespaces" list');
  const seen = new Set<string>();
  const namespaces = r.seq(namespacesNode, 'namespaces').items.map((n) => {
    const ns = readNamespace(r, n, nodes.length);
    if (seen.has(ns.name)) r.fail(n, `namespace "${ns.name}" is listed twice`);
    seen.add(ns.name);
    return ns;
  });
  return {
    name: nameNode ? r.string(nameNode, 'name') : 'scenario',
    nodes,
    crashLoop: readCrashLoop(r, r.get(root, 'crashLoop')),
    namespaces,
    nodeEvents: readNodeEvents(r, r.get(root, 'nodeEvents'), nodes),
  };
}

/** `nodeEvents: [{ node, reason, ago: 5m | after: 30s, detail }]`: see NodeEventScenario. */
function readNodeEvents(
  r: YamlReader,
  node: Node | undefined,
  nodes: readonly string[],
): NodeEventScenario[] {
  if (!node) return [];
  return r.seq(node, 'nodeEvents').items.map((item) => {
    const map = r.map(item, 'a node event');
    r.onlyKeys(map, ['node', 'reason', 'ago', 'after', 'detail'], 'a node event');
    const nodeName = r.string(r.get(map, 'node') ?? r.fail(map, 'a node event needs a node'), 'node');
    if (!nodes.includes(nodeName)) r.fail(map, `node "${nodeName}" is not in the scenario's nodes`);
    const reason =
      oneOf(r, r.get(map, 'reason'), NODE_EVENT_REASONS, 'reason') ??
      r.fail(map, 'a node event needs a reason');
    const ago = r.get(map, 'ago');
    const after = r.get(map, 'after');
    if (ago && after) r.fail(map, 'a node event has "ago" or "after", not both');
    const detailNode = r.get(map, 'detail');
    return {
      node: nodeName,
      reason,
      atMs: ago ? -r.durationMs(ago, 'ago') : after ? r.durationMs(after, 'after') : 0,
      ...(detailNode ? { detail: r.string(detailNode, 'detail') } : {}),
    };
  });
}

function dnsName(r: YamlReader, node: Node | undefined, what: string): string {
  const name = r.string(node, what);
  if (!DNS_LABEL.test(name) || name.length > 63) {
    r.fail(node, `${what} "${name}" must be lower-case letters, digits and "-" (at most 63)`);
  }
  return name;
}

function readCrashLoop(r: YamlReader, node: Node | undefined): Scenario['crashLoop'] {
  if (!node) return DEFAULT_CRASH_LOOP_CURVE;
  const map = r.map(node, 'crashLoop');
  r.onlyKeys(map, ['initial', 'max', 'reset'], 'crashLoop');
  const pick = (key: 'initial' | 'max' | 'reset', fallback: number): number => {
    const value = r.get(map, key);
    return value ? r.durationMs(value, `crashLoop.${key}`) : fallback;
  };
  const curve = {
    initialMs: pick('initial', DEFAULT_CRASH_LOOP_CURVE.initialMs),
    maxMs: pick('max', DEFAULT_CRASH_LOOP_CURVE.maxMs),
    resetMs: pick('reset', DEFAULT_CRASH_LOOP_CURVE.resetMs),
  };
  if (curve.initialMs <= 0 || curve.maxMs < curve.initialMs) {
    r.fail(node, 'crashLoop needs 0 < initial <= max');
  }
  return curve;
}

function readNamespace(r: YamlReader, node: Node, nodeCount: number): NamespaceScenario {
  const map = r.map(node, 'a namespace');
  r.onlyKeys(map, ['name', 'workloads'], 'a namespace');
  const name = dnsName(
    r,
    r.get(map, 'name') ?? r.fail(map, 'a namespace needs a name'),
    'the namespace name',
  );
  const workloadsNode = r.get(map, 'workloads');
  const seen = new Set<string>();
  const workloads = workloadsNode
    ? r.seq(workloadsNode, 'workloads').items.map((w) => {
        const workload = readWorkload(r, w, nodeCount);
        if (seen.has(workload.name)) r.fail(w, `workload "${workload.name}" is listed twice in "${name}"`);
        seen.add(workload.name);
        return workload;
      })
    : [];
  return { name, workloads };
}

const WORKLOAD_KEYS = [
  'name',
  'kind',
  'replicas',
  'age',
  'labels',
  'restartPolicy',
  'volumes',
  'initContainers',
  'containers',
  'rollout',
];

/**
 * Always by default; a Job's pods must restart OnFailure (the default there): with Never the Job controller
 * would replace each failed pod, which the simulator does not do.
 */
function restartPolicy(r: YamlReader, map: YAMLMap<Node, Node>, kind: WorkloadScenario['kind']) {
  const node = r.get(map, 'restartPolicy');
  const policy = oneOf(r, node, RESTART_POLICIES, 'restartPolicy');
  if (kind !== 'Job') return policy ?? 'Always';
  if (policy !== undefined && policy !== 'OnFailure') r.fail(node, 'a Job here restarts its pods OnFailure');
  return 'OnFailure';
}

function readWorkload(r: YamlReader, node: Node, nodeCount: number): WorkloadScenario {
  const map = r.map(node, 'a workload');
  r.onlyKeys(map, WORKLOAD_KEYS, 'a workload');
  const name = dnsName(r, r.get(map, 'name') ?? r.fail(map, 'a workload needs a name'), 'the workload name');
  const kind = oneOf(r, r.get(map, 'kind'), WORKLOAD_KINDS, 'kind') ?? 'Deployment';
  const replicasNode = r.get(map, 'replicas');
  let replicas = replicasNode ? r.integer(replicasNode, 'replicas', 0, 50_000) : 1;
  if (kind === 'Pod' && replicas !== 1)
    r.fail(replicasNode, 'a workload of kind Pod has exactly one replica');
  if (kind === 'DaemonSet') {
    if (replicasNode) r.fail(replicasNode, 'a DaemonSet runs one pod per node; it takes no "replicas"');
    replicas = nodeCount;
  }
  const ageNode = r.get(map, 'age');
  const labelsNode = r.get(map, 'labels');
  const labels = labelsNode ? readLabels(r, labelsNode) : { app: name };
  const template = readTemplate(r, map, 'a workload');
  const rolloutNode = r.get(map, 'rollout');
  const workload: WorkloadScenario = {
    name,
    kind,
    replicas,
    labels,
    restartPolicy: restartPolicy(r, map, kind),
    ageMs: ageNode ? r.durationMs(ageNode, 'age') : 2 * 3_600_000,
    template,
  };
  if (rolloutNode) {
    if (kind !== 'Deployment') r.fail(rolloutNode, 'only a Deployment can have a rollout');
    workload.rollout = readRollout(r, rolloutNode, workload);
  }
  return workload;
}

/** The new ReplicaSet's template: the workload's, with containers of the same name replaced. */
function readRollout(r: YamlReader, node: Node, workload: WorkloadScenario): WorkloadScenario['rollout'] {
  const map = r.map(node, 'rollout');
  r.onlyKeys(map, ['replicas', 'age', 'containers'], 'rollout');
  const replicas = r.integer(
    r.get(map, 'replicas') ?? r.fail(map, 'rollout needs "replicas"'),
    'replicas',
    1,
    50_000,
  );
  const ageNode = r.get(map, 'age');
  const containersNode = r.get(map, 'containers') ?? r.fail(map, 'rollout needs "containers"');
  const replaced = readContainers(r, containersNode, 'rollout.containers');
  const base = workload.template;
  for (const c of replaced) {
    if (!base.containers.some((b) => b.spec.name === c.spec.name)) {
      r.fail(containersNode, `rollout container "${c.spec.name}" is not a container of "${workload.name}"`);
    }
  }
  const containers = base.containers.map((b) => replaced.find((c) => c.spec.name === b.spec.name) ?? b);
  return {
    replicas,
    ageMs: ageNode ? r.durationMs(ageNode, 'age') : Math.min(workload.ageMs, 10 * 60_000),
    template: { ...base, containers },
  };
}

function readLabels(r: YamlReader, node: Node): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const pair of r.map(node, 'labels').items) {
    labels[r.string(pair.key, 'a label key')] = r.string(pair.value, 'a label value');
  }
  return labels;
}

function oneOf<T extends string>(
  r: YamlReader,
  node: Node | undefined,
  allowed: readonly T[],
  what: string,
): T | undefined {
  if (!node) return undefined;
  const value = r.string(node, what);
  if (!allowed.includes(value as T))
    r.fail(node, `${what} must be one of ${allowed.join(', ')}, not "${value}"`);
  return value as T;
}

function readTemplate(r: YamlReader, map: YAMLMap<Node, Node>, what: string): PodTemplateScenario {
  const containersNode = r.get(map, 'containers');
  if (!containersNode) r.fail(map, `${what} needs a "containers" list`);
  const containers = readContainers(r, containersNode, 'containers');
  if (containers.length === 0) r.fail(containersNode, 'containers must list at least one container');
  const initNode = r.get(map, 'initContainers');
  const initContainers = initNode ? readContainers(r, initNode, 'initContainers') : [];
  const names = new Set<string>();
  for (const c of [...initContainers, ...containers]) {
    if (names.has(c.spec.name)) r.fail(containersNode, `container name "${c.spec.name}" is used twice`);
    names.add(c.spec.name);
  }
  const volumesNode = r.get(map, 'volumes');
  const template: PodTemplateScenario = { initContainers, containers };
  if (volumesNode) template.volumes = r.plain(r.seq(volumesNode, 'volumes')) as Volume[];
  return template;
}

function readContainers(r: YamlReader, node: Node, what: string): ContainerScenario[] {
  return r.seq(node, what).items.map((item) => readContainer(r, item));
}

function readContainer(r: YamlReader, node: Node): ContainerScenario {
  const map = r.map(node, 'a container');
  const name = dnsName(
    r,
    r.get(map, 'name') ?? r.fail(map, 'a container needs a name'),
    'the container name',
  );
  const imageNode = r.get(map, 'image') ?? r.fail(map, `container "${name}" needs an image`);
  const image = r.string(imageNode, 'image');
  const spec = r.plain(map) as Record<string, unknown>;
  for (const key of SIM_KEYS) delete spec[key];
  const behaviorNode = r.get(map, 'behavior');
  return {
    spec: spec as unknown as SimContainer,
    behavior: behaviorNode ? readBehavior(r, behaviorNode, image) : { kind: 'run' },
    logs: readLogs(r, map),
  };
}

function readLogs(r: YamlReader, map: YAMLMap<Node, Node>): LogScript {
  const lines = (key: string): string[] => {
    const node = r.get(map, key);
    return node ? r.seq(node, key).items.map((l) => r.string(l, 'a log line')) : [];
  };
  const repeatNode = r.get(map, 'repeat');
  const logs: LogScript = { lines: lines('logs'), exitLines: lines('exitLogs') };
  if (repeatNode) {
    const repeat = r.map(repeatNode, 'repeat');
    r.onlyKeys(repeat, ['every', 'line'], 'repeat');
    const everyMs = r.durationMs(r.get(repeat, 'every') ?? r.fail(repeat, 'repeat needs "every"'), 'every');
    if (everyMs < 100) r.fail(repeat, 'repeat.every must be at least 100ms');
    logs.repeat = {
      everyMs,
      line: r.string(r.get(repeat, 'line') ?? r.fail(repeat, 'repeat needs "line"'), 'line'),
    };
  }
  return logs;
}

const BEHAVIORS = ['run', 'crash', 'livenessFailure', 'startupFailure', 'missingConfig', 'imagePull'];

function readBehavior(r: YamlReader, node: Node, image: string): Behavior {
  const map = r.map(node, 'behavior');
  r.onlyKeys(map, BEHAVIORS, 'behavior');
  if (map.items.length !== 1) r.fail(node, `behavior needs exactly one of: ${BEHAVIORS.join(', ')}`);
  const [pair] = map.items;
  const key = r.string(pair!.key, 'behavior');
  const value = pair!.value ?? undefined;
  if (key === 'run') return { kind: 'run' };
  const body = r.map(value, `behavior.${key}`);
  const field = (name: string): Node | undefined => r.get(body, name);
  switch (key) {
    case 'crash': {
      r.onlyKeys(body, ['after', 'exitCode', 'reason', 'message'], 'behavior.crash');
      const exitCode = r.integer(
        field('exitCode') ?? r.fail(body, 'crash needs an exitCode'),
        'exitCode',
        0,
        255,
      );
      const reasonNode = field('reason');
      const messageNode = field('message');
      const crash: Behavior = {
        kind: 'crash',
        afterMs: r.durationMs(field('after') ?? r.fail(body, 'crash needs "after"'), 'after'),
        exitCode,
        reason: reasonNode ? r.string(reasonNode, 'reason') : exitCode === 0 ? 'Completed' : 'Error',
      };
      if (messageNode) crash.message = r.string(messageNode, 'message');
      return crash;
    }
    case 'livenessFailure':
    case 'startupFailure': {
      r.onlyKeys(body, ['after', 'message', 'exitCode'], `behavior.${key}`);
      const exitNode = field('exitCode');
      return {
        kind: 'liveness-failure',
        probe: key === 'livenessFailure' ? 'Liveness' : 'Startup',
        afterMs: r.durationMs(field('after') ?? r.fail(body, `${key} needs "after"`), 'after'),
        probeMessage: r.string(field('message') ?? r.fail(body, `${key} needs a probe "message"`), 'message'),
        exitCode: exitNode ? r.integer(exitNode, 'exitCode', 0, 255) : 137,
      };
    }
    case 'missingConfig':
      return readMissingConfig(r, body);
    default: {
      r.onlyKeys(body, ['message'], 'behavior.imagePull');
      const messageNode = field('message');
      return {
        kind: 'image-pull',
        message: messageNode
          ? r.string(messageNode, 'message')
          : `rpc error: code = NotFound desc = failed to pull and unpack image "${image}": failed to resolve reference "${image}": ${image}: not found`,
      };
    }
  }
}

function readMissingConfig(r: YamlReader, body: YAMLMap<Node, Node>): Behavior {
  r.onlyKeys(body, ['configMap', 'secret', 'key'], 'behavior.missingConfig');
  const configMap = r.get(body, 'configMap');
  const secret = r.get(body, 'secret');
  if (!configMap === !secret) r.fail(body, 'missingConfig needs exactly one of "configMap" or "secret"');
  const resource = configMap ? 'ConfigMap' : 'Secret';
  const behavior: Behavior = {
    kind: 'missing-config',
    resource,
    name: r.string(configMap ?? secret, resource),
  };
  const key = r.get(body, 'key');
  if (key) behavior.key = r.string(key, 'key');
  return behavior;
}
