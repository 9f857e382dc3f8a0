import { PerformanceObserver } from 'node:perf_hooks';
import { getHeapSpaceStatistics, setFlagsFromString } from 'node:v8';

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
 * (176 MB in all, 24 MB of it new space that holds one frame's garbage). Left at its smallest (two 1 MB
 * semi-spaces, where V8 also shrinks it back whenever less than 1 MB a second is allocated, as at rest),
 * minor GCs ran about once a second at 10,000 pods and were a fifth to a third of the CPU at rest. The
 * sizes V8 starts with and shrinks back to (`--min-semi-space-size`) are read only when the isolate is made,
 * and a launcher that passed them would cost a second Node start. What V8 reads at each growth is the growth
 * factor (a whole number times the current semi-space): after each GC, `holdYoungGeneration` sets it to what
 * takes the semi-space to YOUNG_SEMI_SPACE_BYTES in one step, and to 1 (no growth) once it is there. At
 * 10,000 pods at rest, minor GCs ran ≈ 55 a minute instead of ≈ 80 and the process used ≈ 14 % less CPU, for
 * ≈ 3 MB of RSS: V8 still shrinks it back when little is allocated, and it grows again once a semi-space's
 * worth has survived.
 * For the same reason start-up runs under the defaults: set before the program loads, the young generation
 * froze at its first size and start-up spent a third of its CPU in minor GCs.
 *
 * V8's memory reducer: once the list is in and allocation slows down, it runs up to three full GCs a few
 * seconds apart to give memory back. With the old generation grown by 20 % the first one finds what there
 * is to find; the second and third freed 0.1 MB and 0.8 MB of 40 MB at 10,000 pods (`--trace-gc`), and at
 * 50,000 pods each is 0.25–0.3 s of CPU. One is enough. (`--no-memory-reducer` would drop the first too, but
 * V8 reads it only when the isolate is made; the number of GCs it reads each time it decides.)
 */
export const YOUNG_SEMI_SPACE_BYTES = 4 * 2 ** 20;

/** The growth factor that takes a semi-space of `capacity` bytes to about `target` (never past it), or 1. */
export function growthFactor(capacity: number, target: number): number {
  return capacity > 0 ? Math.max(1, Math.floor(target / capacity)) : 1;
}

/** What one semi-space of the new space can hold now. */
function semiSpaceCapacity(): number {
  const space = getHeapSpaceStatistics().find((s) => s.space_name === 'new_space');
  return space === undefined ? 0 : space.space_used_size + space.space_available_size;
}

let factor = 1;
let observer: PerformanceObserver | undefined;

function setTightFlags(): void {
  setFlagsFromString('--heap-growing-percent=20');
  setFlagsFromString(`--semi-space-growth-factor=${factor}`);
  setFlagsFromString('--memory-reducer-single-gc');
}

function holdYoungGeneration(): void {
  const next = growthFactor(semiSpaceCapacity(), YOUNG_SEMI_SPACE_BYTES);
  if (next === factor) return;
  factor = next;
  setFlagsFromString(`--semi-space-growth-factor=${factor}`);
}

/** The live view's heap flags, and the young generation held at YOUNG_SEMI_SPACE_BYTES while it runs. */
export function keepHeapTight(): void {
  holdYoungGeneration();
  setTightFlags();
  // Told after each GC, in the loop's next turn: one more growth would need another semi-space's worth to
  // survive first, more than a turn of the live view keeps.
  observer ??= new PerformanceObserver(holdYoungGeneration);
  observer.observe({ entryTypes: ['gc'] });
}

/**
 * `work` under V8's default heap flags, the ones the process started with. V8 stamps a code cache with a hash
 * of its flags and refuses one made under others, so the live view's cache is made under the flags the next
 * start compiles it under (code-cache.ts). Nothing else runs in between: no GC sees the defaults for long. The
 * launcher calls the live view script's own copy (scripts/bundle.js): only that one knows the factor it set.
 */
export function withStartFlags<T>(work: () => T): T {
  setFlagsFromString('--heap-growing-percent=0');
  setFlagsFromString('--semi-space-growth-factor=2');
  setFlagsFromString('--no-memory-reducer-single-gc');
  try {
    return work();
  } finally {
    setTightFlags();
  }
}
