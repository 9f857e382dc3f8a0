// A LIST answer's items split out of its JSON bytes as they arrive, one item's text at a time, so that each can be
// parsed and slimmed while the rest of the page is still on its way, and neither the page's text (1.5 MB per 500
// pods) nor its parsed objects are ever held whole. A byte scanner tracks only what it must: inside a string or
// not (and escapes), the nesting depth, and the top-level object's keys, to find the `items` array wherever it
// stands. UTF-8 needs no care here: every byte of a multi-byte sequence is ≥ 0x80, so none is taken for a quote,
// bracket or comma, and an item's bytes are decoded only once they are all in.
//
// What is not an item (kind, apiVersion, metadata, and the whole of a body that is no list: a Status, an HTML
// error page) is kept and handed back by `end` with `"items":[]` in place of the array, to be parsed as before:
// JSON that is not valid still fails there, whatever items came out of it first.

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const COMMA = 0x2c;
const COLON = 0x3a;

const isSpace = (byte: number | undefined) =>
  byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09;

function blank(pieces: readonly Buffer[]): boolean {
  for (const piece of pieces) for (const byte of piece) if (!isSpace(byte)) return false;
  return true;
}

/** Thrown for bytes that cannot be a list's JSON wherever the rest of them goes. */
export class ListSyntaxError extends Error {
  override name = 'ListSyntaxError';
}

export class ListItemSplitter {
  private depth = 0;
  private inString = false;
  private escaped = false;
  /** The top-level value is an object: its keys are tracked. */
  private topObject = false;
  /** At depth 1 the next string is a key (after `{` or `,`). */
  private expectKey = false;
  /** The bytes of the top-level key being read, when one is. */
  private keyPieces: Buffer[] | undefined;
  private key: string | undefined;
  /** After a top-level key's colon, before its value's first byte. */
  private awaitingValue = false;
  private inItems = false;
  private sawItems = false;
  private element: Buffer[] = [];
  private elements = 0;
  private readonly rest: Buffer[] = [];

  /** The JSON text of each item completed by `chunk`, in order. */
  push(chunk: Buffer): string[] {
    const items: string[] = [];
    /** Where the bytes not yet kept (as rest or as part of an item) start. */
    let from = 0;
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
          // JSON.parse keeps the last of two `items`; items already handed over cannot be taken back.
          if (this.sawItems) throw new ListSyntaxError('a list with two items arrays');
          this.sawItems = true;
          this.keep(chunk.subarray(from, i + 1));
          from = i + 1;
          this.inItems = true;
          this.depth = 2;
          continue;
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
          if (this.depth === 1) {
            this.topObject = byte === OPEN_BRACE;
            this.expectKey = this.topObject;
          }
          break;
        case CLOSE_BRACE:
        case CLOSE_BRACKET:
          if (this.inItems && this.depth === 2) {
            this.endElement(chunk.subarray(from, i), false, items);
            this.inItems = false;
            from = i;
          }
          this.depth--;
          break;
        case COMMA:
          if (this.inItems && this.depth === 2) {
            this.endElement(chunk.subarray(from, i), true, items);
            from = i + 1;
          } else if (this.depth === 1 && this.topObject) this.expectKey = true;
          break;
        case COLON:
          if (this.depth === 1 && this.topObject) this.awaitingValue = true;
          break;
      }
    }
    this.keyPieces?.push(chunk.subarray(Math.max(keyFrom, 0)));
    if (this.inItems) {
      if (from < chunk.length) this.element.push(chunk.subarray(from));
    } else this.keep(chunk.subarray(from));
    return items;
  }

  /** The JSON text of all that was not an item, the items array left empty. */
  end(): string {
    return Buffer.concat(this.rest).toString('utf8');
  }

  /** Copied: a slice would keep the whole chunk it came from alive. */
  private keep(bytes: Buffer): void {
    if (bytes.length > 0) this.rest.push(Buffer.from(bytes));
  }

  private endElement(last: Buffer, byComma: boolean, items: string[]): void {
    const pieces = this.element;
    pieces.push(last);
    this.element = [];
    if (blank(pieces)) {
      // `[]` holds no item; `[,` and `,]` are not JSON.
      if (byComma || this.elements > 0) throw new ListSyntaxError('an empty element in the items array');
      return;
    }
    this.elements++;
    items.push(pieces.length === 1 ? pieces[0]!.toString('utf8') : Buffer.concat(pieces).toString('utf8'));
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
