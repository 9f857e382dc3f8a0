import { setFlagsFromString } from 'node:v8';

/**
 * The live view stays open for hours on shared bastions. What it keeps is small (about 60 MB of heap at
 * 10,000 pods), but each frame makes short-lived garbage, some of which a minor GC promotes, and V8 lets
 * the old generation grow up to 4× what survived the last full GC before it collects again: a view with
 * 60 MB live sat at 160 MB of heap and 280 MB RSS, no leak involved (a heap snapshot, which collects
 * first, showed the same 60 MB). Growing by 20 % instead keeps RSS near what is live, for a full GC every
 * few seconds on a busy cluster (tens of ms, mostly on V8's helper thread; at 10,000 pods 30 % sat 6 MB
 * higher for the same CPU). Read by V8 at each GC, so setting it before the first list is enough.
 *
 * The young generation: V8 doubles it whenever as much as it holds has survived since it last grew, up to
 * two 16 MB semi-spaces, and a view that runs for a minute always gets there: 32 MB of RSS at 10,000 pods
 * (176 MB in all, 24 MB of it new space that holds one frame's garbage). `--max-semi-space-size` is read
 * once, when the isolate is made (set here it changes nothing, measured), but the growth factor is read at
 * each growth, and 1 stops it where start-up left it (two 2–4 MB semi-spaces): 145 MB, the same CPU at rest.
 * Smaller is dearer: frozen at 1 MB from the first line (bin/crashtop.js), minor GCs ran 4× as often and
 * cost 40 % more CPU at rest; `--optimize-for-size` saved 8 MB more for 50 % more CPU. For the same reason
 * start-up runs under the defaults: set before the program loads, the young generation froze at its first
 * size and start-up spent a third of its CPU in minor GCs.
 */
export function keepHeapTight(): void {
  setFlagsFromString('--heap-growing-percent=20');
  setFlagsFromString('--semi-space-growth-factor=1');
}

/**
 * `work` under V8's default heap flags, the ones the process started with. V8 stamps a code cache with a hash
 * of its flags and refuses one made under others, so the live view's cache is made under the flags the next
 * start compiles it under (code-cache.ts). Nothing else runs in between: no GC sees the defaults for long.
 */
export function withStartFlags<T>(work: () => T): T {
  setFlagsFromString('--heap-growing-percent=0');
  setFlagsFromString('--semi-space-growth-factor=2');
  try {
    return work();
  } finally {
    keepHeapTight();
  }
}
