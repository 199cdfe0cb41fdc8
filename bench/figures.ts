// The shape of what the bench measures, shared by the benches and the report.

export type Section = 'import' | 'search' | 'http' | 'cold-start' | 'allocation'

/** One measurement: named numbers in one unit (e.g. {p50, p95, p99} in ms, or {rows_per_s, seconds}). */
export interface Measured {
  /** A few words for the table. */
  short: string
  /** The full description of what was timed. */
  label: string
  unit: string
  metrics: Record<string, number>
  /** Extra facts for the JSON only (sample counts, raw samples, row counts). */
  detail?: Record<string, unknown>
}

export interface Figure {
  id: string
  section: Section
  title: string
  engine: 'pglite' | 'postgres' | 'node'
  result: Measured
  /** The first baseline is the one the ratios are against; any others are shown for context. */
  baselines: Measured[]
  /** result ÷ first baseline, for each metric both have. */
  ratios: Record<string, number>
  explanation: string
}

export function figure(input: Omit<Figure, 'ratios'>): Figure {
  const ratios: Record<string, number> = {}
  const baseline = input.baselines[0]
  if (baseline) {
    for (const [key, value] of Object.entries(input.result.metrics)) {
      const base = baseline.metrics[key]
      if (base !== undefined && base !== 0 && Number.isFinite(base) && Number.isFinite(value))
        ratios[key] = value / base
    }
  }
  return { ...input, ratios }
}

export function progress(message: string): void {
  const stamp = new Date().toISOString().slice(11, 19)
  process.stderr.write(`[bench ${stamp}] ${message}\n`)
}
