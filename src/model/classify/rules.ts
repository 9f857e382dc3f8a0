// The classifier's rules, in the order they are tried: the first rule whose signals match decides the cause.
// Read it like popeye's codes.yaml: each row names the rule (traps have their own row), the cause id it
// yields, its confidence, and the signals that decide it. Fix sentences and commands per cause are in
// ../fix.ts; evidence quoting is in ./signals.ts. Sources: DESIGN.md §2, kubelet-facts.md §4–6.
import type { EnvVar } from '../pod.js';
import {
  all,
  type ContainerFacts,
  capture,
  describeEvent,
  eventEvidence,
  exitCode,
  exitCodeEvidence,
  exitReason,
  failedExit,
  hasOutput,
  output,
  present,
  statusMessage,
  waitingReason,
} from './signals.js';
import type { CauseId, Confidence, Finding, MissingConfig } from './types.js';
import { type ConfigSource, configSources } from './volumes.js';

export interface Rule {
  /** Stable name; a trap's name says which look-alike it must win against. */
  name: string;
  cause: CauseId;
  confidence: Confidence;
  title: string;
  /** The deciding signals in words, for readers of this table and of `--debug` output. */
  signals: string;
  match: (f: ContainerFacts) => Finding | undefined;
}

const IMAGE_PULL_REASONS = ['ErrImagePull', 'ImagePullBackOff', 'InvalidImageName', 'ErrImageNeverPull'];
const MISSING_OBJECT = /\b(configmaps?|secrets?) "([^"]+)" not found/i;
const MISSING_KEY = /couldn't find key (\S+) in (ConfigMap|Secret) ([^/\s]+)\/(\S+)/;
const RUN_AS_NON_ROOT =
  /runAsNonRoot and image (will run as root|has non-numeric user)|breaks non-root policy/;
const PROBE_KILL = /failed (liveness|startup) probe, will be restarted/;
const PROBE_FAILED = /^(Liveness|Startup) probe failed/;
const NOT_EXECUTABLE = /permission denied/i;
const CANNOT_EXEC =
  /executable file not found|no such file or directory|exec format error|not found in \$PATH|cannot execute/i;
const EXEC_FORMAT = /exec format error|cannot execute binary file/i;
const COMMAND_NOT_FOUND = /command not found|: not found$|No such file or directory/i;
// `EACCES:` and not bare EACCES: Node prints the error line, then `code: 'EACCES'`, and the first says more.
const PERMISSION = /EACCES:|EPERM:|permission denied|operation not permitted|read-only file system/i;
const UNREACHABLE =
  /ECONNREFUSED(?!')|connection refused|no such host|i\/o timeout|could not connect to server|ENOTFOUND(?!')|EAI_AGAIN(?!')|ETIMEDOUT(?!')|Name or service not known|Temporary failure in name resolution|UnknownHostException|Connection timed out|connect timed out|Communications link failure|No route to host/i;
// Where the app says it tried to connect, most specific first: `connect ECONNREFUSED 10.0.0.12:5432`,
// `dial tcp 10.96.14.2:8200`, `lookup redis.cache.svc.cluster.local`, `getaddrinfo ENOTFOUND db`, psql's
// `Is the server running on host "db"`.
const ENDPOINTS = [
  /(?:connect|dial tcp|ECONNREFUSED|ETIMEDOUT)\s+\[?([\w.-]+\]?:\d{1,5})\b/,
  /\blookup ([\w.-]+)/,
  /\b(?:ENOTFOUND|EAI_AGAIN) ([\w.-]+)/,
  /running on host "([^"]+)"/,
];
// The kubelet's volume set-up errors (pkg/volume/configmap, secret, projected), reported as FailedMount events
// on the pod itself (no fieldPath): `MountVolume.SetUp failed for volume "cfg" : configmap "x" not found`,
// `… : configmap references non-existent config key: K`, `… : references non-existent secret key: K`.
const MOUNT_FAILED = /MountVolume\.SetUp failed for volume "([^"]+)"\s*:\s*(.*)/s;
const MISSING_MOUNTED_KEY = /references non-existent (config|secret) key: (\S+)/;
/** Waiting reasons of a container that has not been created yet: it waits for the pod's volumes. */
const NOT_CREATED_REASONS = ['ContainerCreating', 'PodInitializing'];
const GO_PANIC = /^(panic: |fatal error: )/;
const SEGFAULT_TEXT = /segmentation fault|SIGSEGV|core dumped/i;
const USAGE =
  /^\s*usage:|flag provided but not defined|unknown (flag|shorthand flag|option|command)|unrecognized arguments|invalid option|unrecognized option|requires at least \d+ arg/i;
const ERROR_LINE =
  /^(panic: |fatal error: )|Traceback \(most recent call last\)|\b[\w.$]*(Error|Exception)\b:|\(\w*(Error|Exception)\)$|^Caused by: |\b(ERROR|FATAL|CRITICAL)\b|level=(error|fatal)|"level":\s*"(error|fatal)"|^error\b/i;
const EMPTY_VALUE =
  /\b(not set|is unset|must be set|missing|required|is empty|empty|undefined|KeyError|no value|cannot be blank|not defined)\b/i;

function probeOf(text: string | undefined): 'liveness' | 'startup' | undefined {
  const match = text?.match(/(liveness|startup) probe/i);
  return match ? (match[1]!.toLowerCase() as 'liveness' | 'startup') : undefined;
}

function missingFrom(text: string | undefined): MissingConfig | undefined {
  const key = text?.match(MISSING_KEY);
  if (key) {
    return { kind: key[2] === 'Secret' ? 'secret' : 'configmap', name: key[4]!, key: key[1]!, keyOnly: true };
  }
  const object = text?.match(MISSING_OBJECT);
  if (object) {
    return {
      kind: object[1]!.toLowerCase().startsWith('secret') ? 'secret' : 'configmap',
      name: object[2]!,
      keyOnly: false,
    };
  }
  return undefined;
}

function missingConfig(f: ContainerFacts): Finding | undefined {
  const pattern = new RegExp(`${MISSING_OBJECT.source}|${MISSING_KEY.source}`, 'i');
  const evidence = present(
    waitingReason(f, 'CreateContainerConfigError'),
    statusMessage(f, pattern),
    eventEvidence(f, 'Failed', pattern),
    eventEvidence(f, 'FailedMount', pattern),
  );
  const missing = missingFrom(evidence.find((e) => pattern.test(e)));
  return missing ? { evidence, missing } : undefined;
}

interface MountFailure {
  evidence: string;
  volume: string;
  error: string;
}

function mountFailures(f: ContainerFacts): MountFailure[] {
  return f.events.flatMap((event) => {
    const match = event.reason === 'FailedMount' ? MOUNT_FAILED.exec(event.message ?? '') : null;
    return match ? [{ evidence: describeEvent(event), volume: match[1]!, error: match[2]! }] : [];
  });
}

function mountedAt(f: ContainerFacts, volume: string): string | undefined {
  const mount = f.spec?.volumeMounts?.find((m) => m.name === volume);
  return mount ? `volumeMounts: ${volume} at ${mount.mountPath}` : undefined;
}

/** The FailedMount event names the missing object, and the named volume mounts exactly that object. */
function mountedObjectMissing(f: ContainerFacts): Finding | undefined {
  for (const failure of mountFailures(f)) {
    const missing = missingFrom(failure.error);
    const volume = f.volumes.find((v) => v.name === failure.volume);
    const source =
      missing && volume
        ? configSources(volume).find((s) => s.kind === missing.kind && s.name === missing.name)
        : undefined;
    if (!missing || !source) continue;
    return {
      evidence: mountEvidence(f, failure, source),
      missing,
      volume: failure.volume,
    };
  }
  return undefined;
}

/** Why a mount failure is this container's cause: its waiting state, the event, and the volume that mounts it. */
function mountEvidence(f: ContainerFacts, failure: MountFailure, source: ConfigSource): string[] {
  return present(
    waitingReason(f, ...NOT_CREATED_REASONS),
    failure.evidence,
    `${source.field}: ${source.name}`,
    mountedAt(f, failure.volume),
  );
}

/** The FailedMount event names a key the volume's `items` ask for; the volume names the object. */
function mountedKeyMissing(f: ContainerFacts): Finding | undefined {
  for (const failure of mountFailures(f)) {
    const match = MISSING_MOUNTED_KEY.exec(failure.error);
    const volume = f.volumes.find((v) => v.name === failure.volume);
    if (!match || !volume) continue;
    const kind = match[1] === 'secret' ? 'secret' : 'configmap';
    const key = match[2]!;
    const source = configSources(volume).find((s) => s.kind === kind && s.items.some((i) => i.key === key));
    if (!source) continue;
    return {
      evidence: mountEvidence(f, failure, source),
      missing: { kind, name: source.name, key, keyOnly: true },
      volume: failure.volume,
    };
  }
  return undefined;
}

/** The FailedMount event names a missing object, but no volume of this spec is known to mount it. */
function mountNamesMissingObject(f: ContainerFacts): Finding | undefined {
  for (const failure of mountFailures(f)) {
    const missing = missingFrom(failure.error);
    if (missing) {
      return {
        evidence: present(waitingReason(f, ...NOT_CREATED_REASONS), failure.evidence),
        missing,
        volume: failure.volume,
      };
    }
  }
  return undefined;
}

function optionalRef(env: EnvVar): string | undefined {
  const cm = env.valueFrom?.configMapKeyRef;
  if (cm?.optional) return `configMapKeyRef ${cm.name}/${cm.key}`;
  const secret = env.valueFrom?.secretKeyRef;
  if (secret?.optional) return `secretKeyRef ${secret.name}/${secret.key}`;
  return undefined;
}

/** The app died complaining about an env var that comes from an `optional: true` reference. */
function emptyOptionalEnv(f: ContainerFacts): Finding | undefined {
  if (!failedExit(f)) return undefined;
  for (const env of f.spec?.env ?? []) {
    const ref = optionalRef(env);
    if (!ref) continue;
    const name = `(?<!\\w)${env.name.replace(/[.*+?^${}()|[\]\\-]/g, '\\$&')}(?!\\w)`;
    const line = output(f, new RegExp(`${name}.*${EMPTY_VALUE.source}|${EMPTY_VALUE.source}.*${name}`, 'i'));
    if (!line) continue;
    const cm = env.valueFrom?.configMapKeyRef;
    const secret = env.valueFrom?.secretKeyRef;
    const missing: MissingConfig = cm
      ? { kind: 'configmap', name: cm.name, key: cm.key, keyOnly: false }
      : { kind: 'secret', name: secret!.name, key: secret!.key, keyOnly: false };
    return {
      evidence: present(`env ${env.name}: ${ref} (optional: true)`, line, exitCodeEvidence(f)),
      missing,
    };
  }
  return undefined;
}

function probeKilled(f: ContainerFacts): Finding | undefined {
  const killing = eventEvidence(f, 'Killing', PROBE_KILL);
  if (!killing) return undefined;
  const probe = probeOf(killing);
  const unhealthy = eventEvidence(f, 'Unhealthy', new RegExp(`^${probe} probe failed`, 'i'));
  return {
    evidence: present(killing, unhealthy, exitReason(f, 'Error', 'Completed'), exitCodeEvidence(f)),
    probe,
  };
}

function probeFailedThenExited(f: ContainerFacts): Finding | undefined {
  const unhealthy = eventEvidence(f, 'Unhealthy', PROBE_FAILED);
  const probe = probeOf(unhealthy);
  const configured = probe === 'startup' ? f.spec?.startupProbe : f.spec?.livenessProbe;
  const exit = exitCode(f, 137, 143, 0);
  return unhealthy && configured && exit
    ? { evidence: present(unhealthy, exitReason(f, 'Error', 'Completed'), exit), probe }
    : undefined;
}

/** A non-zero exit and an output line matching `pattern`: that line and the exit code are the evidence. */
function failedWithOutput(pattern: RegExp): (f: ContainerFacts) => Finding | undefined {
  return (f) => {
    const line = failedExit(f) ? output(f, pattern) : undefined;
    return line ? { evidence: present(line, exitCodeEvidence(f)) } : undefined;
  };
}

function unreachable(f: ContainerFacts): Finding | undefined {
  if (!failedExit(f)) return undefined;
  const line = output(f, UNREACHABLE);
  if (!line) return undefined;
  const endpoint = capture([line, ...f.logs], ENDPOINTS);
  return { evidence: present(line, exitCodeEvidence(f)), endpoint };
}

function onlyUsage(f: ContainerFacts): Finding | undefined {
  if (!failedExit(f)) return undefined;
  const usage = output(f, USAGE);
  const stackTrace = output(f, /^(panic: |fatal error: )|Traceback|Exception|^\s+at /);
  return usage && !stackTrace ? { evidence: present(usage, exitCodeEvidence(f)) } : undefined;
}

function segfault(f: ContainerFacts): Finding | undefined {
  const exit = exitCode(f, 139);
  if (!exit || output(f, /^(panic: |fatal error: )|Traceback|Exception in thread/)) return undefined;
  return { evidence: present(exit, exitReason(f, 'Error'), output(f, SEGFAULT_TEXT)) };
}

export const RULES: readonly Rule[] = [
  {
    name: 'image-cannot-be-pulled',
    cause: 'image-pull',
    confidence: 'high',
    title: 'The image cannot be pulled',
    signals: 'waiting ErrImagePull / ImagePullBackOff / InvalidImageName / ErrImageNeverPull',
    match: (f) => {
      const reason = waitingReason(f, ...IMAGE_PULL_REASONS);
      return reason
        ? {
            evidence: present(
              reason,
              statusMessage(f, /./),
              eventEvidence(f, 'Failed', /^Failed to pull image/),
            ),
          }
        : undefined;
    },
  },
  {
    name: 'run-as-non-root-rejected',
    cause: 'permission-denied',
    confidence: 'high',
    title: 'runAsNonRoot is set but the image runs as root (or as a named user)',
    signals: 'CreateContainerConfigError "container has runAsNonRoot and image will run as root"',
    match: (f) => {
      const message = statusMessage(f, RUN_AS_NON_ROOT) ?? eventEvidence(f, 'Failed', RUN_AS_NON_ROOT);
      return message
        ? { evidence: present(waitingReason(f, 'CreateContainerConfigError'), message) }
        : undefined;
    },
  },
  {
    name: 'configmap-or-secret-not-found',
    cause: 'missing-config',
    confidence: 'high',
    title: 'A referenced ConfigMap or Secret (or one of its keys) does not exist',
    signals:
      'CreateContainerConfigError / Failed / FailedMount: `configmap "x" not found`, `couldn\'t find key K in Secret ns/x`',
    match: missingConfig,
  },
  {
    name: 'oomkilled-whatever-the-exit-code',
    cause: 'oom-killed',
    confidence: 'high',
    title: 'Killed by the memory cgroup: the container went over its memory limit',
    signals: 'last exit reason OOMKilled (exit code 137, but also 255 or others: the reason decides)',
    match: (f) => {
      const reason = exitReason(f, 'OOMKilled');
      const limit = f.spec?.resources?.limits?.memory;
      return reason
        ? {
            evidence: present(
              reason,
              exitCodeEvidence(f),
              limit ? `resources.limits.memory: ${limit}` : undefined,
            ),
          }
        : undefined;
    },
  },
  {
    name: 'probe-kill-looks-like-clean-exit',
    cause: 'liveness-probe',
    confidence: 'high',
    title: 'Killed by a failing probe',
    signals:
      'Killing event "failed liveness|startup probe, will be restarted"; exit 137, 143, or even 0 Completed',
    match: probeKilled,
  },
  {
    name: 'probe-failed-then-killed',
    cause: 'liveness-probe',
    confidence: 'medium',
    title: 'Probably killed by a failing probe',
    signals: 'Unhealthy "Liveness|Startup probe failed" events and exit 137/143/0, no Killing event kept',
    match: probeFailedThenExited,
  },
  {
    name: 'entrypoint-not-executable',
    cause: 'bad-command',
    confidence: 'high',
    title: 'The entrypoint is not executable (permission denied on the command itself)',
    signals: 'exit 126, or StartError/RunContainerError/CreateContainerError "permission denied"',
    match: (f) => {
      const start =
        exitReason(f, 'StartError') ?? waitingReason(f, 'RunContainerError', 'CreateContainerError');
      const denied = start && statusMessage(f, NOT_EXECUTABLE);
      if (denied) return { evidence: present(start, denied, exitCodeEvidence(f)) };
      const exit = exitCode(f, 126);
      return exit ? { evidence: present(exit, output(f, /permission denied|cannot execute/i)) } : undefined;
    },
  },
  {
    name: 'command-cannot-start',
    cause: 'bad-command',
    confidence: 'high',
    title: 'The command cannot be started',
    signals:
      'StartError (exit 128) / RunContainerError / CreateContainerError: executable not found, exec format error',
    match: (f) => {
      const start =
        exitReason(f, 'StartError') ?? waitingReason(f, 'RunContainerError', 'CreateContainerError');
      const message = start && statusMessage(f, CANNOT_EXEC);
      if (message) return { evidence: present(start, message, exitCodeEvidence(f)) };
      return start && exitCode(f, 128) ? { evidence: present(start, exitCodeEvidence(f)) } : undefined;
    },
  },
  {
    name: 'command-not-found',
    cause: 'bad-command',
    confidence: 'high',
    title: 'The command was not found',
    signals: 'exit 127',
    match: (f) => {
      const exit = exitCode(f, 127);
      return exit ? { evidence: present(exit, output(f, COMMAND_NOT_FOUND)) } : undefined;
    },
  },
  {
    name: 'wrong-cpu-architecture',
    cause: 'bad-command',
    confidence: 'high',
    title: 'The binary is for another CPU architecture',
    signals: '"exec format error" in the output',
    match: failedWithOutput(EXEC_FORMAT),
  },
  {
    name: 'optional-config-left-env-empty',
    cause: 'missing-config',
    confidence: 'high',
    title: 'An env var from an optional ConfigMap/Secret reference is empty and the app dies on it',
    signals: 'env from configMapKeyRef/secretKeyRef with optional: true, and a log line naming that variable',
    match: emptyOptionalEnv,
  },
  {
    name: 'config-error-other',
    cause: 'missing-config',
    confidence: 'medium',
    title: 'The container configuration cannot be built (ConfigMap, Secret or env)',
    signals: 'waiting CreateContainerConfigError with another message',
    match: (f) => {
      const reason = waitingReason(f, 'CreateContainerConfigError');
      return reason ? { evidence: present(reason, statusMessage(f, /./)) } : undefined;
    },
  },
  {
    name: 'permission-error-in-log',
    cause: 'permission-denied',
    confidence: 'high',
    title: 'The process lacks a file, socket or port permission',
    signals:
      'EACCES, Permission denied, Operation not permitted, Read-only file system (incl. bind to a port < 1024)',
    match: failedWithOutput(PERMISSION),
  },
  {
    name: 'dependency-down-not-app-error',
    cause: 'dependency-unreachable',
    confidence: 'high',
    title: 'A service it needs is not reachable',
    signals:
      'connection refused, ECONNREFUSED, no such host, i/o timeout, could not connect to server (even inside a stack trace)',
    match: unreachable,
  },
  {
    name: 'go-panic-mentions-sigsegv',
    cause: 'app-error',
    confidence: 'high',
    title: 'The application panicked',
    signals:
      'Go "panic:" / "fatal error:" and exit 2 (a nil dereference says SIGSEGV but is not a segfault exit)',
    match: (f) => {
      const found = all(output(f, GO_PANIC), exitCode(f, 2));
      return found ? { evidence: present(...found, output(f, SEGFAULT_TEXT)) } : undefined;
    },
  },
  {
    name: 'segfault',
    cause: 'segfault',
    confidence: 'high',
    title: 'The process died of SIGSEGV',
    signals: 'exit 139 and no panic or stack trace in the output',
    match: segfault,
  },
  {
    name: 'exit-zero-under-restart-always',
    cause: 'exit-zero',
    confidence: 'high',
    title: 'The process exits 0 and restartPolicy Always restarts it',
    signals: 'exit 0 Completed, restartPolicy Always, no probe kill',
    match: (f) => {
      const exit = f.restartPolicy === 'Always' ? exitCode(f, 0) : undefined;
      return exit
        ? { evidence: present(exitReason(f, 'Completed'), exit, `restartPolicy: ${f.restartPolicy}`) }
        : undefined;
    },
  },
  {
    name: 'usage-text-only',
    cause: 'bad-command',
    confidence: 'medium',
    title: 'The program printed its usage: the command or arguments are wrong',
    signals: 'usage/help text or "unknown flag" as the output, no stack trace',
    match: onlyUsage,
  },
  {
    name: 'error-in-log',
    cause: 'app-error',
    confidence: 'high',
    title: 'The application failed on its own',
    signals: 'non-zero exit and an error, exception, traceback or panic in the output',
    match: failedWithOutput(ERROR_LINE),
  },
  {
    name: 'failed-with-output',
    cause: 'app-error',
    confidence: 'medium',
    title: 'The application exited with an error',
    signals: 'exit 1, 2 or 255 with some output but no recognised error line',
    match: (f) => {
      const exit = exitCode(f, 1, 2, 255);
      return exit && hasOutput(f) ? { evidence: present(exit, output(f, /\S/)) } : undefined;
    },
  },
];

/**
 * Rules for a container that has not been created yet (waiting ContainerCreating / PodInitializing). Such a
 * container only gets a cause when one of these matches: most are just starting, and "unknown" would be noise.
 * The kubelet creates no container of a pod until every volume is mounted, so a pod-level FailedMount event
 * explains every container of the pod, whether it mounts that volume or not.
 */
export const NOT_STARTED_RULES: readonly Rule[] = [
  {
    name: 'mounted-configmap-or-secret-not-found',
    cause: 'missing-config',
    confidence: 'high',
    title: 'A ConfigMap or Secret mounted as a volume does not exist: the pod cannot start',
    signals:
      'FailedMount `MountVolume.SetUp failed for volume "v" : configmap "x" not found`, and spec.volumes v mounts x',
    match: mountedObjectMissing,
  },
  {
    name: 'mounted-key-not-found',
    cause: 'missing-config',
    confidence: 'high',
    title: 'A key mounted from a ConfigMap or Secret does not exist: the pod cannot start',
    signals: 'FailedMount `references non-existent config|secret key: K`, and spec.volumes items name K',
    match: mountedKeyMissing,
  },
  {
    name: 'mount-names-missing-object',
    cause: 'missing-config',
    confidence: 'medium',
    title: 'A volume cannot be mounted because a ConfigMap or Secret does not exist',
    signals: 'FailedMount `configmap|secret "x" not found` for a volume the spec does not show mounting x',
    match: mountNamesMissingObject,
  },
];

/** When no rule matches: say so, with whatever state we saw. */
export const UNKNOWN_RULE: Rule = {
  name: 'no-rule-matched',
  cause: 'unknown',
  confidence: 'low',
  title: 'No known cause matches the evidence',
  signals: 'none of the rules above',
  match: (f) => ({
    evidence: present(
      f.waiting?.reason ? `state.waiting.reason: ${f.waiting.reason}` : undefined,
      f.lastExit?.reason ? `${f.lastExitField}.reason: ${f.lastExit.reason}` : undefined,
      exitCodeEvidence(f),
      hasOutput(f) ? undefined : 'no previous log',
    ),
  }),
};
