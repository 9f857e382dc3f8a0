import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QUESTION_READ_MS } from '../../src/ui/question-guard.js';
import { BACKEND, type Backend } from '../helpers/backend.js';
import { backendInTmux, withPathInTmux } from '../helpers/demo-in-tmux.js';
import { BIN } from '../helpers/run-cli.js';
import { standInTools } from '../helpers/standin.js';
import { screenWords, TmuxSession } from '../helpers/tmux.js';
import type { KubeletStreaming } from '../real/mirror.js';

// `s` for real. In a real terminal the shell opens, a command runs, `exit 3` brings back the same view with the exit
// status; with kubectl on PATH (kubectl exec) and without it (crashtop's own exec over the API server). The client
// speaks WebSocket (v5.channel.k8s.io). The simulator serves it itself with a scripted shell; a real kube-apiserver
// v1.36 passes it to the node's kubelet (the fake kubelet runs the same scripted shell): unchanged to a kubelet that
// declares ExtendWebSocketsToKubelet (v1.36), translated to SPDY/3.1 for one that does not (every older kubelet).
// When kubectl fails, its last stderr lines are shown back in the view and stay until Esc. While `x`'s kubectl debug
// waits, silent, for its copy to start, the screen says so (not what an earlier shell session left there).

const EXEC_REQUEST = /^(GET|POST) \/exec\//;
/** `s` with kubectl on PATH (kubectl exec) and without it (crashtop's own exec over the API server). */
const EXECS = [
  { name: 'kubectl exec', path: process.env.PATH ?? '' },
  { name: 'the built-in exec (no kubectl on PATH)', path: '/nonexistent' },
];
const kubelets: readonly (KubeletStreaming | undefined)[] =
  BACKEND === 'real' ? ['websocket', 'spdy'] : [undefined];

/** crashtop on this backend with this PATH, filtered down to the running postgres-0 row. */
async function postgresRow(b: Backend, path: string): Promise<TmuxSession> {
  const session = await withPathInTmux(b, path);
  await session.waitForText('CrashLoopBackOff');
  await session.keys('a');
  await session.keys('/');
  await session.keys('-l', 'postgres-0');
  await session.keys('Enter');
  await session.waitFor(
    (s) =>
      !s.includes('Enter keeps the filter') &&
      new RegExp(`^› ${b.ns('payments')} +postgres-0 `, 'm').test(s) &&
      /^1\/\d+ pods/m.test(s),
    10_000,
    'the postgres-0 row alone',
  );
  return session;
}

describe.each(kubelets)('s opens a shell (kubelet streaming: %s)', (streaming) => {
  const run = backendInTmux({ streaming });

  it.each(EXECS)(
    '$name: a command runs, exit 3 returns to the same view with the status',
    async ({ path }) => {
      const b = run.backend;
      const execsBefore = b.kubelet?.requests.filter((r) => EXEC_REQUEST.test(r)).length ?? 0;
      const namespace = b.ns('payments');
      const session = await postgresRow(b, path);
      run.session = session;
      const table = (screen: string) =>
        screen
          .split('\n')
          .slice(3, 6)
          .join('\n')
          .replace(/\d+[hms]\S*/g, 'T');
      const view = table(await session.capture());

      await session.keys('s');
      await session.waitForText('postgres@postgres-0:/#');
      await session.keys('-l', 'echo crashtop-e2e');
      await session.keys('Enter');
      await session.waitForText(/^crashtop-e2e$/m);
      await session.keys('-l', 'stty size');
      await session.keys('Enter');
      // The terminal's size reached the shell (resize channel).
      await session.waitForText(/^\d+ 120$/m);
      await session.keys('-l', 'exit 3');
      await session.keys('Enter');

      const back = await session.waitForText('exited with 3');
      expect(back).toContain(`shell in ${b.context}: ${namespace}/postgres-0 [postgres]: exited with 3`);
      // The same view: the same rows, the same selection.
      expect(table(back)).toBe(view);
      await session.keys('q');
      expect(await session.waitForExit()).toBe(0);
      if (b.kubelet) {
        // The session went through the node's kubelet, in the protocol that kubelet takes.
        const execs = b.kubelet.requests.filter((r) => EXEC_REQUEST.test(r)).slice(execsBefore);
        expect(execs).toEqual([
          expect.stringMatching(
            new RegExp(
              `^${streaming === 'spdy' ? 'POST' : 'GET'} /exec/${namespace}/postgres-0/postgres\\?.*tty=1.* upgrade=${streaming === 'spdy' ? 'SPDY/3\\.1' : 'websocket'}$`,
            ),
          ),
        ]);
      }
    },
    60_000,
  );
});

describe('s and x when kubectl fails or waits', () => {
  const run = backendInTmux({});
  let dir: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'crashtop-exec-shell-'));
  });
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it("shows kubectl's last stderr lines back in the view, kept until Esc", async () => {
    // A kubectl that fails as it does when the container is gone between the key and the exec.
    const bin = standInTools(
      join(dir, 'failing-kubectl'),
      ['kubectl'],
      `echo 'Defaulted container "postgres" out of: postgres' >&2
echo 'error: unable to upgrade connection: container not found ("postgres")' >&2
exit 1
`,
    );
    const b = run.backend;
    const namespace = b.ns('payments');
    const view = await postgresRow(b, `${bin}:${process.env.PATH ?? ''}`);
    run.session = view;
    await view.keys('s');
    const back = await view.waitForText('exited with 1');
    expect(back).toContain(
      `shell in ${b.context}: ${namespace}/postgres-0 [postgres]: exited with 1; its last error lines:`,
    );
    expect(back).toContain('error: unable to upgrade connection: container not found ("postgres")');
    expect(back).toContain('Defaulted container "postgres" out of: postgres');
    // Longer than any message lasts on its own (errors: 10 s): still there, while the view keeps ticking.
    await new Promise((resolve) => setTimeout(resolve, 11_000));
    expect(await view.capture()).toContain('error: unable to upgrade connection: container not found');
    await view.keys('Escape');
    await view.waitFor((s) => !s.includes('unable to upgrade connection'), 5_000, 'the error dismissed');
    expect(await view.capture()).toMatch(new RegExp(`^› ${namespace} +postgres-0 `, 'm'));
    await view.keys('q');
    expect(await view.waitForExit()).toBe(0);
  }, 60_000);

  it('keys typed while it has the terminal never act on the view when it comes back', async () => {
    // A kubectl that never reads its terminal (still connecting, or its shell already gone) and then fails: the
    // keys typed meanwhile wait in the terminal for whoever reads it next.
    const bin = standInTools(
      join(dir, 'slow-kubectl'),
      ['kubectl'],
      `sleep 2
echo 'error: unable to upgrade connection: container not found ("postgres")' >&2
exit 1
`,
    );
    const view = await postgresRow(run.backend, `${bin}:${process.env.PATH ?? ''}`);
    run.session = view;
    await view.keys('s');
    // The normal screen: kubectl has the terminal.
    while ((await view.format('#{alternate_on}')) !== '0') await new Promise((r) => setTimeout(r, 50));
    await view.keys('q');
    await view.waitForText('exited with 1');
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const back = await view.capture();
    // Not quit by the `q`; the terminal's answer to crashtop's question was not echoed.
    expect(back).toContain('exited with 1');
    expect(back).not.toContain('[0n');
    expect(back).toMatch(new RegExp(`^› ${run.backend.ns('payments')} +postgres-0 `, 'm'));
    await view.keys('Escape');
    await view.keys('q');
    expect(await view.waitForExit()).toBe(0);
  }, 60_000);

  it("while kubectl debug waits for the copy, the screen says so, not the last shell's output", async () => {
    // The real kubectl for `s`; for `debug`, one that waits as kubectl debug does for the copy's container to
    // start (silent: it prints nothing until the shell runs), then gives up.
    const kubectl = execFileSync('sh', ['-c', 'command -v kubectl'], { encoding: 'utf8' }).trim();
    const bin = standInTools(
      join(dir, 'waiting-debug'),
      ['kubectl'],
      `case " $* " in *" debug "*) sleep 3; echo 'error: timed out waiting for the condition' >&2; exit 1;; esac
exec ${kubectl} "$@"
`,
    );
    const b = run.backend;
    const namespace = b.ns('payments');
    const session = await postgresRow(b, `${bin}:${process.env.PATH ?? ''}`);
    run.session = session;
    await session.keys('s');
    await session.waitForText('postgres@postgres-0:/#');
    await session.keys('-l', 'echo an-older-session');
    await session.keys('Enter');
    await session.waitForText(/^an-older-session$/m);
    await session.keys('-l', 'exit');
    await session.keys('Enter');
    await session.waitForText('exited with 0');

    await session.keys('x');
    await session.waitForText('Create it? y/N');
    await new Promise((resolve) => setTimeout(resolve, QUESTION_READ_MS));
    await session.keys('y');
    while ((await session.format('#{alternate_on}')) !== '0') await new Promise((r) => setTimeout(r, 20));
    const waiting = await session.waitForText('waiting for', 2_000);
    expect(screenWords(waiting).trim()).toBe(
      `crashtop: kubectl debug: creating postgres-0-debug, a copy of ${b.context}: ${namespace}/postgres-0 [postgres] with a shell, and waiting for it to start (Ctrl-C stops waiting; the copy stays)`,
    );
    expect(waiting).not.toContain('an-older-session');
    expect(waiting).not.toContain('postgres@postgres-0');
    const back = await session.waitForText('exited with 1');
    expect(back).toContain('error: timed out waiting for the condition');
    await session.keys('Escape');
    await session.keys('q');
    expect(await session.waitForExit()).toBe(0);
  }, 60_000);
});

describe('s when RBAC does not grant pods/exec create', () => {
  const run = backendInTmux({});

  it.each(EXECS)(
    "$name: the server's refusal, then what to ask for, wrapped at 80 columns",
    async ({ path }) => {
      const b = run.backend;
      // A Role that may read pods and their logs but not exec into them (the real server's reader has no exec).
      const kubeconfig = await b.limitedKubeconfig(['payments'], ['pods/exec']);
      const ns = b.ns('payments');
      const session = await TmuxSession.start(
        ['env', `PATH=${path}`, process.execPath, BIN, '--kubeconfig', kubeconfig, '-n', ns],
        { width: 80, height: 24 },
      );
      run.session = session;
      await session.waitForText('CrashLoopBackOff');
      await session.keys('a', '/');
      await session.keys('-l', 'postgres-0');
      await session.keys('Enter');
      await session.waitFor(
        (s) => /^› postgres-0 /m.test(s) && /^1\/\d+ pods/m.test(s),
        10_000,
        'postgres-0',
      );
      await session.keys('s');
      // The verb refused is the first the server checked: a WebSocket upgrade's `get`, or a SPDY POST's `create`
      // (kubectl falls back to SPDY when the WebSocket is refused); the rule asked for holds both.
      const said = (verb: string) =>
        `context ${b.context} may not ${verb} pods/exec in namespace "${ns}" (403 Forbidden): ask your cluster admin for the RBAC rule apiGroups [""] resources ["pods/exec"] verbs ["create", "get"] in namespace "${ns}"`;
      const screen = await session.waitFor(
        (s) => ['get', 'create'].some((verb) => screenWords(s).includes(said(verb))),
        20_000,
        said('get'),
      );
      for (const line of screen.split('\n')) expect(line.length).toBeLessThanOrEqual(80);
      await session.keys('q');
      expect(await session.waitForExit()).toBe(0);
    },
    60_000,
  );

  afterAll(() => {
    run.backend.cluster.restrictTo(undefined);
    run.backend.cluster.deny(undefined);
  });
});
