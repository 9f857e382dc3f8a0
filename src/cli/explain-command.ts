import { closeConnections } from '../kube/connections.js';
import { resolveContexts } from '../kube/kubeconfig.js';
import { sanitizeLine, sanitizeText } from '../ui/sanitize.js';
import { withScope } from './cluster-scope.js';
import { explainFromCluster, explainFromFiles, type OnlineReport, reportProblems } from './explain.js';
import { type CommonFlags, curveOf, type Io, wantsColor } from './flags.js';
import { renderTextReport } from './report-text.js';
import { signInFirst } from './sign-in.js';
import { UsageError } from './usage-error.js';

/**
 * Every string of the JSON report through the same sanitiser as the text report, line by line: the report carries
 * the cluster's words (termination messages, log lines), and `jq -r` writes them to a terminal as they are,
 * escape sequences (OSC 52 sets the clipboard) included; a message of several lines keeps its lines for the
 * programs that read it. Key names are ours.
 */
function sanitizedStrings(_key: string, value: unknown): unknown {
  return typeof value === 'string' ? sanitizeText(value) : value;
}

/**
 * The demo's commands name the simulator's kubeconfig, deleted when explain exits (the simulator runs only as
 * long as explain): said after the report, where a reader about to copy one of them sees it.
 */
const DEMO_NOTE = [
  "note: the demo's simulated cluster stopped with explain, and the kubeconfig that",
  '  the commands above name went with it. To run them, keep a cluster up with',
  '  `crashtop sim` and explain it with the --kubeconfig that sim prints.',
];

export interface ExplainFlags extends CommonFlags {
  output: 'text' | 'json';
  pod?: string;
  events?: string;
  logs: string[];
}

export async function runExplain(podName: string | undefined, flags: ExplainFlags, io: Io): Promise<number> {
  const curve = curveOf(flags);
  let report: Awaited<ReturnType<typeof explainFromFiles>>;
  let online: OnlineReport | undefined;
  if (flags.pod) {
    if (podName) throw new UsageError('give either a POD name or --pod FILE, not both');
    if (flags.demo)
      throw new UsageError('--demo reads the simulated cluster; it does not go with --pod FILE');
    report = await explainFromFiles(
      { podFile: flags.pod, eventsFile: flags.events, logSpecs: flags.logs },
      curve,
    );
  } else {
    if (flags.events || flags.logs.length > 0) {
      throw new UsageError('--events and --logs go with --pod FILE (online, crashtop fetches them itself)');
    }
    online = await withScope(flags, async (scope) => {
      const contexts = await resolveContexts(scope);
      // A report, for scripts as much as people: a plugin never gets the terminal here, only its 10 s.
      const endPlugins = await signInFirst(contexts, false);
      try {
        return await explainFromCluster({ contexts, scope, podName }, curve);
      } finally {
        endPlugins();
        closeConnections();
      }
    });
    const { missingNamespaces: _printedBelow, ...printed } = online;
    report = printed;
  }
  io.stdout.write(
    flags.output === 'json'
      ? `${JSON.stringify(report, sanitizedStrings, 2)}\n`
      : renderTextReport(report, {
          width: io.stdout.isTTY ? io.stdout.columns || 80 : 80,
          color: wantsColor(flags, io),
          nowMs: Date.now(),
        }),
  );
  // JSON carries the notes for programs; whoever runs it reads them on stderr (a failed context's below).
  if (flags.output === 'json') {
    for (const note of (report.scope ?? []).filter((s) => !s.failed).flatMap((s) => s.notes))
      io.stderr.write(`crashtop: note: ${sanitizeLine(note)}\n`);
  }
  // The text is read by a person about to copy a command; JSON goes to a program.
  if (flags.demo && flags.output === 'text') io.stdout.write(`\n${DEMO_NOTE.join('\n')}\n`);
  // The report is printed either way; a namespace that does not exist is still a typo in the input.
  return online ? reportProblems(online, io.stderr) : 0;
}
