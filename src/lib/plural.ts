// Counts written the way people write them: "1 application", "2 applications", "1,200 schools".
const numberFormat = new Intl.NumberFormat('en-GB')

/** The count and the noun, singular for exactly 1; `many` defaults to the noun with an "s". */
export function counted(count: number, one: string, many = `${one}s`): string {
  return `${numberFormat.format(count)} ${count === 1 ? one : many}`
}
