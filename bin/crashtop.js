#!/usr/bin/env node
// Thin launcher for the bundles (npm run build); src/cli/launch.ts does the rest. CommonJS (bin/package.json):
// an ES module here cost every start Node's ES module loader, 7 ms.
'use strict';
const { join } = require('node:path');
const { pathToFileURL } = require('node:url');

const argv = process.argv.slice(2);
// The bundles' source maps turn --debug stack traces back into src/ lines.
const debug = argv.includes('--debug');
if (debug) process.setSourceMapsEnabled(true);
// The live view runs from one script with a V8 code cache (src/cli/code-cache.ts). The other commands, --help
// and --version run the ES modules, which load only what the command needs. An argument that only looks like a
// command (a context named `sim`) costs the cache, never the behaviour.
const esm = ['explain', 'sim', 'help', '--help', '-h', '--version'];
const bundle = join(__dirname, '..', 'dist', 'crashtop.cjs');
if (argv.some((arg) => esm.includes(arg))) {
  import(pathToFileURL(join(__dirname, '..', 'dist', 'crashtop.js')).href).then(({ launch }) => launch(argv));
} else if (debug) {
  // The same script as without --debug, through Node's CommonJS loader: Node 20 maps stack traces only for code
  // its loaders compile, not for a vm.Script's (code-cache.ts), so --debug runs it without the cache.
  require(bundle).start(argv);
} else {
  require('../dist/code-cache.cjs').launchWithCodeCache(argv, bundle);
}
