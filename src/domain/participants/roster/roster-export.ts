// The roster as a CSV or XLSX download, through the shared table writer: one row a specialist,
// with each flag's explanation. Access is the roster's own; each download is audited with its
// counts only.
import type { UseCaseContext } from '../../use-case.ts'
import { inTransaction } from '../../use-case.ts'
import { tableToCsv, tableToXlsx, type Table } from '../../../lib/table-file.ts'
import { RISK_FLAGS, RISK_FLAG_NAMES, viewRoster, type RosterRequest } from './roster.ts'

export type RosterFormat = 'csv' | 'xlsx'

const CONTENT_TYPES: Record<RosterFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
}

export async function exportRoster(
  context: UseCaseContext,
  request: RosterRequest,
  format: RosterFormat,
): Promise<{ fileName: string; contentType: string; body: Buffer }> {
  const rows = await viewRoster(context, request)
  const table: Table = {
    sheetName: 'Specialists',
    columns: [
      { header: 'Name', kind: 'text' },
      { header: 'Email', kind: 'text' },
      { header: 'Maths Hub', kind: 'text' },
      { header: 'Stage', kind: 'text' },
      { header: 'Release days used', kind: 'text' },
      { header: 'Release days funded', kind: 'text' },
      { header: 'Last activity', kind: 'text' },
      ...RISK_FLAGS.map((flag) => ({ header: RISK_FLAG_NAMES[flag], kind: 'text' as const })),
    ],
    rows: rows.map((r) => [
      r.name,
      r.email,
      r.hubName,
      r.stageName,
      r.usedDays,
      r.fundedDays,
      r.lastActivity,
      ...RISK_FLAGS.map(
        (flag) =>
          r.flags
            .filter((f) => f.flag === flag)
            .map((f) => f.explanation)
            .join('; ') || null,
      ),
    ]),
  }
  const now = context.clock.now()
  const body = format === 'csv' ? tableToCsv(table) : await tableToXlsx(table, now)
  await inTransaction(context, ({ audit }) =>
    audit({
      action: 'roster.export',
      recordType: 'cohort',
      recordId: request.cohortId,
      after: { format, hubId: request.hubId ?? null, flag: request.flag ?? null, rows: rows.length },
    }),
  )
  return {
    fileName: `${request.hubId ?? 'all-hubs'}-${request.cohortId}-specialists.${format}`,
    contentType: CONTENT_TYPES[format],
    body,
  }
}
