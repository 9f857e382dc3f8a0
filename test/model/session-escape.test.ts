import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SessionEscape } from '../../src/model/session-escape.js';

const scan = (...chunks: string[]) => {
  const keys = new SessionEscape();
  let forward = '';
  let disconnect = false;
  for (const chunk of chunks) {
    const result = keys.push(Buffer.from(chunk, 'latin1'));
    forward += result.forward.toString('latin1');
    disconnect = result.disconnect;
  }
  return { forward, disconnect };
};

describe('SessionEscape', () => {
  it.each([
    ['first thing', ['~.'], '', true],
    ['after Enter', ['ls\r~.'], 'ls\r', true],
    ['after a newline', ['ls\n~.'], 'ls\n', true],
    ['split across chunks', ['ls\r~', '.'], 'ls\r', true],
    ['nothing after it is sent', ['~.exit\r'], '', true],
    ['mid-line: sent as typed', ['cd ~.'], 'cd ~.', false],
    ['~~ at line start sends one ~', ['~~.'], '~.', false],
    ['~ then another key: both sent', ['~/bin\r'], '~/bin\r', false],
    ['~ then Enter, then ~.', ['~\r~.'], '~\r', true],
    ['a held ~ waits for the next key', ['\r~'], '\r', false],
    ['Ctrl-C and Ctrl-D pass', ['\x03\x04'], '\x03\x04', false],
  ])('%s', (_name, chunks, forward, disconnect) => {
    expect(scan(...chunks)).toEqual({ forward, disconnect });
  });

  it('passes any input without ~ unchanged', () => {
    fc.assert(
      fc.property(
        fc.uint8Array().map((bytes) => Buffer.from(bytes.filter((b) => b !== 0x7e))),
        (bytes) => {
          const result = new SessionEscape().push(bytes);
          expect(result).toEqual({ forward: bytes, disconnect: false });
        },
      ),
    );
  });

  it('reads the same however the input is split into chunks', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom('~', '.', '\r', '\n', 'a', '/')).map((keys) => keys.join('')),
        fc.array(fc.nat(), { maxLength: 5 }),
        (input, cuts) => {
          const points = [...new Set(cuts.map((c) => c % (input.length + 1)))].sort((a, b) => a - b);
          const chunks = [0, ...points].map((start, i) => input.slice(start, [...points, input.length][i]));
          expect(scan(...chunks)).toEqual(scan(input));
        },
      ),
    );
  });
});
