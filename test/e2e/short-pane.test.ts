import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateScenario, type RunningSim, startSim } from '../../src/sim/index.js';
import { sessionPerTest } from '../helpers/demo-in-tmux.js';
import { BIN } from '../helpers/run-cli.js';
import { TmuxSession as Tmux, type TmuxSession } from '../helpers/tmux.js';

// The built binary in a 20×5 tmux pane, as an SRE squeezes it beside a deploy: the header read
// `livehtop  ·  contex…` (the watch state drawn over the first line) until the next resize. Started there, and
// brought there from 80×24 and back, every line must read as drawn: the header's first line whole from column 0,
// the table's title and the selected row under it.

let sim: RunningSim;
const run = sessionPerTest();

beforeAll(async () => {
  sim = await startSim({ scenario: generateScenario({ pods: 300, crashing: 30 }), speed: 0 });
});
afterAll(async () => {
  await sim.close();
});

const FIRST = 'crashtop  ·  contex…';
/** The table's title: the countdown's whole, NAME's cut to what is left (rows.ts layoutColumns). */
const TITLES = /^ {2}\S+ {2}NEXT RESTART▲$/m;

/**
 * The pane's lines, once a 20×5 frame is drawn: its first line (a frame of the wider pane is cropped, not
 * redrawn, until crashtop draws); a garbled one times out with the screen in the error.
 */
async function shortScreen(session: TmuxSession): Promise<string[]> {
  const screen = await session.waitFor(
    (text) => text.startsWith(`${FIRST}\n`) && TITLES.test(text),
    20_000,
    'the 20×5 frame',
  );
  return screen.split('\n').map((line) => line.trimEnd());
}

function expectShort(lines: string[]): void {
  for (const line of lines) expect([...line].length).toBeLessThanOrEqual(20);
  expect(lines[1]).toMatch(TITLES);
  expect(lines[2]).toMatch(/^› \S/);
  expect(lines.join('\n').match(/crashtop|live/g)).toEqual(['crashtop']);
}

describe('a 20×5 pane', () => {
  it('started there, and after 80×24 and back: the header reads, nothing drawn over it', async () => {
    const session = await Tmux.start([process.execPath, BIN, '--kubeconfig', sim.kubeconfigPath, '-A'], {
      width: 20,
      height: 5,
    });
    run.session = session;
    expectShort(await shortScreen(session));

    await session.tmux('resize-window', '-t', session.name, '-x', '80', '-y', '24');
    const wide = (await session.waitForText(/^ {2}NAME {2,}STATUS/m)).split('\n');
    expect(wide[0]).toMatch(/^crashtop {2}· {2}context \S+ {2}· {2}ns all namespaces/);
    expect(wide[1]).toMatch(/^live( |$)/);
    expect(wide[2]).toMatch(/^\d+\/300 pods/);

    await session.tmux('resize-window', '-t', session.name, '-x', '20', '-y', '5');
    expectShort(await shortScreen(session));
  }, 60_000);
});
