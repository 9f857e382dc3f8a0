import { StringDecoder } from 'node:string_decoder';

// Splits a byte stream into lines. Chunks end anywhere (mid-line, mid-UTF-8 sequence), so the partial
// line is carried over; a line longer than the bound keeps its head and gets `…` so that a container
// writing megabytes without a newline cannot grow memory without limit.

export class LineSplitter {
  private readonly decoder = new StringDecoder('utf8');
  private pending: string[] = [];
  private pendingLength = 0;
  private overflowed = false;

  constructor(private readonly maxLineLength: number) {}

  push(chunk: Buffer | string): string[] {
    const text = typeof chunk === 'string' ? chunk : this.decoder.write(chunk);
    const lines: string[] = [];
    let start = 0;
    for (let newline = text.indexOf('\n'); newline !== -1; newline = text.indexOf('\n', start)) {
      this.append(text.slice(start, newline));
      lines.push(this.take());
      start = newline + 1;
    }
    this.append(text.slice(start));
    return lines;
  }

  /** The last line when the stream did not end with a newline. */
  end(): string[] {
    this.append(this.decoder.end());
    return this.pendingLength > 0 || this.overflowed ? [this.take()] : [];
  }

  private append(piece: string): void {
    if (this.overflowed || piece === '') return;
    const room = this.maxLineLength - this.pendingLength;
    if (piece.length > room) {
      this.pending.push(piece.slice(0, room));
      this.pendingLength = this.maxLineLength;
      this.overflowed = true;
      return;
    }
    this.pending.push(piece);
    this.pendingLength += piece.length;
  }

  private take(): string {
    let line = this.pending.join('');
    if (this.overflowed) line += '…';
    else if (line.endsWith('\r')) line = line.slice(0, -1);
    this.pending = [];
    this.pendingLength = 0;
    this.overflowed = false;
    return line;
  }
}
