import type { ContainerState, ContainerStatus, PodCondition } from '../model/pod.js';
import { type CrashLoopBackoff, goDuration } from './backoff.js';
import { fallbackTerminationMessage, type Instance } from './container-log.js';
import type { EventInput, PodRef } from './events.js';
import { hex64, seededInt } from './names.js';
import type { ContainerScenario, PodTemplateScenario } from './scenario.js';
import type { Scheduler } from './scheduler.js';
import { rfc3339 } from './time-format.js';

// The kubelet's side of one pod: starting containers, their exits, the crash-loop backoff between restarts, image
// pulls, probe kills, and the status and events it writes for all that (kubelet-facts.md §1–5). It runs on the
// simulated clock through the scheduler; `onChange` tells the cluster the pod's status must be republished.

/** How long the kubelet takes from deciding to start a container to the container running. */
const START_DELAY_MS = 1000;
/** The pod worker's retry period for errors that do not back off (CreateContainerConfigError). */
const RETRY_MS = 10_000;
/** From a container's exit to the status that shows its CrashLoopBackOff: one PLEG relist and pod sync. */
const STATUS_SYNC_MS = 1000;
/** The kubelet's --sync-frequency (default 1 min): the longest a pod worker waits before it syncs a pod again. */
const RESYNC_INTERVAL_MS = 60_000;
/** An init container that just "runs" finishes after this long. */
const INIT_RUN_MS = 2000;

export interface KubeletDeps {
  scheduler: Scheduler;
  crashLoop: CrashLoopBackoff;
  imagePull: CrashLoopBackoff;
  event: (pod: PodRef, at: number, input: EventInput) => void;
  onChange: (pod: PodRuntime) => void;
}

interface ContainerRuntime {
  scenario: ContainerScenario;
  init: boolean;
  /** An init container with `restartPolicy: Always`: started in order, then runs beside the app containers. */
  sidecar: boolean;
  restartCount: number;
  current?: Instance;
  previous?: Instance;
  waiting?: { reason: string; message?: string };
  ready: boolean;
  /** An init container that exited 0. */
  done: boolean;
}

export class PodRuntime {
  readonly containers: ContainerRuntime[];
  readonly initContainers: ContainerRuntime[];
  private readonly conditionSince = new Map<string, { status: string; at: number }>();
  deleted = false;
  private appStarted = false;

  constructor(
    readonly ref: PodRef,
    readonly template: PodTemplateScenario,
    readonly restartPolicy: 'Always' | 'OnFailure' | 'Never',
    readonly createdAt: number,
    private readonly deps: KubeletDeps,
  ) {
    const runtime = (scenario: ContainerScenario, init: boolean): ContainerRuntime => ({
      scenario,
      init,
      sidecar: init && scenario.spec.restartPolicy === 'Always',
      restartCount: 0,
      ready: false,
      done: false,
    });
    this.initContainers = template.initContainers.map((c) => runtime(c, true));
    this.containers = template.containers.map((c) => runtime(c, false));
    deps.event(ref, createdAt, {
      reason: 'Scheduled',
      message: `Successfully assigned ${ref.namespace}/${ref.name} to ${ref.node}`,
      component: 'default-scheduler',
    });
    deps.scheduler.at(createdAt + START_DELAY_MS, (at) => this.startNextStage(at));
  }

  /** Starts the next init container, or every app container once initialisation is over. */
  private startNextStage(at: number): void {
    if (this.deleted) return;
    const next = this.initContainers.find((c) => !c.done && !(c.sidecar && c.current));
    if (next) {
      this.launch(next, at);
      return;
    }
    if (this.appStarted) return;
    this.appStarted = true;
    for (const c of this.containers) this.launch(c, at);
  }

  private fieldPath(c: ContainerRuntime): string {
    return `spec.${c.init ? 'initContainers' : 'containers'}{${c.scenario.spec.name}}`;
  }

  private event(c: ContainerRuntime, at: number, input: EventInput): void {
    this.deps.event(this.ref, at, { fieldPath: this.fieldPath(c), ...input });
  }

  private backoffKey(c: ContainerRuntime): string {
    return `${this.ref.name}_${this.ref.namespace}_${this.ref.uid}_${c.scenario.spec.name}`;
  }

  /** One attempt of the kubelet's SyncPod to start container `c`. */
  private launch(c: ContainerRuntime, at: number): void {
    if (this.deleted) return;
    const { behavior, spec } = c.scenario;
    const image = spec.image ?? '';
    if (behavior.kind === 'image-pull') {
      this.pullImage(c, at);
      return;
    }
    this.event(c, at, { reason: 'Pulled', message: `Container image "${image}" already present on machine` });
    if (behavior.kind === 'missing-config') {
      const message = behavior.key
        ? `couldn't find key ${behavior.key} in ${behavior.resource} ${this.ref.namespace}/${behavior.name}`
        : `${behavior.resource.toLowerCase()} "${behavior.name}" not found`;
      c.waiting = { reason: 'CreateContainerConfigError', message };
      this.event(c, at, { reason: 'Failed', type: 'Warning', message: `Error: ${message}` });
      this.deps.onChange(this);
      this.deps.scheduler.at(at + RETRY_MS, (t) => this.launch(c, t));
      return;
    }
    this.event(c, at, { reason: 'Created', message: `Created container: ${spec.name}` });
    this.event(c, at, { reason: 'Started', message: `Started container ${spec.name}` });
    const firstStart = !c.current;
    if (c.current) {
      c.previous = c.current;
      c.restartCount += 1;
    }
    const instance: Instance = {
      containerID: `containerd://${hex64(`${this.ref.uid}/${spec.name}/${c.restartCount}`)}`,
      startedAt: at,
      script: c.scenario.logs,
    };
    c.current = instance;
    c.waiting = undefined;
    c.ready = !c.init || c.sidecar;
    this.deps.onChange(this);
    if (c.sidecar && firstStart) this.deps.scheduler.at(at, (t) => this.startNextStage(t));
    this.scheduleExit(c, instance);
  }

  private scheduleExit(c: ContainerRuntime, instance: Instance): void {
    const { behavior } = c.scenario;
    const scheduler = this.deps.scheduler;
    const start = instance.startedAt;
    if (behavior.kind === 'crash') {
      instance.exitLinesAt = start + behavior.afterMs;
      scheduler.at(instance.exitLinesAt, (t) => {
        this.exit(c, instance, t, behavior.exitCode, behavior.reason, behavior.message);
      });
    } else if (behavior.kind === 'liveness-failure') {
      this.scheduleProbeKill(
        c,
        instance,
        behavior.afterMs,
        behavior.probeMessage,
        behavior.probe,
        behavior.exitCode,
      );
    } else if (c.init && !c.sidecar) {
      instance.exitLinesAt = start + INIT_RUN_MS;
      scheduler.at(instance.exitLinesAt, (t) => this.exit(c, instance, t, 0, 'Completed'));
    }
  }

  /**
   * A probe that starts failing `afterMs` into the run: `failureThreshold` Unhealthy events one period apart, then
   * the kubelet's Killing event, then the exit (SIGKILL after the grace period for 137, at once otherwise).
   */
  private scheduleProbeKill(
    c: ContainerRuntime,
    instance: Instance,
    afterMs: number,
    message: string,
    probe: 'Liveness' | 'Startup',
    exitCode: number,
  ): void {
    const spec = c.scenario.spec;
    const probeSpec = probe === 'Liveness' ? spec.livenessProbe : spec.startupProbe;
    const periodMs = (probeSpec?.periodSeconds ?? 10) * 1000;
    const threshold = probeSpec?.failureThreshold ?? 3;
    const failAt = instance.startedAt + afterMs;
    const killAt = failAt + (threshold - 1) * periodMs;
    const graceMs = exitCode === 137 ? 30_000 : 1000;
    for (let i = 0; i < threshold; i++) {
      this.deps.scheduler.at(failAt + i * periodMs, (t) => {
        if (c.current !== instance) return;
        c.ready = false;
        this.event(c, t, {
          reason: 'Unhealthy',
          type: 'Warning',
          message: `${probe} probe failed: ${message}`,
        });
        this.deps.onChange(this);
      });
    }
    instance.exitLinesAt = killAt;
    this.deps.scheduler.at(killAt, (t) => {
      const will = this.willRestart(c, exitCode) ? ', will be restarted' : '';
      this.event(c, t, {
        reason: 'Killing',
        message: `Container ${spec.name} failed ${probe.toLowerCase()} probe${will}`,
      });
    });
    this.deps.scheduler.at(killAt + graceMs, (t) => this.exit(c, instance, t, exitCode, 'Error'));
  }

  private willRestart(c: ContainerRuntime, exitCode: number): boolean {
    if (c.sidecar) return true;
    const policy = this.restartPolicy;
    if (c.init) return exitCode !== 0 && policy !== 'Never';
    return policy === 'Always' || (policy === 'OnFailure' && exitCode !== 0);
  }

  private exit(
    c: ContainerRuntime,
    instance: Instance,
    at: number,
    exitCode: number,
    reason: string,
    message?: string,
  ) {
    if (this.deleted || c.current !== instance) return;
    instance.finishedAt = at;
    instance.exitCode = exitCode;
    instance.reason = reason;
    if (message) instance.message = message;
    else if (exitCode !== 0 && c.scenario.spec.terminationMessagePolicy === 'FallbackToLogsOnError') {
      instance.message = fallbackTerminationMessage(instance, at);
    }
    c.ready = false;
    this.deps.onChange(this);
    if (c.init && exitCode === 0 && !c.sidecar) {
      c.done = true;
      c.ready = true;
      this.deps.scheduler.at(at + START_DELAY_MS, (t) => this.startNextStage(t));
      return;
    }
    if (!this.willRestart(c, exitCode)) return;
    this.restartAfterExit(c, instance, at);
  }

  /** `doBackOff` (kuberuntime_manager.go): restart at once on a fresh entry, else wait in CrashLoopBackOff. */
  private restartAfterExit(c: ContainerRuntime, instance: Instance, at: number): void {
    if (this.deleted || c.current !== instance) return;
    const key = this.backoffKey(c);
    const backoff = this.deps.crashLoop;
    const finishedAt = instance.finishedAt!;
    if (!backoff.inBackoffSince(key, finishedAt, at)) {
      backoff.next(key, finishedAt, at);
      this.launch(c, at);
      return;
    }
    const waitMs = backoff.get(key);
    const scheduler = this.deps.scheduler;
    scheduler.at(finishedAt + Math.min(STATUS_SYNC_MS, waitMs), (t) =>
      this.enterCrashLoop(c, instance, waitMs, t),
    );
    scheduler.at(finishedAt + waitMs, (t) => this.restartAfterExit(c, instance, t));
  }

  /**
   * The status written in the sync that saw the exit still shows the container terminated (STATUS `Error`,
   * `OOMKilled`…); the back-off reaches the status one sync later (kubelet-facts.md §1.4).
   */
  private enterCrashLoop(c: ContainerRuntime, instance: Instance, waitMs: number, at: number): void {
    if (this.deleted || c.current !== instance) return;
    const name = c.scenario.spec.name;
    const pod = `${this.ref.name}_${this.ref.namespace}(${this.ref.uid})`;
    c.waiting = {
      reason: 'CrashLoopBackOff',
      message: `back-off ${goDuration(waitMs)} restarting failed container=${name} pod=${pod}`,
    };
    const backOff: EventInput = {
      reason: 'BackOff',
      type: 'Warning',
      message: `Back-off restarting failed container ${name} in pod ${pod}`,
    };
    this.event(c, at, backOff);
    this.deps.onChange(this);
    this.resyncInBackOff(c, instance, instance.finishedAt! + waitMs, at, backOff);
  }

  /**
   * The pod worker requeues a pod whose sync failed on a back-off after the time left, at most the resync
   * interval, plus up to 50 % jitter (pkg/kubelet/pod_workers.go completeWork, v1.34+: MinBackoffExpiration,
   * wait.Jitter(backoff, workerBackOffPeriodJitterFactor)), and each sync still inside the back-off records
   * BackOff again (kuberuntime_manager.go doBackOff): a 5-minute wait sees about four more. The status does not
   * change, so only the event's count does (when the spam filter lets it through: events.ts).
   */
  private resyncInBackOff(
    c: ContainerRuntime,
    instance: Instance,
    restartAt: number,
    at: number,
    backOff: EventInput,
  ): void {
    const left = Math.min(restartAt - at, RESYNC_INTERVAL_MS);
    const jitter = seededInt(`${this.ref.uid}/${c.scenario.spec.name}/${c.restartCount}/${at}`, 1000) / 2000;
    const next = at + Math.round(left * (1 + jitter));
    if (next >= restartAt) return;
    this.deps.scheduler.at(next, (t) => {
      if (this.deleted || c.current !== instance) return;
      this.event(c, t, backOff);
      this.resyncInBackOff(c, instance, restartAt, t, backOff);
    });
  }

  /** The image manager: pull, fail, then `ImagePullBackOff` until its own backoff (10 s … 300 s) expires. */
  private pullImage(c: ContainerRuntime, at: number): void {
    if (this.deleted || c.scenario.behavior.kind !== 'image-pull') return;
    const image = c.scenario.spec.image ?? '';
    const message = c.scenario.behavior.message;
    const key = `${this.ref.uid}_${image}`;
    this.event(c, at, { reason: 'Pulling', message: `Pulling image "${image}"` });
    this.event(c, at, {
      reason: 'Failed',
      type: 'Warning',
      message: `Failed to pull image "${image}": ${message}`,
    });
    this.event(c, at, { reason: 'Failed', type: 'Warning', message: 'Error: ErrImagePull' });
    this.deps.imagePull.next(key, at, at);
    c.waiting = { reason: 'ErrImagePull', message };
    this.deps.onChange(this);
    const waitMs = this.deps.imagePull.get(key);
    this.deps.scheduler.at(at + Math.min(waitMs / 2, 5000), (t) => {
      if (this.deleted) return;
      c.waiting = { reason: 'ImagePullBackOff', message: `Back-off pulling image "${image}"` };
      this.event(c, t, { reason: 'BackOff', message: `Back-off pulling image "${image}"` });
      this.event(c, t, { reason: 'Failed', type: 'Warning', message: 'Error: ImagePullBackOff' });
      this.deps.onChange(this);
    });
    this.deps.scheduler.at(at + waitMs, (t) => this.pullImage(c, t));
  }

  /**
   * The instance whose log `kubectl logs` shows: the current one (running, terminated, or the crashed one a
   * CrashLoopBackOff is waiting on), or with `previous` the one in `lastState`.
   */
  logInstance(container: string, previous: boolean): Instance | undefined {
    const c = this.container(container);
    if (!c) return undefined;
    return previous ? lastStateInstance(c) : c.current;
  }

  waitingReason(container: string): string | undefined {
    return this.container(container)?.waiting?.reason;
  }

  /**
   * A readiness probe that fails, then passes again: the app containers that run steadily (not crashing,
   * not waiting) turn unready, or ready again. Returns whether anything changed (false for a pod that is
   * not running steadily, which a readiness flap cannot touch).
   */
  flapReadiness(): boolean {
    const running = this.containers.filter(
      (c) => c.current && c.current.finishedAt === undefined && !c.waiting,
    );
    if (this.deleted || running.length === 0 || running.length !== this.containers.length) return false;
    const ready = !running.every((c) => c.ready);
    for (const c of running) c.ready = ready;
    this.deps.onChange(this);
    return true;
  }

  /** Whether every app container is ready. */
  get ready(): boolean {
    return this.containers.every((c) => c.ready);
  }

  private container(name: string): ContainerRuntime | undefined {
    return [...this.initContainers, ...this.containers].find((c) => c.scenario.spec.name === name);
  }

  /** The `status` the kubelet would write now. */
  status(now: number) {
    const initStatuses = this.initContainers.map((c) => this.containerStatus(c));
    const statuses = this.containers.map((c) => this.containerStatus(c));
    const initialized = this.initContainers.every((c) => c.done || (c.sidecar && c.current && c.ready));
    const unready = this.containers.filter((c) => !c.ready).map((c) => c.scenario.spec.name);
    const unreadySidecars = this.initContainers
      .filter((c) => c.sidecar && !c.ready)
      .map((c) => c.scenario.spec.name);
    const allUnready = [...unreadySidecars, ...unready];
    const incomplete = this.initContainers
      .filter((c) => !c.done && !c.sidecar)
      .map((c) => c.scenario.spec.name);
    const conditions: PodCondition[] = [
      this.condition('PodReadyToStartContainers', true, now),
      initialized
        ? this.condition('Initialized', true, now)
        : this.condition(
            'Initialized',
            false,
            now,
            'ContainersNotInitialized',
            `containers with incomplete status: [${incomplete.join(' ')}]`,
          ),
      allUnready.length === 0
        ? this.condition('Ready', true, now)
        : this.condition(
            'Ready',
            false,
            now,
            'ContainersNotReady',
            `containers with unready status: [${allUnready.join(' ')}]`,
          ),
      allUnready.length === 0
        ? this.condition('ContainersReady', true, now)
        : this.condition(
            'ContainersReady',
            false,
            now,
            'ContainersNotReady',
            `containers with unready status: [${allUnready.join(' ')}]`,
          ),
      this.condition('PodScheduled', true, now),
    ];
    return {
      phase: this.phase(initialized),
      conditions,
      initContainerStatuses: initStatuses.length > 0 ? initStatuses : undefined,
      containerStatuses: statuses,
    };
  }

  /** `getPhase` in pkg/kubelet/kubelet_pods.go. */
  private phase(initialized: boolean): string {
    const failedInit = this.initContainers.some(
      (c) => !c.sidecar && c.current?.exitCode && c.current.exitCode !== 0,
    );
    if (!initialized) return failedInit && this.restartPolicy === 'Never' ? 'Failed' : 'Pending';
    let running = 0;
    let waiting = 0;
    let stopped = 0;
    let succeeded = 0;
    for (const c of this.containers) {
      const live = c.current && c.current.finishedAt === undefined;
      if (live) running += 1;
      else if (c.waiting && !c.current) waiting += 1;
      else if (c.waiting) stopped += 1;
      else if (c.current) {
        stopped += 1;
        if (c.current.exitCode === 0) succeeded += 1;
      } else waiting += 1;
    }
    if (waiting > 0) return 'Pending';
    if (running > 0) return 'Running';
    if (stopped === 0) return 'Pending';
    if (this.restartPolicy === 'Always') return 'Running';
    if (this.restartPolicy === 'OnFailure') return stopped === succeeded ? 'Succeeded' : 'Running';
    return stopped === succeeded ? 'Succeeded' : 'Failed';
  }

  private condition(type: string, ok: boolean, now: number, reason?: string, message?: string): PodCondition {
    const status = ok ? 'True' : 'False';
    const known = this.conditionSince.get(type);
    if (!known || known.status !== status) this.conditionSince.set(type, { status, at: now });
    const condition: PodCondition = {
      type,
      status,
      lastTransitionTime: rfc3339(this.conditionSince.get(type)!.at),
    };
    if (reason) condition.reason = reason;
    if (message) condition.message = message;
    return condition;
  }

  private containerStatus(c: ContainerRuntime): ContainerStatus {
    const spec = c.scenario.spec;
    const current = c.current;
    const running = current && current.finishedAt === undefined;
    let state: ContainerState;
    if (running) {
      state = { running: { startedAt: rfc3339(current.startedAt) } };
    } else if (c.waiting) {
      state = { waiting: { ...c.waiting } };
    } else if (current) {
      state = { terminated: terminated(current) };
    } else {
      state = {
        waiting: {
          reason: c.init || this.initContainers.length === 0 ? 'ContainerCreating' : 'PodInitializing',
        },
      };
    }
    const last = lastStateInstance(c);
    const status: ContainerStatus = {
      name: spec.name,
      image: spec.image,
      imageID: current ? imageID(spec.image ?? '') : '',
      ready: c.ready,
      started: Boolean(running),
      restartCount: c.restartCount,
      state,
      lastState: last ? { terminated: terminated(last) } : {},
    };
    if (current) status.containerID = current.containerID;
    return status;
  }
}

/** A container waiting to be restarted shows the crashed instance as its last state; otherwise the one before. */
function lastStateInstance(c: ContainerRuntime): Instance | undefined {
  return c.waiting && c.current ? c.current : c.previous;
}

function terminated(instance: Instance) {
  return {
    exitCode: instance.exitCode ?? 0,
    reason: instance.reason,
    ...(instance.message ? { message: instance.message } : {}),
    startedAt: rfc3339(instance.startedAt),
    finishedAt: rfc3339(instance.finishedAt ?? instance.startedAt),
    containerID: instance.containerID,
  };
}

function imageID(image: string): string {
  const repo = image.split('@')[0]!.replace(/:[^/:]*$/, '');
  const qualified =
    repo.includes('/') && repo.split('/')[0]!.includes('.') ? repo : `docker.io/library/${repo}`;
  return `${qualified}@sha256:${hex64(image)}`;
}
