export { diagnose, diagnoseCause } from './classify.js';
export type { Cause, CauseId, Confidence, DiagnosisInput } from './types.js';
