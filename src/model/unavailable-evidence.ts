import type { Cause } from './classify/index.js';

// A previous log that could not be read (the kubelet unreachable behind a 500, pods/log forbidden, a
// timeout) is not the same as a container with no previous log: the cause then rests on status and
// events alone, and the evidence must say why the log is missing rather than claim there is none. Events
// that could not be listed likewise: the cause rests on status and logs, and the evidence says so.

/** Container name → why its previous log could not be read (one line). */
export type UnavailableLogs = ReadonlyMap<string, string>;

/** What the classifier says when a container has no output at all. */
const NO_PREVIOUS_LOG = 'no previous log';

export function unavailableLogEvidence(reason: string): string {
  return `previous log unavailable: ${reason}`;
}

function noted(cause: Cause, reason: string): Cause {
  const evidence = cause.evidence.filter((line) => line !== NO_PREVIOUS_LOG);
  return { ...cause, evidence: [...evidence, unavailableLogEvidence(reason)] };
}

/** What the evidence says while a container's previous log is being read: the read may yet find one. */
export const READING_LOG_EVIDENCE = 'previous log: reading…';

/**
 * The diagnosis while `container`'s previous log is being read: the classifier, given no log, says "no previous
 * log", which only the server may say (README: the container has no previous run). Said as being read instead.
 */
export function noteReadingLog<D extends Diagnosis>(diagnosis: D, container: string | undefined): D {
  if (container === undefined) return diagnosis;
  return noteEach(diagnosis, (cause) =>
    cause.container === container && cause.evidence.includes(NO_PREVIOUS_LOG)
      ? {
          ...cause,
          evidence: cause.evidence.map((line) => (line === NO_PREVIOUS_LOG ? READING_LOG_EVIDENCE : line)),
        }
      : cause,
  );
}

interface Diagnosis {
  cause?: Cause;
  containers: Cause[];
}

/** The diagnosis with each cause whose container's log was unavailable saying so in its evidence. */
export function noteUnavailableLogs<D extends Diagnosis>(
  diagnosis: D,
  unavailable: UnavailableLogs | undefined,
): D {
  if (unavailable === undefined || unavailable.size === 0) return diagnosis;
  return noteEach(diagnosis, (cause) => {
    const reason = unavailable.get(cause.container);
    return reason === undefined ? cause : noted(cause, reason);
  });
}

export function unavailableEventsEvidence(reason: string): string {
  return `events unavailable: ${reason}`;
}

/** The diagnosis with every cause saying that the pod's events could not be listed, and why. */
export function noteUnavailableEvents<D extends Diagnosis>(diagnosis: D, reason: string | undefined): D {
  if (reason === undefined) return diagnosis;
  const evidence = unavailableEventsEvidence(reason);
  return noteEach(diagnosis, (cause) => ({ ...cause, evidence: [...cause.evidence, evidence] }));
}

/** Each cause noted, `cause` still one of `containers`. */
function noteEach<D extends Diagnosis>(diagnosis: D, note: (cause: Cause) => Cause): D {
  const containers = diagnosis.containers.map(note);
  const index = diagnosis.cause === undefined ? -1 : diagnosis.containers.indexOf(diagnosis.cause);
  const cause = index >= 0 ? containers[index] : diagnosis.cause && note(diagnosis.cause);
  return { ...diagnosis, containers, ...(cause ? { cause } : {}) };
}
