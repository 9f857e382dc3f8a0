import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { BIN } from '../helpers/run-cli.js';

// `crashtop explain … | head`: the reader hangs up before the report is all written. The report's writes then fail with EPIPE,
// which must end crashtop quietly, not with Node's dump of an unhandled error event.

describe('a report piped into a reader that stops early', () => {
  it.each([
    ['explain', '--demo', '-o', 'json'],
    ['explain', '--demo'],
  ])(
    'crashtop %s ends quietly with exit 0',
    async (...args) => {
      const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
      let stderr = '';
      child.stderr.on('data', (chunk) => {
        stderr += chunk;
      });
      // Closed before the report is written: a small report otherwise fits in the pipe in one write.
      child.stdout.destroy();
      const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
      expect(stderr).toBe('');
      expect(code).toBe(0);
    },
    30_000,
  );
});
