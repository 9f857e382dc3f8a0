// Start-up: wall time from exec to exit of short commands, interleaved run by run so that load from elsewhere on
// the machine hits all of them alike. Run after `npm run build` (and `npm run build:bin` for the single
// executable, which is skipped with a note when it is not built):
//   node bench/startup.js [--runs 10] [--json FILE]
// `node -e 0` is the floor any Node program pays; kubectl's `version --client` is the peer's.

import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { flagValue, numberFlag } from './flags.js';
import { describeMachine, formatTable } from './live.js';

const CRASHTOP = fileURLToPath(new URL('../bin/crashtop.js', import.meta.url));
const EXECUTABLE = fileURLToPath(
  new URL(`../dist/crashtop-${process.platform}-${process.arch}`, import.meta.url),
);
const KUBECTL = process.env.KUBECTL ?? 'kubectl';

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

export const COMMANDS = [
  { name: 'node -e 0', argv: [process.execPath, '-e', '0'] },
  { name: 'crashtop --version', argv: [process.execPath, CRASHTOP, '--version'] },
  { name: 'crashtop explain --demo', argv: [process.execPath, CRASHTOP, 'explain', '--demo'] },
  { name: 'executable --version', argv: [EXECUTABLE, '--version'], needs: EXECUTABLE },
  { name: 'executable explain --demo', argv: [EXECUTABLE, 'explain', '--demo'], needs: EXECUTABLE },
  { name: 'kubectl version --client', argv: [KUBECTL, 'version', '--client'] },
];

/** Wall milliseconds of one run; throws when the command fails. */
function time([command, ...args]) {
  const began = performance.now();
  const result = spawnSync(command, args, { stdio: ['ignore', 'ignore', 'pipe'], timeout: 60_000 });
  const ms = performance.now() - began;
  if (result.status !== 0)
    throw new Error(`${command} ${args.join(' ')}: exit ${result.status}: ${result.stderr}`);
  return ms;
}

export function measureStartup(runs) {
  const commands = COMMANDS.filter((c) => !c.needs || existsSync(c.needs));
  const skipped = COMMANDS.filter((c) => c.needs && !existsSync(c.needs)).map(
    (c) => `${c.name}: not built (npm run build:bin)`,
  );
  const samples = new Map(commands.map((c) => [c.name, []]));
  for (const c of commands) time(c.argv); // warm the page cache once
  for (let i = 0; i < runs; i++) for (const c of commands) samples.get(c.name).push(time(c.argv));
  const figures = Object.fromEntries(
    [...samples].map(([name, ms]) => [
      name,
      { medianMs: median(ms), minMs: Math.min(...ms), maxMs: Math.max(...ms) },
    ]),
  );
  return { runs, figures, skipped };
}

function main() {
  const runs = numberFlag('--runs', 10);
  const machine = describeMachine();
  const result = { machine, ...measureStartup(runs), loadavgAfter: describeMachine().loadavg };
  const floor = result.figures['node -e 0'].medianMs;
  const rows = [['command', 'median', 'min–max', 'vs node -e 0']];
  for (const [name, f] of Object.entries(result.figures)) {
    rows.push([
      name,
      `${f.medianMs.toFixed(0)} ms`,
      `${f.minMs.toFixed(0)}–${f.maxMs.toFixed(0)} ms`,
      `${(f.medianMs / floor).toFixed(2)}×`,
    ]);
  }
  console.log(
    `startup: ${runs} runs each, interleaved; load ${machine.loadavg.join(' ')} before, ${result.loadavgAfter.join(' ')} after`,
  );
  console.log(formatTable(rows));
  for (const note of result.skipped) console.log(`skipped: ${note}`);
  const json = flagValue('--json', undefined);
  if (json) writeFileSync(json, `${JSON.stringify(result, null, 2)}\n`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) main();
