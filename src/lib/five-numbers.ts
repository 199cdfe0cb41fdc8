// The five-number summary of a list of values: lowest, lower quartile, median, upper quartile,
// highest. Quartiles interpolate linearly between the nearest values (the method of Excel's
// QUARTILE.INC and R's default), so NCETM's figures match the spreadsheets hubs keep.

export interface FiveNumbers {
  min: number
  q1: number
  median: number
  q3: number
  max: number
}

/** The value a fraction p (0 to 1) of the way through the sorted values. */
function quantile(sorted: readonly number[], p: number): number {
  const position = (sorted.length - 1) * p
  const below = Math.floor(position)
  const above = Math.ceil(position)
  const low = sorted[below]!
  return low + (sorted[above]! - low) * (position - below)
}

/** Undefined for no values. */
export function fiveNumbers(values: readonly number[]): FiveNumbers | undefined {
  if (values.length === 0) return undefined
  const sorted = [...values].sort((a, b) => a - b)
  return {
    min: sorted[0]!,
    q1: quantile(sorted, 0.25),
    median: quantile(sorted, 0.5),
    q3: quantile(sorted, 0.75),
    max: sorted[sorted.length - 1]!,
  }
}
