// A LIST answer's items taken out of its JSON bytes as they arrive, a chunk's worth at a time, so that they are
// parsed and slimmed while the rest of the page is still on its way, and neither the page's text (1.5 MB per 500
// pods) nor its parsed objects are ever held whole.
//
// How, cheaply. A JavaScript loop over every byte ran mostly before V8 had compiled it (the first pages are the
// first thing a start-up reads) and cost four times JSON.parse of the whole page. So bytes go through a scanner
// only until the `items` array opens: the kind, apiVersion and metadata, a few hundred bytes. From there, each
// chunk is searched (natively) for the last place where one item ends and the next begins as the first did:
// `},{"metadata":` when the first item began `{"metadata":`. JSON.parse then takes everything up to it as one
// array, and that is exact: a run of items parses only if it ends where an item ends (a proper prefix of a JSON
// object is never a JSON value), so a place found inside an item fails to parse, and the bytes wait for the next
// one. Whatever was not taken out (the last items, what follows the array, a body that is no list at all: a
// Status, an HTML error page) is parsed by `end` with what came before the array: JSON that is not valid fails
// there, whatever items came out of it first.
//
// A run that does not parse is either cut inside an item or broken bytes, and parsing the growing tail again at
// every later place cost the square of the body (a broken body is read up to 512 MiB). So after one such run the
// rest of the page goes through a scanner that finds where items really end, each byte once: a run cut there that
// does not parse means the body is no JSON, and `end` throws that run's error without the bytes after it.

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const COMMA = 0x2c;
const COLON = 0x3a;

/** How far into the first item its first key must have ended for items to be found by `between`. */
const OPENING_BYTES = 1024;

const isSpace = (byte: number | undefined) =>
  byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09;

/** What `end` makes of all the bytes. */
export interface ListEnd {
  /** The items `push` had not handed out yet. */
  items: unknown[];
  /** The whole answer parsed, with `items: []` when it is a list. */
  rest: unknown;
}

export class ListItemSplitter {
  // The scanner's state, before the items array opens.
  private depth = 0;
  private inString = false;
  private escaped = false;
  /** At depth 1 in an object the next string is a key (after `{` or `,`). */
  private expectKey = false;
  private keyPieces: Buffer[] | undefined;
  private key: string | undefined;
  /** After a top-level key's colon, before its value's first byte. */
  private awaitingValue = false;
  /** Up to and with the items array's `[`: copied, since a slice would keep its whole chunk alive. */
  private readonly head: Buffer[] = [];
  /** Past the `[`: the bytes from the first item not yet handed out. */
  private tail: Buffer[] | undefined;
  /**
   * `},` and the first item's opening up to its first key's colon: where one item ends and the next begins.
   * Undefined until the first item's first key is in; null for items that open otherwise (then `end` takes all).
   */
  private between: Buffer | null | undefined;
  /** Where items end, once a run cut by `between` did not parse. */
  private ends: ItemEnds | undefined;
  /** What JSON.parse said of a run cut where an item ends: the body is no JSON. */
  private fault: SyntaxError | undefined;

  /** The items that `chunk` completed, parsed, in order; often none. */
  push(chunk: Buffer): unknown[] {
    if (this.fault !== undefined) return [];
    if (this.tail === undefined) {
      const start = this.scanHead(chunk);
      if (start < 0) return [];
      chunk = chunk.subarray(start);
      this.tail = [];
    }
    const tail = this.tail;
    tail.push(chunk);
    if (this.ends !== undefined) return this.scanned(tail, this.ends, 1);
    if (this.between === undefined) this.between = betweenItems(tail);
    const at = this.between ? chunk.lastIndexOf(this.between) : -1;
    if (at < 0) return [];
    const run = Buffer.concat(tail.slice(0, -1).concat(chunk.subarray(0, at + 1)));
    let items: unknown;
    try {
      items = JSON.parse(`[${run.toString('utf8')}]`);
    } catch {
      // Cut inside an item (a nested object that began as the items do), or broken bytes.
      this.ends = new ItemEnds();
      return this.scanned(tail, this.ends, tail.length);
    }
    this.tail = [chunk.subarray(at + 2)];
    return items as unknown[];
  }

  /** The rest of the answer; throws (SyntaxError) when the bytes were not JSON. */
  end(): ListEnd {
    if (this.fault !== undefined) throw this.fault;
    const text = Buffer.concat(this.tail === undefined ? this.head : [...this.head, ...this.tail]);
    const rest: unknown = JSON.parse(text.toString('utf8'));
    if (this.tail === undefined) return { items: [], rest };
    const list = rest as { items: unknown[] };
    const items = list.items;
    list.items = [];
    return { items, rest };
  }

  /**
   * Scans the last `count` pieces of `tail` for where items end, and hands out the items up to the last such
   * place; a run that does not parse there is kept as the fault, and the bytes are let go.
   */
  private scanned(tail: Buffer[], ends: ItemEnds, count: number): unknown[] {
    let piece = -1;
    let comma = -1;
    for (let i = tail.length - count; i < tail.length; i++) {
      const at = ends.lastComma(tail[i]!);
      if (at >= 0) [piece, comma] = [i, at];
    }
    if (piece < 0) return [];
    const run = Buffer.concat([...tail.slice(0, piece), tail[piece]!.subarray(0, comma)]);
    try {
      const items = JSON.parse(`[${run.toString('utf8')}]`) as unknown[];
      this.tail = [tail[piece]!.subarray(comma + 1), ...tail.slice(piece + 1)];
      return items;
    } catch (error) {
      this.fault = error as SyntaxError;
      this.tail = [];
      return [];
    }
  }

  /** Scans `chunk` for the items array's `[`: the offset after it, or -1 (all of `chunk` is head). */
  private scanHead(chunk: Buffer): number {
    let keyFrom = -1;
    for (let i = 0; i < chunk.length; i++) {
      const byte = chunk[i];
      if (this.inString) {
        if (this.escaped) this.escaped = false;
        else if (byte === BACKSLASH) this.escaped = true;
        else if (byte === QUOTE) {
          this.inString = false;
          if (this.keyPieces !== undefined) {
            this.keyPieces.push(chunk.subarray(Math.max(keyFrom, 0), i + 1));
            this.key = decodeKey(this.keyPieces);
            this.keyPieces = undefined;
            keyFrom = -1;
          }
        }
        continue;
      }
      if (this.depth === 1 && this.awaitingValue && !isSpace(byte)) {
        this.awaitingValue = false;
        if (byte === OPEN_BRACKET && this.key === 'items') {
          this.head.push(Buffer.from(chunk.subarray(0, i + 1)));
          return i + 1;
        }
      }
      switch (byte) {
        case QUOTE:
          this.inString = true;
          if (this.depth === 1 && this.expectKey) {
            this.expectKey = false;
            this.keyPieces = [];
            keyFrom = i;
          }
          break;
        case OPEN_BRACE:
        case OPEN_BRACKET:
          this.depth++;
          if (this.depth === 1) this.expectKey = byte === OPEN_BRACE;
          break;
        case CLOSE_BRACE:
        case CLOSE_BRACKET:
          this.depth--;
          break;
        case COMMA:
          if (this.depth === 1) this.expectKey = true;
          break;
        case COLON:
          if (this.depth === 1) this.awaitingValue = true;
          break;
      }
    }
    this.keyPieces?.push(chunk.subarray(Math.max(keyFrom, 0)));
    this.head.push(Buffer.from(chunk));
    return -1;
  }
}

/**
 * `},{"KEY":` from the first item's opening `{"KEY":` at the start of `tail` (with no space: what API servers
 * write); undefined until enough of it is in, null for items that open otherwise or with a key longer than
 * OPENING_BYTES (no Kubernetes object's: its items are left to `end`).
 */
function betweenItems(tail: readonly Buffer[]): Buffer | null | undefined {
  const length = tail.reduce((sum, piece) => sum + piece.length, 0);
  const start = Buffer.concat(tail, Math.min(length, OPENING_BYTES));
  if (start.length >= 1 && start[0] !== OPEN_BRACE) return null;
  if (start.length >= 2 && start[1] !== QUOTE) return null;
  for (let i = 2; i + 1 < start.length; i++) {
    if (start[i] === BACKSLASH) return null;
    if (start[i] === QUOTE) {
      return start[i + 1] === COLON ? Buffer.concat([Buffer.from('},'), start.subarray(0, i + 2)]) : null;
    }
  }
  return length >= OPENING_BYTES ? null : undefined;
}

/**
 * Where items end in the bytes after an array's `[`, given in order from an item's start: each byte is looked at
 * once. In JSON this is exact, so a run of items cut here parses unless the bytes are broken.
 */
class ItemEnds {
  private depth = 0;
  private inString = false;
  private escaped = false;
  /** Past the array's `]`: what follows is for `end`. */
  private closed = false;

  /** The offset in `bytes` of the last comma between two items, or -1. */
  lastComma(bytes: Buffer): number {
    let last = -1;
    for (let i = 0; i < bytes.length && !this.closed; i++) {
      const byte = bytes[i];
      if (this.inString) {
        if (this.escaped) this.escaped = false;
        else if (byte === BACKSLASH) this.escaped = true;
        else if (byte === QUOTE) this.inString = false;
      } else if (byte === QUOTE) this.inString = true;
      else if (byte === OPEN_BRACE || byte === OPEN_BRACKET) this.depth++;
      else if (byte === CLOSE_BRACE || byte === CLOSE_BRACKET) {
        if (this.depth === 0) this.closed = true;
        else this.depth--;
      } else if (byte === COMMA && this.depth === 0) last = i;
    }
    return last;
  }
}

/** A key as JSON.parse reads it (escapes and all); undefined if it is not a string's JSON. */
function decodeKey(pieces: readonly Buffer[]): string | undefined {
  try {
    const key: unknown = JSON.parse(Buffer.concat(pieces).toString('utf8'));
    return typeof key === 'string' ? key : undefined;
  } catch {
    return undefined;
  }
}
