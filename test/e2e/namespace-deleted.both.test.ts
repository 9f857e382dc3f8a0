import { describe, expect, it } from 'vitest';
import { backendInTmux } from '../helpers/demo-in-tmux.js';
import { BIN } from '../helpers/run-cli.js';
import { screenWords, TmuxSession } from '../helpers/tmux.js';

// `crashtop -n shop` in an 80×24 terminal while shop is deleted (kubectl delete namespace shop), on the simulator
// and a real kube-apiserver: the header says the namespace is being deleted, then that it is gone, with what to do,
// wrapped within 80 columns; the view keeps running (live) and the empty table does not promise pods "(yet)".

const run = backendInTmux({});

describe('the watched namespace deleted', () => {
  it('says Terminating, then deleted, and what to do; keeps running', async () => {
    const b = run.backend;
    const ns = b.ns('shop');
    const session = await TmuxSession.start(
      [process.execPath, BIN, '--kubeconfig', b.kubeconfigPath, '--context', b.context, '-n', ns],
      { width: 80, height: 24 },
    );
    run.session = session;
    await session.waitForText('CrashLoopBackOff', 30_000);
    await session.waitForText(/^live$/m, 20_000);

    await b.deleteNamespace('shop');
    const terminating = `namespace "${ns}" is being deleted (Terminating) in context ${b.context}: no pod can start there; to watch another, restart crashtop with -n NS or -A`;
    let screen = await session.waitFor((s) => screenWords(s).includes(terminating), 20_000, terminating);
    expect(screen).toContain('No pods in the watched scope: see above.');

    await b.finalizeNamespace('shop');
    const gone = `namespace "${ns}" was deleted in context ${b.context} (still watched, in case it comes back); to watch another, restart crashtop with -n NS or -A`;
    screen = await session.waitFor((s) => screenWords(s).includes(gone), 20_000, gone);
    expect(screen).toMatch(/^live$/m);
    for (const line of screen.split('\n')) expect(line.length).toBeLessThanOrEqual(80);
    await session.keys('q');
    expect(await session.waitForExit()).toBe(0);
  }, 90_000);
});
