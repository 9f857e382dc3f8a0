import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../src/sim/scenario-loader.js';
import { runCli } from '../helpers/run-cli.js';

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

  it('starts the live view without the WebSocket library (exec loads it on the first `e`) or the yaml package', () => {
    const chunks = join(dirname(ENTRY), 'chunks');
    const live = readdirSync(chunks).find((name) => /^live-command-.*\.js$/.test(name));
    expect(live).toBeDefined();
    const loaded = new Set([...staticGraph(join(chunks, live!))].flatMap((file) => [...packagesIn(file)]));
    expect(loaded).toContain('@kubernetes/client-node');
    expect(loaded).not.toContain('ws');
    // Kubeconfig files are read with client-node's js-yaml.
    expect(loaded).toContain('js-yaml');
    expect(loaded).not.toContain('yaml');
  });

  it('starts the live view and explain without the exec credential plugin runner (loaded for a user with one)', () => {
    const chunks = join(dirname(ENTRY), 'chunks');
    const sourcesIn = (file: string) => readFileSync(file, 'utf8').match(/^\/\/ src\/\S+/gm) ?? [];
    for (const command of ['live-command', 'explain-command']) {
      const chunk = readdirSync(chunks).find(
        (name) => name.startsWith(`${command}-`) && name.endsWith('.js'),
      );
      expect(chunk, command).toBeDefined();
      const loaded = [...staticGraph(join(chunks, chunk!))].flatMap(sourcesIn);
      expect(loaded).toContain('// src/kube/http.ts');
      expect(loaded).not.toContain('// src/kube/exec-credentials.ts');
      expect(loaded).not.toContain('// src/kube/exec-plugin.ts');
    }
    const all = readdirSync(chunks).flatMap((name) => sourcesIn(join(chunks, name)));
    expect(all).toContain('// src/kube/exec-plugin.ts');
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
    expect(ui).toMatch(/var cache\d* = measureTextCache\(\);\s*var measureText\d* = /);
  });

  it("leaves a text's Yoga node clean when its new text keeps its size, in both builds (scripts/bundle.js)", () => {
    const ui = readFileSync(join(dirname(ENTRY), 'lib', 'run-tui.js'), 'utf8');
    expect(ui).toMatch(
      /node\.nodeValue = (text\d*);\s*if \(!keepsMeasure\(node, before, \1\)\) markNodeAsDirty\(node\);/,
    );
    const script = readFileSync(join(dirname(ENTRY), 'crashtop.cjs'), 'utf8');
    expect(script).toMatch(
      /node\.nodeValue=(text\d*),keepsMeasure\(node,before,\1\)\|\|markNodeAsDirty\(node\)/,
    );
  });

  it("hands Ink's commit the same Text style and transform while they hold, in both builds (scripts/bundle.js)", () => {
    const ui = readFileSync(join(dirname(ENTRY), 'lib', 'run-tui.js'), 'utf8');
    const script = readFileSync(join(dirname(ENTRY), 'crashtop.cjs'), 'utf8');
    for (const code of [ui, script]) {
      expect(code).toMatch(/kept\d* ?= ?useKeptTextProps\(\[/);
      expect(code).toMatch(/internal_transform: ?kept\d*\(["']transform["'], ?transform\d*\)/);
      // Before the diff, in the CommonJS script folded into the condition before it.
      expect(code).toMatch(
        /sameHostProps\(oldProps, ?newProps\)\) ?return;\s*(const|let) props\d* ?= ?diff\(/,
      );
    }
  });

  it("keeps client-node's node-fetch and SOCKS proxy agent out of its chunk, in files loaded on first use", () => {
    const chunks = join(dirname(ENTRY), 'chunks');
    const bundled = new Set(
      readdirSync(chunks)
        .filter((name) => name.endsWith('.js'))
        .flatMap((name) => [...packagesIn(join(chunks, name))]),
    );
    expect(bundled).toContain('@kubernetes/client-node');
    for (const lazy of ['node-fetch', 'whatwg-url', 'tr46', 'socks-proxy-agent', 'socks', 'ip-address']) {
      expect(bundled, lazy).not.toContain(lazy);
    }
    expect(existsSync(join(chunks, 'lazy-node-fetch.cjs'))).toBe(true);
    expect(existsSync(join(chunks, 'lazy-socks-proxy-agent.cjs'))).toBe(true);
  });

  it('loads the SOCKS proxy agent when a kubeconfig names a socks5 proxy-url', async () => {
    // A port nothing listens on: the request must go through the proxy agent and fail to reach it.
    const closed = await new Promise<number>((resolve) => {
      const server = createServer().listen(0, '127.0.0.1', () => {
        const { port } = server.address() as { port: number };
        server.close(() => resolve(port));
      });
    });
    const dir = mkdtempSync(join(tmpdir(), 'crashtop-socks-'));
    try {
      const kubeconfig = join(dir, 'kubeconfig');
      writeFileSync(
        kubeconfig,
        [
          'apiVersion: v1',
          'kind: Config',
          `clusters: [{name: c, cluster: {server: "https://10.255.255.1:6443", proxy-url: "socks5://127.0.0.1:${closed}"}}]`,
          'users: [{name: u, user: {token: t}}]',
          'contexts: [{name: proxied, context: {cluster: c, user: u}}]',
          'current-context: proxied',
        ].join('\n'),
      );
      const { code, stderr } = await runCli(['explain', '--kubeconfig', kubeconfig]);
      expect(stderr).toMatch(
        new RegExp(`^crashtop: cannot reach .*ECONNREFUSED 127\\.0\\.0\\.1:${closed}\\b`),
      );
      expect(code).toBe(1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('carries the demo scenario parsed as scenario-loader parses scenarios/demo.yaml (scripts/bundle.js)', async () => {
    const built = (await import(
      join(dirname(ENTRY), 'lib', 'sim.js')
    )) as typeof import('../../src/sim/index.js');
    const yaml = readFileSync(fileURLToPath(new URL('../../scenarios/demo.yaml', import.meta.url)), 'utf8');
    expect(await built.demoScenario()).toEqual(parseScenario('scenarios/demo.yaml', yaml));
  });
});
