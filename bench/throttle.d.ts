// Types of bench/throttle.js for the tests that import it (the bench itself is plain JavaScript run by node).
export interface Link {
  bitsPerSecond: number;
  rttMs: number;
}
export declare function parseLink(text: string | undefined): Link | undefined;
export declare const describeLink: (link: Link) => string;
export interface Throttle {
  port: number;
  bytes(): { up: number; down: number };
  close(): Promise<void>;
}
export declare function startThrottle(
  options: Link & { targetPort: number; port?: number },
): Promise<Throttle>;
