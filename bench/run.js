// `npm run bench [-- --quick]` (after the build): every benchmark in sequence, each in a node process of its own so
// that one's memory and CPU never count in another's figures, then one summary table and
// bench/results/latest.json. Each bench's own output is shown as it runs; bench/README.md says what each figure
// means and BENCHMARKS.md holds the last full run.
//   full:    start-up, the simulator, the UI alone, and the live view against kubectl at 1,000, 10,000 and 50,000
//            pods (5 % crash-looping), 5 first-output runs and a 60 s window each
//   --quick: start-up, and the live view at 1,000 pods with 1 run and a 10 s window (under 5 minutes)
// k9s is measured (by live.js) only when bench/k9s.js has built it (it never builds it itself: ~20 minutes and 4 GB).
// The live view is measured again against a real kube-apiserver (live.js --server real, seeded from the simulator's
// scenario) at 1,000 and 10,000 pods, and 50,000 with --real-50k (seeding takes ≈ 2 writes per pod through the
// API: see bench/README.md), when test/real/build-testenv.sh has it cached; never with --quick, never built here.
// `--markdown` only rewrites bench/results/latest.md (the table of BENCHMARKS.md) from latest.json.
// `--soak` runs only bench/soak.js: crashtop's RSS and CPU over 10 minutes at 10,000 pods, into
// bench/results/soak.json (its own flags pass through: `--soak --pods 50000 --crashing 2500`).

import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { flagValue, hasFlag } from './flags.js';
import { k9sBinary } from './k9s.js';
import { describeMachine, formatTable, tableRows } from './live.js';
import { realServerBinary } from './real-server.js';

const here = (file) => fileURLToPath(new URL(file, import.meta.url));
const quick = hasFlag('--quick');
const dir = mkdtempSync(join(tmpdir(), 'crashtop-bench-run-'));
const startupJson = join(dir, 'startup.json');
const liveJson = (server, pods) => join(dir, `live-${server}-${pods}.json`);

/** `label: value, value, …` lines, as bench/sim.js prints them; one row per value keeps the table narrow. */
const simFigures = ({ stdout }) =>
  stdout
    .split('\n')
    .filter((line) => line.includes(': '))
    .flatMap((line) =>
      line
        .slice(line.indexOf(': ') + 2)
        .split(', ')
        .map((value, i) => [i === 0 ? line.slice(0, line.indexOf(': ')) : '', value]),
    );

/**
 * bench/tui.js ends with its results as pretty-printed JSON on stderr (Ink's cursor restore may follow it); every
 * leaf becomes a figure.
 */
function tuiFigures({ stderr }) {
  const json = JSON.parse(stderr.slice(stderr.lastIndexOf('\n{\n') + 1, stderr.lastIndexOf('\n}') + 2));
  const leaves = (value, path) =>
    value !== null && typeof value === 'object'
      ? Object.entries(value).flatMap(([key, inner]) => leaves(inner, path ? `${path}.${key}` : key))
      : [[path, String(value)]];
  return leaves(json, '');
}

const startupFigures = () =>
  Object.entries(JSON.parse(readFileSync(startupJson, 'utf8')).figures).map(([name, f]) => [
    name,
    `${f.medianMs.toFixed(0)} ms`,
  ]);

/** live.js compares with kubectl and k9s, so its rows keep their columns and the ratios. */
const liveFigures = (server, pods) => () =>
  tableRows(JSON.parse(readFileSync(liveJson(server, pods), 'utf8'))).slice(1);

const PODS = quick ? [1_000] : [1_000, 10_000, 50_000];
const real = quick ? { reason: 'not in --quick' } : realServerBinary();
const realPods = () =>
  flagValue('--real-pods', '1000,10000')
    .split(',')
    .map(Number)
    .concat(hasFlag('--real-50k') ? [50_000] : []);
const REAL_PODS = real.path ? realPods() : [];
const SERVERS = { sim: PODS, real: REAL_PODS };
const liveArgs = quick
  ? ['--runs', '1', '--warmup', '3', '--window', '10', '--keys', '8', '--churn-window', '12']
  : // "At rest": crashtop's CPU halves over its first two minutes as V8 finishes optimising and its memory reducer
    // settles (bench/README.md), so each tool's window opens 45 s after its first output; 30 s windows keep the
    // three solo windows of five sizes within the run's half hour.
    // Five first-output runs: at 1,000 pods crashtop's figure and kubectl's are a few hundred ms each, and a
    // median of three moved by a tenth between quiet runs of the same build.
    ['--runs', '5', '--warmup', '45', '--window', '30'];
/** live.js at one size against one server ('sim' or 'real'). */
const liveStep = (server, pods, timeoutMs) => ({
  name: server === 'sim' ? `live ${pods / 1000}k` : `live real ${pods / 1000}k`,
  file: 'live.js',
  args: [
    ...(server === 'sim' ? [] : ['--server', server]),
    '--pods',
    String(pods),
    '--crashing',
    String(pods / 20),
    ...liveArgs,
    '--json',
    liveJson(server, pods),
  ],
  timeoutMs,
  figures: liveFigures(server, pods),
  pods,
});
const BENCHES = [
  {
    name: 'startup',
    file: 'startup.js',
    args: ['--runs', quick ? '3' : '10', '--json', startupJson],
    timeoutMs: 300_000,
    figures: startupFigures,
  },
  ...(quick
    ? []
    : [
        { name: 'sim', file: 'sim.js', args: [], timeoutMs: 600_000, figures: simFigures },
        { name: 'tui', file: 'tui.js', args: [], timeoutMs: 300_000, figures: tuiFigures },
      ]),
  ...PODS.map((pods) => liveStep('sim', pods, 1_200_000)),
  // Seeding alone: ≈ 1 minute per 1,000 pods on a busy machine (bench/README.md).
  ...REAL_PODS.map((pods) => liveStep('real', pods, 1_200_000 + pods * 120)),
];

let current;
let interrupted = false;
// The bench in progress cleans up its own servers and children on SIGINT/SIGTERM; wait for it, then stop.
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    interrupted = true;
    current?.kill(signal);
  });
}

function run(bench) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [here(bench.file), ...bench.args], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    current = child;
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
      process.stdout.write(chunk);
    });
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
      process.stderr.write(chunk);
    });
    const timer = setTimeout(() => child.kill('SIGTERM'), bench.timeoutMs);
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      current = undefined;
      resolve({ code, signal, stdout, stderr });
    });
  });
}

const readJson = (file) => {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
};

const mbOf = (bytes) => (bytes === undefined ? null : Math.round(bytes / 2 ** 20));
const msOf = (ms) => (ms === undefined || ms === null ? null : Math.round(ms));

/** One result per tool and pod count, in the shape of bench/results/latest.json (null where not measured). */
function results(startup) {
  const start = (name) => msOf(startup?.figures[name]?.medianMs);
  const out = [];
  for (const [server, pods] of Object.entries(SERVERS).flatMap(([server, list]) =>
    list.map((p) => [server, p]),
  )) {
    const live = readJson(liveJson(server, pods));
    if (!live) continue;
    const f = live.firstOutput;
    const idle = live.idle;
    const common = { server, pods, loadavg: f?.loadavg ?? live.machine.loadavg };
    out.push({
      tool: 'crashtop',
      ...common,
      firstFrameMs: msOf(f?.crashtopMs),
      completeMs: msOf(f?.crashtopCompleteMs),
      rssMb: mbOf(idle?.rssEnd.crashtop),
      rssFirstFrameMb: mbOf(idle?.rssFirst.crashtop),
      rssPeakMb: mbOf(idle?.rssPeak.crashtop),
      idleCpuPct: idle ? Number((idle.cpuMsPerSecond.crashtop / 10).toFixed(2)) : null,
      idleBytesPerSec: idle ? Math.round(idle.bytesPerSecond.crashtop) : null,
      churnP95Ms: msOf(live.churn?.p95Ms),
      keyP95Ms: msOf(live.keys?.p95Ms),
      // The issue's target is "every run ahead of k9s": runs where crashtop's first crash-loop row came first.
      runsAheadOfK9s:
        f?.crashtopAheadOfK9s === undefined ? null : { ahead: f.crashtopAheadOfK9s, runs: f.runs },
      startMs: start('crashtop --version'),
      explainDemoMs: start('crashtop explain --demo'),
    });
    out.push({
      tool: 'kubectl',
      ...common,
      // In a pane as crashtop and k9s are; through a pipe (no terminal, no tmux) beside it.
      firstFrameMs: msOf(f?.kubectlFirstLineMs),
      firstLinePipeMs: msOf(f?.kubectlPipeFirstLineMs),
      completeMs: msOf(f?.kubectlExitMs),
      rssMb: mbOf(idle?.rssEnd.kubectl),
      rssFirstFrameMb: mbOf(idle?.rssFirst.kubectl),
      rssPeakMb: mbOf(idle?.rssPeak.kubectl),
      idleCpuPct: idle ? Number((idle.cpuMsPerSecond.kubectl / 10).toFixed(2)) : null,
      idleBytesPerSec: idle ? Math.round(idle.bytesPerSecond.kubectl) : null,
      churnP95Ms: null,
      keyP95Ms: null,
      startMs: start('kubectl version --client'),
      explainDemoMs: null,
    });
    if (!live.k9s?.path) continue;
    out.push({
      tool: 'k9s',
      ...common,
      firstFrameMs: msOf(f?.k9sMs),
      completeMs: null,
      rssMb: mbOf(idle?.rssEnd.k9s),
      rssFirstFrameMb: mbOf(idle?.rssFirst.k9s),
      rssPeakMb: mbOf(idle?.rssPeak.k9s),
      idleCpuPct:
        idle?.cpuMsPerSecond.k9s === undefined ? null : Number((idle.cpuMsPerSecond.k9s / 10).toFixed(2)),
      idleBytesPerSec: idle?.bytesPerSecond.k9s === undefined ? null : Math.round(idle.bytesPerSecond.k9s),
      churnP95Ms: null,
      keyP95Ms: null,
      startMs: null,
      explainDemoMs: null,
    });
  }
  return out;
}

const TARGETS = {
  firstFrame: (pods) => (pods <= 1_000 ? 2 : 1.2),
  rssMb: (pods) => (pods <= 10_000 ? 150 : 400),
  idleCpuPct: 2,
  idleBytesPerSec: 1_500,
  keyP95Ms: 50,
  churnP95Ms: 250,
  versionRatio: 2,
};

const verdict = (ok) => (ok === undefined ? '—' : ok ? 'met' : 'missed');

/** The markdown table of BENCHMARKS.md: each figure, kubectl's and k9s's, the ratios, and the issue's target. */
function markdown(latest) {
  const startup = latest.startup;
  const lines = [];
  const floor = startup?.['node -e 0']?.medianMs;
  if (startup && floor) {
    lines.push('| start-up (median) | ms | vs `node -e 0` | target | |', '|---|---:|---:|---|---|');
    for (const [name, f] of Object.entries(startup)) {
      const ratio = f.medianMs / floor;
      const target =
        name.endsWith('--version') && !name.startsWith('kubectl') ? TARGETS.versionRatio : undefined;
      lines.push(
        `| ${name} | ${f.medianMs.toFixed(0)} (${f.minMs.toFixed(0)}–${f.maxMs.toFixed(0)}) | ${ratio.toFixed(2)}× | ${target ? `≤ ${target}×` : ''} | ${target ? verdict(ratio <= target) : ''} |`,
      );
    }
    lines.push('');
  }
  for (const server of ['sim', 'real']) {
    // Rows written before the real server was measured have no `server`: the simulator's.
    const results = latest.results.filter((r) => (r.server ?? 'sim') === server);
    if (server === 'real') {
      if (!latest.realServer) continue; // written before the real server was part of the bench
      const seeds = Object.entries(latest.realServer?.seeds ?? {}).map(
        ([pods, seed]) =>
          `${Number(pods).toLocaleString('en-US')} pods in ${(seed.seedMs / 1000).toFixed(0)} s`,
      );
      lines.push(
        '',
        latest.realServer?.skipped
          ? `Real API server: skipped (${latest.realServer.skipped}).`
          : `Real API server (kube-apiserver v1.36.3 and etcd, test/real; seeded by the mirror: ${seeds.join(', ') || '—'}):`,
      );
      if (!results.length) continue;
      lines.push('');
    }
    lines.push(...markdownRows(results));
  }
  return `${lines.join('\n')}\n`;
}

/** One table: crashtop, kubectl and k9s at each pod count of one server. */
function markdownRows(results) {
  const lines = [
    '| pods | figure | crashtop | kubectl | crashtop/kubectl | k9s | crashtop/k9s | target | | load (1 min) |',
    '|---:|---|---:|---:|---:|---:|---:|---|---|---:|',
  ];
  for (const pods of new Set(results.map((r) => r.pods))) {
    const c = results.find((r) => r.tool === 'crashtop' && r.pods === pods);
    const k = results.find((r) => r.tool === 'kubectl' && r.pods === pods);
    if (!c || !k) continue;
    // null on every figure when k9s was not measured (not built): its columns show —.
    const nine = results.find((r) => r.tool === 'k9s' && r.pods === pods) ?? {};
    const ratio = (a, b) =>
      a === null || b === null || b === undefined || !b ? '—' : `${(a / b).toFixed(2)}×`;
    const show = (x, unit) => (x === null || x === undefined ? '—' : `${x}${unit}`);
    const row = (figure, a, b, unit, target, ok, n = null) =>
      lines.push(
        `| ${pods.toLocaleString('en-US')} | ${figure} | ${show(a, unit)} | ${show(b, unit)} | ${ratio(a, b)} | ${show(n, unit)} | ${ratio(a, n)} | ${target} | ${verdict(ok)} | ${c.loadavg[0]} |`,
      );
    const first = TARGETS.firstFrame(pods);
    row(
      'first crash-loop row (kubectl: first line, in a pane)',
      c.firstFrameMs,
      k.firstFrameMs,
      ' ms',
      `≤ ${first}× kubectl`,
      c.firstFrameMs === null ? undefined : c.firstFrameMs <= first * k.firstFrameMs,
      nine.firstFrameMs,
    );
    const ahead = c.runsAheadOfK9s;
    if (ahead) {
      lines.push(
        `| ${pods.toLocaleString('en-US')} | runs with crashtop's first crash-loop row before k9s's | ${ahead.ahead} of ${ahead.runs} | | | | | every run | ${verdict(ahead.ahead === ahead.runs)} | ${c.loadavg[0]} |`,
      );
    }
    if (k.firstLinePipeMs !== null && k.firstLinePipeMs !== undefined) {
      row(
        'first crash-loop row (kubectl: first line, through a pipe)',
        c.firstFrameMs,
        k.firstLinePipeMs,
        ' ms',
        '',
        undefined,
      );
    }
    row('whole list in (kubectl: exit)', c.completeMs, k.completeMs, ' ms', '', undefined);
    row(
      'RSS at first frame',
      c.rssFirstFrameMb,
      k.rssFirstFrameMb,
      ' MB',
      '',
      undefined,
      nine.rssFirstFrameMb,
    );
    row(
      'RSS at end of window',
      c.rssMb,
      k.rssMb,
      ' MB',
      `< ${TARGETS.rssMb(pods)} MB`,
      c.rssMb === null ? undefined : c.rssMb < TARGETS.rssMb(pods),
      nine.rssMb,
    );
    row(
      'RSS peak',
      c.rssPeakMb,
      k.rssPeakMb,
      ' MB',
      `< ${TARGETS.rssMb(pods)} MB`,
      c.rssPeakMb === null ? undefined : c.rssPeakMb < TARGETS.rssMb(pods),
      nine.rssPeakMb,
    );
    row(
      'CPU at rest (% of a core)',
      c.idleCpuPct,
      k.idleCpuPct,
      ' %',
      `< ${TARGETS.idleCpuPct} %`,
      c.idleCpuPct === null ? undefined : c.idleCpuPct < TARGETS.idleCpuPct,
      nine.idleCpuPct,
    );
    row(
      'terminal bytes/s at rest',
      c.idleBytesPerSec,
      k.idleBytesPerSec,
      '',
      `< ${TARGETS.idleBytesPerSec}`,
      c.idleBytesPerSec === null ? undefined : c.idleBytesPerSec < TARGETS.idleBytesPerSec,
      nine.idleBytesPerSec,
    );
    row(
      'watch event → screen p95, 200 changes/s',
      c.churnP95Ms,
      null,
      ' ms',
      `< ${TARGETS.churnP95Ms} ms`,
      c.churnP95Ms === null ? undefined : c.churnP95Ms < TARGETS.churnP95Ms,
    );
    row(
      'key → frame p95',
      c.keyP95Ms,
      null,
      ' ms',
      `< ${TARGETS.keyP95Ms} ms`,
      c.keyP95Ms === null ? undefined : c.keyP95Ms < TARGETS.keyP95Ms,
    );
  }
  return lines;
}

// `node bench/run.js --markdown`: only rewrite latest.md from latest.json.
if (hasFlag('--markdown')) {
  writeFileSync(
    here('results/latest.md'),
    markdown(JSON.parse(readFileSync(here('results/latest.json'), 'utf8'))),
  );
  rmSync(dir, { recursive: true, force: true });
  process.exit(0);
}

// `npm run bench -- --soak`: only the 10-minute memory soak (not part of the full run: it would add 10 minutes).
if (hasFlag('--soak')) {
  // Its own flags (--pods 50000, --minutes 20 …) go through.
  const args = process.argv.slice(2).filter((arg) => arg !== '--soak');
  const outcome = await run({ file: 'soak.js', args, timeoutMs: 40 * 60_000 });
  rmSync(dir, { recursive: true, force: true });
  process.exit(interrupted ? 130 : (outcome.code ?? 1));
}

const machineBefore = describeMachine();
const k9s = k9sBinary();
if (!k9s.path) console.log(`k9s: skipped (${k9s.reason})`);
if (!real.path) console.log(`real API server: skipped (${real.reason})`);
const rows = [['bench', 'figure', 'crashtop', 'kubectl', 'crashtop/kubectl', 'k9s', 'crashtop/k9s']];
let failed = 0;
for (const bench of BENCHES) {
  if (interrupted) break;
  process.stdout.write(`\n== bench/${bench.file} ${bench.args.join(' ')} ==\n`);
  const outcome = await run(bench);
  try {
    for (const [figure, ...cells] of bench.figures(outcome)) {
      rows.push([bench.name, figure, ...cells, ...Array(rows[0].length - 2 - cells.length).fill('—')]);
    }
  } catch (error) {
    rows.push([bench.name, 'no figures', error.message, '—', '—', '—', '—']);
  }
  if (outcome.code !== 0) {
    failed += 1;
    rows.push([bench.name, 'exit', outcome.signal ?? `code ${outcome.code}`, '—', '—', '—', '—']);
  }
}

const after = describeMachine();
const latest = {
  machine: { ...machineBefore, loadavgBefore: machineBefore.loadavg, loadavgAfter: after.loadavg, quick },
  k9s: k9s.path ? { path: k9s.path } : { skipped: k9s.reason },
  realServer: real.path
    ? {
        path: real.path,
        seeds: Object.fromEntries(
          REAL_PODS.map((pods) => [pods, readJson(liveJson('real', pods))?.seed]).filter(([, seed]) => seed),
        ),
      }
    : { skipped: real.reason },
  startup: readJson(startupJson)?.figures,
  results: results(readJson(startupJson)),
};
delete latest.machine.loadavg;
mkdirSync(here('results'), { recursive: true });
writeFileSync(here('results/latest.json'), `${JSON.stringify(latest, null, 2)}\n`);
writeFileSync(here('results/latest.md'), markdown(latest));
rmSync(dir, { recursive: true, force: true });

console.log(
  `\n== summary: ${machineBefore.nproc} CPUs (${machineBefore.cpu}), node ${machineBefore.node}, ` +
    `load average ${machineBefore.loadavg.join(' ')} before, ${after.loadavg.join(' ')} after ==\n`,
);
console.log(formatTable(rows, 2));
console.log('\nwritten: bench/results/latest.json and latest.md (the table of BENCHMARKS.md)');
if (interrupted) process.exitCode = 130;
else if (failed) process.exitCode = 1;
