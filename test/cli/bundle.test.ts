import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// The bundle (npm run build) keeps start-up short by loading each command's heavy dependencies only when the
// command runs: what dist/crashtop.js imports statically is all that `crashtop --version` or a usage error loads.

const ENTRY = fileURLToPath(new URL('../../dist/crashtop.js', import.meta.url));

/** The files a module loads before it runs: itself and its static imports, transitively. */
function staticGraph(file: string, seen = new Set<string>()): Set<string> {
  if (seen.has(file)) return seen;
  seen.add(file);
  const source = readFileSync(file, 'utf8');
  for (const [, path] of source.matchAll(/^(?:import|export)\b[^;]*?from\s*"(\.[^"]+)"/gms)) {
    staticGraph(join(dirname(file), path!), seen);
  }
  for (const [, path] of source.matchAll(/^import\s*"(\.[^"]+)"/gm))
    staticGraph(join(dirname(file), path!), seen);
  return seen;
}

/** The packages a bundled file contains, from esbuild's `// node_modules/<package>/…` markers. */
function packagesIn(file: string): Set<string> {
  const found = new Set<string>();
  for (const [, name] of readFileSync(file, 'utf8').matchAll(
    /^\/\/ node_modules\/((?:@[^/]+\/)?[^/]+)\//gm,
  )) {
    found.add(name!);
  }
  return found;
}

describe('the bundle', () => {
  it('starts without the cluster client, Ink, React or the YAML parser', () => {
    const loaded = new Set([...staticGraph(ENTRY)].flatMap((file) => [...packagesIn(file)]));
    expect(loaded).toContain('commander');
    for (const heavy of [
      '@kubernetes/client-node',
      'ink',
      'react',
      'react-reconciler',
      'yoga-layout',
      'yaml',
    ]) {
      expect(loaded, heavy).not.toContain(heavy);
    }
  });

  it('leaves out the generated API models of the cluster client', () => {
    const dist = dirname(ENTRY);
    const files = readdirSync(dist, { recursive: true, encoding: 'utf8' })
      .filter((name) => name.endsWith('.js'))
      .map((name) => readFileSync(join(dist, name), 'utf8'));
    expect(
      files.some((text) => text.includes('// node_modules/@kubernetes/client-node/dist/config.js')),
    ).toBe(true);
    expect(
      files.some((text) => text.includes('// node_modules/@kubernetes/client-node/dist/gen/models/')),
    ).toBe(false);
  });

  it("draws with Ink's patched Output, string width and bounded measure cache (scripts/bundle.js)", () => {
    const ui = readFileSync(join(dirname(ENTRY), 'lib', 'run-tui.js'), 'utf8');
    expect(ui).toMatch(/= lineCachedOutput\(Output\d*,/);
    expect(ui).toMatch(/= withNarrowFastPath\(stringWidth\d*\)/);
    expect(ui).toMatch(/if \((cache\d*)\.size >= 2e3\) \1\.clear\(\);\s*\1\.set\(text, dimensions\)/);
  });
});
