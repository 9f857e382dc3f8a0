import { startClusterSource } from '../kube/cluster-source.js';
import { type ResolvedContext, resolveScope, type Scope } from '../kube/kubeconfig.js';
import { checkSelector } from '../kube/scope.js';
import { withScope } from './cluster-scope.js';
import { drawsLiveView } from './draws-live-view.js';
import { type CommonFlags, curveOf, type Io, logLimitsOf, wantsColor } from './flags.js';
import { keepHeapTight } from './heap.js';
import { signInFirst } from './sign-in.js';

export type LiveFlags = CommonFlags & { logLines?: string; logBytes?: string };

/** `crashtop` and `crashtop --demo`: the live view, or on a pipe / dumb terminal what `explain` prints. */
export async function runLive(flags: LiveFlags, io: Io): Promise<number> {
  checkSelector(flags.selector);
  const curve = curveOf(flags);
  const logLimits = logLimitsOf(flags);
  const interactive = drawsLiveView(io.stdout, process.stdin, io.env);
  if (interactive) keepHeapTight();
  const show = async (scope: Scope, contexts: ResolvedContext[], names: string[]): Promise<number> => {
    if (!interactive) {
      // The report's modules (and the YAML parser of `explain --pod`) are not the live view's: loaded here only.
      const [{ explainFromCluster, reportProblems }, { renderTextReport }] = await Promise.all([
        import('./explain.js'),
        import('./report-text.js'),
      ]);
      const nowMs = Date.now();
      const online = await explainFromCluster({ contexts, scope }, curve);
      const { missingNamespaces: _printedBelow, ...report } = online;
      io.stdout.write(renderTextReport(report, { width: 80, color: false, nowMs }));
      return reportProblems(online, io.stderr);
    }
    // The view draws at once and fills page by page; a first list that fails ends it with that error.
    // Ink and React (most of the program) are loaded while the first list pages are on their way: after the
    // requests are sent, since from one script (code-cache.ts) the import runs them at once, in one piece.
    const ui = new Promise((resolve) => setImmediate(resolve)).then(() => import('../ui/run-tui.js'));
    const { source, listed } = await startClusterSource(scope, { contexts });
    // runTui reports a failed first list in one line; a rejection before it is loaded must not count as
    // unhandled, or Node ends the process with its dump of the error (a page of the minified bundle) instead.
    listed.catch(() => undefined);
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
        openContext: async (names) => {
          const started = await startClusterSource({ ...scope, contexts: [...names] });
          await started.listed;
          return started.source;
        },
      });
    } finally {
      await source.close();
    }
  };
  return withScope(flags, async (scope) => {
    const { contexts, names } = resolveScope(scope);
    // Before the view takes the terminal: a plugin that needs a login asks for it on the plain one (not for the
    // report printed instead, which is explain's).
    const endPlugins = await signInFirst(contexts, interactive);
    try {
      return await show(scope, contexts, names);
    } finally {
      endPlugins();
    }
  });
}
