// Use-case: import which local authorities each Maths Hub serves, from a CSV with columns
// hub_name and la_code (optionally la_name, contact_email, contact_phone, website, lead_school_urn).
// The file is the whole area map: after it, each listed LA is served by its hub and no other LA is.
import type { Db } from '../../db/database.ts'
import type { Clock } from '../../lib/clock.ts'
import { readCsv } from '../../lib/csv-file.ts'
import { isEmailAddress } from '../../lib/email-address.ts'
import { slugify } from '../../lib/text.ts'
import { finishImportRun, startImportRun, type Problem } from '../imports/import-runs.repository.ts'
import { recordingFailures, type ImportResult } from '../imports/run-import.ts'
import { counted } from '../../lib/plural.ts'

export const REQUIRED_HUB_COLUMNS = ['hub_name', 'la_code'] as const

interface HubContact {
  contact_email?: string
  contact_phone?: string
  website?: string
  lead_school_urn?: number
}

export async function importHubs(
  db: Db,
  clock: Clock,
  input: { fileName: string; bytes: Uint8Array },
): Promise<ImportResult> {
  const run = { kind: 'hubs', fileName: input.fileName, mode: 'full' } as const
  return recordingFailures(db, clock, run, async (startedAt) => {
    const table = readCsv(input.bytes, REQUIRED_HUB_COLUMNS, input.fileName)
    const problems: Problem[] = table.malformed.map((m) => ({
      line: m.line,
      message: `Line ${m.line} ${m.message}`,
    }))
    const hubs = new Map<string, HubContact>()
    const areas = new Map<string, { hubName: string; laName: string | null; line: number }>()
    for (const { line, values } of table.rows) {
      const hubName = (values['hub_name'] ?? '').replace(/\s+/g, ' ')
      const laCode = values['la_code'] ?? ''
      const rowProblems: Problem[] = []
      if (hubName === '' || hubName.length > 200) {
        rowProblems.push({
          line,
          field: 'hub_name',
          message: 'hub_name must be the hub’s name, up to 200 characters',
        })
      }
      if (!/^\d{3}$/.test(laCode)) {
        rowProblems.push({
          line,
          field: 'la_code',
          message: `la_code must be a three-digit GIAS LA code, not "${laCode}"`,
        })
      }
      const earlier = areas.get(laCode)
      if (earlier && earlier.hubName !== hubName) {
        rowProblems.push({
          line,
          field: 'la_code',
          message: `LA ${laCode} is already given to ${earlier.hubName} on line ${earlier.line}; an LA has one hub`,
        })
      }
      const contact: HubContact = {}
      const email = values['contact_email']
      if (email) {
        if (isEmailAddress(email)) contact.contact_email = email
        else
          rowProblems.push({
            line,
            field: 'contact_email',
            message: `contact_email "${email}" is not an email address`,
          })
      }
      if (values['contact_phone']) contact.contact_phone = values['contact_phone']
      const website = values['website']
      if (website) {
        if (/^https?:\/\/\S+$/.test(website)) contact.website = website
        else
          rowProblems.push({
            line,
            field: 'website',
            message: `website must start with https://, not "${website}"`,
          })
      }
      const leadUrn = values['lead_school_urn']
      if (leadUrn) {
        if (/^\d{6,7}$/.test(leadUrn)) contact.lead_school_urn = Number(leadUrn)
        else
          rowProblems.push({
            line,
            field: 'lead_school_urn',
            message: `lead_school_urn must be a URN, not "${leadUrn}"`,
          })
      }
      if (rowProblems.length > 0) {
        problems.push(...rowProblems)
        continue
      }
      hubs.set(hubName, { ...hubs.get(hubName), ...contact })
      areas.set(laCode, { hubName, laName: values['la_name'] || null, line })
    }
    const rowsRead = table.rows.length + table.malformed.length
    const accepted = [...areas.values()].length

    return db.transaction().execute(async (tx) => {
      const runId = await startImportRun(tx, {
        kind: 'hubs',
        fileName: input.fileName,
        mode: 'full',
        encoding: table.encoding,
        startedAt,
      })
      const existing = await tx.selectFrom('hubs').select(['id', 'name']).execute()
      const idByName = new Map(existing.map((h) => [h.name, h.id]))
      const takenIds = new Set(existing.map((h) => h.id))
      let hubsCreated = 0
      for (const [name, contact] of hubs) {
        let id = idByName.get(name)
        if (!id) {
          const base = slugify(name) || 'hub'
          id = base
          for (let n = 2; takenIds.has(id); n++) id = `${base}-${n}`
          takenIds.add(id)
          idByName.set(name, id)
          await tx
            .insertInto('hubs')
            .values({ id, name, ...contact })
            .execute()
          hubsCreated++
        } else if (Object.keys(contact).length > 0) {
          await tx
            .updateTable('hubs')
            .set({ ...contact, updated_at: new Date() })
            .where('id', '=', id)
            .execute()
        }
      }
      const before = await tx.selectFrom('hub_areas').select(['la_code', 'hub_id']).execute()
      const hubBefore = new Map(before.map((a) => [a.la_code, a.hub_id]))
      await tx.deleteFrom('hub_areas').execute()
      let inserted = 0
      let updated = 0
      let unchanged = 0
      const laNames = new Map(
        (
          await tx
            .selectFrom('schools')
            .select(['la_code', (eb) => eb.fn.max('la_name').as('la_name')])
            .groupBy('la_code')
            .execute()
        ).map((r) => [r.la_code, r.la_name]),
      )
      const values = [...areas.entries()].map(([laCode, area]) => {
        const hubId = idByName.get(area.hubName)!
        const previous = hubBefore.get(laCode)
        if (previous === undefined) inserted++
        else if (previous !== hubId) updated++
        else unchanged++
        return {
          la_code: laCode,
          la_name: area.laName ?? laNames.get(laCode) ?? null,
          hub_id: hubId,
          import_id: runId,
        }
      })
      if (values.length > 0) await tx.insertInto('hub_areas').values(values).execute()
      const removed = [...hubBefore.keys()].filter((laCode) => !areas.has(laCode)).length
      const counts = {
        rowsRead,
        inserted,
        updated,
        unchanged,
        closed: removed,
        rejected: rowsRead - accepted,
      }
      const message =
        `${counted(hubs.size, 'hub')} (${hubsCreated} new) serving ${counted(areas.size, 'local authority', 'local authorities')}; ` +
        `${removed === 1 ? '1 local authority no longer has' : `${removed} local authorities no longer have`} a hub`
      problems.sort((a, b) => a.line - b.line)
      await finishImportRun(tx, runId, { ...counts, problems, finishedAt: clock.now(), message })
      return { runId, encoding: table.encoding, problems, message, ...counts }
    })
  })
}
