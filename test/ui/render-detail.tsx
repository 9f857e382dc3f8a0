import { render } from 'ink-testing-library';
import type { ClusterSource, WatchedPod } from '../../src/kube/source.js';
import { DetailView } from '../../src/ui/components/DetailView.js';

/** The detail page of one pod alone (no events, no siblings, not taking keys), on a screen of the given size. */
export function renderDetail(
  source: ClusterSource,
  watched: WatchedPod,
  { width = 400, height = 60 }: { width?: number; height?: number } = {},
) {
  return render(
    <DetailView
      source={source}
      watched={watched}
      events={[]}
      siblings={[]}
      clockOffsetMs={0}
      height={height}
      width={width}
      isActive={false}
    />,
  );
}
