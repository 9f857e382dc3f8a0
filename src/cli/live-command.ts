import { setFlagsFromString } from 'node:v8';
import { startClusterSource } from '../kube/cluster-source.js';
import { resolveScope } from '../kube/kubeconfig.js';
import { withScope } from './cluster-scope.js';
import { type CommonFlags, curveOf, type Io, logLimitsOf, wantsColor } from './flags.js';

export type LiveFlags = CommonFlags & { logLines?: string; logBytes?: string };

/**
 * The live view stays open for hours on shared bastions. What it keeps is small (about 60 MB of heap at
 * 10,000 pods), but each frame makes short-lived garbage, some of which a minor GC promotes, and V8 lets
 * the old generation grow up to 4× what survived the last full GC before it collects again: a view with
 * 60 MB live sat at 160 MB of heap and 280 MB RSS, no leak involved (a heap snapshot, which collects
 * first, showed the same 60 MB). Growing by 30 % instead keeps RSS near what is live, for a full GC every
 * few seconds on a busy cluster (tens of ms, mostly on V8's helper thread). Read by V8 at each GC, so
 * setting it here, before the first list, is enough.
 */
function keepHeapTight(): void {
  setFlagsFromString('--heap-growing-percent=30');
}

/** `crashtop` and `crashtop --demo`: the live view, or on a pipe / dumb terminal what `explain` prints. */
export async function runLive(flags: LiveFlags, io: Io): Promise<number> {
  const curve = curveOf(flags);
  const logLimits = logLimitsOf(flags);
  const interactive = io.stdout.isTTY === true && process.stdin.isTTY === true && io.env.TERM !== 'dumb';
  return withScope(flags, async (scope) => {
    const { contexts, names } = resolveScope(scope);
    if (!interactive) {
      // The report's modules (and the YAML parser of `explain --pod`) are not the live view's: loaded here only.
      const [{ explainFromCluster }, { renderTextReport }] = await Promise.all([
        import('./explain.js'),
        import('./report-text.js'),
      ]);
      const nowMs = Date.now();
      const { missingNamespaces, ...report } = await explainFromCluster({ contexts, scope }, curve);
      io.stdout.write(renderTextReport(report, { width: 80, color: false, nowMs }));
      return missingNamespaces.length > 0 ? 2 : 0;
    }
    keepHeapTight();
    // The view draws at once and fills page by page; a first list that fails ends it with that error.
    // Ink and React (most of the program) are parsed while the first list pages are on their way.
    const ui = import('../ui/run-tui.js');
    const { source, listed } = await startClusterSource(scope, { contexts });
    try {
      const { runTui } = await ui;
      return await runTui(source, {
        listed,
        ascii: flags.ascii === true,
        color: wantsColor(flags, io),
        demo: flags.demo === true,
        multiContext: contexts.length > 1,
        curve,
        logLimits,
        contexts: names,
        openContext: async (name) => {
          const started = await startClusterSource({ ...scope, contexts: [name] });
          await started.listed;
          return started.source;
        },
      });
    } finally {
      await source.close();
    }
  });
}
