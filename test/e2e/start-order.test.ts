import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateScenario, type RunningSim, startSim } from '../../src/sim/index.js';
import { sessionPerTest } from '../helpers/demo-in-tmux.js';
import { BIN } from '../helpers/run-cli.js';
import { TmuxSession } from '../helpers/tmux.js';

// The live view's first crash-looping row waits for the first list, so the list request goes out before the
// costly parts of start-up that the first frame needs only later (yoga-layout's WebAssembly, decoded and
// compiled), and the first frame is drawn without what only later text or keys need: an Intl.Segmenter (the
// first costs 20–35 ms: ICU's break data), string-width's emoji expression (25–65 ms to parse), the WebSocket
// library. A probe loaded with --import writes, in order, when the built binary makes each of them, each
// request, and the first frame with a crash-looping row.

const PROBE = `
import { appendFileSync } from 'node:fs';
import https from 'node:https';
const log = (what) => appendFileSync(process.env.START_PROBE_OUT, what + '\\n');
const request = https.request;
https.request = function (url, ...rest) {
  log('request ' + (typeof url === 'string' ? url : (url.pathname ?? url.path)));
  return request.call(this, url, ...rest);
};
const instantiate = WebAssembly.instantiate;
WebAssembly.instantiate = function (...args) {
  log('webassembly');
  return instantiate.apply(this, args);
};
// Counted at the constructor: for Node 20, esbuild writes each v-flag literal as a RegExp constructor call.
globalThis.RegExp = new Proxy(RegExp, {
  construct(target, args, newTarget) {
    if (String(args[0]).includes('RGI_Emoji')) log('rgi-emoji');
    return Reflect.construct(target, args, newTarget);
  },
});
// The first frame with a crash-looping row, and whether zlib (the WebSocket library's) was loaded by then.
const write = process.stdout.write.bind(process.stdout);
let drawn = false;
process.stdout.write = (chunk, ...rest) => {
  if (!drawn && String(chunk).includes('CrashLoopBackOff')) {
    drawn = true;
    log(process.moduleLoadList.includes('NativeModule zlib') ? 'drawn with zlib' : 'drawn');
  }
  return write(chunk, ...rest);
};
const Segmenter = Intl.Segmenter;
Intl.Segmenter = class extends Segmenter {
  constructor(...args) {
    log('segmenter');
    super(...args);
  }
};
`;

let dir: string;
let sim: RunningSim;
const tmux = sessionPerTest();

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'crashtop-start-order-'));
  await writeFile(join(dir, 'probe.mjs'), PROBE);
  sim = await startSim({ scenario: generateScenario({ pods: 40, crashing: 4 }) });
});
afterAll(async () => {
  await sim.close();
  await rm(dir, { recursive: true, force: true });
});

/** The live view on the simulator with the probe loaded, writing what it saw to `out`, once it draws a crash. */
async function startProbed(out: string): Promise<void> {
  const session = await TmuxSession.start(
    [
      process.execPath,
      '--import',
      pathToFileURL(join(dir, 'probe.mjs')).href,
      BIN,
      '--kubeconfig',
      sim.kubeconfigPath,
      '-A',
    ],
    { env: { START_PROBE_OUT: out, XDG_CACHE_HOME: dir } },
  );
  tmux.session = session;
  await session.waitForText('CrashLoopBackOff', 20_000);
}

describe('the live view starting', () => {
  it('asks for the pods before it loads the layout engine, and still draws them', async () => {
    const out = join(dir, 'order.txt');
    await startProbed(out);
    const order = (await readFile(out, 'utf8')).trim().split('\n');
    const podsAsked = order.findIndex((line) => /^request \/api\/v1\/pods\b/.test(line));
    expect(podsAsked, order.join('\n')).toBeGreaterThanOrEqual(0);
    expect(order.indexOf('webassembly'), order.join('\n')).toBeGreaterThan(podsAsked);
  });

  it('draws the first crash-looping rows without what only later text or keys need: ICU, the emoji expression, the WebSocket library', async () => {
    const out = join(dir, 'first-frame.txt');
    await startProbed(out);
    await expect.poll(() => readFile(out, 'utf8')).toMatch(/^drawn/m);
    const order = (await readFile(out, 'utf8')).trim().split('\n');
    // Plainly narrow text needs neither a segmenter nor the emoji expression; a shell (`s`) loads the WebSocket
    // library.
    const beforeDrawn = order.slice(0, order.indexOf('drawn') + 1);
    expect(beforeDrawn, order.join('\n')).not.toContain('segmenter');
    expect(beforeDrawn, order.join('\n')).not.toContain('rgi-emoji');
    expect(beforeDrawn, order.join('\n')).toContain('drawn');
  });
});
