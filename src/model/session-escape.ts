// ssh's way out of a session the remote side cannot swallow: `~.` typed at the start of a line (first thing,
// or after Enter) ends it from this side; `~~` there sends one `~`; a `~` followed by anything else is sent as
// typed. Everything else passes through untouched, so a shell, an editor or a pasted `~/path` works as before.

const TILDE = 0x7e;
const DOT = 0x2e;
const CR = 0x0d;
const LF = 0x0a;

export interface EscapeScan {
  /** The bytes for the remote side. */
  forward: Buffer;
  /** `~.` was typed: the session is to end; nothing after it is forwarded. */
  disconnect: boolean;
}

/** Scans keyboard input chunk by chunk; a `~` at the end of a chunk waits for the next one. */
export class SessionEscape {
  private atLineStart = true;
  private heldTilde = false;
  private ended = false;

  push(chunk: Uint8Array): EscapeScan {
    const out: number[] = [];
    for (const byte of chunk) {
      if (this.ended) break;
      if (this.heldTilde) {
        this.heldTilde = false;
        if (byte === DOT) {
          this.ended = true;
          break;
        }
        out.push(TILDE);
        if (byte === TILDE) {
          this.atLineStart = false;
          continue;
        }
      } else if (this.atLineStart && byte === TILDE) {
        this.heldTilde = true;
        continue;
      }
      out.push(byte);
      this.atLineStart = byte === CR || byte === LF;
    }
    return { forward: Buffer.from(out), disconnect: this.ended };
  }
}
