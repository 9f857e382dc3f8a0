// k9s, the other peer, built from its Go module at a pinned version into a cache folder outside the repository:
//   node bench/k9s.js --build [--force]
// A cold build takes about 20 minutes of both cores and 4 GB of Go caches here, so nothing builds it implicitly
// (never in CI), it runs at nice 19, and it refuses while the machine is loaded (1-minute load average ≥ 6)
// unless --force. `npm run bench` measures k9s when the binary is there and says why it skips it otherwise.

import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { homedir, loadavg } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { hasFlag } from './flags.js';

export const K9S_VERSION = 'v0.50.16';
const cache = join(
  process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'),
  'crashtop-bench',
  `k9s-${K9S_VERSION}`,
);
const binary = join(cache, 'bin', 'k9s');

/** The built k9s, or why there is none. */
export function k9sBinary() {
  if (existsSync(binary)) return { path: binary };
  return {
    reason: `not built: node bench/k9s.js --build puts k9s ${K9S_VERSION} in ${cache} (~20 min, 4 GB)`,
  };
}

function build(force) {
  const load = loadavg()[0];
  if (load >= 6 && !force) {
    console.error(
      `k9s: not building while the load average is ${load.toFixed(1)} (≥ 6); --force to build anyway`,
    );
    return 1;
  }
  if (spawnSync('go', ['version']).status !== 0) {
    console.error('k9s: needs Go on PATH to build');
    return 1;
  }
  mkdirSync(cache, { recursive: true });
  const env = {
    ...process.env,
    GOBIN: join(cache, 'bin'),
    GOPATH: join(cache, 'gopath'),
    GOMODCACHE: join(cache, 'gomodcache'),
    GOCACHE: join(cache, 'gocache'),
    GOFLAGS: '-trimpath',
  };
  console.log(`k9s: building ${K9S_VERSION} into ${cache} at nice 19`);
  const result = spawnSync('nice', ['-n', '19', 'go', 'install', `github.com/derailed/k9s@${K9S_VERSION}`], {
    env,
    stdio: 'inherit',
  });
  return result.status === 0 && existsSync(binary) ? 0 : 1;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  if (hasFlag('--build')) process.exitCode = build(hasFlag('--force'));
  else console.log(k9sBinary().path ?? k9sBinary().reason);
}
