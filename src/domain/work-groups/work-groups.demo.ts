// The Work Groups' demo data. Primary Mastery Specialists Cohort 7 finished its development year
// two years ago: Ruth Adeyemi and Marcus Bell of Northvale Maths Hub are active specialists now, and
// lead this year's groups. Northvale runs two groups (a Primary Development group and an
// Embedding group) and is recruiting for a third (Readiness). Made through the real use-cases on
// a clock set to when each change would have happened.
import type { Db } from '../../db/database.ts'
import { fixedClock, type Clock } from '../../lib/clock.ts'
import { actorForPerson } from '../access/actors.repository.ts'
import { placeDemoSpecialist } from '../participants/participants.demo.ts'
import { endStage, insertHistory, insertStage, openStage } from '../participants/participants.repository.ts'
import { cohortId } from '../programmes/programmes.repository.ts'
import { ukDateOf } from '../participants/start-year-one.ts'
import type { UseCaseContext } from '../use-case.ts'
import { academicYearOf, createWorkGroup, moveWorkGroup } from './manage-work-groups.ts'
import { loadDemoJourney } from './journey/journey.demo.ts'
import { loadDemoAllocation } from './allocation-plans/allocation.demo.ts'
import { loadDemoWorkGroupSchools } from './schools/schools.demo.ts'
import { loadDemoSessions } from './sessions/sessions.demo.ts'

/** The cohort whose specialists are active and lead the demo's groups. */
export const DEMO_ACTIVE_COHORT = cohortId('primary-mastery-specialist', 7)

const NORTHVALE = 'northvale-maths-hub'

export const DEMO_LEADS = [
  { name: 'Ruth Adeyemi', email: 'ruth.adeyemi@school.example', hubId: NORTHVALE, urn: 990_025 },
  { name: 'Marcus Bell', email: 'marcus.bell@school.example', hubId: NORTHVALE, urn: 990_033 },
] as const

const DAY = 86_400_000

async function contextFor(db: Db, personId: number, clock: Clock): Promise<UseCaseContext> {
  const actor = await actorForPerson(db, personId)
  if (!actor) throw new Error('demo person missing')
  return { db, actor, clock, requestId: 'demo', baseUrl: 'http://localhost:3000' }
}

/** The cohort's specialists, active from the 1 September after their development year. */
async function activeSpecialists(db: Db, now: Date): Promise<number[]> {
  const cohort = await db
    .selectFrom('cohorts')
    .select(['id', 'decisions_released_on', 'development_year'])
    .where('id', '=', DEMO_ACTIVE_COHORT)
    .executeTakeFirst()
  if (!cohort) return []
  const started = new Date(`${String(cohort.decisions_released_on).slice(0, 10)}T10:00:00Z`)
  const activeFrom = `${Number(cohort.development_year.slice(0, 4)) + 1}-09-01`
  const ids: number[] = []
  for (const lead of DEMO_LEADS) {
    const { participationId } = await placeDemoSpecialist(db, cohort.id, lead, started)
    await db.transaction().execute(async (tx) => {
      const open = await openStage(tx, participationId)
      if (!open) throw new Error('demo specialist has no stage')
      await endStage(tx, open.id, activeFrom)
      await insertStage(tx, {
        participationId,
        stage: 'active',
        reason: null,
        startsOn: activeFrom,
        createdBy: null,
        now,
      })
      await insertHistory(tx, {
        participationId,
        event: 'become-active',
        fromStage: 'year-one',
        toStage: 'active',
        reason: null,
        fromCohortId: null,
        toCohortId: null,
        effectiveOn: activeFrom,
        actorPersonId: null,
        now,
      })
    })
    ids.push(participationId)
  }
  return ids
}

/** Northvale's groups this academic year: two running, one recruiting. */
export async function loadDemoWorkGroups(db: Db, clock: Clock): Promise<void> {
  const now = clock.now()
  const leads = await activeSpecialists(db, now)
  if (leads.length < 2) return
  const lead = await db
    .selectFrom('people')
    .select('id')
    .where('email', '=', 'priya.shah@northvale.mathshub.example')
    .executeTakeFirst()
  if (!lead) return
  const year = academicYearOf(ukDateOf(now))
  const september = new Date(`${year.slice(0, 4)}-09-01T09:00:00Z`)
  const summer = fixedClock(new Date(september.getTime() - 70 * DAY))
  const autumn = fixedClock(new Date(september.getTime() + 20 * DAY))
  const planning = await contextFor(db, Number(lead.id), summer)
  const groups = [
    {
      programmeId: 'primary-development',
      phase: 'primary',
      name: 'Northvale Primary Development A',
      meetingArea: 'Northvale town centre',
      leads: [leads[0]!],
      run: true,
    },
    {
      programmeId: 'embedding',
      phase: 'primary',
      name: 'Northvale Primary Embedding',
      meetingArea: 'Northvale and Eastwick',
      leads: [leads[1]!],
      run: true,
    },
    {
      programmeId: 'readiness',
      phase: 'primary',
      name: 'Northvale Readiness',
      meetingArea: 'Northvale north',
      leads: [leads[0]!, leads[1]!],
      run: false,
    },
  ]
  for (const g of groups) {
    const group = await createWorkGroup(planning, NORTHVALE, { ...g, academicYear: year })
    await moveWorkGroup(planning, group.id, { event: 'open-recruitment' })
    if (g.run)
      await moveWorkGroup(await contextFor(db, Number(lead.id), autumn), group.id, { event: 'start' })
  }
  await loadDemoWorkGroupSchools(db, clock)
  await loadDemoSessions(db, clock)
  await loadDemoJourney(db, clock)
  await loadDemoAllocation(db, clock)
}
