// The classifier's rules, in the order they are tried: the first rule whose signals match decides the cause.
// Read it like popeye's codes.yaml: each row names the rule (traps have their own row), the cause id it
// yields, its confidence, and the signals that decide it. Fix sentences and commands per cause are in
// ../fix.ts; evidence quoting is in ./signals.ts. Sources: DESIGN.md §2, kubelet-facts.md §4–6.
import type { EnvVar, Probe } from '../pod.js';
import {
  all,
  type ContainerFacts,
  capture,
  consideredEvents,
  describeEvent,
  eventEvidence,
  exitCode,
  exitCodeEvidence,
  exitReason,
  failedExit,
  hasOutput,
  output,
  present,
  quote,
  statusMessage,
  tellingLines,
  waitingReason,
} from './signals.js';
import type { CauseId, Confidence, Finding, MissingConfig } from './types.js';
import { type ConfigSource, configSources, type MountedVolume, volumeHolding } from './volumes.js';

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
/** Waiting reasons of a container that has not been created yet: it waits for the pod's volumes. */
const NOT_CREATED_REASONS = ['ContainerCreating', 'PodInitializing'];
/** Why the runtime could not start the process: containerd and CRI-O (StartError), dockershim (ContainerCannotRun). */
const START_FAILED_REASONS = ['StartError', 'ContainerCannotRun'];
/** The memory cgroup's kill: `OOMKilled`, or `OOM Killed` as the kubelet's dockertools wrote it in 2015 (1.0). */
const OOM_REASONS = ['OOMKilled', 'OOM Killed'];

/**
 * Every pattern the rules decide on, in one table: each alternative of each is needed by at least one fixture
 * (test/model/classify/alternatives.test.ts takes them out one at a time), so none is here on speculation.
 * Wordings are the kubelet's, the runtimes' (Docker, containerd, CRI-O) and the apps' own, as reports show them.
 */
export const PATTERNS = {
  missingObject: /\b(configmaps?|secrets?) "([^"]+)" not found/i,
  missingKey: /couldn't find key (\S+) in (\w+) ([^/\s]+)\/(\S+)/,
  runAsNonRoot: /runAsNonRoot and image (will run as root|has non-numeric user)/,
  // `Container api failed liveness probe, will be restarted` (kubelet 1.13+); Docker-era kubelets said
  // `Killing container with id docker://api:Container failed liveness probe.. Container will be killed and recreated.`
  probeKill:
    /failed (liveness|startup) probe(, will be restarted|\.\. Container will be killed and recreated)/,
  // Which probe (liveness or startup: a readiness failure restarts nothing) is checked where it is used.
  probeFailed: /^\w+ probe failed/,
  // The runtime could not exec the command itself (the file lacks its exec bit): runc's `exec: "/entrypoint.sh":
  // permission denied` in the start error, or Docker-era runc's `exec user process caused: permission denied`.
  notExecutable: /exec: \\?"[^"\\]+\\?": permission denied|exec user process caused:? \\?"?permission denied/,
  // The runtime could not find the command: `exec: "gunicorn": executable file not found in $PATH`,
  // `exec: "./user": stat ./user: no such file or directory`.
  cannotExec:
    /executable file not found in \$PATH|exec: \\?"[^"\\]+\\?": stat \S+: no such file or directory/,
  execFormat: /exec format error/i,
  commandNotFound: /command not found|: not found$/i,
  notExecutableOutput: /permission denied/i,
  // EACCES (`Permission denied`), EPERM (`Operation not permitted`, e.g. chown on an NFS or CephFS volume), EROFS.
  permission: /permission denied|operation not permitted|read-only file system/i,
  // PostgreSQL's own refusal of its data directory (then exit 1): `FATAL:  data directory "/var/lib/postgresql/data"
  // has wrong ownership`, `… has group or world access` (a volume's root left group-writable, e.g. by fsGroup).
  dataDirRefused: /data directory "([^"]+)" has (wrong ownership|group or world access)/,
  // initdb's refusal to initialise a directory that holds anything, e.g. a fresh volume's lost+found: `initdb:
  // error: directory "/var/lib/postgresql/data" exists but is not empty` (`initdb: directory …` before PostgreSQL 12).
  dataDirNotEmpty: /\binitdb: (?:error: )?directory "([^"]+)" exists but is not empty/,
  // The first absolute path a line names (`open '/data/x'`, coreutils' curly-quoted paths), not a URL's.
  path: /(?<![\w:/.])(\/[^\s'"\u2018\u2019:,;()]+)/,
  // Wait scripts' time-outs say so too: bitnami's wait-for-port (`timeout reached before the port went into state
  // "inuse"`), wait-for-it.sh (`timeout occurred after waiting 30 seconds for db:5432`). Go's resolver says `server
  // misbehaving` when the cluster DNS fails.
  unreachable:
    /ECONNREFUSED(?!')|ENOTFOUND(?!')|connection refused|no such host|Name or service not known|Temporary failure in name resolution|no route to host|server misbehaving|i\/o timeout|could not connect to server|host not found|Unable to connect to|timeout reached before the port went into state|timeout occurred after waiting|Trying to re-establish the connection/i,
  // The kubelet's volume set-up errors (pkg/volume/configmap, secret, projected), reported as FailedMount events
  // on the pod itself (no fieldPath): `MountVolume.SetUp failed for volume "cfg" : configmap "x" not found`,
  // `… : configmap references non-existent config key: K`, `… : references non-existent secret key: K`.
  mountFailed: /MountVolume\.SetUp failed for volume "([^"]+)"\s*:\s*(.*)/s,
  missingMountedKey: /references non-existent (\w+) key: (\S+)/,
  // Go's own panic (at the start of a line, or after a log collector's prefix), and client-go's HandleCrash
  // report of one (`Observed a panic: …`) before it re-panics.
  goPanic: /\bpanic: /,
  segfaultText: /SIGSEGV/i,
  // A crash printed by a wrapper that then exits with its own code: the shell's `line 4: 6 Segmentation fault
  // (core dumped)`, Go's os/exec `signal: segmentation fault`, fluent-bit's `caught signal (SIGSEGV)`, the JVM's
  // `#  SIGSEGV (0xb) at pc=…` (then abort, 134). Not Go's own panic text (`[signal SIGSEGV: segmentation
  // violation …]`), which is an app error.
  segfaultPrinted: /segmentation fault|caught signal \(SIGSEGV\)|^#\s+SIGSEGV/i,
  // The process states why it exits (klog/glog): that statement outranks earlier connection errors.
  exitStatement: /exiting because of error/,
  // The process says it was stopped from outside (then exits 0): not an exit of its own.
  stoppedBySignal: /caught SIGTERM/,
  // Go's flag (`flag provided but not defined`), cobra/pflag (`unknown flag: --x`, `unknown shorthand flag: 'v' in
  // -v=5`, `unknown command`).
  usage: /^\s*usage:|flag provided but not defined|unknown (shorthand flag|flag|command)/i,
  // A qualified class name is bounded: unbounded, a long `a.a.a.…` line would be scanned to its end from every dot.
  errorLine:
    /\b[\w.$]{0,255}(Error|Exception)\b:|\(\w*Error\)$|\bERROR\b|\[emerg\]|invalid value|must be provided/i,
  emptyValue: /\b(not set|KeyError)\b/i,
  // A wait loop's own line: `waiting for mysql`, …
  waitLoop: /\bwaiting for\b/i,
  // The forms in which a runtime or framework reports that the process gives up, not just that something failed:
  // Python's and Lua's uncaught-error tracebacks, Ruby's (`message (ArgumentError)` then `from …` lines), Spring
  // Boot's `Application run failed`, nginx's `[emerg]` (it exits on it), MySQL's `[ERROR] … Aborting`, klog's
  // `exiting because of error`. A generic `ERROR` line with exit 1 is not one: it may be a symptom of the cause.
  fatalError:
    /^Traceback \(most recent call last\):|^stack traceback:$|\(\w+Error\)$|Application run failed|\[emerg\]|\[ERROR\].*\bAborting$|exiting because of error/,
};

/**
 * Where the app says it tried to connect, most specific first: `connect ECONNREFUSED 10.0.0.12:5432`,
 * `dial tcp 10.96.14.2:8200`, `lookup redis.cache.svc.cluster.local`, psql's
 * `Is the server running on host "db"`. Each entry is one alternative, as in PATTERNS.
 */
export const ENDPOINTS: RegExp[] = [
  /(?:dial tcp|ECONNREFUSED)\s+\[?([\w.-]+\]?:\d{1,5})\b/,
  /\blookup ([\w.-]+)/,
  // Node: `Error: getaddrinfo ENOTFOUND orders-db.shop.svc`.
  /getaddrinfo ENOTFOUND ([\w.-]+)/,
  // Java and Netty name the host before the address they resolved: `Connection refused: orders-db/10.0.0.1:5432`.
  /Connection refused: ([\w.-]+)\/[\d.]+:\d{1,5}/,
  /running on host "([^"]+)"/,
  // wait-for-it.sh: `waiting 30 seconds for db.ns.svc.cluster.local:5432`; nginx: `host not found in upstream "api"`.
  /waiting \d+ seconds for ([\w.-]+:\d{1,5})/,
  /host not found in upstream "([\w.-]+)/,
  // redis-py: `Error -2 connecting to my-redis:6379. Name or service not known.`
  /connecting to ([\w.-]+:\d{1,5})/,
  // urllib3 (Python requests): `HTTPConnectionPool(host='api', port=80): Max retries exceeded`.
  /ConnectionPool\(host='([\w.-]+)'/,
  // A URL on a line about connecting or dialling, its userinfo (a password) left out:
  // `connecting to postgres://app:…@orders-db.shop.svc:5432/prod`, `error dialing master at http://master:8080/…`.
  // The scheme is bounded: unbounded, a long `a.a.a.…` line would be scanned to its end from every dot.
  /^(?=.*(?:connect|dial)).*?\b[a-z][\w+.-]{0,31}:\/\/(?:[^\s/@]*@)?([\w.-]+(?::\d{1,5})?)/i,
  // A JSON log about connecting: `{"msg":"could not connect to server","host":"orders-db.shop.svc","port":5432}`.
  /^(?=.*connect).*"host"\s*:\s*"([\w.-]+)"/i,
];

function probeOf(text: string | undefined): 'liveness' | 'startup' | undefined {
  const match = text?.match(/(liveness|startup) probe/i);
  return match ? (match[1]!.toLowerCase() as 'liveness' | 'startup') : undefined;
}

function missingFrom(text: string | undefined): MissingConfig | undefined {
  const key = text?.match(PATTERNS.missingKey);
  if (key) {
    return { kind: key[2] === 'Secret' ? 'secret' : 'configmap', name: key[4]!, key: key[1]!, keyOnly: true };
  }
  const object = text?.match(PATTERNS.missingObject);
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
  const pattern = new RegExp(`${PATTERNS.missingObject.source}|${PATTERNS.missingKey.source}`, 'i');
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
    const match = event.reason === 'FailedMount' ? PATTERNS.mountFailed.exec(event.message ?? '') : null;
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
    const match = PATTERNS.missingMountedKey.exec(failure.error);
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
    const line = output(
      f,
      new RegExp(`${name}.*${PATTERNS.emptyValue.source}|${PATTERNS.emptyValue.source}.*${name}`, 'i'),
    );
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
  const killing = eventEvidence(f, 'Killing', PATTERNS.probeKill);
  if (!killing) return undefined;
  const probe = probeOf(killing);
  const unhealthy = eventEvidence(f, 'Unhealthy', new RegExp(`^${probe} probe failed`, 'i'));
  return {
    evidence: present(killing, unhealthy, exitReason(f, 'Error', 'Completed'), exitCodeEvidence(f)),
    probe,
  };
}

function probeFailedThenExited(f: ContainerFacts): Finding | undefined {
  const unhealthy = eventEvidence(f, 'Unhealthy', PATTERNS.probeFailed);
  const probe = probeOf(unhealthy);
  const configured = probe === 'startup' ? f.spec?.startupProbe : f.spec?.livenessProbe;
  const exit = exitCode(f, 137, 143, 0);
  return unhealthy && configured && exit
    ? { evidence: present(unhealthy, exitReason(f, 'Error', 'Completed'), exit), probe }
    : undefined;
}

/**
 * A non-zero exit and an output line matching `pattern`: that line and the exit code are the evidence. A start
 * failure has no output of its own (its message is the runtime's: the process never ran).
 */
function failedWithOutput(pattern: keyof typeof PATTERNS): (f: ContainerFacts) => Finding | undefined {
  return (f) => {
    const ran = failedExit(f) && !exitReason(f, ...START_FAILED_REASONS);
    const line = ran ? output(f, PATTERNS[pattern]) : undefined;
    return line ? { evidence: present(line, exitCodeEvidence(f)) } : undefined;
  };
}

/** The volume mount and the claim behind it: why the fix names that volume. */
function volumeEvidence(f: ContainerFacts, on: MountedVolume | undefined): string[] {
  if (!on) return [];
  return present(
    mountedAt(f, on.volume),
    on.claim ? `spec.volumes[${on.volume}].persistentVolumeClaim.claimName: ${on.claim}` : undefined,
  );
}

/** A permission error; when the path it names is on a volume, that volume (the fix is about its ownership). */
function permissionDenied(f: ContainerFacts): Finding | undefined {
  const found = failedWithOutput('permission')(f);
  if (!found) return undefined;
  const path = PATTERNS.path.exec(found.evidence[0]!)?.[1];
  const deniedOn = path ? volumeHolding(f.spec, f.volumes, path) : undefined;
  return deniedOn ? { evidence: [...found.evidence, ...volumeEvidence(f, deniedOn)], deniedOn } : found;
}

/** PostgreSQL refused its data directory's owner or mode, with the volume that holds the directory. */
function dataDirectoryRefused(f: ContainerFacts): Finding | undefined {
  const found = failedWithOutput('dataDirRefused')(f);
  if (!found) return undefined;
  const dataDirectory = PATTERNS.dataDirRefused.exec(found.evidence[0]!)![1]!;
  const deniedOn = volumeHolding(f.spec, f.volumes, dataDirectory);
  return {
    evidence: [...found.evidence, ...volumeEvidence(f, deniedOn)],
    dataDirectory,
    ...(deniedOn ? { deniedOn } : {}),
  };
}

/** initdb refused a data directory that is not empty, with the volume whose root it is. */
function dataDirectoryNotEmpty(f: ContainerFacts): Finding | undefined {
  const found = failedWithOutput('dataDirNotEmpty')(f);
  if (!found) return undefined;
  const dataDirectory = PATTERNS.dataDirNotEmpty.exec(found.evidence[0]!)![1]!;
  const on = volumeHolding(f.spec, f.volumes, dataDirectory);
  const root = on && on.mountPath.replace(/\/+$/, '') === dataDirectory ? on : undefined;
  return {
    evidence: [...found.evidence, ...volumeEvidence(f, on)],
    dataDirectory,
    ...(root ? { volumeRoot: root } : {}),
  };
}

/**
 * The process said why it exits (`log: exiting because of error: log: cannot create log: …`) after its last
 * connection error, and it was not that: the connection error only triggered the real failure.
 */
function exitsForAnotherReason(f: ContainerFacts): boolean {
  const lastUnreachable = f.logs.findLastIndex((line) => PATTERNS.unreachable.test(line));
  const statement = f.logs.findLastIndex((line) => PATTERNS.exitStatement.test(line));
  return statement > lastUnreachable && lastUnreachable >= 0;
}

function unreachable(f: ContainerFacts): Finding | undefined {
  if (!failedExit(f)) return undefined;
  const line = output(f, PATTERNS.unreachable);
  if (!line || exitsForAnotherReason(f)) return undefined;
  const endpoint = capture([line, ...f.logs], ENDPOINTS);
  return { evidence: present(line, exitCodeEvidence(f)), endpoint };
}

/**
 * An error line of another kind after the last connection failure: the failure may have caused it, or it may
 * be the real cause. Only a connection failure that is the last error the process printed is unambiguous.
 */
function otherErrorAfterUnreachable(f: ContainerFacts): boolean {
  const last = f.logs.findLastIndex((line) => PATTERNS.unreachable.test(line));
  return f.logs.slice(last + 1).some((line) => PATTERNS.errorLine.test(line));
}

/** The process waited for a service (a wait loop's lines) and then failed: whatever its last error says. */
function waitedForDependency(f: ContainerFacts): Finding | undefined {
  if (!failedExit(f) || !exitedByItself(f)) return undefined;
  const line = output(f, PATTERNS.waitLoop);
  if (!line) return undefined;
  const endpoint = capture([line, ...f.logs], ENDPOINTS);
  return { evidence: present(line, output(f, PATTERNS.errorLine), exitCodeEvidence(f)), endpoint };
}

/**
 * Exit 137 and 143 are SIGKILL and SIGTERM sent from outside (the kubelet, the OOM killer, the runtime): what the
 * process printed before is not why it stopped, so an error line then says nothing about an error of its own.
 */
function exitedByItself(f: ContainerFacts): boolean {
  return !exitCode(f, 137, 143);
}

/**
 * An error line, a non-zero exit the process chose itself, and (for `high`) a fatal form. A fatal form after a wait
 * loop is the process giving up on what it waited for: that is for the wait-loop rule, not a sure app error.
 */
function appError(fatal: boolean): (f: ContainerFacts) => Finding | undefined {
  return (f) => {
    if (!exitedByItself(f) || (fatal && output(f, PATTERNS.waitLoop))) return undefined;
    const found = failedWithOutput('errorLine')(f);
    if (!found) return undefined;
    const form = output(f, PATTERNS.fatalError);
    if (fatal !== (form !== undefined)) return undefined;
    return form && !found.evidence.includes(form)
      ? { evidence: [found.evidence[0]!, form, ...found.evidence.slice(1)] }
      : found;
  };
}

/**
 * Docker (up to 1.9, and dockershim later when the kill hit a child process) could report a memory-cgroup kill
 * as reason Error with exit 137. SIGKILL under a memory limit, with no liveness probe that could have sent it,
 * is then most likely the limit, though a kill from outside cannot be ruled out.
 */
function dockerKillUnderMemoryLimit(f: ContainerFacts): Finding | undefined {
  const exit = exitCode(f, 137);
  const limit = f.spec?.resources?.limits?.memory;
  const id = f.lastExit?.containerID ?? f.status.containerID;
  if (
    !exit ||
    !limit ||
    f.spec?.livenessProbe ||
    exitReason(f, ...OOM_REASONS) ||
    !id?.startsWith('docker://')
  ) {
    return undefined;
  }
  return {
    evidence: present(
      exitReason(f, 'Error'),
      exit,
      `resources.limits.memory: ${limit}`,
      `containerID: ${id}`,
    ),
  };
}

function segfault(f: ContainerFacts): Finding | undefined {
  const exit = exitCode(f, 139);
  if (!exit) return undefined;
  return { evidence: present(exit, exitReason(f, 'Error'), output(f, PATTERNS.segfaultText)) };
}

/** The reason the runtime gave for not starting the process, when it gave one. */
function startReason(f: ContainerFacts): string | undefined {
  return (
    exitReason(f, ...START_FAILED_REASONS) ?? waitingReason(f, 'RunContainerError', 'CreateContainerError')
  );
}

/**
 * The runtime's start error, wherever it was kept: the waiting or last exit message, or a `Failed` event (older
 * kubelets and dockershim put it only there, with a status that says just `Error`). The text decides, whatever
 * the exit code.
 */
function startFailure(f: ContainerFacts, pattern: RegExp): string | undefined {
  return statusMessage(f, pattern) ?? eventEvidence(f, 'Failed', pattern);
}

/** `livenessProbe: httpGet :8000/_health, initialDelaySeconds 0, periodSeconds 10, timeoutSeconds 1, failureThreshold 3` */
export function probeEvidence(kind: 'livenessProbe' | 'startupProbe', probe: Probe): string {
  const target = probe.httpGet
    ? `httpGet :${probe.httpGet.port}${probe.httpGet.path ?? ''}`
    : probe.tcpSocket
      ? `tcpSocket :${probe.tcpSocket.port}`
      : probe.exec
        ? `exec ${(probe.exec.command ?? []).join(' ')}`
        : 'grpc';
  const numbers = [
    `initialDelaySeconds ${probe.initialDelaySeconds ?? 0}`,
    `periodSeconds ${probe.periodSeconds ?? 10}`,
    `timeoutSeconds ${probe.timeoutSeconds ?? 1}`,
    `failureThreshold ${probe.failureThreshold ?? 3}`,
  ];
  return `${kind}: ${target}, ${numbers.join(', ')}`;
}

/**
 * Killed by SIGKILL or SIGTERM (not the memory cgroup), with a liveness probe configured and nothing else in the
 * log: the kubelet's probe kill is the likely cause even when its events have expired (1 h) or were never kept.
 */
function killedWithLivenessProbe(f: ContainerFacts): Finding | undefined {
  const exit = exitCode(f, 137, 143);
  const probe = f.spec?.livenessProbe;
  if (!exit || !probe) return undefined;
  return {
    evidence: present(exitReason(f, 'Error'), exit, probeEvidence('livenessProbe', probe)),
    probe: 'liveness',
  };
}

function exitedZero(f: ContainerFacts): Finding | undefined {
  const exit = f.restartPolicy === 'Always' ? exitCode(f, 0) : undefined;
  if (!exit || output(f, PATTERNS.stoppedBySignal)) return undefined;
  return { evidence: present(exitReason(f, 'Completed'), exit, `restartPolicy: ${f.restartPolicy}`) };
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
      const message =
        statusMessage(f, PATTERNS.runAsNonRoot) ?? eventEvidence(f, 'Failed', PATTERNS.runAsNonRoot);
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
    signals:
      'last exit reason OOMKilled (exit code 137, but also 255 or others: the reason decides), or `OOM Killed` as the kubelets of 2015 wrote it',
    match: (f) => {
      const reason = exitReason(f, ...OOM_REASONS);
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
    signals:
      'exit 126, or the runtime\'s `exec: "X": permission denied` / `exec user process caused: permission denied` in the start error, a Failed event or the log, whatever the exit code',
    match: (f) => {
      const denied = startFailure(f, PATTERNS.notExecutable) ?? output(f, PATTERNS.notExecutable);
      if (denied) return { evidence: present(startReason(f), denied, exitCodeEvidence(f)) };
      const exit = exitCode(f, 126);
      return exit ? { evidence: present(exit, output(f, PATTERNS.notExecutableOutput)) } : undefined;
    },
  },
  {
    name: 'command-cannot-start',
    cause: 'bad-command',
    confidence: 'high',
    title: 'The command cannot be started',
    signals:
      'the runtime\'s start error (status message or Failed event) says the command is not there: executable file not found in $PATH, exec: "X": stat X: no such file or directory; whatever the exit code',
    match: (f) => {
      const message = startFailure(f, PATTERNS.cannotExec);
      return message ? { evidence: present(startReason(f), message, exitCodeEvidence(f)) } : undefined;
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
      return exit ? { evidence: present(exit, output(f, PATTERNS.commandNotFound)) } : undefined;
    },
  },
  {
    name: 'wrong-cpu-architecture',
    cause: 'bad-command',
    confidence: 'high',
    title: 'The binary is for another CPU architecture',
    signals: '"exec format error" in the output',
    match: failedWithOutput('execFormat'),
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
    name: 'segfault-printed-by-wrapper',
    cause: 'segfault',
    confidence: 'high',
    title: 'The process died of SIGSEGV (a wrapper printed it and exited with its own code)',
    signals:
      '"Segmentation fault" or "caught signal (SIGSEGV)" in the output of a failed container, whatever the exit code (not Go\'s "segmentation violation" panic)',
    match: failedWithOutput('segfaultPrinted'),
  },
  {
    name: 'initdb-data-directory-not-empty',
    cause: 'app-error',
    confidence: 'high',
    title: 'initdb refuses a data directory that is not empty (a volume root with lost+found)',
    signals: 'initdb\'s `directory "X" exists but is not empty` in the output of a failed container',
    match: dataDirectoryNotEmpty,
  },
  {
    name: 'postgres-data-directory-refused',
    cause: 'permission-denied',
    confidence: 'high',
    title: 'PostgreSQL refuses the owner or mode of its data directory',
    signals:
      'PostgreSQL\'s `data directory "X" has wrong ownership` or `… has group or world access` in the output of a failed container',
    match: dataDirectoryRefused,
  },
  {
    name: 'permission-error-in-log',
    cause: 'permission-denied',
    confidence: 'high',
    title: 'The process lacks a file, socket or port permission',
    signals:
      'EACCES, Permission denied, Operation not permitted, Read-only file system (incl. bind to a port < 1024)',
    match: permissionDenied,
  },
  {
    name: 'dependency-down-not-app-error',
    cause: 'dependency-unreachable',
    confidence: 'high',
    title: 'A service it needs is not reachable',
    signals:
      'connection refused, ECONNREFUSED, no such host, i/o timeout, could not connect to server (even inside a stack trace), unless a later line says it exits for another reason',
    match: (f) => (otherErrorAfterUnreachable(f) ? undefined : unreachable(f)),
  },
  {
    name: 'dependency-down-then-other-error',
    cause: 'dependency-unreachable',
    confidence: 'medium',
    title: 'A service it needs is not reachable (and the process printed another error after it)',
    signals: 'as above, but an error line of another kind follows the last connection failure',
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
      const found = all(output(f, PATTERNS.goPanic), exitCode(f, 2));
      return found ? { evidence: present(...found, output(f, PATTERNS.segfaultText)) } : undefined;
    },
  },
  {
    name: 'segfault',
    cause: 'segfault',
    confidence: 'high',
    title: 'The process died of SIGSEGV',
    signals: 'exit 139 (after the Go panic trap: a panic that mentions SIGSEGV exits 2)',
    match: segfault,
  },
  {
    name: 'exit-zero-under-restart-always',
    cause: 'exit-zero',
    confidence: 'high',
    title: 'The process exits 0 and restartPolicy Always restarts it',
    signals:
      'exit 0 Completed, restartPolicy Always, no probe kill, output that does not say it was stopped (SIGTERM)',
    match: (f) => (hasOutput(f) ? exitedZero(f) : undefined),
  },
  {
    name: 'exit-zero-without-output',
    cause: 'exit-zero',
    confidence: 'medium',
    title: 'The process exits 0 and restartPolicy Always restarts it (no output to tell why)',
    signals:
      'exit 0 Completed, restartPolicy Always, no probe kill, no output: a process stopped by a signal can exit 0 too',
    match: (f) => (hasOutput(f) ? undefined : exitedZero(f)),
  },
  {
    name: 'usage-text-only',
    cause: 'bad-command',
    confidence: 'medium',
    title: 'The program printed its usage: the command or arguments are wrong',
    signals:
      'a usage line, "flag provided but not defined" or "unknown flag|command" in the output of a failed container',
    match: failedWithOutput('usage'),
  },
  {
    name: 'fatal-error-in-log',
    cause: 'app-error',
    confidence: 'high',
    title: 'The application failed on its own',
    signals:
      "an exit of its own (not 137/143), an error line, and a fatal form: a traceback, `Application run failed`, `[emerg]`, `Aborting`, klog's `exiting because of error`",
    match: appError(true),
  },
  {
    name: 'dependency-wait-loop',
    cause: 'dependency-unreachable',
    confidence: 'medium',
    title: 'It waited for a service it needs, then gave up',
    signals:
      'a wait loop\'s line ("waiting for …") in the output of a failed container: it outranks a generic error',
    match: waitedForDependency,
  },
  {
    name: 'error-in-log',
    cause: 'app-error',
    confidence: 'medium',
    title: 'The application failed on its own',
    signals:
      'an exit of its own (not 137/143) and an error or exception line in the output, in no fatal form',
    match: appError(false),
  },
  {
    name: 'killed-with-a-liveness-probe',
    cause: 'liveness-probe',
    confidence: 'medium',
    title: 'Probably killed by its liveness probe (no probe event kept)',
    signals:
      'exit 137 or 143 (not OOMKilled), a livenessProbe configured, no error in the log, no probe events',
    match: killedWithLivenessProbe,
  },
  {
    name: 'docker-kill-under-memory-limit',
    cause: 'oom-killed',
    confidence: 'medium',
    title: 'Probably killed by the memory cgroup (Docker reported it as Error 137)',
    signals: 'exit 137 reason Error on Docker, a memory limit, no liveness probe',
    match: dockerKillUnderMemoryLimit,
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
  signals: 'none of the rules above; the evidence is what a reader should look at first',
  match: (f) => ({
    evidence: present(
      f.waiting?.reason ? `state.waiting.reason: ${quote(f.waiting.reason)}` : undefined,
      f.lastExit?.reason ? `${f.lastExitField}.reason: ${quote(f.lastExit.reason)}` : undefined,
      exitCodeEvidence(f),
      hasOutput(f) ? undefined : 'no previous log',
      ...tellingLines(f, PATTERNS.errorLine),
      ...consideredEvents(f),
    ),
  }),
};
