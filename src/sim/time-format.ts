// Kubernetes serialises metav1.Time as RFC 3339 with whole seconds, and log timestamps as RFC3339Nano.

let lastSecond = Number.NaN;
let lastText = '';

export function rfc3339(ms: number): string {
  const second = Math.floor(ms / 1000);
  // Status updates format the same few instants over and over; remember the last one.
  if (second !== lastSecond) {
    lastSecond = second;
    lastText = new Date(second * 1000).toISOString().replace('.000Z', 'Z');
  }
  return lastText;
}

export function rfc3339Nano(ms: number): string {
  const iso = new Date(ms).toISOString();
  return `${iso.slice(0, 19)}.${iso.slice(20, 23)}000000Z`;
}
