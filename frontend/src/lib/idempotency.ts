// One Idempotency-Key per attempt. An attempt is a set of form values (PIN excluded, as the
// server excludes it from the compared body). The key is reused only while the outcome of the
// last try is unknown (network error, 5xx, 409 in progress): a retry then cannot move money twice.
// Any definite answer ends the attempt, so the next submit (even with the same values, e.g. after
// a top-up following insufficient_funds) gets a fresh key instead of a replayed decline.

export function newKey(): string {
  return crypto.randomUUID();
}

export class AttemptKeys {
  private key: string | null = null;
  private fingerprint: string | null = null;

  /** The key to send for these values. */
  keyFor(values: unknown): string {
    const fp = JSON.stringify(values);
    if (this.key === null || fp !== this.fingerprint) {
      this.key = newKey();
      this.fingerprint = fp;
    }
    return this.key;
  }

  /** Call after a try: keep the key only when it is unknown whether the server applied it. */
  settle(outcomeUnknown: boolean): void {
    if (!outcomeUnknown) {
      this.key = null;
      this.fingerprint = null;
    }
  }
}
