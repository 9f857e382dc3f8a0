// `npm run accuracy` (after the build): explains every report of test/fixtures/real as `crashtop explain --pod
// --events --logs` would, and prints accuracy, high-confidence precision, per-cause precision and recall and the
// confusion pairs, for the tuning part and for the holdout part (test/fixtures/real/HOLDOUT) apart.
import { fileURLToPath } from 'node:url';
import { corpusSlugs, explainCorpus, readHoldout } from '../dist/cli/corpus.js';
import { formatScore, isHoldout, score } from '../dist/model/accuracy.js';

const root = fileURLToPath(new URL('../test/fixtures/real', import.meta.url));
const holdout = new Set(readHoldout(root));
const drawn = corpusSlugs(root).filter(isHoldout);
if (drawn.length !== holdout.size || drawn.some((slug) => !holdout.has(slug))) {
  console.error(`test/fixtures/real/HOLDOUT is out of date: it should list exactly\n${drawn.join('\n')}`);
  process.exitCode = 1;
}
const cases = await explainCorpus(root);
const parts = [
  ['tuning', cases.filter((c) => !holdout.has(c.slug))],
  ['holdout', cases.filter((c) => holdout.has(c.slug))],
  ['all', cases],
];
for (const [title, part] of parts) console.log(`${formatScore(title, score(part)).join('\n')}\n`);
