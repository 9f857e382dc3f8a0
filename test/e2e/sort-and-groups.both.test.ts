import { describe, expect, it } from 'vitest';
import { statusSeverity } from '../../src/model/status.js';
import { BACKEND } from '../helpers/backend.js';
import { demoInTmux } from '../helpers/demo-in-tmux.js';
import { BIN } from '../helpers/run-cli.js';
import { TmuxSession } from '../helpers/tmux.js';

// Sorting by a column and the owner groups, in a real 80×24 terminal (tmux) against the demo scenario, served by
// the simulator or a real kube-apiserver (the simulated kubelet's clock is frozen, so rows hold still).

const demo = demoInTmux();

/** The table's lines: under the column titles, above the footer. */
function tableLines(screen: string): string[] {
  const lines = screen.split('\n');
  const titles = lines.findIndex((l) => /^ {2}NAME/.test(l));
  const footer = lines.findIndex((l, i) => i > titles && /^([↑↓] \d+ more · )*\? help|^$/.test(l));
  return lines.slice(titles + 1, footer === -1 ? undefined : footer);
}

describe(`sort and groups at 80×24 against ${BACKEND === 'real' ? 'a real kube-apiserver' : 'crashtop sim'}`, () => {
  it('sorts by STATUS with U, reverses with U again, and groups pods under their owners with o', async () => {
    demo.session = await TmuxSession.start(
      [process.execPath, BIN, '--kubeconfig', demo.backend.kubeconfigPath, '-A'],
      {
        width: 80,
        height: 24,
      },
    );
    await demo.session.waitForText('CrashLoopBackOff');
    const fits = (screen: string) => {
      const lines = screen.replace(/\n$/, '').split('\n');
      expect(lines.length).toBeLessThanOrEqual(24);
      for (const line of lines) expect([...line].length).toBeLessThanOrEqual(80);
    };

    // All pods, by STATUS: the worst first (crash loops, other failures, starting, running).
    await demo.session.keys('a', 'U');
    let screen = await demo.session.waitForText('sort: status ▲');
    fits(screen);
    const header = screen.split('\n').find((l) => /^ {2}NAME/.test(l)) ?? '';
    expect(header).toContain('STATUS▲');
    const at = header.indexOf('STATUS');
    const severities = (s: string) =>
      tableLines(s).map((line) => statusSeverity(line.slice(at).split(/\s+/)[0] ?? ''));
    const ascending = severities(screen);
    expect(ascending.length).toBeGreaterThan(10);
    expect(ascending[0]).toBe(0);
    expect(ascending).toEqual([...ascending].sort((x, y) => x - y));

    // The same key again: the other way round (unhealthy pods still on top, so only within them).
    await demo.session.keys('U');
    screen = await demo.session.waitForText('sort: status ▼');
    expect(screen).toContain('STATUS▼');
    expect(severities(screen)[0]).not.toBe(0);

    // By owner: a header line per owner, its pods under it on branches; the selection is always a pod.
    await demo.session.keys('o');
    screen = await demo.session.waitForText(/^ {2}Deployment \S+ {2}\d+ pods?/m);
    fits(screen);
    /** Every pod line on screen has its owner's line above it (the first line is always an owner). */
    const underOwners = (lines: string[]) => {
      let owner: string | undefined;
      for (const line of lines) {
        if (/^ {2}(Deployment|StatefulSet|DaemonSet|Job|Pod) /.test(line)) owner = line;
        else {
          expect(line, 'a pod line under an owner').toMatch(/^[ ›][ ♪][├└] /);
          expect(owner).toBeDefined();
        }
      }
    };
    underOwners(tableLines(screen));
    expect(tableLines(screen).find((l) => l.startsWith('›'))).toMatch(/^› [├└] /);
    await demo.session.keys('j', 'j', 'j');
    screen = await demo.session.waitFor(
      (s) => tableLines(s).findIndex((l) => l.startsWith('›')) > 1,
      10_000,
      'the selection to move',
    );
    expect(tableLines(screen).find((l) => l.startsWith('›'))).toMatch(/^› [├└] /);
    await demo.session.keys('G');
    screen = await demo.session.waitFor(
      (s) => tableLines(s).some((l) => l.startsWith('› └')),
      10_000,
      'the last pod selected',
    );
    fits(screen);
    underOwners(tableLines(screen));
    await demo.session.keys('q');
    expect(await demo.session.waitForExit()).toBe(0);
  });

  it('T shows RESTARTS at 80 columns, in place of CAUSE, the counts it sorts by most first', async () => {
    demo.session = await TmuxSession.start(
      [process.execPath, BIN, '--kubeconfig', demo.backend.kubeconfigPath, '-A'],
      {
        width: 80,
        height: 24,
      },
    );
    await demo.session.waitForText('CrashLoopBackOff');
    expect(await demo.session.capture()).not.toContain('RESTARTS');
    await demo.session.keys('T');
    const screen = await demo.session.waitForText('sort: restarts ▼');
    const header = screen.split('\n').find((l) => /^ {2}NAME/.test(l)) ?? '';
    expect(header.trim().split(/ {2,}/)).toEqual(['NAME', 'STATUS', 'RESTARTS▼', 'NEXT RESTART']);
    // RESTARTS is right-aligned under its title: the count is the first number of the cell that ends there.
    const end = header.indexOf('RESTARTS▼') + 'RESTARTS▼'.length;
    const counts = tableLines(screen).map((line) =>
      Number(/(\d+)(?: \([^)]*\))?$/.exec(line.slice(0, end))?.[1]),
    );
    expect(counts.length).toBeGreaterThan(5);
    expect(counts.every(Number.isFinite)).toBe(true);
    expect(counts).toEqual([...counts].sort((x, y) => y - x));
    expect(counts[0]).toBeGreaterThan(counts.at(-1)!);
  });

  // Which ReplicaSet is new is read from the ReplicaSets' revisions (model/rollout.ts): the harness mirrors the
  // demo's pods to the real server, not its ReplicaSets. test/real/rollout.real.test.ts has the real server's.
  it.skipIf(BACKEND === 'real')(
    "o: checkout's owner line says its rollout is stuck (new ReplicaSet crash-looping, the old one serving)",
    async () => {
      const ns = demo.backend.ns('shop');
      demo.session = await TmuxSession.start(
        [process.execPath, BIN, '--kubeconfig', demo.backend.kubeconfigPath, '-n', ns],
        { width: 80, height: 24 },
      );
      await demo.session.waitForText('CrashLoopBackOff');
      await demo.session.keys('o');
      // The owner line says it once the ReplicaSets' answer is in: asked when the line is first drawn.
      const screen = await demo.session.waitForText(/^ {2}Deployment \S+\/checkout {2}rollout/m);
      const line = (name: string) =>
        tableLines(screen).find((l) => l.startsWith(`  Deployment ${ns}/${name} `));
      // Unhealthy only: the old ReplicaSet's running pods are hidden, and still counted.
      expect(line('checkout')).toMatch(
        /^ {2}Deployment \S+\/checkout {2}rollout stuck: new pods crash-looping, 0 of 1 /,
      );
      expect(line('checkout')!.length).toBeLessThanOrEqual(80);
      expect(line('catalog-api')).not.toContain('rollout');
    },
  );
});
