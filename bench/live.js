// The real binary against a simulated cluster, compared with kubectl and k9s measured in the same run on the same
// simulator (figures as ratios against a peer, so the machine's speed and load cancel out). Run after
// `npm run build`:
//   node bench/live.js [--pods 10000] [--crashing 500] [--runs 3] [--warmup 10] [--window 50] [--keys 20]
//                      [--churn-rate 200] [--churn-window 30] [--churn-only]
//                      [--link 20mbit,30ms] [--json FILE]
// KUBECTL=/path/to/kubectl picks the peer binary (default: kubectl on PATH). k9s is the one bench/k9s.js built;
// without it the run says why and measures the other two.
//
// What it measures (bench/README.md says what each figure means):
//   1. time to first useful output: crashtop in a 120×40 tmux pane until the pod table with rows is on screen,
//      against `kubectl get pods -A` in a 120×40 pane until its output shows (and through a pipe: until its first
//      line and until it exits), and k9s (pods, all namespaces, filtered to crash loops) in a 120×40 pane until its
//      first crash-looping row;
//   2. RSS when the first full output is there and at the end of the idle window, crashtop against
//      `kubectl get pods -A -w` and k9s, each alone in its own tmux server, one after the other;
//   3. CPU (utime+stime, ms per s) and bytes written to the terminal per second over the same idle-ish window
//      (no keys; only the simulated kubelet's churn), each tool alone: same warm-up, same window length;
//   4. key → frame latency: `j` until the selection marker is on another pod (capture-pane polled).
// --link puts a slow link (bench/throttle.js: bandwidth each way, round trip) between every tool and the server
// for 1.–4. (the churn's own simulator stays local): an SSH bastion far from its cluster.
// Every loop has a count and a deadline; every tmux server and child process started here is killed on the way
// out, also on SIGINT/SIGTERM.

import { execFile, execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { flagValue, hasFlag, numberFlag } from './flags.js';
import { K9S_VERSION, k9sBinary } from './k9s.js';
import { bundleRealServer, realServerBinary } from './real-server.js';
import {
  selectedPod,
  showsCompleteList,
  showsCrashLoop,
  showsK9sCrashLoop,
  showsK9sPods,
  showsKubectlPods,
  showsPodTable,
} from './screens.js';
import { describeLink, parseLink, startThrottle } from './throttle.js';

const CRASHTOP = fileURLToPath(new URL('../bin/crashtop.js', import.meta.url));
const KUBECTL = process.env.KUBECTL ?? 'kubectl';
const COLUMNS = 120;
const ROWS = 40;
const POLL_MS = 50;
// What tmux users usually run: tmux's own default, `screen`, would drop crashtop to 16 colours.
const PANE_TERM = 'tmux-256color';

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** The machine a figure was measured on; figures without it cannot be compared. */
export function describeMachine() {
  const model =
    /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? cpus()[0]?.model;
  return {
    nproc: availableParallelism(),
    cpu: model ?? 'unknown',
    node: process.version,
    loadavg: loadavg().map((x) => Number(x.toFixed(2))),
  };
}

/** Rows of cells as an aligned plain-text table; the first row is the heading; figures align right. */
export function formatTable(rows, textColumns = 1) {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((row) => String(row[c]).length)));
  const line = (row) =>
    row
      .map((cell, c) => (c < textColumns ? String(cell).padEnd(widths[c]) : String(cell).padStart(widths[c])))
      .join('  ')
      .trimEnd();
  return [line(rows[0]), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.slice(1).map(line)].join('\n');
}

// ---- everything started here, so that it can all be stopped ----

export const started = { sockets: new Set(), children: new Set(), dirs: new Set(), throttles: new Set() };

// tmux leaves its socket file behind when the server is killed; `-L name` lives here (tmux(1), -L).
const socketFile = (socket) => join(process.env.TMUX_TMPDIR ?? '/tmp', `tmux-${process.getuid()}`, socket);

function forgetSocket(socket) {
  rmSync(socketFile(socket), { force: true });
  started.sockets.delete(socket);
}

export function stopEverything() {
  for (const socket of started.sockets) {
    try {
      execFileSync('tmux', ['-L', socket, 'kill-server'], { stdio: 'ignore', timeout: 5000 });
    } catch {
      // The server is already gone (its only pane exited).
    }
    forgetSocket(socket);
  }
  for (const child of started.children) if (child.exitCode === null) child.kill('SIGTERM');
  for (const throttle of started.throttles) void throttle.close();
  started.throttles.clear();
  for (const dir of started.dirs) rmSync(dir, { recursive: true, force: true });
  started.dirs.clear();
}

function track(child) {
  started.children.add(child);
  child.once('exit', () => started.children.delete(child));
  return child;
}

// ---- the API server: the simulator, or a real kube-apiserver seeded from it ----

/** A server process that prints `kubeconfig: PATH` once it serves (`crashtop sim`, test/real/serve.ts). */
async function startServer(label, argv, timeoutMs, onLine = undefined) {
  // stdin a pipe that is never written: the real server's serve.mjs stops when it closes (this process died).
  const child = track(spawn(process.execPath, argv, { stdio: ['pipe', 'pipe', 'pipe'] }));
  let output = '';
  let partial = '';
  child.stdout.on('data', (chunk) => {
    // The churn's probe lines arrive all along: keep only what is needed to find the kubeconfig.
    if (output.length < 64 * 1024) output += chunk;
    if (!onLine) return;
    const lines = (partial + chunk).split('\n');
    partial = lines.pop();
    for (const line of lines) onLine(line);
  });
  child.stderr.on('data', (chunk) => {
    output += chunk;
  });
  const deadline = performance.now() + timeoutMs;
  for (let poll = 0; poll < timeoutMs / POLL_MS && performance.now() < deadline; poll++) {
    const kubeconfig = /^kubeconfig: (\S+)$/m.exec(output)?.[1];
    if (kubeconfig) return { child, kubeconfig, output };
    if (child.exitCode !== null) break;
    await sleep(POLL_MS);
  }
  throw new Error(`${label} did not start: ${output.trim() || 'no output'}`);
}

export const startSimulator = (pods, crashing, more = [], onLine = undefined) =>
  startServer(
    'the simulator',
    [CRASHTOP, 'sim', '--pods', String(pods), '--crashing', String(crashing), ...more],
    180_000,
    onLine,
  );

/**
 * kube-apiserver v1.36.3 (the cached test/real binary), seeded by test/real/serve.ts with the simulator's
 * generated cluster; its simulated kubelet keeps running at real speed and writing to it. `seed` is what serve
 * printed: how long the writes took.
 */
async function startRealServer(pods, crashing, dir, binary) {
  const script = await bundleRealServer(dir);
  const began = performance.now();
  const server = await startServer(
    'the real API server',
    [script, '--binary', binary, '--pods', String(pods), '--crashing', String(crashing)],
    // Seeding is ≈ 2 writes per pod through the API: about a minute per 1,000 pods on a busy machine.
    600_000 + pods * 100,
  );
  const seeded = /^seeded: (\d+) pods and (\d+) events in (\d+) ms \(server ready in (\d+) ms/m.exec(
    server.output,
  );
  return {
    ...server,
    seed: seeded && {
      pods: Number(seeded[1]),
      events: Number(seeded[2]),
      seedMs: Number(seeded[3]),
      serverReadyMs: Number(seeded[4]),
      totalMs: performance.now() - began,
    },
  };
}

/** A kubeconfig in `dir` like `kubeconfig`, whose server (on 127.0.0.1: its certificate still fits) is behind `link`. */
export async function kubeconfigBehind(kubeconfig, link, dir) {
  const text = readFileSync(kubeconfig, 'utf8');
  const port = /server:\s*https?:\/\/127\.0\.0\.1:(\d+)/.exec(text)?.[1];
  if (port === undefined) throw new Error(`--link: no server on 127.0.0.1 in ${kubeconfig}`);
  const throttle = await startThrottle({ targetPort: Number(port), ...link });
  started.throttles.add(throttle);
  const behind = join(dir, `kubeconfig-link-${throttle.port}`);
  writeFileSync(behind, text.replaceAll(`127.0.0.1:${port}`, `127.0.0.1:${throttle.port}`), { mode: 0o600 });
  return behind;
}

export async function stopSimulator(child) {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  // SIGTERM lets it remove its kubeconfig (it holds a token) and the real server drain (≈ 2.5 s) and remove its
  // data; SIGKILL only if it hangs (the real server's watchdog then still stops it).
  if ((await Promise.race([exited.then(() => 'exited'), sleep(30_000)])) !== 'exited') child.kill('SIGKILL');
}

// ---- tmux ----

// Ink draws nothing until unmount when CI is set (reference/ink-notes.md §2), so the panes must not inherit it.
const paneEnv = { ...process.env };
delete paneEnv.CI;

// ---- the peers' discovery cache ----

/**
 * kubectl and k9s keep API discovery on disk, shared by both, in `~/.kube/cache/discovery/<host_port>`
 * (`KUBECACHEDIR` moves it): kubectl trusts it for 6 hours, k9s for 5 minutes (internal/client/client.go
 * cacheExpiry), and the simulator's port changes every run. Left to itself, which run finds it warm depends on
 * the order and timing of the runs before it, and the bench writes into the user's own cache. Here it lives in
 * the run's temp folder and is filled afresh right before each peer starts (untimed): every kubectl and k9s run
 * starts warm, as on a machine where they are used every day. crashtop reads no discovery.
 */
const kubeCacheDir = (dir) => join(dir, 'kube-cache');

const peerEnv = (dir) => ({ ...paneEnv, KUBECACHEDIR: kubeCacheDir(dir) });

/** `kubectl api-resources` refetches all discovery (it invalidates the cache unless `--cached`) and writes it. */
function warmDiscovery(kubeconfig, dir) {
  return new Promise((resolve, reject) => {
    execFile(
      KUBECTL,
      ['--kubeconfig', kubeconfig, 'api-resources', '-o', 'name'],
      { env: peerEnv(dir), timeout: 60_000 },
      (error, _stdout, stderr) =>
        error
          ? reject(new Error(`kubectl api-resources failed: ${stderr.trim() || error.message}`))
          : resolve(),
    );
  });
}

function tmux(socket, ...args) {
  return new Promise((resolve, reject) => {
    execFile('tmux', ['-L', socket, ...args], { env: paneEnv, timeout: 10_000 }, (error, stdout) =>
      error ? reject(error) : resolve(stdout),
    );
  });
}

let socketCount = 0;

/**
 * A tmux server of its own with one 120×40 pane running argv (tmux execs it directly, no shell). `keepDead`:
 * the pane and its screen stay when the program exits (kubectl's `get` exits once it has printed).
 */
export async function openPane(label, argv, columns = COLUMNS, env = {}, { keepDead = false } = {}) {
  socketCount += 1;
  const socket = `crashtop-bench-${process.pid}-${socketCount}-${label}`;
  started.sockets.add(socket);
  await tmux(
    socket,
    '-f',
    '/dev/null',
    ...(keepDead ? ['start-server', ';', 'set-option', '-g', 'remain-on-exit', 'on', ';'] : []),
    'new-session',
    '-d',
    '-x',
    String(columns),
    '-y',
    String(ROWS),
    '-e',
    `TERM=${PANE_TERM}`,
    ...Object.entries(env).flatMap(([name, value]) => ['-e', `${name}=${value}`]),
    ...argv,
  );
  return socket;
}

export async function closePane(socket) {
  await tmux(socket, 'kill-server').catch(() => {});
  forgetSocket(socket);
}

const capture = (socket) => tmux(socket, 'capture-pane', '-p');

export async function panePid(socket) {
  return Number((await tmux(socket, 'display-message', '-p', '#{pane_pid}')).trim());
}

/** Everything the pane writes to its terminal, appended to `file` (bytes as the terminal receives them). */
const recordPane = (socket, file) => tmux(socket, 'pipe-pane', '-o', `cat >> '${file}'`);

const sizeOf = (file) => {
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
};

// ---- /proc ----

const TICKS_PER_SECOND = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

function readStat(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name may hold spaces and parentheses; the fields after it start at the last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return { ppid: Number(fields[1]), ticks: Number(fields[11]) + Number(fields[12]) };
}

/** The pane's process and all its descendants (a wrapper that forks would otherwise hide the real cost). */
function processTree(root) {
  const parentOf = new Map();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      parentOf.set(Number(entry), readStat(entry).ppid);
    } catch {
      // The process ended between readdir and read.
    }
  }
  const tree = [root];
  for (let i = 0; i < tree.length; i++) {
    for (const [pid, ppid] of parentOf) if (ppid === tree[i]) tree.push(pid);
  }
  return tree;
}

/** RSS (bytes) and CPU time (ms) of a process tree, from /proc/PID/status VmRSS and /proc/PID/stat. */
export function usage(root) {
  let rss = 0;
  let cpuMs = 0;
  for (const pid of processTree(root)) {
    try {
      const kb = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
      rss += Number(kb ?? 0) * 1024;
      cpuMs += (readStat(pid).ticks * 1000) / TICKS_PER_SECOND;
    } catch {
      // Ended while being read: it no longer costs anything.
    }
  }
  return { rss, cpuMs };
}

export const isAlive = (pid) => {
  try {
    readStat(pid);
    return true;
  } catch {
    return false;
  }
};

// ---- k9s ----

const K9S = k9sBinary();

/**
 * k9s, pods of all namespaces filtered to crash loops from the start (`--command 'pods /CrashLoopBackOff'`, the
 * same as typing `:pods /CrashLoopBackOff`), read-only, without its one-second splash. It runs in a home of its
 * own under the run's temp folder: K9S_CONFIG_DIR holds its config and per-cluster files, K9S_LOGS_DIR and
 * --logFile its log, and the XDG variables cover anything else it would put in the user's state, data or cache;
 * KUBECACHEDIR is the run's discovery cache, warmed before each launch (above). Its config only turns off the
 * check for a newer release on api.github.com (no internet here; elsewhere it is traffic the other two do not make).
 */
function k9sLaunch(kubeconfig, dir) {
  const home = mkdtempSync(join(dir, 'k9s-'));
  const env = {
    K9S_CONFIG_DIR: join(home, 'config'),
    K9S_LOGS_DIR: join(home, 'logs'),
    XDG_CONFIG_HOME: join(home, 'xdg-config'),
    XDG_STATE_HOME: join(home, 'xdg-state'),
    XDG_DATA_HOME: join(home, 'xdg-data'),
    XDG_CACHE_HOME: join(home, 'xdg-cache'),
  };
  for (const path of Object.values(env)) mkdirSync(path, { recursive: true });
  writeFileSync(join(env.K9S_CONFIG_DIR, 'config.yaml'), 'k9s:\n  skipLatestRevCheck: true\n');
  const log = join(env.K9S_LOGS_DIR, 'k9s.log');
  return { argv: k9sArgv(kubeconfig, log), env: { ...env, KUBECACHEDIR: kubeCacheDir(dir) }, log };
}

const k9sArgv = (kubeconfig, log) => [
  K9S.path ?? 'k9s',
  '--kubeconfig',
  kubeconfig,
  '--all-namespaces',
  '--command',
  'pods /CrashLoopBackOff',
  '--readonly',
  '--splashless',
  '--logFile',
  log,
];

/** Where k9s stopped showing pods (it falls back to its contexts view when it cannot list them): its log says why. */
function k9sLogTail(log) {
  try {
    const lines = readFileSync(log, 'utf8').trim().split('\n').slice(-5);
    // k9s colours its log lines; the error message is plain text.
    return `k9s log: ${lines.map((l) => l.replace(/\x1b\[[0-9;]*m/g, '')).join(' | ')}`;
  } catch {
    return 'k9s wrote no log';
  }
}

export async function waitForScreen(socket, test, timeoutMs) {
  const deadline = performance.now() + timeoutMs;
  for (let poll = 0; poll < timeoutMs / POLL_MS && performance.now() < deadline; poll++) {
    const screen = await capture(socket);
    if (test(screen)) return screen;
    await sleep(POLL_MS);
  }
  throw new Error(`nothing matched on the screen within ${timeoutMs / 1000} s`);
}

// ---- 1. time to first useful output ----

/**
 * How long a tool may take to its first output: 120 s, more from 30,000 pods on (200 s at 50,000). k9s needs ≈ 30 s
 * of its own CPU to its first row at 50,000 pods (it renders every pod from its cache on each 2 s refresh);
 * on a loaded two-core machine it needs a few times that.
 */
const firstOutputMs = (pods) => Math.max(120_000, pods * 4);

export const crashtopArgv = (kubeconfig) => [process.execPath, CRASHTOP, '--kubeconfig', kubeconfig, '-A'];
const kubectlArgv = (kubeconfig, ...more) => [
  KUBECTL,
  '--kubeconfig',
  kubeconfig,
  'get',
  'pods',
  '-A',
  ...more,
];

async function crashtopFirstOutput(kubeconfig, pods) {
  const began = performance.now();
  const socket = await openPane('first', crashtopArgv(kubeconfig));
  try {
    await waitForScreen(socket, showsPodTable, firstOutputMs(pods));
    const firstFrame = performance.now() - began;
    await waitForScreen(socket, showsCrashLoop, firstOutputMs(pods));
    const firstCrashLoop = performance.now() - began;
    await waitForScreen(socket, showsCompleteList, firstOutputMs(pods));
    return { firstFrame, firstCrashLoop, complete: performance.now() - began };
  } catch (error) {
    throw new Error(`crashtop showed no pod table (it may have exited): ${error.message}`);
  } finally {
    await closePane(socket);
  }
}

async function k9sFirstOutput(kubeconfig, pods, dir) {
  const k9s = k9sLaunch(kubeconfig, dir);
  await warmDiscovery(kubeconfig, dir);
  const began = performance.now();
  const socket = await openPane('k9s-first', k9s.argv, COLUMNS, k9s.env);
  try {
    await waitForScreen(socket, showsK9sPods, firstOutputMs(pods));
    const firstFrame = performance.now() - began;
    await waitForScreen(socket, showsK9sCrashLoop, firstOutputMs(pods));
    const firstCrashLoop = performance.now() - began;
    // k9s's own CPU to that row: the figure the machine's load moves least.
    return { firstFrame, firstCrashLoop, cpuMs: usage(await panePid(socket)).cpuMs };
  } catch (error) {
    throw new Error(`k9s showed no crash-looping pod row: ${error.message}; ${k9sLogTail(k9s.log)}`);
  } finally {
    await closePane(socket);
  }
}

async function kubectlFirstOutput(kubeconfig, dir) {
  const [command, ...args] = kubectlArgv(kubeconfig);
  await warmDiscovery(kubeconfig, dir);
  const began = performance.now();
  const child = track(spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], env: peerEnv(dir) }));
  let firstLine;
  let lines = 0;
  let errors = '';
  child.stdout.on('data', (chunk) => {
    for (const byte of chunk) if (byte === 10) lines += 1;
    if (firstLine === undefined && lines > 0) firstLine = performance.now() - began;
  });
  child.stderr.on('data', (chunk) => {
    errors += chunk;
  });
  // A minute is not always enough against the real API server at 10,000 pods on a busy machine.
  const timer = setTimeout(() => child.kill('SIGKILL'), 240_000);
  return new Promise((resolve, reject) => {
    // 'close', not 'exit': only then has all of its output been read.
    child.once('close', (code) => {
      clearTimeout(timer);
      if (code === 0) resolve({ firstLine, exit: performance.now() - began, lines });
      else
        reject(new Error(`kubectl get pods -A failed (${code ?? 'killed after 240 s'}): ${errors.trim()}`));
    });
  });
}

/**
 * kubectl in a pane of its own, timed as crashtop is: from launching tmux until capture-pane shows its output,
 * polled the same way. The pane outlives kubectl (keepDead), so a capture after it exited still shows its rows.
 */
async function kubectlPaneFirstOutput(kubeconfig, pods, dir) {
  await warmDiscovery(kubeconfig, dir);
  const began = performance.now();
  const socket = await openPane('kubectl-first', kubectlArgv(kubeconfig), COLUMNS, peerEnv(dir), {
    keepDead: true,
  });
  try {
    await waitForScreen(socket, showsKubectlPods, firstOutputMs(pods));
    return { firstLine: performance.now() - began };
  } catch (error) {
    throw new Error(`kubectl showed no pods in its pane: ${error.message}`);
  } finally {
    await closePane(socket);
  }
}

/**
 * crashtop once, untimed, long enough to write its V8 code cache (src/cli/code-cache.ts writes it 2 s after a live
 * view starts): a build makes the cache anew, and the first-output runs end before 2 s, so without this every run
 * of the first size measured after a build started without it (at 1,000 pods: 0.36 s instead of ≈ 0.28 s). Users
 * start crashtop many times a day with the cache in place, as kubectl and k9s start with their discovery warm.
 */
async function warmCodeCache(kubeconfig, pods) {
  const socket = await openPane('warm', crashtopArgv(kubeconfig));
  try {
    await waitForScreen(socket, showsPodTable, firstOutputMs(pods));
    await sleep(3_000);
  } finally {
    await closePane(socket);
  }
}

async function firstOutput(kubeconfig, pods, runs, dir) {
  await warmCodeCache(kubeconfig, pods);
  const crashtop = [];
  // kubectl through a pipe (its first line and its exit) and in a pane, as crashtop and k9s are measured.
  const kubectl = [];
  const kubectlPane = [];
  const k9s = [];
  let k9sError;
  // Interleaved, so a burst of load from elsewhere on the machine hits every tool alike.
  for (let i = 0; i < runs; i++) {
    kubectl.push(await kubectlFirstOutput(kubeconfig, dir));
    kubectlPane.push(await kubectlPaneFirstOutput(kubeconfig, pods, dir));
    crashtop.push(await crashtopFirstOutput(kubeconfig, pods));
    // A peer that fails costs its own figures only; the runs of the other two go on.
    if (K9S.path && !k9sError) {
      try {
        k9s.push(await k9sFirstOutput(kubeconfig, pods, dir));
      } catch (error) {
        k9sError = error.message;
      }
    }
  }
  const k9sFigures = k9sError
    ? { k9sError }
    : k9s.length
      ? {
          k9sMs: median(k9s.map((k) => k.firstCrashLoop)),
          k9sFirstFrameMs: median(k9s.map((k) => k.firstFrame)),
          k9sRangeMs: [
            Math.min(...k9s.map((k) => k.firstCrashLoop)),
            Math.max(...k9s.map((k) => k.firstCrashLoop)),
          ],
          // k9s's own CPU to its first row: what the machine's load moves least.
          k9sCpuMs: median(k9s.map((k) => k.cpuMs)),
          // The target is per run, not per median: each crashtop run against the k9s run next to it.
          crashtopAheadOfK9s: crashtop.filter((c, i) => c.firstCrashLoop < k9s[i].firstCrashLoop).length,
        }
      : {};
  // Part of the pane figures is tmux starting a server and a pane; kubectl's through a pipe has no such step.
  const tmuxBegan = performance.now();
  const probe = await openPane('probe', ['sleep', '60']);
  const tmuxStartMs = performance.now() - tmuxBegan;
  await closePane(probe);
  return {
    tmuxStartMs,
    crashtopMs: median(crashtop.map((c) => c.firstCrashLoop)),
    crashtopFirstFrameMs: median(crashtop.map((c) => c.firstFrame)),
    crashtopCompleteMs: median(crashtop.map((c) => c.complete)),
    crashtopRangeMs: [
      Math.min(...crashtop.map((c) => c.firstCrashLoop)),
      Math.max(...crashtop.map((c) => c.firstCrashLoop)),
    ],
    kubectlFirstLineRangeMs: [
      Math.min(...kubectlPane.map((k) => k.firstLine)),
      Math.max(...kubectlPane.map((k) => k.firstLine)),
    ],
    loadavg: describeMachine().loadavg,
    kubectlFirstLineMs: median(kubectlPane.map((k) => k.firstLine)),
    kubectlPipeFirstLineMs: median(kubectl.map((k) => k.firstLine)),
    kubectlExitMs: median(kubectl.map((k) => k.exit)),
    kubectlLines: kubectl[0].lines,
    runs,
    ...k9sFigures,
  };
}

/** k9s's runs alone (`--k9s-only`): to check that k9s shows the pods on this simulator without the rest's minutes. */
async function k9sOnly(kubeconfig, pods, runs, dir) {
  if (!K9S.path) throw new Error(`k9s: ${K9S.reason}`);
  const k9s = [];
  for (let i = 0; i < runs; i++) k9s.push(await k9sFirstOutput(kubeconfig, pods, dir));
  return {
    runs,
    loadavg: describeMachine().loadavg,
    k9sMs: median(k9s.map((k) => k.firstCrashLoop)),
    k9sFirstFrameMs: median(k9s.map((k) => k.firstFrame)),
    k9sRangeMs: [
      Math.min(...k9s.map((k) => k.firstCrashLoop)),
      Math.max(...k9s.map((k) => k.firstCrashLoop)),
    ],
    k9sCpuMs: median(k9s.map((k) => k.cpuMs)),
  };
}

// ---- 2 and 3. memory, CPU and terminal bytes at rest, each tool alone ----

/**
 * One tool alone at rest: in a 120×40 pane of its own, the bench's other tools not running. From its launch to its
 * first full output (RSS then), `warmupS` s more, then a window of `windowS` s: its CPU (utime+stime of the pane's
 * process tree) and the bytes it wrote to its terminal over the window, RSS every second. Alone, because on two
 * cores k9s at rest takes 0.6–1.3 of them (it renders every cached pod every 2 s): side by side, the others' CPU
 * figures were what was left of the machine after k9s, not their own (crashtop 2.9 % at 10,000 pods side by side,
 * 1.6–2.1 % alone). RSS comes from the same window: a process's memory does not depend on its neighbours, and one
 * window per tool keeps each tool's figures from one run of it. Resolves with the pane still open (the caller
 * closes it); a tool that exits or shows nothing in time rejects, its pane closed.
 */
async function atRestAlone(tool, pods, { warmupS, windowS }, dir) {
  const out = join(dir, `${tool.name}.out`);
  const began = performance.now();
  let socket;
  const fail = async (why) => {
    if (socket) await closePane(socket);
    throw new Error(tool.log ? `${why}; ${k9sLogTail(tool.log)}` : why);
  };
  try {
    socket = await openPane(`idle-${tool.name}`, tool.argv, COLUMNS, tool.env);
    await recordPane(socket, out);
  } catch (error) {
    // tmux fails like this when the program in the pane has already exited.
    return fail(`${tool.name} exited at once (${error.message.trim()})`);
  }
  const pid = await panePid(socket);
  const ready = () => tool.ready({ socket, out });
  const deadline = performance.now() + firstOutputMs(pods);
  let first;
  for (let poll = 0; poll < firstOutputMs(pods) / POLL_MS && performance.now() < deadline; poll++) {
    if (!isAlive(pid)) return fail(`${tool.name} exited before its first output`);
    if (await ready()) {
      first = usage(pid);
      break;
    }
    await sleep(POLL_MS);
  }
  if (!first) return fail(`${tool.name} ${tool.late} within ${firstOutputMs(pods) / 1000} s`);

  await sleep(warmupS * 1000);
  const at = performance.now();
  const start = usage(pid);
  const startBytes = sizeOf(out);
  let peak = first.rss;
  // RSS alone cannot tell growth from a lazy garbage collector; the curve over the window can.
  const every10s = [];
  for (let s = 0; s < windowS; s++) {
    if (!isAlive(pid)) return fail(`${tool.name} exited during the idle window`);
    const { rss } = usage(pid);
    peak = Math.max(peak, rss);
    if (s % 10 === 0) every10s.push(rss);
    await sleep(1000);
  }
  const end = usage(pid);
  const seconds = (performance.now() - at) / 1000;
  return {
    socket,
    figures: {
      windowSeconds: seconds,
      sinceStartSeconds: (performance.now() - began) / 1000,
      rssFirst: first.rss,
      rssEnd: end.rss,
      rssPeak: Math.max(peak, end.rss),
      loadavg: describeMachine().loadavg,
      cpuMsPerSecond: (end.cpuMs - start.cpuMs) / seconds,
      bytesPerSecond: (sizeOf(out) - startBytes) / seconds,
      rssEvery10s: every10s,
    },
  };
}

/**
 * Each tool at rest, one after the other (atRestAlone): kubectl's `get pods -A -w`, k9s, then crashtop, whose pane
 * stays open for the key presses (nothing else runs then either). A peer that fails costs its own figures only.
 */
async function atRest(kubeconfig, pods, opts, dir) {
  const tools = [
    // kubectl's first full output is one line per pod plus its header.
    {
      name: 'kubectl',
      argv: kubectlArgv(kubeconfig, '-w'),
      env: { KUBECACHEDIR: kubeCacheDir(dir) },
      ready: async (pane) => countLines(pane.out) > pods,
      late: `-w did not list ${pods} pods`,
      peer: true,
    },
  ];
  if (K9S.path) {
    tools.push({
      name: 'k9s',
      ...k9sLaunch(kubeconfig, dir),
      ready: async (pane) => showsK9sCrashLoop(await capture(pane.socket)),
      late: 'showed no crash-looping pod row',
      peer: true,
    });
  }
  tools.push({
    name: 'crashtop',
    argv: crashtopArgv(kubeconfig),
    ready: async (pane) => showsPodTable(await capture(pane.socket)),
    late: 'did not show the pod table',
  });
  const errors = [];
  const figures = {};
  let crashtopSocket;
  for (const tool of tools) {
    try {
      if (tool.peer) await warmDiscovery(kubeconfig, dir);
      const { socket, figures: own } = await atRestAlone(tool, pods, opts, dir);
      figures[tool.name] = own;
      if (tool.peer) await closePane(socket);
      else crashtopSocket = socket;
    } catch (error) {
      if (!tool.peer) throw error;
      errors.push(error.message);
    }
  }
  const byTool = (figure) =>
    Object.fromEntries(Object.entries(figures).map(([name, f]) => [name, f[figure]]));
  const result = {
    alone: true,
    windowSeconds: Math.min(...Object.values(figures).map((f) => f.windowSeconds)),
    sinceStartSeconds: byTool('sinceStartSeconds'),
    rssFirst: byTool('rssFirst'),
    rssEnd: byTool('rssEnd'),
    rssPeak: byTool('rssPeak'),
    loadavg: byTool('loadavg'),
    cpuMsPerSecond: byTool('cpuMsPerSecond'),
    bytesPerSecond: byTool('bytesPerSecond'),
    rssEvery10s: byTool('rssEvery10s'),
  };
  return { result, errors, crashtopSocket };
}

function countLines(file) {
  try {
    let lines = 0;
    for (const byte of readFileSync(file)) if (byte === 10) lines += 1;
    return lines;
  } catch {
    return 0;
  }
}

// ---- 4. key → frame ----

async function keyLatency(socket, presses) {
  const press = () => tmux(socket, 'send-keys', 'j');
  // Polled back to back: the resolution is one capture-pane round trip (measured below).
  const moved = async (from, timeoutMs) => {
    const deadline = performance.now() + timeoutMs;
    for (let poll = 0; poll < 1000 && performance.now() < deadline; poll++) {
      const pod = selectedPod(await capture(socket));
      if (pod && pod !== from) return true;
    }
    return false;
  };
  // Until the first key the selection is "the first row", which a re-sort can change under the marker; after
  // it, the selection follows a pod, so only a key can move it to another one.
  const first = selectedPod(await capture(socket));
  await press();
  await moved(first, 3000);
  const latencies = [];
  let missed = 0;
  for (let i = 0; i < presses; i++) {
    // Spread over the second so presses do not lock onto the countdown's tick.
    await sleep(150 + ((i * 97) % 250));
    const before = selectedPod(await capture(socket));
    await press();
    const pressed = performance.now();
    if (await moved(before, 3000)) latencies.push(performance.now() - pressed);
    else missed += 1;
  }
  const roundTrips = [];
  for (let i = 0; i < 10; i++) {
    const t = performance.now();
    await capture(socket);
    roundTrips.push(performance.now() - t);
  }
  const sorted = [...latencies].sort((a, b) => a - b);
  return {
    medianMs: latencies.length ? median(latencies) : undefined,
    p95Ms: latencies.length
      ? sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.95) - 1)]
      : undefined,
    maxMs: latencies.length ? Math.max(...latencies) : undefined,
    presses: latencies.length,
    missed,
    captureRoundTripMs: median(roundTrips),
  };
}

// ---- 5. churn: watch event → screen ----

const CHURN_COLUMNS = 200;
const PROBE_LINE = /^churn probe (\S+)\/(\S+) ready=(true|false) at (\d+)$/;

/**
 * A simulator of its own with `--churn RATE` (readiness flips a second over running pods; one probe pod
 * flips every 2 s and the simulator prints when each flip was sent to the watches). crashtop, in a pane wide
 * enough for the READY column, shows all pods filtered to the probe's name; capture-pane, polled every 5 ms,
 * reads its READY cell. Latency: from the
 * simulator sending a flip (wall clock, same machine) to the first screen showing it.
 */
async function churnLatency(pods, crashing, { rate, seconds }) {
  const flips = [];
  const sim = await startSimulator(pods, crashing, ['--churn', String(rate)], (line) => {
    const m = PROBE_LINE.exec(line);
    if (m) flips.push({ pod: `${m[1]}/${m[2]}`, name: m[2], ready: m[3] === 'true', at: Number(m[4]) });
  });
  let socket;
  try {
    const firstFlip = performance.now() + 30_000;
    while (flips.length === 0 && performance.now() < firstFlip) await sleep(POLL_MS);
    if (flips.length === 0) throw new Error('the simulator printed no churn probe line within 30 s');
    const probe = flips[0];
    // 200 columns: at 120 the READY column gives way to the others, and it is the cell that flips.
    socket = await openPane('churn', crashtopArgv(sim.kubeconfig), CHURN_COLUMNS);
    await waitForScreen(socket, showsCompleteList, 180_000);
    // All pods (the probe is healthy), filtered to the probe's name: its row alone, READY shown.
    await tmux(socket, 'send-keys', 'a');
    await tmux(socket, 'send-keys', '/');
    await tmux(socket, 'send-keys', '-l', probe.name);
    await tmux(socket, 'send-keys', 'Enter');
    const probeRow = (screen) =>
      screen.split('\n').find((line) => line.includes(probe.name) && /\s[01]\/1\s/.test(line));
    await waitForScreen(socket, (screen) => probeRow(screen) !== undefined, 10_000);
    const from = flips.length;
    const seen = [];
    // What the churn costs crashtop: its CPU over the window (the polling's is tmux's).
    const pid = await panePid(socket);
    const cpuBefore = usage(pid).cpuMs;
    const start = performance.now();
    const end = start + seconds * 1000;
    for (let poll = 0; poll < seconds * 1000 && performance.now() < end; poll++) {
      const row = probeRow(await capture(socket));
      if (row !== undefined) seen.push({ at: Date.now(), ready: /\s1\/1\s/.test(row) });
      await sleep(5);
    }
    const cpuMsPerSecond = (usage(pid).cpuMs - cpuBefore) / ((performance.now() - start) / 1000);
    // Each flip: the first screen after it that shows its state, before the next flip was sent.
    const latencies = [];
    /** Each flip's send time and latency (null: not seen), to line up with a trace of the process. */
    const samples = [];
    let missed = 0;
    const window = flips.slice(from).filter((flip) => flip.at < Date.now() - 2500);
    for (const [i, flip] of window.entries()) {
      const next = window[i + 1]?.at ?? Number.POSITIVE_INFINITY;
      const shown = seen.find((s) => s.at >= flip.at && s.at < next && s.ready === flip.ready);
      if (shown) latencies.push(shown.at - flip.at);
      else missed += 1;
      samples.push({ at: flip.at, ms: shown ? shown.at - flip.at : null });
    }
    if (latencies.length === 0) throw new Error(`no probe flip seen on screen (${window.length} sent)`);
    const sorted = [...latencies].sort((a, b) => a - b);
    return {
      rate,
      probe: probe.pod,
      flips: latencies.length,
      missed,
      medianMs: median(latencies),
      p95Ms: sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.95) - 1)],
      maxMs: sorted[sorted.length - 1],
      cpuMsPerSecond,
      samples,
      loadavg: describeMachine().loadavg,
    };
  } finally {
    if (socket) await closePane(socket);
    await stopSimulator(sim.child);
  }
}

// ---- the run ----

/** The build measured: the commit, `-dirty` when the working tree has changes on top of it. */
export function buildVersion() {
  try {
    const cwd = fileURLToPath(new URL('..', import.meta.url));
    return execFileSync('git', ['describe', '--always', '--dirty'], { cwd, encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
}

function kubectlVersion() {
  try {
    const out = execFileSync(KUBECTL, ['version', '--client', '-o', 'json'], {
      encoding: 'utf8',
      timeout: 20_000,
    });
    return JSON.parse(out).clientVersion.gitVersion;
  } catch {
    return 'unknown';
  }
}

const mb = (bytes) => `${(bytes / 2 ** 20).toFixed(0)} MB`;
const secs = (ms) => `${(ms / 1000).toFixed(2)} s`;
const missing = (x) => x === undefined || x === null;
const ratio = (a, b) => (missing(a) || missing(b) || b === 0 ? '—' : `${(a / b).toFixed(2)}×`);

/** The live table: each figure for crashtop, kubectl and k9s, with crashtop's ratio to each peer. */
export function tableRows(r) {
  const cell = (x, show) => (missing(x) ? '—' : show(x));
  const row = (label, a, b, c, show) => [
    label,
    cell(a, show),
    cell(b, show),
    ratio(a, b),
    cell(c, show),
    ratio(a, c),
  ];
  const only = (label, a) => [label, a, '—', '—', '—', '—'];
  const rows = [['', 'crashtop', 'kubectl', 'crashtop/kubectl', 'k9s', 'crashtop/k9s']];
  if (r.firstOutput) {
    const f = r.firstOutput;
    rows.push(
      row('first crash-loop row (kubectl: 1st line)', f.crashtopMs, f.kubectlFirstLineMs, f.k9sMs, secs),
    );
    if (f.kubectlPipeFirstLineMs !== undefined) {
      rows.push(
        row('  kubectl through a pipe: 1st line', f.crashtopMs, f.kubectlPipeFirstLineMs, undefined, secs),
      );
    }
    rows.push(row('complete list (kubectl: exit)', f.crashtopCompleteMs, f.kubectlExitMs, undefined, secs));
    if (f.crashtopAheadOfK9s !== undefined) {
      rows.push(only('runs with crashtop ahead of k9s', `${f.crashtopAheadOfK9s} of ${f.runs}`));
    }
  }
  if (r.idle) {
    const i = r.idle;
    const three = (label, figure, show) =>
      rows.push(row(label, figure.crashtop, figure.kubectl, figure.k9s, show));
    three('RSS after first output (kubectl: -w)', i.rssFirst, mb);
    three('RSS at the end of the window', i.rssEnd, mb);
    three('RSS peak', i.rssPeak, mb);
    const window = `${i.windowSeconds.toFixed(0)} s idle window${i.alone ? ', each alone' : ''}`;
    three(`CPU ms/s, ${window}`, i.cpuMsPerSecond, (x) => x.toFixed(1));
    three(`terminal bytes/s, ${window}`, i.bytesPerSecond, (x) => Math.round(x));
  }
  if (r.churn) {
    const c = r.churn;
    rows.push(only(`watch event → screen, median (${c.rate}/s churn)`, `${c.medianMs.toFixed(0)} ms`));
    rows.push(only(`watch event → screen, p95 of ${c.flips}`, `${c.p95Ms.toFixed(0)} ms`));
  }
  if (r.keys?.medianMs !== undefined) {
    rows.push(only(`key → frame, median of ${r.keys.presses}`, `${r.keys.medianMs.toFixed(0)} ms`));
    rows.push(only(`key → frame, p95 of ${r.keys.presses}`, `${r.keys.p95Ms.toFixed(0)} ms`));
  }
  return rows;
}

/** SIGINT/SIGTERM stop every server, pane and child started here, then exit 130 / 143. */
export function stopOnSignals() {
  const onSignal = (signal) => {
    stopEverything();
    process.exit(signal === 'SIGINT' ? 130 : 143);
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
}

function options() {
  return {
    pods: numberFlag('--pods', 10_000),
    crashing: numberFlag('--crashing', 500),
    runs: numberFlag('--runs', 3),
    warmupS: numberFlag('--warmup', 10),
    windowS: numberFlag('--window', 50),
    keys: numberFlag('--keys', 20),
    churnRate: numberFlag('--churn-rate', 200),
    churnSeconds: numberFlag('--churn-window', 30),
    // Only 5. (its own simulator): to compare builds on the churn without the other figures' minutes.
    churnOnly: hasFlag('--churn-only'),
    // Only k9s's first crash-looping row, --runs times: does k9s show the pods at this size.
    k9sOnly: hasFlag('--k9s-only'),
    // `real`: a real kube-apiserver seeded from the simulator (bench/real-server.js) instead of the simulator.
    server: flagValue('--server', 'sim'),
    // `20mbit,30ms`: every tool reaches the server over a link that slow and that far (bench/throttle.js).
    link: flagValue('--link', undefined),
    json: flagValue('--json', undefined),
  };
}

async function main() {
  const opts = options();
  stopOnSignals();

  if (!['sim', 'real'].includes(opts.server)) {
    console.error(`live: --server must be sim or real, not ${opts.server}`);
    return 2;
  }
  const link = opts.link === undefined ? undefined : parseLink(opts.link);
  if (opts.link !== undefined && link === undefined) {
    console.error(`live: --link takes a rate and a round trip such as 20mbit,30ms, not ${opts.link}`);
    return 2;
  }
  const real = opts.server === 'real' ? realServerBinary() : undefined;
  if (real && !real.path) {
    console.log(`real API server: skipped (${real.reason})`);
    return 1;
  }
  const dir = mkdtempSync(join(tmpdir(), 'crashtop-bench-'));
  started.dirs.add(dir);
  const result = {
    machine: describeMachine(),
    build: buildVersion(),
    kubectl: kubectlVersion(),
    pods: opts.pods,
    crashing: opts.crashing,
    terminal: `${COLUMNS}x${ROWS}`,
    k9s: K9S.path ? { path: K9S.path, version: K9S_VERSION } : { skipped: K9S.reason },
    server: opts.server,
    link: link === undefined ? 'local' : describeLink(link),
    errors: [],
  };
  const where =
    (real ? `a real kube-apiserver (${real.path}) seeded from crashtop sim` : 'crashtop sim') +
    (link ? ` behind a link of ${describeLink(link)}` : '');
  console.log(
    `live: ${opts.pods} pods (${opts.crashing} crash-looping) in ${where}; crashtop ${result.build} in tmux ${COLUMNS}×${ROWS} ` +
      `against kubectl ${result.kubectl}; ${result.machine.nproc} CPUs (${result.machine.cpu}), node ${result.machine.node}, ` +
      `load ${result.machine.loadavg.join(' ')}`,
  );
  console.log(K9S.path ? `k9s ${K9S_VERSION}: ${K9S.path}` : `k9s: skipped (${K9S.reason})`);
  // One failed measurement is reported and the others still run.
  const attempt = async (label, run) => {
    try {
      return await run();
    } catch (error) {
      result.errors.push(`${label}: ${error.message}`);
      return undefined;
    }
  };
  let sim;
  try {
    if (!opts.churnOnly) {
      sim = await attempt('everything', () =>
        real
          ? startRealServer(opts.pods, opts.crashing, dir, real.path)
          : startSimulator(opts.pods, opts.crashing),
      );
    }
    // Measured on the bare server instead, the figures would say nothing about the link asked for.
    const kubeconfig =
      sim && link
        ? await attempt('link', () => kubeconfigBehind(sim.kubeconfig, link, dir))
        : sim?.kubeconfig;
    if (sim?.seed) {
      result.seed = sim.seed;
      console.log(
        `real API server: ${sim.seed.pods} pods and ${sim.seed.events} events written in ${secs(sim.seed.seedMs)} ` +
          `(server ready in ${secs(sim.seed.serverReadyMs)}); load ${describeMachine().loadavg.join(' ')}`,
      );
    }
    if (kubeconfig && opts.k9sOnly) {
      result.k9sOnly = await attempt('k9s', () => k9sOnly(kubeconfig, opts.pods, opts.runs, dir));
    } else if (kubeconfig) {
      result.firstOutput = await attempt('first output', () =>
        firstOutput(kubeconfig, opts.pods, opts.runs, dir),
      );
      const side = await attempt('idle window', () => atRest(kubeconfig, opts.pods, opts, dir));
      result.idle = side?.result;
      for (const error of side?.errors ?? []) result.errors.push(`idle window: ${error}`);
      if (result.firstOutput?.k9sError) result.errors.push(`first output: ${result.firstOutput.k9sError}`);
      if (side) {
        result.keys = await attempt('keys', () => keyLatency(side.crashtopSocket, opts.keys));
        await closePane(side.crashtopSocket);
      }
    }
  } finally {
    if (sim) await stopSimulator(sim.child);
  }
  try {
    // Its own simulator, so the churn never counts in the idle figures above. Not on the real server: the
    // mirror cannot write 200 status changes a second through it on this machine, nor say when each reached
    // the watches.
    if (opts.churnSeconds > 0 && !real && !opts.k9sOnly) {
      result.churn = await attempt('churn', () =>
        churnLatency(opts.pods, opts.crashing, { rate: opts.churnRate, seconds: opts.churnSeconds }),
      );
    }
  } finally {
    stopEverything();
  }
  result.loadavgAfter = loadavg().map((x) => Number(x.toFixed(2)));

  if (opts.k9sOnly) {
    const k = result.k9sOnly;
    if (k)
      console.log(
        `k9s at ${opts.pods} pods, ${k.runs} runs: first crash-looping row ${(k.k9sMs / 1000).toFixed(1)} s ` +
          `(${k.k9sRangeMs.map((ms) => (ms / 1000).toFixed(1)).join('–')} s), pods view up at ${(k.k9sFirstFrameMs / 1000).toFixed(1)} s, ` +
          `k9s's CPU to that row ${(k.k9sCpuMs / 1000).toFixed(1)} s; ` +
          `load ${k.loadavg.join(' ')}`,
      );
  } else {
    console.log(`\n${formatTable(tableRows(result))}`);
  }
  if (result.keys) {
    console.log(
      `key → frame: max ${result.keys.maxMs?.toFixed(0)} ms, ${result.keys.missed} missed; ` +
        `resolution ≈ one capture-pane round trip (${result.keys.captureRoundTripMs.toFixed(1)} ms)`,
    );
  }
  if (result.firstOutput) {
    const f = result.firstOutput;
    console.log(
      `first output: median of ${opts.runs} runs; kubectl printed ${f.kubectlLines} lines; ` +
        `starting a tmux server and pane (in every pane figure: crashtop, kubectl, k9s) takes ${f.tmuxStartMs.toFixed(0)} ms` +
        (f.k9sCpuMs === undefined ? '' : `; k9s's CPU to its first row ${(f.k9sCpuMs / 1000).toFixed(1)} s`),
    );
  }
  if (result.idle) {
    const series = (list) => list.map((bytes) => (bytes / 2 ** 20).toFixed(0)).join(' ');
    const every10s = Object.entries(result.idle.rssEvery10s).map(([tool, list]) => `${tool} ${series(list)}`);
    console.log(`RSS (MB) every 10 s of the window: ${every10s.join('; ')}`);
    const since = Object.entries(result.idle.sinceStartSeconds).map(
      ([tool, s]) => `${tool} ${s.toFixed(0)} s`,
    );
    const loads = Object.entries(result.idle.loadavg).map(([tool, l]) => `${tool} ${l.join(' ')}`);
    console.log(
      `at rest, each tool alone: window's end after launch ${since.join(', ')}; load ${loads.join('; ')}`,
    );
  }
  if (result.churn) {
    const c = result.churn;
    console.log(
      `churn: ${c.rate} readiness flips/s, probe ${c.probe} flipped every 2 s: max ${c.maxMs.toFixed(0)} ms, ` +
        `${c.missed} flips not seen before the next one; crashtop's CPU ${c.cpuMsPerSecond.toFixed(0)} ms/s; load ${c.loadavg.join(' ')}`,
    );
  }
  console.log(`load average after: ${result.loadavgAfter.join(' ')}`);
  for (const error of result.errors) console.log(`not measured: ${error}`);
  if (opts.json) writeFileSync(opts.json, `${JSON.stringify(result, null, 2)}\n`);
  return result.errors.length ? 1 : 0;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) process.exitCode = await main();
