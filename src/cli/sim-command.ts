import { closeSync, openSync, writeSync } from 'node:fs';
import {
  type DoneRequest,
  generateScenario,
  loadScenario,
  type RunningSim,
  ScenarioError,
  startSim,
} from '../sim/index.js';
import type { Scenario } from '../sim/scenario.js';

// `crashtop sim`: serve the simulated cluster until Ctrl-C (or SIGTERM), print the kubeconfig that reaches it, and
// remove that kubeconfig (it holds the token) on the way out.

export interface SimCommandOptions {
  port?: number;
  scenario?: string;
  pods?: number;
  crashing?: number;
  speed?: number;
  churn?: number;
  requestLog?: string;
}

interface Streams {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}

const MAX_PODS = 50_000;

function usageProblem(opts: SimCommandOptions): string | undefined {
  if (opts.scenario !== undefined && opts.pods !== undefined)
    return '--scenario and --pods cannot be combined';
  if (opts.crashing !== undefined && opts.pods === undefined) return '--crashing needs --pods N';
  if (opts.pods !== undefined && (opts.pods < 1 || opts.pods > MAX_PODS)) {
    return `--pods takes 1 to ${MAX_PODS.toLocaleString('en-US')}, not ${opts.pods}`;
  }
  if (opts.pods !== undefined && (opts.crashing ?? 0) > opts.pods) {
    return `--crashing ${opts.crashing} is more than --pods ${opts.pods}`;
  }
  if (opts.speed !== undefined && !(opts.speed > 0)) return '--speed takes a positive number';
  if (opts.churn !== undefined && !(opts.churn >= 0 && opts.churn <= 10_000)) {
    return `--churn takes 0 to 10,000 changes a second, not ${opts.churn}`;
  }
  if (opts.port !== undefined && (opts.port < 0 || opts.port > 65_535))
    return `--port ${opts.port} is not a port`;
  return undefined;
}

async function chooseScenario(opts: SimCommandOptions): Promise<Scenario | undefined> {
  if (opts.scenario !== undefined) return loadScenario(opts.scenario);
  if (opts.pods !== undefined) return generateScenario({ pods: opts.pods, crashing: opts.crashing ?? 0 });
  return undefined;
}

function waitForSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const onSignal = (signal: NodeJS.Signals) => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      resolve(signal);
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
}

/**
 * One line per request, written when its response ends (a watch: when its stream closes), to see what a client
 * asks and how long each answer takes: arrival time, duration, status, body bytes as sent (`-` for streams, `gz`
 * after a gzipped body's), method, path and query, user agent. `closed` marks a response the client hung up on
 * before it ended.
 */
export function requestLogLine(done: DoneRequest): string {
  const status = done.completed ? String(done.status) : `${done.status} closed`;
  const bytes = done.bytes === undefined ? '-' : `${done.bytes}${done.gzip ? 'gz' : ''}`;
  return `${new Date(done.startedAt).toISOString()} ${done.durationMs.toFixed(0)}ms ${status} ${bytes} ${done.method} ${done.url} ${JSON.stringify(done.userAgent ?? '')}\n`;
}

/**
 * Runs until SIGINT/SIGTERM (or until `stop` settles, for tests) and returns the exit code: 0 after a clean stop,
 * 1 when the server cannot start, 2 for bad flags or a bad scenario file.
 */
export async function runSimCommand(
  opts: SimCommandOptions,
  io: Streams,
  stop?: Promise<unknown>,
): Promise<number> {
  const problem = usageProblem(opts);
  if (problem) {
    io.stderr.write(`crashtop: ${problem} (see crashtop sim --help)\n`);
    return 2;
  }
  if ((opts.pods ?? 0) >= 5_000) {
    io.stdout.write(`crashtop sim: generating ${opts.pods} pods and replaying their recent history…\n`);
  }
  let log: number | undefined;
  if (opts.requestLog !== undefined) {
    try {
      log = openSync(opts.requestLog, 'w');
    } catch (error) {
      io.stderr.write(`crashtop: --request-log ${opts.requestLog}: ${(error as Error).message}\n`);
      return 2;
    }
  }
  let sim: RunningSim;
  try {
    const scenario = await chooseScenario(opts);
    const logFd = log;
    sim = await startSim({
      port: opts.port,
      scenario,
      speed: opts.speed,
      churn: opts.churn,
      // One line per flip of the probe pod, for bench/live.js to time the watch event to the screen.
      onProbeFlap: (flap) =>
        io.stdout.write(
          `churn probe ${flap.namespace}/${flap.name} ready=${flap.ready} at ${flap.publishedAt}\n`,
        ),
      onRequestDone: logFd === undefined ? undefined : (done) => writeSync(logFd, requestLogLine(done)),
    });
  } catch (error) {
    if (log !== undefined) closeSync(log);
    if (error instanceof ScenarioError) {
      io.stderr.write(`crashtop: ${error.message}\n`);
      return 2;
    }
    const code = (error as NodeJS.ErrnoException).code;
    const reason =
      code === 'EADDRINUSE' ? 'the port is in use; pick another with --port' : (error as Error).message;
    io.stderr.write(`crashtop: cannot start the simulator on 127.0.0.1:${opts.port ?? 0}: ${reason}\n`);
    return 1;
  }
  const { scenario } = sim.cluster;
  const speed = opts.speed && opts.speed !== 1 ? `, time ×${opts.speed}` : '';
  io.stdout.write(
    `crashtop sim: scenario "${scenario.name}" (${sim.cluster.pods.size} pods in ${scenario.namespaces.length} namespaces${speed}) on ${sim.url}\n` +
      `kubeconfig: ${sim.kubeconfigPath}\n\n` +
      `  export KUBECONFIG=${sim.kubeconfigPath}   # then: kubectl get pods -A\n` +
      `  crashtop --kubeconfig ${sim.kubeconfigPath}\n\n` +
      'Press Ctrl-C to stop (the kubeconfig is removed).\n',
  );
  await (stop ?? waitForSignal());
  await sim.close();
  if (log !== undefined) closeSync(log);
  io.stdout.write('crashtop sim: stopped\n');
  return 0;
}
