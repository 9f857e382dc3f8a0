#!/usr/bin/env node
// Thin launcher. The production React build halves CPU (reference/ink-notes.md §3), and the
// colour decision must be made before Ink (and its chalk) is imported, so both happen here and
// the CLI is loaded with a dynamic import afterwards.
process.env.NODE_ENV ??= 'production';
const argv = process.argv.slice(2);
if (process.env.NO_COLOR || argv.includes('--no-color') || process.env.TERM === 'dumb') {
  process.env.FORCE_COLOR = '0';
}
const { main } = await import('../dist/cli/main.js');
process.exitCode = await main(argv);
