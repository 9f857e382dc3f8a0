#!/usr/bin/env node
// Thin launcher for the bundle (npm run build); src/cli/launch.ts does the rest.
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const argv = process.argv.slice(2);
// The bundles' source maps turn --debug stack traces back into src/ lines.
const debug = argv.includes('--debug');
if (debug) process.setSourceMapsEnabled(true);
// The live view runs from one script with a V8 code cache (src/cli/code-cache.ts). The other commands, --help
// and --version run the ES modules, which load only what the command needs. An argument that only looks like a
// command (a context named `sim`) costs the cache, never the behaviour.
const esm = ['explain', 'sim', 'help', '--help', '-h', '--version'];
const bundle = fileURLToPath(new URL('../dist/crashtop.cjs', import.meta.url));
if (argv.some((arg) => esm.includes(arg))) {
  const { launch } = await import('../dist/crashtop.js');
  await launch(argv);
} else if (debug) {
  // The same script as without --debug, through Node's CommonJS loader: Node 20 maps stack traces only for code
  // its loaders compile, not for a vm.Script's (code-cache.ts), so --debug runs it without the cache.
  await createRequire(import.meta.url)(bundle).start(argv);
} else {
  const { launchWithCodeCache } = await import('../dist/code-cache.js');
  await launchWithCodeCache(argv, bundle);
}
