// `npm run accuracy`: explains every report of test/fixtures/real as `crashtop explain --pod --events --logs`
// would, and prints accuracy, high-confidence precision, per-cause precision and recall and the confusion pairs,
// for the tuning part and for the holdout part (test/fixtures/real/HOLDOUT) apart. The corpus code (src/cli/
// corpus.ts, src/model/accuracy.ts) is not part of the crashtop bundle: it is bundled here, into .accuracy/ (one
// level under the package, where src/package-files.ts finds package.json and imports resolve from node_modules).
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('../', import.meta.url));
const dir = join(root, '.accuracy');
const outfile = join(dir, 'corpus.mjs');
try {
  await build({
    stdin: {
      contents: "export * from './src/cli/corpus.ts'; export * from './src/model/accuracy.ts';",
      resolveDir: root,
      loader: 'ts',
    },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    outfile,
    logLevel: 'warning',
  });
  const { corpusSlugs, explainCorpus, formatScore, isHoldout, readHoldout, score } = await import(
    pathToFileURL(outfile).href
  );
  const real = join(root, 'test/fixtures/real');
  const holdout = new Set(readHoldout(real));
  const drawn = corpusSlugs(real).filter(isHoldout);
  if (drawn.length !== holdout.size || drawn.some((slug) => !holdout.has(slug))) {
    console.error(`test/fixtures/real/HOLDOUT is out of date: it should list exactly\n${drawn.join('\n')}`);
    process.exitCode = 1;
  }
  const cases = await explainCorpus(real);
  const parts = [
    ['tuning', cases.filter((c) => !holdout.has(c.slug))],
    ['holdout', cases.filter((c) => holdout.has(c.slug))],
    ['all', cases],
  ];
  for (const [title, part] of parts) console.log(`${formatScore(title, score(part)).join('\n')}\n`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
