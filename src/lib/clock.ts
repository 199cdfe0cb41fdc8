// "Now" is injected everywhere so tests can travel in time.
export interface Clock {
  now(): Date
}

export const systemClock: Clock = { now: () => new Date() }

/** A clock for tests: starts at the given instant and moves only when told. */
export function fixedClock(
  start: Date | string,
): Clock & { set(to: Date | string): void; advance(ms: number): void } {
  let current = new Date(start)
  return {
    now: () => new Date(current),
    set: (to) => {
      current = new Date(to)
    },
    advance: (ms) => {
      current = new Date(current.getTime() + ms)
    },
  }
}

/** A clock that can be moved on (or back): the demo's, set from its "demo time" control. */
export interface SettableClock extends Clock {
  /** From now on, time runs on from this instant. */
  set(to: Date): void
  /** Back to the real time. */
  backToRealTime(): void
  /** True when the clock shows the real time. */
  isRealTime(): boolean
}

/**
 * The demo's clock: the real time moved by an offset, so demo time keeps running after a jump. Only
 * the demo makes one; `serve` always runs on the system clock.
 */
export function demoClock(real: Clock = systemClock): SettableClock {
  let offsetMs = 0
  return {
    now: () => new Date(real.now().getTime() + offsetMs),
    set: (to) => {
      offsetMs = to.getTime() - real.now().getTime()
    },
    backToRealTime: () => {
      offsetMs = 0
    },
    isRealTime: () => offsetMs === 0,
  }
}
