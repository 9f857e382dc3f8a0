import { KEY_HELP } from '../keys.js';
import { useTheme } from '../theme.js';
import { ScrollPage, type ViewLine } from './ScrollView.js';

export function helpLines(): ViewLine[] {
  return [
    { text: 'crashtop keys', bold: true },
    ...KEY_HELP.flatMap(({ section, keys }) => [
      { text: '' },
      { text: section, bold: true },
      ...keys.map((k): ViewLine => ({ text: `  ${k.keys.padEnd(12)} ${k.action}` })),
    ]),
    { text: '' },
    {
      text: 'NEXT RESTART: ~ marks an estimate (no kubelet message); "resets in" = time until the backoff resets.',
    },
  ];
}

/** `?`: every key, from the same table as the README; `?`, Esc or q closes it. */
export function HelpView(props: { height: number; width: number; isActive: boolean }) {
  const theme = useTheme();
  const lines = helpLines().map((line) => ({
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
