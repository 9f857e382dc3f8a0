// The real API server backend of bench/live.js (--server real): kube-apiserver v1.36.3 with embedded etcd, seeded
// by test/real/serve.ts with the simulator's generated cluster. The bench is plain JS and the harness is
// TypeScript: serve.ts and what it imports (test/real/{testenv,mirror,api,fake-kubelet}.ts, src/sim) are bundled
// with esbuild into one .mjs in the run's temp folder, so there is one harness and no second copy of it.
// The binary is only ever used from build-testenv.sh's cache: the bench never builds it (≈ 6 minutes of both cores).

import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('../', import.meta.url));

/** `{ path }` of the cached kube-testenv binary, or `{ reason }` it cannot be used (never builds it). */
export function realServerBinary() {
  try {
    const out = execFileSync('bash', [join(root, 'test/real/build-testenv.sh'), '--cached'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 30_000,
    });
    return { path: out.trim().split('\n').pop() };
  } catch (error) {
    return { reason: String(error.stderr ?? error.message).trim() || `build-testenv.sh: ${error.message}` };
  }
}

/**
 * Each source file keeps its own `import.meta.url` in the bundle: testenv.ts finds watchdog.js and
 * build-testenv.sh next to itself, src/package-files.ts the package root above itself.
 */
const ownImportMetaUrl = {
  name: 'own-import-meta-url',
  setup(b) {
    b.onLoad({ filter: /\.tsx?$/ }, (args) => ({
      loader: args.path.endsWith('x') ? 'tsx' : 'ts',
      contents: readFileSync(args.path, 'utf8').replaceAll(
        'import.meta.url',
        JSON.stringify(pathToFileURL(args.path).href),
      ),
    }));
  },
};

/** Bundles test/real/serve.ts into DIR/serve.mjs; returns its path. */
export async function bundleRealServer(dir) {
  const outfile = join(dir, 'serve.mjs');
  await build({
    entryPoints: [join(root, 'test/real/serve.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outfile,
    // Packages are bundled too (the bundle lives in a temp folder, away from node_modules); the CommonJS ones
    // (ws) require Node's built-in modules.
    banner: {
      js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
    },
    plugins: [ownImportMetaUrl],
    logLevel: 'silent',
  });
  return outfile;
}
