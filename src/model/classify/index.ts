export { diagnose, diagnoseCause } from './classify.js';
export { sameEventEvidence } from './event-evidence.js';
export type { Cause, CauseId, Confidence, DiagnosisInput } from './types.js';
