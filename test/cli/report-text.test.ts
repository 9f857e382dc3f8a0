import { describe, expect, it } from 'vitest';
import { renderTextReport } from '../../src/cli/report-text.js';
import { buildPodReport } from '../../src/model/report.js';
import { loadRealFixture } from '../model/classify/pod-fixture.js';

// Evidence is never cut: the JSON carries each line whole, and the text report wraps it without splitting a
// name (an image reference, a pod or node name) in the middle.
const PULL_ERROR =
  'event Warning Failed: Failed to pull image "local/dummy": rpc error: code = Unknown desc = Error response from daemon: pull access denied for local/dummy, repository does not exist or may require \'docker login\': denied: requested access to the resource is denied';

function report(slug: string) {
  return { pods: [buildPodReport({ ...loadRealFixture(slug), context: '' })] };
}

describe('evidence in the report', () => {
  it('is whole in the JSON, however long', () => {
    expect(report('keda-example-local-dummy-image').pods[0]!.cause?.evidence).toContain(PULL_ERROR);
    const startError = report(
      'splunk-fluentd-aks-serviceaccount-mount-read-only',
    ).pods[0]!.cause!.evidence.find((e) => e.startsWith('event Warning Failed: '));
    expect(startError?.length).toBeGreaterThan(500);
    expect(startError).toMatch(
      /kube-api-access-b6vs7.*rootfs\/run\/secrets: read-only file system: unknown$/,
    );
  });

  it.each([80, 60, 40])('wraps at %i columns without cutting or splitting a name', (width) => {
    const text = renderTextReport(report('keda-example-local-dummy-image'), {
      width,
      color: false,
      nowMs: 0,
    });
    const lines = text.split('\n');
    const names = PULL_ERROR.match(/[a-z0-9][a-z0-9.-]*[a-z0-9]/g) ?? [];
    for (const name of names) expect(lines.some((line) => line.includes(name))).toBe(true);
    const joined = lines.map((line) => line.trim()).join(' ');
    expect(joined.replace(/\s+/g, '')).toContain(PULL_ERROR.replace(/\s+/g, ''));
  });

  it('breaks a word longer than the line only after a separator, and lets a bare name overflow', () => {
    const long = 'registry.example.com/team/very-long-image-name-that-does-not-fit:1.2.3';
    const pod = report('keda-example-local-dummy-image').pods[0]!;
    pod.cause!.evidence = [`image ${long}`, 'pod a-very-long-pod-name-0123456789-abcdefghij-klmnopqrstuv'];
    const text = renderTextReport({ pods: [pod] }, { width: 40, color: false, nowMs: 0 });
    expect(text).toContain('registry.example.com/');
    expect(text).toContain('very-long-image-name-that-does-not-fit:');
    expect(text).toContain('a-very-long-pod-name-0123456789-abcdefghij-klmnopqrstuv');
  });
});

describe('an empty report', () => {
  it('does not say it looked in a context that could not be read', () => {
    const unreachable = 'cannot reach https://127.0.0.1:1 (context east): connect ECONNREFUSED';
    const text = renderTextReport(
      {
        pods: [],
        scope: [
          { context: 'east', namespaces: ['shop'], pods: 0, notes: [unreachable], failed: true },
          { context: 'west', namespaces: ['shop'], pods: 12, notes: [] },
        ],
      },
      { width: 80, color: false, nowMs: 0 },
    );
    expect(text).toBe(
      `note: ${unreachable}\nNo unhealthy pods found in namespace shop of context west, but see the notes above.\n`,
    );
  });
});
