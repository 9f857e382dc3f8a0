#!/usr/bin/env node
// npm run build:bin [-- --out FILE]: one self-contained executable (dist/crashtop-<os>-<arch> unless --out says
// otherwise) that runs crashtop on a machine without Node. It is Node's single-executable application: this node
// binary with the --sea bundle injected, and the bundle's V8 code cache so that start-up skips compiling it.
// It builds for the machine it runs on.
import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, rmSync, writeFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../', import.meta.url));
const sea = `${root}dist/sea`;
const outFlag = process.argv.indexOf('--out');
const output =
  outFlag > 0
    ? resolve(process.argv[outFlag + 1] ?? '')
    : `${root}dist/crashtop-${process.platform}-${process.arch}`;
// The fuse Node's binary carries for postject (doc/api/single-executable-applications.md).
const FUSE = 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2';

const run = (file, args) => execFileSync(file, args, { cwd: root, stdio: 'inherit' });
/** postject prints a warning per ELF note section it cannot name; its output matters only when it fails. */
const runQuietly = (file, args) => {
  try {
    execFileSync(file, args, { cwd: root, stdio: 'pipe' });
  } catch (error) {
    process.stderr.write(`${error.stdout ?? ''}${error.stderr ?? ''}`);
    throw error;
  }
};

if (process.platform === 'win32' || process.platform === 'darwin') {
  // Both would need their code signature removed and re-added around the injection; bastions run Linux.
  console.error(`build-sea: builds Linux executables only, not ${process.platform}`);
  process.exit(2);
}

run(process.execPath, [`${root}scripts/bundle.js`, '--sea']);
writeFileSync(
  `${sea}/sea-config.json`,
  JSON.stringify({
    main: `${sea}/crashtop.cjs`,
    output: `${sea}/crashtop.blob`,
    disableExperimentalSEAWarning: true,
    useCodeCache: true,
  }),
);
runQuietly(process.execPath, ['--experimental-sea-config', `${sea}/sea-config.json`]);
rmSync(output, { force: true });
copyFileSync(process.execPath, output);
chmodSync(output, 0o755);
runQuietly(process.execPath, [
  `${root}node_modules/postject/dist/cli.js`,
  output,
  'NODE_SEA_BLOB',
  `${sea}/crashtop.blob`,
  '--sentinel-fuse',
  FUSE,
]);
console.log(
  `build-sea: ${relative(process.cwd(), output)} (Node ${process.version}, ${process.platform}-${process.arch})`,
);
