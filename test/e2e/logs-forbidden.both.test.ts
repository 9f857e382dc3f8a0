import { afterAll, describe, expect, it } from 'vitest';
import { createClusterSource } from '../../src/kube/cluster-source.js';
import { KubeError } from '../../src/kube/errors.js';
import { SIM_USER } from '../../src/sim/http/rbac.js';
import { BACKEND } from '../helpers/backend.js';
import { backendInTmux } from '../helpers/demo-in-tmux.js';
import { BIN } from '../helpers/run-cli.js';
import { screenWords, TmuxSession } from '../helpers/tmux.js';
import { LIMITED_USER } from '../real/testenv.js';

// A Role that grants pods and events but not pods/log (a common "viewer" made by hand): the built binary in tmux at
// 80×24 keeps the table live and says in the log view, in plain words, that reading logs is forbidden, with the
// RBAC rule to ask for. On the real server the Role is a real one and the 403 is the real authorizer's; the
// simulator must answer in the same words (the first test reads the server's own message on both).

const run = backendInTmux({});

afterAll(() => run.backend.cluster.deny(undefined));

describe('pods/log forbidden, pods allowed', () => {
  it("the API server's 403 names the pod, the verb and pods/log", async () => {
    const b = run.backend;
    const kubeconfig = await b.limitedKubeconfig(['shop'], ['pods/log']);
    await b.synced();
    const source = await createClusterSource({ kubeconfig, namespaces: [b.ns('shop')] });
    try {
      await expect.poll(() => source.getSnapshot().pods.size, { timeout: 20_000 }).toBeGreaterThan(0);
      const { pod } = [...source.getSnapshot().pods.values()][0]!;
      const error = await source
        .readLogs(
          { context: b.context, namespace: b.ns('shop'), name: pod.metadata.name },
          { container: pod.spec.containers[0]!.name, previous: false },
        )
        .then(
          () => undefined,
          (e: unknown) => e,
        );
      expect(error).toBeInstanceOf(KubeError);
      const user = BACKEND === 'real' ? LIMITED_USER : SIM_USER;
      expect((error as KubeError).serverMessage).toBe(
        `pods "${pod.metadata.name}" is forbidden: User "${user}" cannot get resource "pods/log" in API group "" in the namespace "${b.ns('shop')}"`,
      );
    } finally {
      await source.close();
    }
  }, 60_000);

  it('the table stays live; `l` and `p` say reading logs is forbidden and what to ask for', async () => {
    const b = run.backend;
    const kubeconfig = await b.limitedKubeconfig(['shop'], ['pods/log']);
    const ns = b.ns('shop');
    const session = await TmuxSession.start(
      [process.execPath, BIN, '--kubeconfig', kubeconfig, '--context', b.context, '-n', ns],
      { width: 80, height: 24 },
    );
    run.session = session;
    await session.waitForText(/CrashLoopBackOff/, 30_000);
    await session.waitForText(/^live$/m, 20_000);
    const said = `reading logs is forbidden: context ${b.context} may not get pods/log in namespace "${ns}" (403 Forbidden): ask your cluster admin for the RBAC rule apiGroups [""] resources ["pods/log"] verbs ["get"] in namespace "${ns}"`;
    for (const key of ['l', 'p']) {
      await session.keys(key);
      const screen = await session.waitFor(
        (text) => screenWords(text).includes(said),
        20_000,
        `${key}: ${said}`,
      );
      expect(screen).toMatch(/run · no log read/);
      for (const line of screen.split('\n')) expect(line.length).toBeLessThanOrEqual(80);
      await session.escape();
      await session.waitForText('NEXT RESTART');
    }
    // Still live after the refusals: the pods watch was never the one refused.
    expect(await session.capture()).toMatch(/^live$/m);
    await session.keys('q');
    expect(await session.waitForExit()).toBe(0);
  }, 90_000);
});
