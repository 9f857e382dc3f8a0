export { diagnose } from './classify.js';
export type { Cause, CauseId, Confidence, DiagnosisInput } from './types.js';
