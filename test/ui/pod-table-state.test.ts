import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { LayeredMap } from '../../src/model/layered-map.js';
import type { Pod } from '../../src/model/pod.js';
import {
  type ColumnId,
  createRowBuilder,
  filterRows,
  NAMED_SORTS,
  POD_COLUMNS,
  type PodRow,
  type RowClock,
  type RowFilter,
  sortRows,
  type TableSort,
  tableLines,
} from '../../src/model/rows.js';
import { PodTableState, type TableParams } from '../../src/ui/pod-table-state.js';

// The table kept up to date change by change must be the table built from scratch: random watch events (pods
// added, changed, deleted, a relist now and then) and random sort, filter and grouping changes, checked after
// each step against sortRows(filterRows(...)) of a fresh row builder and counts computed here by hand.

const fixture = (file: string): Pod[] =>
  (parse(readFileSync(new URL(`../fixtures/ui/${file}`, import.meta.url), 'utf8')) as { items: Pod[] }).items;
/** Pods whose status (crash loop, running and ready, config error…) a generated pod takes. */
const TEMPLATES = [...fixture('pods.yaml'), ...fixture('sort-pods.yaml')];
const NOW_MS = Date.parse('2026-11-25T14:00:00Z');
const CONTEXT = 'prod';

/** A pod of a two-ReplicaSet Deployment (a rollout to judge), or one of a template's own owner. */
const podSpec = fc.record({
  slot: fc.integer({ min: 0, max: 9 }),
  namespace: fc.constantFrom('shop', 'ops'),
  deployment: fc.boolean(),
  replicaSet: fc.constantFrom('7d9f8c6b5', '5c4b3a291'),
  created: fc.constantFrom('2026-11-25T13:00:00Z', '2026-11-25T13:50:00Z', undefined),
  template: fc.nat({ max: TEMPLATES.length - 1 }),
});
type PodSpec = typeof podSpec extends fc.Arbitrary<infer T> ? T : never;

function makePod(spec: PodSpec, version: number): Pod {
  const template = TEMPLATES[spec.template]!;
  const name = spec.deployment
    ? `payments-api-${spec.replicaSet}-x${spec.slot}`
    : `${template.metadata.name}-${spec.slot}`;
  const metadata: Pod['metadata'] = {
    ...template.metadata,
    name,
    namespace: spec.namespace,
    uid: `${name}-${version}`,
    creationTimestamp: spec.created,
  };
  if (spec.deployment) {
    metadata.labels = { app: 'payments-api', 'pod-template-hash': spec.replicaSet };
    metadata.ownerReferences = [
      {
        apiVersion: 'apps/v1',
        kind: 'ReplicaSet',
        name: `payments-api-${spec.replicaSet}`,
        controller: true,
      },
    ] as Pod['metadata']['ownerReferences'];
  }
  return { ...template, metadata };
}

const filterArb: fc.Arbitrary<RowFilter> = fc.record({
  text: fc.constantFrom(
    undefined,
    '',
    'pay',
    'payments-api-5',
    'shop',
    'crash',
    'oom',
    '-l app=payments-api',
    '-l app=',
  ),
  namespace: fc.constantFrom(undefined, 'shop', 'ops'),
  unhealthyOnly: fc.boolean(),
});
const sortArb: fc.Arbitrary<TableSort> = fc.oneof(
  fc.constantFrom(...NAMED_SORTS),
  fc.record({
    column: fc.constantFrom(...POD_COLUMNS.map((c) => c.id)),
    direction: fc.constantFrom('ascending' as const, 'descending' as const),
  }),
);

const step = fc.oneof(
  // `unseen`: a snapshot the view never takes (the throttle skips it, an action reads it) comes between.
  {
    weight: 4,
    arbitrary: fc.record({ kind: fc.constant('put' as const), spec: podSpec, unseen: fc.boolean() }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('delete' as const), at: fc.nat() }) },
  // Several pods changed in one snapshot, some deleted: their rows go in and out together.
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('burst' as const),
      specs: fc.array(podSpec, { minLength: 2, maxLength: 8 }),
      deletes: fc.array(fc.nat(), { maxLength: 3 }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('relist' as const) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('filter' as const), filter: filterArb }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('sort' as const), sort: sortArb }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('group' as const) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('later' as const), ms: fc.nat({ max: 900_000 }) }) },
);

/** What the table must show, from the rows alone. */
function fromScratch(rows: readonly PodRow[], params: TableParams) {
  const shownRows = sortRows(filterRows(rows, params.filter), params.sort);
  const perStatus = new Map<string, number>();
  for (const row of shownRows)
    perStatus.set(row.summary.status, (perStatus.get(row.summary.status) ?? 0) + 1);
  const looping = shownRows.filter((row) => row.crashLoop).length;
  const widest = (cell: (row: PodRow) => number) => Math.max(0, ...shownRows.map(cell));
  const measured: Partial<Record<ColumnId, number>> = {
    context: widest((r) => r.context.length),
    namespace: widest((r) => r.namespace.length),
    name: widest((r) => r.name.length),
    status: widest((r) => r.summary.status.length),
    cause: widest((r) => r.causeId?.length ?? 0),
    restarts: widest((r) => (r.summary.restarts === 0 ? 1 : String(r.summary.restarts).length + 12)),
    // `resets in 9m59s`, `restarting...`, nothing.
    next: widest(
      (r) => ({ 'running-after-crash': 15, waiting: 13, 'pending-restart': 13, none: 0 })[r.backoff.kind],
    ),
  };
  return {
    shownRows,
    lines: tableLines(shownRows, params),
    counts: [
      ...(looping > 0 ? [['crash-looping', looping]] : []),
      ...[...perStatus].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)),
    ],
    measured,
    namespaces: [...new Set(rows.map((row) => row.namespace))].sort(),
    total: rows.length,
    crashLoops: new Set(rows.filter((row) => row.crashLoop).map((row) => row.key)),
  };
}

/** A snapshot of these pods (a new LayeredMap each time: the row builder then looks at every pod). */
function inputOf(pods: readonly Pod[]) {
  return {
    version: 1,
    pods: LayeredMap.of(
      new Map(
        pods.map((pod) => [
          `${CONTEXT}/${pod.metadata.namespace}/${pod.metadata.name}`,
          { context: CONTEXT, pod },
        ]),
      ),
    ),
    watches: [],
    clockOffsetMs: new Map(),
    events: new Map(),
  };
}

describe('PodTableState', () => {
  it('keeps the whole table when a longer filter still shows every row (the first keys of a name)', () => {
    const builder = createRowBuilder();
    const pods = Array.from({ length: 10 }, (_, slot) =>
      makePod(
        {
          slot,
          namespace: 'shop',
          deployment: true,
          replicaSet: '7d9f8c6b5',
          created: undefined,
          template: slot % TEMPLATES.length,
        },
        1,
      ),
    );
    const input = {
      version: 1,
      pods: LayeredMap.of(
        new Map(pods.map((pod) => [`${CONTEXT}/shop/${pod.metadata.name}`, { context: CONTEXT, pod }])),
      ),
      watches: [],
      clockOffsetMs: new Map(),
      events: new Map(),
    };
    const clock: RowClock = { localNowMs: NOW_MS, offsetMs: () => 0 };
    const state = new PodTableState();
    const params = (text: string): TableParams => ({
      filter: { text, unhealthyOnly: false },
      sort: NAMED_SORTS[0]!,
      byOwner: false,
    });
    const before = state.update(builder.rows, builder.update(input, clock), params('p'));
    expect(before.shownRows).toHaveLength(pods.length);
    const after = state.update(builder.rows, builder.update(input, clock), params('payments-'));
    expect(after).toBe(before);
    const fewer = state.update(
      builder.rows,
      builder.update(input, clock),
      params('payments-api-7d9f8c6b5-x1'),
    );
    expect(fewer.shownRows.map((row) => row.name)).toEqual(['payments-api-7d9f8c6b5-x1']);
    expect(fewer.lines).toHaveLength(1);
  });

  it('keeps the set of crash loops while the rows built again stay in a crash loop', () => {
    const builder = createRowBuilder();
    const clock: RowClock = { localNowMs: NOW_MS, offsetMs: () => 0 };
    const spec = (template: number): PodSpec => ({
      slot: template,
      namespace: 'shop',
      deployment: false,
      replicaSet: '7d9f8c6b5',
      created: undefined,
      template,
    });
    const looping = TEMPLATES.map((_, i) => i).filter(
      (i) => builder.update(inputOf([makePod(spec(i), 1)]), clock).added[0]?.crashLoop,
    );
    const healthy = TEMPLATES.findIndex(
      (_, i) => builder.update(inputOf([makePod(spec(i), 1)]), clock).added[0]?.unhealthy === false,
    );
    expect(looping.length).toBeGreaterThan(1);
    const [first, second] = looping as [number, number];
    const rows = createRowBuilder();
    const state = new PodTableState();
    const params: TableParams = { filter: { unhealthyOnly: false }, sort: NAMED_SORTS[0]!, byOwner: false };
    const podsAt = (version: number) => [makePod(spec(first), version), makePod(spec(second), 1)];
    const before = state.update(rows.rows, rows.update(inputOf(podsAt(1)), clock), params).crashLoops;
    expect(before.size).toBe(2);
    // The first pod changes (a new object, as the watch gives it) and still crash-loops: the same set.
    const after = state.update(rows.rows, rows.update(inputOf(podsAt(2)), clock), params);
    expect(after.shownRows.find((row) => row.name.endsWith(`-${first}`))?.uid).toBe(
      makePod(spec(first), 2).metadata.uid,
    );
    expect(after.crashLoops).toBe(before);
    // It runs healthy now: a new set without it.
    const recovered = { ...makePod(spec(healthy), 3), metadata: makePod(spec(first), 3).metadata };
    const ended = state.update(
      rows.rows,
      rows.update(inputOf([recovered, makePod(spec(second), 1)]), clock),
      params,
    ).crashLoops;
    expect(ended).not.toBe(before);
    expect([...ended]).toEqual([...before].filter((key) => !key.endsWith(`-${first}`)));
  });

  it('keeps the same table change by change as built from scratch', () => {
    fc.assert(
      fc.property(fc.array(step, { minLength: 1, maxLength: 40 }), (steps) => {
        const live = new Map<string, { context: string; pod: Pod }>();
        let pods = LayeredMap.of(live);
        let params: TableParams = { filter: { unhealthyOnly: false }, sort: NAMED_SORTS[0]!, byOwner: false };
        let localNowMs = NOW_MS;
        let version = 0;
        const builder = createRowBuilder();
        const state = new PodTableState();
        for (const s of steps) {
          let changed: string[] | undefined = [];
          if (s.kind === 'put') {
            const pod = makePod(s.spec, version++);
            const key = `${CONTEXT}/${pod.metadata.namespace}/${pod.metadata.name}`;
            live.set(key, { context: CONTEXT, pod });
            if (s.unseen) pods = pods.next(live, [key]);
            else changed.push(key);
          } else if (s.kind === 'delete' && live.size > 0) {
            const key = [...live.keys()][s.at % live.size]!;
            live.delete(key);
            changed.push(key);
          } else if (s.kind === 'burst') {
            for (const at of s.deletes) {
              const key = [...live.keys()][at % Math.max(1, live.size)];
              if (key !== undefined && live.delete(key)) changed.push(key);
            }
            for (const spec of s.specs) {
              const pod = makePod(spec, version++);
              const key = `${CONTEXT}/${pod.metadata.namespace}/${pod.metadata.name}`;
              live.set(key, { context: CONTEXT, pod });
              changed.push(key);
            }
          } else if (s.kind === 'relist') changed = undefined;
          else if (s.kind === 'filter') params = { ...params, filter: s.filter };
          else if (s.kind === 'sort') params = { ...params, sort: s.sort };
          else if (s.kind === 'group') params = { ...params, byOwner: !params.byOwner };
          else if (s.kind === 'later') localNowMs += s.ms;
          pods = pods.next(live, changed);
          const clock: RowClock = { localNowMs, offsetMs: () => 0 };
          const input = { pods };
          const content = state.update(builder.rows, builder.update(input, clock), params);
          const expected = fromScratch(createRowBuilder()(input, clock), params);
          expect(content.shownRows).toEqual(expected.shownRows);
          expect(content.lines).toEqual(expected.lines);
          expect(content.counts).toEqual(expected.counts);
          expect(content.measured).toEqual(expected.measured);
          expect(content.namespaces).toEqual(expected.namespaces);
          expect(content.total).toBe(expected.total);
          expect(content.crashLoops).toEqual(expected.crashLoops);
          // A clock tick with no change looks at no row and gives the same content back.
          const untouched = () => {
            throw new Error('a tick without changes asked for every row');
          };
          expect(state.update(untouched, builder.update(input, clock), params)).toBe(content);
        }
      }),
      { numRuns: 200 },
    );
  }, 60_000);
});
