import { startClusterSource } from '../kube/cluster-source.js';
import { contextNames, resolveContexts } from '../kube/kubeconfig.js';
import { withScope } from './cluster-scope.js';
import { explainFromCluster } from './explain.js';
import { type CommonFlags, curveOf, type Io, logLimitsOf, wantsColor } from './flags.js';
import { renderTextReport } from './report-text.js';

export type LiveFlags = CommonFlags & { logLines?: string; logBytes?: string };

/** `crashtop` and `crashtop --demo`: the live view, or on a pipe / dumb terminal what `explain` prints. */
export async function runLive(flags: LiveFlags, io: Io): Promise<number> {
  const curve = curveOf(flags);
  const logLimits = logLimitsOf(flags);
  const interactive = io.stdout.isTTY === true && process.stdin.isTTY === true && io.env.TERM !== 'dumb';
  return withScope(flags, async (scope) => {
    const contexts = await resolveContexts(scope);
    if (!interactive) {
      const nowMs = Date.now();
      const { missingNamespaces, ...report } = await explainFromCluster({ contexts, scope }, curve);
      io.stdout.write(renderTextReport(report, { width: 80, color: false, nowMs }));
      return missingNamespaces.length > 0 ? 2 : 0;
    }
    // The view draws at once and fills page by page; a first list that fails ends it with that error.
    // Ink and React (most of the program) are parsed while the first list pages are on their way.
    const ui = import('../ui/run-tui.js');
    const { source, listed } = await startClusterSource(scope);
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
        contexts: contextNames(scope),
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
