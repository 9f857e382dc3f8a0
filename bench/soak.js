// The memory target over time: "under 150 MB RSS at 10,000 pods, steady (no growth over 10 minutes)". bench/live.js
// sees a 60 s window, too short to tell a slow leak from a lazy garbage collector. Run after `npm run build`:
//   node bench/soak.js [--pods 10000] [--crashing 500] [--minutes 10] [--every 10] [--json FILE]
//   npm run bench -- --soak        (the same, after the build; nothing else)
// crashtop runs in a 120×40 tmux pane on `crashtop sim`, no key pressed (the kubelet's crash loops and the countdowns
// change the screen); RSS of the pane's process tree is read from /proc every --every seconds from the launch until
// --minutes have passed. Reported: RSS at the first sample after the whole list is in, peak and last, and the slope
// (least squares, MB per minute) over the last 8 minutes (the first 2 are start-up: the list, the code cache, the
// first full GC). Written to bench/results/soak.json (or --json FILE); bench/README.md says what each figure means.

import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { flagValue, numberFlag } from './flags.js';
import {
  buildVersion,
  closePane,
  crashtopArgv,
  describeMachine,
  isAlive,
  openPane,
  panePid,
  startSimulator,
  stopEverything,
  stopOnSignals,
  stopSimulator,
  usage,
  waitForScreen,
} from './live.js';
import { showsCompleteList } from './screens.js';

/** bench/results/soak.json at the target's 10,000 pods, soak-PODS.json at other sizes. */
const results = (pods) =>
  fileURLToPath(
    new URL(pods === 10_000 ? 'results/soak.json' : `results/soak-${pods}.json`, import.meta.url),
  );
/** The memory targets: under 150 MB at 10,000 pods, under 400 MB at 50,000. */
export const targetMb = (pods) => (pods > 10_000 ? 400 : 150);
/** The slope is fitted over the run's last minutes (all but the first 2 of the default 10: start-up). */
const SLOPE_MINUTES = 8;
/**
 * "Steady": the fitted growth over the slope's window. 0.5 MB a minute is 30 MB an hour, 240 MB over an 8-hour
 * shift: below it the figure is within the sawtooth of V8's collections over 8 minutes (one full GC moves RSS by
 * 5–10 MB); above it a tool left open all day would cross the target.
 */
const STEADY_MB_PER_MIN = 0.5;

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const mb = (bytes) => bytes / 2 ** 20;

function options() {
  const pods = numberFlag('--pods', 10_000);
  return {
    pods,
    crashing: numberFlag('--crashing', 500),
    minutes: numberFlag('--minutes', 10),
    everyS: numberFlag('--every', 10),
    json: flagValue('--json', results(pods)),
  };
}

/** Least-squares slope of y over x. */
export function slope(points) {
  const n = points.length;
  if (n < 2) return null;
  const mx = points.reduce((sum, p) => sum + p.x, 0) / n;
  const my = points.reduce((sum, p) => sum + p.y, 0) / n;
  let num = 0;
  let den = 0;
  for (const p of points) {
    num += (p.x - mx) * (p.y - my);
    den += (p.x - mx) ** 2;
  }
  return den === 0 ? null : num / den;
}

/**
 * first/peak/last and the slope over the samples after the settling minutes, from `{ s, rssMb, cpuMs }` samples;
 * and the CPU over those same minutes: at rest, without the list's start-up, and long enough that V8's full
 * collections (≈ 0.3 s of CPU each at 50,000 pods, one every few minutes, and the memory reducer's after start-up)
 * count at the rate they come, not as a 30 s window happens to catch them.
 */
export function summarise(samples, listedS, minutes, pods = 10_000) {
  const afterList = samples.filter((sample) => sample.s >= listedS);
  const from = Math.max(minutes / 5, minutes - SLOPE_MINUTES) * 60;
  const settled = samples.filter((sample) => sample.s >= from);
  const perMinute = slope(settled.map((sample) => ({ x: sample.s / 60, y: sample.rssMb })));
  const peakMb = Math.max(...samples.map((sample) => sample.rssMb));
  const last = samples[samples.length - 1];
  const lastMb = last?.rssMb ?? null;
  const restSeconds = settled.length > 1 ? last.s - settled[0].s : 0;
  return {
    firstMb: afterList[0]?.rssMb ?? null,
    peakMb,
    lastMb,
    slopeMbPerMin: perMinute,
    slopeFromS: settled[0]?.s ?? null,
    underTarget: peakMb < targetMb(pods),
    steady: perMinute !== null && perMinute < STEADY_MB_PER_MIN,
    restCpuMsPerSecond: restSeconds > 0 ? Math.round((last.cpuMs - settled[0].cpuMs) / restSeconds) : null,
  };
}

async function main() {
  const opts = options();
  stopOnSignals();
  const machine = describeMachine();
  const build = buildVersion();
  console.log(
    `soak: ${opts.pods} pods (${opts.crashing} crash-looping), crashtop ${build} in tmux 120×40 for ${opts.minutes} min, ` +
      `RSS every ${opts.everyS} s; ${machine.nproc} CPUs, node ${machine.node}, load ${machine.loadavg.join(' ')}`,
  );
  const sim = await startSimulator(opts.pods, opts.crashing);
  const samples = [];
  let listedS;
  let cpuMs;
  try {
    const began = performance.now();
    const socket = await openPane('soak', crashtopArgv(sim.kubeconfig));
    const pid = await panePid(socket);
    const listed = waitForScreen(socket, showsCompleteList, 120_000).then(() => {
      listedS = (performance.now() - began) / 1000;
    });
    listed.catch(() => {});
    const end = began + opts.minutes * 60_000;
    for (let i = 0; performance.now() <= end + 1; i++) {
      await sleep(Math.max(0, began + i * opts.everyS * 1000 - performance.now()));
      if (!isAlive(pid)) throw new Error(`crashtop exited after ${samples.at(-1)?.s ?? 0} s`);
      const now = usage(pid);
      const s = Math.round((performance.now() - began) / 1000);
      samples.push({ s, rssMb: Number(mb(now.rss).toFixed(1)), cpuMs: Math.round(now.cpuMs) });
      if (s % 60 === 0) console.log(`  ${s / 60} min: ${mb(now.rss).toFixed(0)} MB`);
    }
    await listed;
    cpuMs = samples.at(-1).cpuMs;
    await closePane(socket);
  } finally {
    await stopSimulator(sim.child);
    stopEverything();
  }
  const summary = summarise(samples, listedS, opts.minutes, opts.pods);
  const result = {
    machine,
    loadavgAfter: loadavg().map((x) => Number(x.toFixed(2))),
    build,
    pods: opts.pods,
    crashing: opts.crashing,
    terminal: '120x40',
    minutes: opts.minutes,
    everySeconds: opts.everyS,
    listedSeconds: listedS,
    ...summary,
    targetMb: targetMb(opts.pods),
    steadyBelowMbPerMin: STEADY_MB_PER_MIN,
    cpuMsPerSecond: Math.round(cpuMs / (samples.at(-1).s || 1)),
    samples,
  };
  const f = (x) => (x === null ? '—' : x.toFixed(1));
  console.log(
    `RSS: first ${f(summary.firstMb)} MB (list in at ${listedS.toFixed(1)} s), peak ${f(summary.peakMb)} MB, ` +
      `last ${f(summary.lastMb)} MB; slope from ${summary.slopeFromS} s: ${f(summary.slopeMbPerMin)} MB/min ` +
      `(${summary.underTarget ? 'under' : 'over'} ${result.targetMb} MB, ${summary.steady ? 'steady' : 'growing'}); ` +
      `CPU ${result.cpuMsPerSecond} ms/s over the run, ${summary.restCpuMsPerSecond ?? '—'} ms/s from ${summary.slopeFromS} s; ` +
      `load after ${result.loadavgAfter.join(' ')}`,
  );
  mkdirSync(dirname(opts.json), { recursive: true });
  writeFileSync(opts.json, `${JSON.stringify(result, null, 2)}\n`);
  console.log(`written: ${opts.json}`);
  return 0;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) process.exitCode = await main();
