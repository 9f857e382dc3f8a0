import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { BACKEND } from '../helpers/backend.js';
import { demoInTmux } from '../helpers/demo-in-tmux.js';
import { BIN } from '../helpers/run-cli.js';
import { TmuxSession } from '../helpers/tmux.js';

// The built binary in a real terminal (tmux) against the demo scenario, served by the simulator or by a real
// kube-apiserver (test/helpers/backend.ts). The simulated kubelet's clock is frozen, so the cluster holds still
// while kubectl and crashtop are compared; crashtop's countdowns still tick, on the local clock plus the server's
// offset. On the real server kubectl's STATUS comes from Kubernetes' own printers.

const run = promisify(execFile);

const demo = demoInTmux();

function crashtop(...args: string[]): string[] {
  return [process.execPath, BIN, '--kubeconfig', demo.backend.kubeconfigPath, ...args];
}

/** `kubectl get pods -A` against the same server: namespace/name → STATUS. */
async function kubectlStatuses(): Promise<Map<string, string>> {
  const { stdout } = await run('kubectl', [
    '--kubeconfig',
    demo.backend.kubeconfigPath,
    'get',
    'pods',
    '-A',
    '--no-headers',
  ]);
  const statuses = new Map<string, string>();
  for (const line of stdout.trim().split('\n')) {
    const [namespace, name, , status] = line.split(/\s+/);
    if (namespace && name && status) statuses.set(`${namespace}/${name}`, status);
  }
  return statuses;
}

describe(`crashtop in a real terminal against ${BACKEND === 'real' ? 'a real kube-apiserver' : 'crashtop sim'}`, () => {
  it('lists the crash loops with the STATUS kubectl prints and live countdowns', async () => {
    demo.session = await TmuxSession.start(crashtop('-A'), { width: 200, height: 50 });
    await demo.session.waitForText('CrashLoopBackOff');
    // tmux can show a frame it is still reading (a row cut after its STATUS): compare a capture taken a moment later.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const screen = await demo.session.capture();
    const expected = await kubectlStatuses();
    let compared = 0;
    for (const [pod, status] of expected) {
      const [namespace, name] = pod.split('/') as [string, string];
      const row = screen.split('\n').find((line) => line.includes(` ${name} `) && line.includes(namespace));
      if (!row) continue;
      expect(row, `row of ${pod}`).toContain(` ${status} `);
      compared++;
    }
    expect(compared).toBeGreaterThanOrEqual(10);

    // The NEXT RESTART cell, cut at the header's column (AGE can read in seconds too on a fresh server).
    const header = screen.split('\n').find((line) => line.includes('NEXT RESTART')) ?? '';
    const at = header.indexOf('NEXT RESTART');
    const seconds = (line: string | undefined) => {
      const match = /^\s*(?:(\d+)m)?(\d+)s\b/.exec((line ?? '').slice(at));
      return match ? Number(match[1] ?? 0) * 60 + Number(match[2]) : Number.NaN;
    };
    // A row far enough from its restart that the countdown cannot reach `restarting…` while we wait.
    const before = screen
      .split('\n')
      .find((line) => line.includes('CrashLoopBackOff') && seconds(line) >= 10);
    expect(before).toBeDefined();
    const name = before?.trim().split(/\s+/)[1] ?? '';
    await new Promise((resolve) => setTimeout(resolve, 2500));
    const after = (await demo.session.capture()).split('\n').find((line) => line.includes(` ${name} `));
    expect(seconds(after)).toBeLessThan(seconds(before));
  });

  it('opens the detail, logs, describe, help and filter from the keyboard, and quits cleanly', async () => {
    // Back on the table before the next key: a key that follows Esc in the same read would be Alt+key.
    const back = async () => {
      await demo.session!.escape();
      await demo.session!.waitFor((screen) => /NAME\s.*STATUS/.test(screen), 10_000, 'the pod table');
    };
    const wrapped = ['sh', '-c', '"$@"; echo "exit=$?"; stty -a; sleep 30', 'sh', ...crashtop('-A')];
    demo.session = await TmuxSession.start(wrapped, { width: 160, height: 45 });
    await demo.session.waitForText('CrashLoopBackOff');

    await demo.session.keys('/');
    await demo.session.keys('-l', 'catalog');
    await demo.session.keys('Enter');
    await demo.session.waitFor(
      (s) => s.includes('catalog') && !s.includes('ledger'),
      10_000,
      'the filtered list',
    );

    await demo.session.keys('Enter');
    const detail = await demo.session.waitForText(/Cause \(app\)/);
    expect(detail).toMatch(/oom-killed/);
    expect(detail).toMatch(/OOMKilled/);
    expect(detail).toMatch(/kubectl .*set resources/);
    await demo.session.waitForText(/allocat|heap|memory/i);

    await back();
    await demo.session.keys('p');
    await demo.session.waitForText(/previous/i);
    await back();
    await demo.session.keys('l');
    await demo.session.waitForText(/Logs /);
    await back();
    await demo.session.keys('d');
    await demo.session.waitForText(/Last State:?\s+Terminated/);
    await demo.session.keys('G');
    await demo.session.waitForText(/Events:/);
    await back();
    await demo.session.keys('?');
    // The help's title: its `q quit` line is below the first page at this size.
    await demo.session.waitForText(/crashtop keys/);
    await back();

    await demo.session.keys('q');
    const after = await demo.session.waitForText(/exit=\d+[\s\S]*baud[\s\S]*icanon/);
    expect(after).toContain('exit=0');
    expect(after).toMatch(/\sicanon\b/);
    expect(after).toMatch(/\secho\b/);
    expect(await demo.session.format('#{alternate_on}')).toBe('0');
    expect(await demo.session.format('#{cursor_flag}')).toBe('1');
  });

  it("shows a log line's escape sequences as harmless text", async () => {
    demo.session = await TmuxSession.start(crashtop('-A'), { width: 160, height: 45 });
    await demo.session.tmux('set-option', '-g', 'set-clipboard', 'on');
    await demo.session.waitForText('CrashLoopBackOff');
    await demo.session.keys('/');
    await demo.session.keys('-l', 'legacy-sync');
    await demo.session.keys('Enter');
    await demo.session.waitFor(
      (s) => s.includes('legacy-sync') && !s.includes('catalog'),
      10_000,
      'legacy-sync only',
    );
    await demo.session.keys('p');
    const screen = await demo.session.waitForText('remote banner');
    expect(screen).toContain('crashtop');
    expect(await demo.session.format('#{pane_title}')).not.toContain('pwned');
    const buffers = await demo.session.tmux('list-buffers').catch(() => '');
    expect(buffers).not.toContain('hello');
    expect(await demo.session.tmux('show-buffer').catch(() => 'no buffer')).toBe('no buffer');
  });

  it('fits an 80x24 terminal: no line wraps, the frame stays below the last row', async () => {
    demo.session = await TmuxSession.start(crashtop('-A'), { width: 80, height: 24 });
    await demo.session.waitForText('CrashLoopBackOff');
    // tmux can show a frame it is still reading (a row cut after its STATUS): compare a capture taken a moment later.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const screen = await demo.session.capture();
    const lines = screen.split('\n');
    expect(lines.some((line) => /NAME/.test(line) && /STATUS/.test(line))).toBe(true);
    const rows = lines.filter((line) =>
      /CrashLoopBackOff|CreateContainerConfigError|ImagePullBackOff|ErrImagePull/.test(line),
    );
    expect(rows.length).toBeGreaterThan(5);
    for (const row of rows) expect(row).toMatch(/^\S*\s*\S+\s+/);
  });

  it('prints the explain report instead of drawing when stdout is not a terminal', async () => {
    const { stdout } = await run(process.execPath, [BIN, '--kubeconfig', demo.backend.kubeconfigPath, '-A'], {
      timeout: 20_000,
    });
    expect(stdout).toMatch(/cause\s+oom-killed/);
    expect(stdout).not.toContain('\x1b');
  });
});
