// Participation grants on the demo: a school's grant falls due once its group has held its planned
// sessions (or completes) and both its advocate places attended at least three quarters of them,
// in pence by the programme and year's rule and the school's year on the programme; recording is
// idempotent; the group's page shows the grants due, written the GOV.UK way.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createWorkGroup } from '../src/domain/work-groups/manage-work-groups.ts'
import { recordDueGrants } from '../src/domain/work-groups/grants/record-due-grants.ts'
import { createTestApp, type TestApp } from './app.ts'
import { contextOf } from './event-fixtures.ts'
import { request, signInPersonas, type Client, type PersonaName } from './personas.ts'
import { freshWorkGroup, WORK_GROUP_HUB, workGroupForm } from './work-group-fixtures.ts'
import { fillGroup, placeSchool } from './work-group-school-fixtures.ts'
import { attend, fillGroupWithNewSchools, holdSessions } from './work-group-journey-fixtures.ts'

let t: TestApp
let clients: Record<PersonaName, Client>
const HUB_LEAD = 'priya.shah@northvale.mathshub.example'

beforeAll(async () => {
  t = await createTestApp()
  clients = await signInPersonas(t)
})
afterAll(async () => {
  await t?.close()
})

const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ')

async function grantRows(workGroupId: number) {
  return t.database.db
    .selectFrom('work_group_grants_due')
    .select(['school_urn', 'amount_pence', 'participation_year', 'evidence'])
    .where('work_group_id', '=', workGroupId)
    .orderBy('school_urn')
    .execute()
}

describe('participation grants', () => {
  it('fall due only once the planned sessions are held, to schools meeting the rule, once each', async () => {
    const context = await contextOf(t, HUB_LEAD)
    const group = await freshWorkGroup(t, ['open-recruitment', 'start'])
    const [full, short, changed] = await fillGroupWithNewSchools(t, group, 3)
    const first = await holdSessions(t, group, 3)
    for (const s of [full!, short!, changed!]) for (const a of s.advocateIds) await attend(t, a, first, 3)
    // Half the planned six sessions held: nothing is judged yet.
    expect(await recordDueGrants(context, group)).toEqual([])
    const rest = await holdSessions(t, group, 3)
    await attend(t, full!.advocateIds[0], rest, 3)
    await attend(t, full!.advocateIds[1], rest, 2, 'left-early') // 5 of 6
    await attend(t, short!.advocateIds[0], rest, 3)
    await attend(t, short!.advocateIds[1], rest, 1) // 4 of 6: under three quarters
    // The second advocate of the third school changed after three sessions; the place keeps them.
    await attend(t, changed!.advocateIds[0], rest, 3)
    await t.database.db
      .updateTable('work_group_advocates')
      .set({ to_date: '2027-10-01', change_reason: 'Moved school' })
      .where('id', '=', changed!.advocateIds[1])
      .execute()
    const replacement = await t.database.db
      .insertInto('work_group_advocates')
      .values({
        interest_id: changed!.interestId,
        slot: 2,
        name: 'New advocate',
        email: 'new.advocate@school.example',
        role: 'Class teacher',
        from_date: '2027-10-01',
        created_at: t.clock.now(),
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    await attend(t, Number(replacement.id), rest, 3)

    const recorded = await recordDueGrants(context, group)
    expect(recorded.map((g) => g.schoolUrn).sort()).toEqual([full!.urn, changed!.urn].sort())
    const rows = await grantRows(group)
    expect(rows.map((r) => [r.school_urn, r.amount_pence, r.participation_year])).toEqual(
      [
        [full!.urn, 100_000, 1],
        [changed!.urn, 100_000, 1],
      ].sort((a, b) => a[0]! - b[0]!),
    )
    expect(rows.find((r) => r.school_urn === full!.urn)!.evidence).toMatchObject({
      sessionsHeld: 6,
      needed: 5,
      advocatePlaces: [
        { slot: 1, attended: 6 },
        { slot: 2, attended: 5 },
      ],
    })
    // Again: nothing new, nothing changed.
    expect(await recordDueGrants(context, group)).toEqual([])
    expect(await grantRows(group)).toEqual(rows)
    const audits = await t.database.db
      .selectFrom('audit_events')
      .select('record_id')
      .where('action', '=', 'work-group.grant-due')
      .execute()
    expect(audits.length).toBeGreaterThanOrEqual(2)

    // The group's page shows them, in pounds.
    const page = await request(t, clients.hubLead, 'GET', `/work-groups/${group}`)
    const body = text(page.body)
    expect(body).toContain('Participation grants due')
    expect(body.match(/£1,000, due since/g)).toHaveLength(2)
    expect(page.body).toContain(`href="/schools/${full!.urn}/journey"`)
  })

  it('are recorded when a group completes, whatever sessions it held', async () => {
    const group = await freshWorkGroup(t, ['open-recruitment', 'start'])
    const [school] = await fillGroupWithNewSchools(t, group, 1)
    const sessions = await holdSessions(t, group, 4)
    for (const a of school!.advocateIds) await attend(t, a, sessions, 3)
    expect(await grantRows(group)).toEqual([])
    const res = await request(t, clients.hubLead, 'POST', `/work-groups/${group}/state`, {
      event: 'complete',
    })
    expect(res.statusCode).toBe(303)
    expect((await grantRows(group)).map((r) => r.amount_pence)).toEqual([100_000])
  })

  it('follow the school’s year on the programme: secondary £2,000 in year 1, £1,000 in year 2', async () => {
    const context = await contextOf(t, HUB_LEAD)
    const form = await workGroupForm(t)
    const year = Number(form.academicYear!.slice(0, 4))
    const yearOf = (y: number) => `${y}/${String((y + 1) % 100).padStart(2, '0')}`
    const groupIn = async (y: number) =>
      (
        await createWorkGroup(context, WORK_GROUP_HUB, {
          ...form,
          name: `${form.name} ${y}`,
          programmeId: 'secondary-development',
          phase: 'secondary',
          academicYear: yearOf(y),
          leads: [Number(form.leads)],
        })
      ).id
    const firstYear = await groupIn(year - 1)
    const secondYear = await groupIn(year)
    const [school] = await fillGroupWithNewSchools(t, firstYear, 1)
    const again = await placeSchool(t, secondYear, school!.urn)
    for (const [group, placed] of [
      [firstYear, school!],
      [secondYear, again],
    ] as const) {
      const planned = await t.database.db
        .selectFrom('work_groups')
        .select('planned_sessions')
        .where('id', '=', group)
        .executeTakeFirstOrThrow()
      const sessions = await holdSessions(t, group, planned.planned_sessions)
      for (const a of placed.advocateIds) await attend(t, a, sessions, planned.planned_sessions)
      await recordDueGrants(context, group)
    }
    expect((await grantRows(firstYear)).map((r) => [r.amount_pence, r.participation_year])).toEqual([
      [200_000, 1],
    ])
    expect((await grantRows(secondYear)).map((r) => [r.amount_pence, r.participation_year])).toEqual([
      [100_000, 2],
    ])
  })

  it('are never due for a programme with no grant (Embedding), nor for a cancelled group', async () => {
    const context = await contextOf(t, HUB_LEAD)
    const form = await workGroupForm(t)
    const embedding = await createWorkGroup(context, WORK_GROUP_HUB, {
      ...form,
      programmeId: 'embedding',
      leads: [Number(form.leads)],
    })
    const [school] = await fillGroup(t, embedding.id, 1)
    const sessions = await holdSessions(t, embedding.id, embedding.plannedSessions)
    for (const a of school!.advocateIds) await attend(t, a, sessions, sessions.length)
    expect(await recordDueGrants(context, embedding.id)).toEqual([])
    const cancelled = await freshWorkGroup(t, ['open-recruitment', 'start', 'cancel'])
    const [other] = await fillGroup(t, cancelled, 1)
    const held = await holdSessions(t, cancelled, 6)
    for (const a of other!.advocateIds) await attend(t, a, held, 6)
    expect(await recordDueGrants(context, cancelled)).toEqual([])
    expect(await grantRows(cancelled)).toEqual([])
  })
})
