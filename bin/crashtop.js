#!/usr/bin/env node
// Thin launcher. The production React build halves CPU (reference/ink-notes.md §3), and the
// colour decision must be made before Ink (and its chalk) is imported, so both happen here and
// the CLI is loaded with a dynamic import afterwards. No top-level await: the single executable
// (scripts/build-sea.js) runs this file as CommonJS.
process.env.NODE_ENV ??= 'production';
const argv = process.argv.slice(2);
if (process.env.NO_COLOR || argv.includes('--no-color') || process.env.TERM === 'dumb') {
  process.env.FORCE_COLOR = '0';
}
// Ink draws nothing until exit when it believes it runs in CI (is-in-ci reads $CI at import). A terminal on
// both ends is someone watching, whatever $CI says; piped output never gets the live view anyway.
if (process.stdout.isTTY && process.stdin.isTTY) {
  for (const name of ['CI', 'CONTINUOUS_INTEGRATION']) if (process.env[name]) process.env[name] = 'false';
}
// The bundle's source maps turn --debug stack traces back into src/ lines.
if (argv.includes('--debug')) process.setSourceMapsEnabled(true);
import('../dist/crashtop.js')
  .then(({ main }) => main(argv))
  .then((code) => {
    process.exitCode = code;
  });
