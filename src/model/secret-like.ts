// The one rule for what may carry a secret, wherever crashtop would print a value from a pod spec: a fix
// command leaves such a value for the user to fill in, describe masks it. Broad on purpose: hiding a
// harmless value costs a look at the manifest, showing a password on an on-call screen cannot be undone.

const SECRET_LIKE = /pass|secret|token|credential|auth|key/i;

/** Whether a name or value suggests a secret (DB_PASSWORD, -Dapi.key=…). */
export function looksSecret(text: string): boolean {
  return SECRET_LIKE.test(text);
}
