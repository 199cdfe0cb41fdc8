// How long is left before an instant, the way people say it: "23 days", "5 hours and 12 minutes",
// "less than a minute". Whole units, rounded down, so the page never promises more time than there is.

const MINUTE = 60_000
const HOUR = 60 * MINUTE
const DAY = 24 * HOUR

function unit(n: number, name: string): string {
  return `${n} ${name}${n === 1 ? '' : 's'}`
}

/** The time from `now` until `until`; undefined once it has passed. */
export function timeLeft(until: Date, now: Date): string | undefined {
  const ms = until.getTime() - now.getTime()
  if (!(ms > 0)) return undefined
  if (ms < MINUTE) return 'less than a minute'
  if (ms >= 2 * DAY) return unit(Math.floor(ms / DAY), 'day')
  if (ms >= DAY) {
    const hours = Math.floor((ms - DAY) / HOUR)
    return hours > 0 ? `1 day and ${unit(hours, 'hour')}` : '1 day'
  }
  const hours = Math.floor(ms / HOUR)
  const minutes = Math.floor((ms % HOUR) / MINUTE)
  if (hours === 0) return unit(minutes, 'minute')
  return minutes > 0 ? `${unit(hours, 'hour')} and ${unit(minutes, 'minute')}` : unit(hours, 'hour')
}
