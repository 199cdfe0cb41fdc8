// Writes the bench results: a readable Markdown table and the same numbers as JSON.
import fs from 'node:fs'
import path from 'node:path'
import type { Figure, Measured } from './figures.ts'
import { round } from './stats.ts'

export interface Environment {
  node: string
  platform: string
  arch: string
  cpus: number
  cpu_model: string
  memory_gb: number
  engines: {
    pglite: { version: string; storage: string } | { skipped: string }
    postgres: { version: string } | { skipped: string }
  }
}

export interface BenchReport {
  generated_at: string
  duration_s: number
  quick: boolean
  environment: Environment
  figures: Figure[]
  notes: string[]
}

const nf = (digits: number) =>
  new Intl.NumberFormat('en-GB', { maximumFractionDigits: digits, minimumFractionDigits: digits })

function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return 'n/a'
  const abs = Math.abs(value)
  if (abs >= 1000) return nf(0).format(value)
  if (abs >= 100) return nf(0).format(value)
  if (abs >= 10) return nf(1).format(value)
  return nf(2).format(value)
}

function formatMeasured(m: Measured): string {
  const x = m.metrics
  if (x.requests_per_s !== undefined) {
    const parts = [
      `${formatNumber(x.requests_per_s)} req/s`,
      `p50 ${formatNumber(x.p50 ?? Number.NaN)} · p99 ${formatNumber(x.p99 ?? Number.NaN)} ${m.unit}`,
    ]
    if (x.non_2xx) parts.push(`${x.non_2xx} non-2xx`)
    if (x.lost !== undefined) parts.push(`lost ${x.lost} · duplicated ${x.duplicated ?? Number.NaN}`)
    return parts.join(' · ')
  }
  if (x.rows_per_s !== undefined)
    return `${formatNumber(x.rows_per_s)} rows/s (${formatNumber(x.seconds ?? Number.NaN)} s)`
  if (x.p50 !== undefined) {
    return `p50 ${formatNumber(x.p50)} · p95 ${formatNumber(x.p95 ?? Number.NaN)} · p99 ${formatNumber(x.p99 ?? Number.NaN)} ${m.unit}`
  }
  if (x.median !== undefined) return `${formatNumber(x.median)} ${m.unit} (median of ${runsOf(m)})`
  return Object.entries(x)
    .map(([k, v]) => `${k} ${formatNumber(v)}`)
    .join(' · ')
}

function runsOf(m: Measured): number {
  const runs = m.detail?.['runs_ms']
  return Array.isArray(runs) ? runs.length : 1
}

const ratioFormat = new Intl.NumberFormat('en-GB', { maximumSignificantDigits: 3 })
const ratio = (value: number | undefined) =>
  value === undefined || !Number.isFinite(value) ? 'n/a' : `${ratioFormat.format(value)}×`

function formatRatios(f: Figure): string {
  const r = f.ratios
  if (r.requests_per_s !== undefined) return `req/s ${ratio(r.requests_per_s)} · p99 ${ratio(r.p99)}`
  if (r.rows_per_s !== undefined) return ratio(r.rows_per_s)
  if (r.p50 !== undefined) return `p50 ${ratio(r.p50)} · p95 ${ratio(r.p95)} · p99 ${ratio(r.p99)}`
  if (r.median !== undefined) return ratio(r.median)
  return '–'
}

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ')

const ENGINE_NAMES: Record<Figure['engine'], string> = {
  pglite: 'PGlite',
  postgres: 'PostgreSQL',
  node: 'Node',
}

export function renderMarkdown(report: BenchReport): string {
  const env = report.environment
  const pglite =
    'skipped' in env.engines.pglite
      ? `skipped (${env.engines.pglite.skipped})`
      : `${env.engines.pglite.version}: ${env.engines.pglite.storage}`
  const postgres =
    'skipped' in env.engines.postgres
      ? `skipped (${env.engines.postgres.skipped})`
      : `${env.engines.postgres.version}: scratch databases created and dropped by the bench`
  const lines: string[] = []
  lines.push('# Mastery Hub benchmark')
  lines.push('')
  lines.push(`- Date: ${report.generated_at}`)
  lines.push(
    `- Node ${env.node} on ${env.platform}/${env.arch}, ${env.cpus} cores (${env.cpu_model}), ${env.memory_gb} GB memory`,
  )
  lines.push(`- PGlite ${pglite}`)
  lines.push(`- PostgreSQL ${postgres}`)
  lines.push(
    `- Whole bench: ${formatNumber(report.duration_s)} s${report.quick ? ' (quick mode: fewer runs and queries than a full run)' : ''}`,
  )
  lines.push('')
  lines.push(
    'Every figure is measured beside its baseline in the same run. Ratio = figure ÷ baseline: for rows/s and req/s, below 1 means slower than the baseline; for times, above 1 means slower.',
  )
  lines.push('')
  lines.push('| # | Figure | Engine | Result | Baseline (same run) | Ratio | What it shows |')
  lines.push('|---|---|---|---|---|---|---|')
  report.figures.forEach((f, i) => {
    const baseline = f.baselines[0]
    const baselineText = baseline ? `${formatMeasured(baseline)} — ${baseline.short}` : '–'
    lines.push(
      `| ${i + 1} | ${cell(f.title)} | ${ENGINE_NAMES[f.engine]} | ${cell(formatMeasured(f.result))} | ${cell(baselineText)} | ${cell(formatRatios(f))} | ${cell(f.explanation)} |`,
    )
  })
  lines.push('')
  lines.push('## How each figure was measured')
  lines.push('')
  report.figures.forEach((f, i) => {
    lines.push(`${i + 1}. **${f.title}** (${ENGINE_NAMES[f.engine]}): ${f.result.label}.`)
    f.baselines.forEach((b, j) => {
      lines.push(`   - ${j === 0 ? 'Baseline' : 'Also measured'}: ${b.label}: ${formatMeasured(b)}.`)
    })
    const byKind = f.result.detail?.['p50_by_kind'] as Record<string, number> | undefined
    const baseByKind = f.baselines[0]?.detail?.['p50_by_kind'] as Record<string, number> | undefined
    if (byKind) {
      const parts = Object.entries(byKind).map(([kind, ms]) => {
        const base = baseByKind?.[kind]
        return `${kind} ${formatNumber(ms)}${base !== undefined ? ` (baseline ${formatNumber(base)})` : ''}`
      })
      lines.push(`   - p50 by kind of query, ms: ${parts.join(', ')}.`)
    }
  })
  if (report.notes.length > 0) {
    lines.push('')
    lines.push('## Notes')
    lines.push('')
    for (const note of report.notes) lines.push(`- ${note}`)
  }
  lines.push('')
  return lines.join('\n')
}

/** Rounds every non-integer number to 4 significant digits, for a readable JSON file. */
function rounded(value: unknown): unknown {
  if (typeof value === 'number') return Number.isInteger(value) ? value : round(value, 4)
  if (Array.isArray(value)) return value.map(rounded)
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, rounded(v)]))
  return value
}

export function writeReport(dir: string, report: BenchReport): { markdown: string; files: string[] } {
  fs.mkdirSync(dir, { recursive: true })
  const markdown = renderMarkdown(report)
  const mdFile = path.join(dir, 'latest.md')
  const jsonFile = path.join(dir, 'latest.json')
  fs.writeFileSync(mdFile, markdown)
  fs.writeFileSync(jsonFile, `${JSON.stringify(rounded(report), null, 2)}\n`)
  return { markdown, files: [mdFile, jsonFile] }
}
