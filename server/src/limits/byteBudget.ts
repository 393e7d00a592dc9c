/**
 * A server-wide budget of bytes held at once (e.g. files read into memory for exports): callers
 * take what they need and give it back; those that do not fit wait, first come first served. One
 * caller never waits for more than the whole budget. Must not touch: what the bytes are.
 */
export class ByteBudget {
  private available: number
  private readonly waiting: Array<{ bytes: number; grant: () => void }> = []

  constructor(readonly capacityBytes: number) {
    this.available = capacityBytes
  }

  /** Resolves with a release function once `bytes` (capped at the capacity) are free. */
  async take(bytes: number): Promise<() => void> {
    const wanted = Math.min(Math.max(0, bytes), this.capacityBytes)
    if (this.waiting.length === 0 && wanted <= this.available) this.available -= wanted
    else await new Promise<void>((grant) => this.waiting.push({ bytes: wanted, grant }))
    let released = false
    return () => {
      if (released) return
      released = true
      this.available += wanted
      this.grantWaiting()
    }
  }

  private grantWaiting(): void {
    while (this.waiting.length > 0 && this.waiting[0]!.bytes <= this.available) {
      const next = this.waiting.shift()!
      this.available -= next.bytes
      next.grant()
    }
  }
}
