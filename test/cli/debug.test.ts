import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.js';

// `--debug` is for bug reports: it must run the build users run (the live view's one CommonJS script,
// dist/crashtop.cjs; the ES modules for explain, sim and --version) and print stack traces in src/ lines.
// NODE_DEBUG=module makes Node's CommonJS loader say which files it loads.

const dir = mkdtempSync(join(tmpdir(), 'crashtop-debug-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const missing = join(dir, 'no-such-kubeconfig');
const loadsBundle = (stderr: string) => /load "[^"]*[\\/]dist[\\/]crashtop\.cjs"/.test(stderr);

describe('--debug', () => {
  it('runs the live view from the script users run, with stack traces in src/ lines', async () => {
    const cache = join(dir, 'cache');
    const { code, stderr } = await runCli(['--debug', '--kubeconfig', missing], {
      NODE_DEBUG: 'module',
      XDG_CACHE_HOME: cache,
    });
    expect(code).toBe(2);
    expect(stderr).toContain(`crashtop: kubeconfig ${missing} not found: check --kubeconfig\n`);
    expect(loadsBundle(stderr)).toBe(true);
    expect(stderr).toMatch(
      /\n {4}at loadKubeconfig \(\S*[\\/]src[\\/]kube[\\/]kubeconfig-files\.ts:\d+:\d+\)\n/,
    );
    expect(stderr).toMatch(/\n {4}at async main \(\S*[\\/]src[\\/]cli[\\/]main\.ts:\d+:\d+\)/);
    expect(readdirSync(dir)).not.toContain('cache');
  });

  it('leaves explain on the ES modules, as without it, with stack traces in src/ lines', async () => {
    const { code, stderr } = await runCli(['explain', '--debug', '--kubeconfig', missing], {
      NODE_DEBUG: 'module',
    });
    expect(code).toBe(2);
    expect(loadsBundle(stderr)).toBe(false);
    expect(stderr).toMatch(
      /\n {4}at loadKubeconfig \(\S*[\\/]src[\\/]kube[\\/]kubeconfig-files\.ts:\d+:\d+\)\n/,
    );
  });
});
