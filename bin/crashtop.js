#!/usr/bin/env node
// Thin launcher for the bundle (npm run build); src/cli/launch.ts does the rest.
import { fileURLToPath } from 'node:url';

const argv = process.argv.slice(2);
// The bundle's source maps turn --debug stack traces back into src/ lines.
if (argv.includes('--debug')) process.setSourceMapsEnabled(true);
// The live view runs from one script with a V8 code cache (src/cli/code-cache.ts). The other commands, --help,
// --version and --debug run the ES modules, which load only what the command needs and have source maps. An
// argument that only looks like a command (a context named `sim`) costs the cache, never the behaviour.
const esm = ['explain', 'sim', 'help', '--help', '-h', '--version', '--debug'];
if (argv.some((arg) => esm.includes(arg))) {
  const { launch } = await import('../dist/crashtop.js');
  await launch(argv);
} else {
  const { launchWithCodeCache } = await import('../dist/code-cache.js');
  await launchWithCodeCache(argv, fileURLToPath(new URL('../dist/crashtop.cjs', import.meta.url)));
}
