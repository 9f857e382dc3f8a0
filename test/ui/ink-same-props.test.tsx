import fc from 'fast-check';
import { Text } from 'ink';
import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import { sameHostProps, useKeptTextProps } from '../../src/ui/terminal/ink-patches.js';

// The bundle (scripts/bundle.js inkSameProps) puts these into Ink's Text and reconciler: a tick that re-renders a
// row's Text for its countdown must hand Ink the same style and transform, and its commit must stop at once.

function Probe(props: { look: readonly unknown[]; seen: unknown[][] }) {
  const kept = useKeptTextProps(props.look);
  props.seen.push([kept('style', { textWrap: props.look[0] }), kept('transform', (s: string) => s)]);
  return <Text>x</Text>;
}

describe("Ink's Text keeps its style and transform while its look holds (useKeptTextProps)", () => {
  it.each([
    { change: 'nothing', look: ['truncate-end', 'red', true], same: true },
    { change: 'the colour', look: ['truncate-end', 'green', true], same: false },
    { change: 'inverse', look: ['truncate-end', 'red', false], same: false },
    { change: 'the wrapping', look: ['wrap', 'red', true], same: false },
  ])('a render after $change gives the same objects: $same', ({ look, same }) => {
    const seen: unknown[][] = [];
    const app = render(<Probe look={['truncate-end', 'red', true]} seen={seen} />);
    app.rerender(<Probe look={look} seen={seen} />);
    app.unmount();
    const [first, last] = [seen[0]!, seen.at(-1)!];
    expect(last[0] === first[0]).toBe(same);
    expect(last[1] === first[1]).toBe(same);
    if (!same) expect(last[0]).toEqual({ textWrap: look[0] });
  });
});

describe("a host element's commit with only new children (sameHostProps)", () => {
  const style = { flexGrow: 0 };
  const transform = (s: string) => s;

  it.each([
    {
      what: 'new text, same style and transform',
      after: { style, internal_transform: transform, children: 'b' },
      same: true,
    },
    {
      what: 'a new style object',
      after: { style: { flexGrow: 0 }, internal_transform: transform, children: 'a' },
      same: false,
    },
    {
      what: 'a new transform',
      after: { style, internal_transform: (s: string) => s, children: 'a' },
      same: false,
    },
    {
      what: 'a prop added',
      after: { style, internal_transform: transform, children: 'a', x: 1 },
      same: false,
    },
    { what: 'a prop gone', after: { style, children: 'a' }, same: false },
  ])('$what: $same', ({ after, same }) => {
    expect(sameHostProps({ style, internal_transform: transform, children: 'a' }, after)).toBe(same);
  });

  it('says the same as a diff of both (what Ink diffs) leaving nothing but children', () => {
    const value = fc.constantFrom<unknown>(style, { flexGrow: 0 }, transform, 'a', 'b', 1, undefined);
    const props = fc.dictionary(fc.constantFrom('style', 'internal_transform', 'children', 'inverse'), value);
    fc.assert(
      fc.property(props, props, (before, after) => {
        const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
        const changed = [...keys].filter((k) => !(k in before) || !(k in after) || before[k] !== after[k]);
        expect(sameHostProps(before, after)).toBe(changed.every((k) => k === 'children'));
      }),
    );
  });
});
