// Types of bench/soak.js for the tests that import it (the bench itself is plain JavaScript run by node).
export interface SoakSample {
  s: number;
  rssMb: number;
  cpuMs: number;
}
export interface SoakSummary {
  firstMb: number | null;
  peakMb: number;
  lastMb: number | null;
  slopeMbPerMin: number | null;
  slopeFromS: number | null;
  underTarget: boolean;
  steady: boolean;
  restCpuMsPerSecond: number | null;
}
export declare const targetMb: (pods: number) => number;
export declare function slope(points: { x: number; y: number }[]): number | null;
export declare function summarise(
  samples: SoakSample[],
  listedS: number,
  minutes: number,
  pods?: number,
): SoakSummary;
