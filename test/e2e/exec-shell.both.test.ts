import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { BACKEND, type Backend, startBackend } from '../helpers/backend.js';
import { BIN } from '../helpers/run-cli.js';
import { TmuxSession } from '../helpers/tmux.js';
import type { KubeletStreaming } from '../real/mirror.js';

// `s` for real. In a real terminal the shell opens, a command runs, `exit 3` brings back the same view with the exit
// status; with kubectl on PATH (kubectl exec) and without it (crashtop's own exec over the API server). The client
// speaks WebSocket (v5.channel.k8s.io). The simulator serves it itself with a scripted shell; a real kube-apiserver
// v1.36 passes it to the node's kubelet (the fake kubelet runs the same scripted shell): unchanged to a kubelet that
// declares ExtendWebSocketsToKubelet (v1.36), translated to SPDY/3.1 for one that does not (every older kubelet).

const EXEC_REQUEST = /^(GET|POST) \/exec\//;
const kubelets: readonly (KubeletStreaming | undefined)[] =
  BACKEND === 'real' ? ['websocket', 'spdy'] : [undefined];

describe.each(kubelets)('s opens a shell (kubelet streaming: %s)', (streaming) => {
  let b: Backend;
  let session: TmuxSession | undefined;

  beforeAll(async () => {
    b = await startBackend({ streaming });
  });
  afterAll(async () => {
    await b.close();
  });
  afterEach(async () => {
    await session?.kill();
    session = undefined;
  });

  it.each([
    { name: 'kubectl exec', path: process.env.PATH ?? '' },
    { name: 'the built-in exec (no kubectl on PATH)', path: '/nonexistent' },
  ])(
    '$name: a command runs, exit 3 returns to the same view with the status',
    async ({ path }) => {
      const execsBefore = b.kubelet?.requests.filter((r) => EXEC_REQUEST.test(r)).length ?? 0;
      const namespace = b.ns('payments');
      // tmux sets PATH in a new pane itself, whatever -e says: `env` sets it for crashtop.
      session = await TmuxSession.start(
        ['env', `PATH=${path}`, process.execPath, BIN, '--kubeconfig', b.kubeconfigPath, '-A'],
        { width: 120, height: 30 },
      );
      await session.waitForText('CrashLoopBackOff');
      await session.keys('a');
      await session.keys('/');
      await session.keys('-l', 'postgres-0');
      await session.keys('Enter');
      await session.waitFor(
        (s) =>
          !s.includes('Enter keeps the filter') &&
          new RegExp(`^› ${namespace} +postgres-0 `, 'm').test(s) &&
          /^1\/\d+ pods/m.test(s),
        10_000,
        'the postgres-0 row alone',
      );
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
