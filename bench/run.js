// `npm run bench` (after the build): every benchmark in sequence, each in a node process of its own so that one's
// memory and CPU never count in another's figures, then one summary table. Each bench's own output is shown as
// it runs; bench/README.md says what each figure means.

import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describeMachine, formatTable, tableRows } from './live.js';

const here = (file) => fileURLToPath(new URL(file, import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'crashtop-bench-run-'));
const liveJson = join(dir, 'live.json');

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

/** live.js compares with kubectl, so its rows keep both columns and the ratio. */
const liveFigures = () => tableRows(JSON.parse(readFileSync(liveJson, 'utf8'))).slice(1);

const BENCHES = [
  { name: 'sim', file: 'sim.js', args: [], timeoutMs: 600_000, figures: simFigures },
  { name: 'tui', file: 'tui.js', args: [], timeoutMs: 300_000, figures: tuiFigures },
  { name: 'live', file: 'live.js', args: ['--json', liveJson], timeoutMs: 900_000, figures: liveFigures },
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

const machineBefore = describeMachine();
const rows = [['bench', 'figure', 'crashtop', 'kubectl', 'crashtop/kubectl']];
let failed = 0;
for (const bench of BENCHES) {
  if (interrupted) break;
  process.stdout.write(`\n== bench/${bench.file} ==\n`);
  const outcome = await run(bench);
  try {
    for (const [figure, value, peer = '—', ratio = '—'] of bench.figures(outcome)) {
      rows.push([bench.name, figure, value, peer, ratio]);
    }
  } catch (error) {
    rows.push([bench.name, 'no figures', error.message, '—', '—']);
  }
  if (outcome.code !== 0) {
    failed += 1;
    rows.push([bench.name, 'exit', outcome.signal ?? `code ${outcome.code}`, '—', '—']);
  }
}
rmSync(dir, { recursive: true, force: true });

const after = describeMachine();
console.log(
  `\n== summary: ${machineBefore.nproc} CPUs (${machineBefore.cpu}), node ${machineBefore.node}, ` +
    `load average ${machineBefore.loadavg.join(' ')} before, ${after.loadavg.join(' ')} after ==\n`,
);
console.log(formatTable(rows, 2));
if (interrupted) process.exitCode = 130;
else if (failed) process.exitCode = 1;
