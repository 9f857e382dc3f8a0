import { wrapWords } from '../fit.js';
import { KEY_HELP } from '../keys.js';
import { type Glyphs, STALE_MARK, useTheme } from '../theme.js';
import { ScrollPage, type ViewLine } from './ScrollView.js';

/** Where a key's action starts: two spaces, the keys padded to 12, a space. */
const ACTION_COLUMN = 15;

/** Every key and what it does, then what the table's marks mean; nothing longer than `width` is cut. */
export function helpLines(glyphs: Pick<Glyphs, 'pending'>, width = Number.POSITIVE_INFINITY): ViewLine[] {
  const keyLines = (keys: string, action: string): ViewLine[] =>
    wrapWords(action, Math.max(20, width - ACTION_COLUMN)).map((part, i) => ({
      text: `${i === 0 ? `  ${keys.padEnd(12)} ` : ' '.repeat(ACTION_COLUMN)}${part}`,
    }));
  return [
    { text: 'crashtop keys', bold: true },
    ...KEY_HELP.flatMap(({ section, keys }) => [
      { text: '' },
      { text: section, bold: true },
      ...keys.flatMap((k) => keyLines(k.keys, k.action)),
    ]),
    { text: '' },
    ...[
      'NEXT RESTART: ~ marks an estimate (no kubelet message); "resets in" = a pod running between crashes: the time until the kubelet resets its back-off (10 minutes of running); it stays listed until then.',
      `CAUSE ${glyphs.pending}: the previous log is being read to tell the cause.`,
      `Grey rows (without colour: ${STALE_MARK} after the cursor): their cluster's watch is stale or forbidden.`,
    ].flatMap((note) => wrapWords(note, width, '  ').map((text) => ({ text }))),
  ];
}

/** `?`: every key, from the same table as the README; `?`, Esc or q closes it. */
export function HelpView(props: { height: number; width: number; isActive: boolean }) {
  const theme = useTheme();
  const lines = helpLines(theme.glyphs, props.width).map((line) => ({
    ...line,
    text: theme.ascii ? asciiKeys(line.text) : line.text,
  }));
  return (
    <ScrollPage
      lines={lines}
      footer={'help · j k PgUp PgDn scroll · ? or Esc closes'}
      height={props.height}
      width={props.width}
      isActive={props.isActive}
    />
  );
}

function asciiKeys(text: string): string {
  return text.replace('↑ ↓', 'Up Dn');
}
