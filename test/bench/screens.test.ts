import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  selectedPod,
  showsCompleteList,
  showsCrashLoop,
  showsK9sCrashLoop,
  showsK9sPods,
  showsKubectlPods,
  showsPodTable,
} from '../../bench/screens.js';

// The bench's screen readers against screens captured from the real programs (`tmux capture-pane -p`, 120×40) on
// `crashtop sim`: k9s v0.50.16 as bench/live.js launches it, and crashtop.

const screen = (name: string) =>
  readFileSync(new URL(`../fixtures/screens/${name}.txt`, import.meta.url), 'utf8');

describe('k9s screens', () => {
  it.each([
    // The title counts the filtered rows with a thousands separator: `pods(all)[1,082]`.
    { name: 'k9s-1082-crash-looping', pods: true, crashLoop: true },
    { name: 'k9s-35-crash-looping', pods: true, crashLoop: true },
    // The pods view is up, its cache not yet synced: the title says [0] and the frame is empty.
    { name: 'k9s-no-crash-looping', pods: true, crashLoop: false },
    // Without the filter: every pod running, no crash loop.
    { name: 'k9s-unfiltered-running', pods: true, crashLoop: false },
    // crashtop's screen has CrashLoopBackOff rows but is not k9s's pods view.
    { name: 'crashtop-loading', pods: false, crashLoop: false },
  ])('$name: pods view $pods, crash-looping row $crashLoop', ({ name, pods, crashLoop }) => {
    expect(showsK9sPods(screen(name))).toBe(pods);
    expect(showsK9sCrashLoop(screen(name))).toBe(crashLoop);
  });

  it('reads any row count k9s can print in the title', () => {
    const title = (count: string) => screen('k9s-1082-crash-looping').replace('[1,082]', `[${count}]`);
    for (const count of ['0', '7', '999', '1,000', '12,345', '1,234,567']) {
      expect(showsK9sCrashLoop(title(count)), count).toBe(true);
    }
    for (const count of ['', '1,2', ',100', '1000,']) expect(showsK9sPods(title(count)), count).toBe(false);
  });
});

describe('kubectl screens', () => {
  it.each([
    // Its first page came out at once: the header scrolled off before the first capture.
    { name: 'kubectl-first-page', shows: true },
    // Exited, the pane kept (remain-on-exit): the last rows and tmux's note.
    { name: 'kubectl-exited', shows: true },
    // Not kubectl's output: crashtop's rows start with its gutter.
    { name: 'crashtop-loading', shows: false },
  ])('$name: shows pods $shows', ({ name, shows }) => {
    expect(showsKubectlPods(screen(name))).toBe(shows);
  });

  it('sees the header alone, and nothing in a blank pane', () => {
    const header = 'NAMESPACE   NAME                            READY   STATUS    RESTARTS   AGE\n';
    expect(showsKubectlPods(header)).toBe(true);
    expect(showsKubectlPods('\n'.repeat(40))).toBe(false);
  });
});

describe('crashtop screens', () => {
  it('sees the table and its crash-looping rows while the list is still loading', () => {
    const loading = screen('crashtop-loading');
    expect(showsPodTable(loading)).toBe(true);
    expect(showsCrashLoop(loading)).toBe(true);
    expect(showsCompleteList(loading)).toBe(false);
    expect(showsCompleteList(loading.replace(/loading pods… \d+ so far/, 'pods live'))).toBe(true);
    expect(selectedPod(loading)).toBe('team-01/worker-0008-n…b6jm6pn-ngh5n');
  });

  it.each([
    ['the bell mark', '♪'],
    ['the bell mark in ASCII', '!'],
  ])('sees crash-looping rows that carry %s', (_, mark) => {
    // Every crash-looping row marked (`b` on: they newly entered a crash loop): the gutter is cursor + mark.
    const marked = screen('crashtop-loading')
      .split('\n')
      .map((l) => (/\sCrashLoopBackOff\s/.test(l) ? `${l[0]}${mark}${l.slice(2)}` : l))
      .join('\n');
    expect(showsCrashLoop(marked)).toBe(true);
  });

  it('does not take k9s for crashtop', () => {
    expect(showsPodTable(screen('k9s-1082-crash-looping'))).toBe(false);
  });
});
