import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Stand-in executables (one sh script for all `tools`) in `dir`, to put first on PATH so that crashtop runs
 * them instead of the real kubectl/helm. Returns `dir`.
 */
export function standInTools(dir: string, tools: readonly string[], script: string): string {
  mkdirSync(dir, { recursive: true });
  for (const tool of tools) writeFileSync(join(dir, tool), `#!/bin/sh\n${script}`, { mode: 0o755 });
  return dir;
}
