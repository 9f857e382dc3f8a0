// What each tool's screen shows, read from `tmux capture-pane -p` (plain text, one line per terminal row). The
// bench times every tool to the same thing: the first crash-looping pod's row on screen.

// ---- crashtop ----

const CURSOR = /^[›>]/m;

/** The pod table is up once its column titles and a selected row are on screen. */
export const showsPodTable = (screen) =>
  /NAME\b.*\bSTATUS\b.*\bNEXT RESTART/.test(screen) && CURSOR.test(screen);

/**
 * A crash-looping pod's row is on screen (under the column titles). Its gutter is the cursor (› or > in ASCII)
 * and the bell's mark (♪ or !), either blank.
 */
export const showsCrashLoop = (screen) =>
  showsPodTable(screen) && screen.split('\n').some((line) => /^[›> ][♪! ].*\sCrashLoopBackOff\s/.test(line));

/** The first list is in: the header no longer says `loading pods… N so far`. */
export const showsCompleteList = (screen) => showsPodTable(screen) && !/loading pods/.test(screen);

/** namespace/name of the row under the selection marker (the gutter is cursor + bell mark). */
export function selectedPod(screen) {
  const line = screen.split('\n').find((l) => CURSOR.test(l));
  return line?.slice(2).trim().split(/\s+/).slice(0, 2).join('/');
}

// ---- kubectl ----

/**
 * kubectl `get pods -A` has printed in its pane: its header or a pod's row (namespace, name, READY). Its first
 * page (500 rows) comes out at once, so the first capture that shows anything usually shows rows, the header
 * already scrolled off.
 */
export const showsKubectlPods = (screen) => /^\S+ +\S+ +(?:READY|\d+\/\d+) +\S/m.test(screen);

// ---- k9s ----

/**
 * k9s's pods view is up: its table's title says `pods(all)[N]`, with the filter after it. N is the filtered row
 * count with thousands separators (`[1,458]`: internal/render/helpers.go AsThousands), so from 1,000 crash-looping
 * pods on it has a comma.
 */
export const showsK9sPods = (screen) => /\bpods\(all\)\[\d{1,3}(,\d{3})*\]/.test(screen);

/** A crash-looping pod's row in k9s's pods view: inside the table's frame, STATUS `CrashLoopBackOff`. */
export const showsK9sCrashLoop = (screen) =>
  showsK9sPods(screen) && screen.split('\n').some((line) => /^│.*\sCrashLoopBackOff\b/.test(line));
