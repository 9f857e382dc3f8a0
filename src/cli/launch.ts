import { main } from './main.js';

/**
 * The program's start, from bin/crashtop.js and from the single executable: the terminal decisions that must be
 * made before Ink and its chalk are imported (main imports them only when the live view runs), then main.
 * React's production build (reference/ink-notes.md §3) is chosen when bundling (scripts/bundle.js).
 */
export async function launch(argv: readonly string[]): Promise<void> {
  if (process.env.NO_COLOR || argv.includes('--no-color') || process.env.TERM === 'dumb') {
    process.env.FORCE_COLOR = '0';
  }
  // Ink draws nothing until exit when it believes it runs in CI (is-in-ci reads $CI at import). A terminal on
  // both ends is someone watching, whatever $CI says; piped output never gets the live view anyway.
  if (process.stdout.isTTY && process.stdin.isTTY) {
    for (const name of ['CI', 'CONTINUOUS_INTEGRATION']) if (process.env[name]) process.env[name] = 'false';
  }
  // A report piped into a reader that stops early (`| head`): what it did not want is not an error. Unhandled,
  // the write's EPIPE ended the process with Node's stack dump. The live view's terminal is screen.ts's concern.
  if (!process.stdout.isTTY) {
    process.stdout.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE') throw error;
      process.exit(process.exitCode ?? 0);
    });
  }
  process.exitCode = await main(argv);
}
