import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Backend, startBackend } from '../helpers/backend.js';
import { sessionPerTest } from '../helpers/demo-in-tmux.js';
import { renamedKubeconfig } from '../helpers/renamed-kubeconfig.js';
import { BIN } from '../helpers/run-cli.js';
import { screenWords, TmuxSession } from '../helpers/tmux.js';

// Two simulators of the same demo behind one KUBECONFIG, as `KUBECONFIG=a.yaml:b.yaml crashtop --context A
// --context B -A`: the same pod names in the same namespaces. At 80 columns the built binary's table must tell
// the two clusters' rows apart, and every view must say which cluster it shows; `:ctx` to one of them must say
// that the other is no longer watched.

const EU = 'prod-eu-west-1';
const US = 'prod-us-east-1';
let eu: Backend;
let us: Backend;
let dir: string;
const tmux = sessionPerTest();

beforeAll(async () => {
  [eu, us] = await Promise.all([startBackend({ speed: 0 }), startBackend({ speed: 0 })]);
  dir = mkdtempSync(join(tmpdir(), 'crashtop-two-clusters-'));
});
afterAll(async () => {
  await Promise.all([eu?.close(), us?.close()]);
  rmSync(dir, { recursive: true, force: true });
});

/** crashtop on both clusters (`--context EU --context US -A`) in an 80×24 pane; the hook kills it after the test. */
async function bothAt80x24(): Promise<TmuxSession> {
  const kubeconfig = `${renamedKubeconfig(eu.kubeconfigPath, EU, dir)}:${renamedKubeconfig(us.kubeconfigPath, US, dir)}`;
  const session = await TmuxSession.start([process.execPath, BIN, '--context', EU, '--context', US, '-A'], {
    width: 80,
    height: 24,
    env: { KUBECONFIG: kubeconfig },
  });
  tmux.session = session;
  return session;
}

describe('two clusters with the same pods at 80×24', () => {
  it('rows read apart by CONTEXT and NAMESPACE; l, d and e name the context', async () => {
    const session = await bothAt80x24();
    const screen = await session.waitForText(/us-east .*CrashLoopBackOff/);
    // Rows, not the header's counts (`22 crash-looping, 22 CrashLoopBackOff, …`).
    const rows = screen.split('\n').filter((l) => /^[ ›] /.test(l) && l.includes('CrashLoopBackOff'));
    expect(rows.length).toBeGreaterThanOrEqual(4);
    expect(new Set(rows.map((r) => r.slice(1))).size).toBe(rows.length);
    for (const row of rows) expect(row).toMatch(/^. (eu-west|us-east) {2}\S+ +\S+/);
    expect(screen).toContain('CONTEXT  NAMESPACE  NAME');

    const first = rows[0]!.includes('eu-west') ? EU : US;
    await session.keys('l');
    await session.waitForText(`Logs ${first}: `);
    await session.escape();
    await session.keys('d');
    await session.waitForText(`Describe ${first}: `);
    await session.escape();
    await session.keys('e');
    await session.waitForText(`Events of ${first}: namespace `);
  });

  it(':ctx one of them says the other is no longer watched; :ctx both brings it back', async () => {
    const session = await bothAt80x24();
    await session.waitForText(/us-east .*CrashLoopBackOff/);
    await session.keys(':');
    await session.keys('-l', `ctx ${US}`);
    await session.keys('Enter');
    const only = await session.waitForText('no longer watched');
    expect(only).toMatch(new RegExp(`^crashtop {2}· {2}context ${US} {2}·`, 'm'));
    expect(screenWords(only)).toContain(
      `now watching only context ${US}; no longer watched: ${EU} (:ctx ${EU},${US} watches both again) (Esc dismisses)`,
    );
    await session.keys(':');
    await session.keys('-l', `ctx ${EU},${US}`);
    await session.keys('Enter');
    const both = await session.waitForText(/eu-west .*CrashLoopBackOff/);
    expect(both).toContain(`contexts ${EU}, ${US}`);
  });
});
