#!/usr/bin/env node
// Thin launcher for the bundle (npm run build); src/cli/launch.ts does the rest.
const argv = process.argv.slice(2);
// The bundle's source maps turn --debug stack traces back into src/ lines.
if (argv.includes('--debug')) process.setSourceMapsEnabled(true);
const { launch } = await import('../dist/crashtop.js');
await launch(argv);
