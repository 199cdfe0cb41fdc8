// The demo's schools in Work Groups, made through the real use-cases on clocks set to when each
// change would have happened. Northvale's two running groups have their schools (Primary
// Development A: six, Embedding: five), each with two Mastery Advocates, and one school has
// changed an advocate this term; the recruiting Readiness group has interested schools: three
// ready, one waiting for its senior leader's answer and one on the waiting list. Helen Morris's
// school is one of Primary Development A's. Many of Northvale's primary schools are left with no
// interest at all, so a school can still be walked through from the start.
import type { Db } from '../../../db/database.ts'
import { fixedClock, type Clock } from '../../../lib/clock.ts'
import type { Actor } from '../../access/actor.ts'
import { actorForPerson } from '../../access/actors.repository.ts'
import type { UseCaseContext } from '../../use-case.ts'
import { answerSupportRequest } from './answer-support.ts'
import { decideInterest } from './decide-interest.ts'
import { expressInterest } from './express-interest.ts'
import { changeAdvocate, nameAdvocate } from './name-advocates.ts'

const NORTHVALE = 'northvale-maths-hub'
const HUB_LEAD = 'priya.shah@northvale.mathshub.example'
const DEMO_CONTACT = 'helen.morris@school.example'
const DAY = 86_400_000

const FIRST_NAMES = ['Aisha', 'Ben', 'Chloe', 'Daniel', 'Ella', 'Farah', 'George', 'Hannah', 'Imran', 'Jess']
const LAST_NAMES = [
  'Ahmed',
  'Brown',
  'Clarke',
  'Davies',
  'Evans',
  'Fisher',
  'Green',
  'Hughes',
  'Iqbal',
  'Jones',
]

function demoName(n: number): string {
  return `${FIRST_NAMES[n % FIRST_NAMES.length]} ${LAST_NAMES[Math.floor(n / FIRST_NAMES.length) % LAST_NAMES.length]}`
}

function emailOf(name: string, urn: number): string {
  return `${name.toLowerCase().replace(/[^a-z]+/g, '.')}@${urn}.school.example`
}

/** A school's contact acting through the command line: nothing is recorded as done by a person. */
function schoolActor(urn: number): Actor {
  return {
    kind: 'person',
    personId: 0,
    name: 'Demo',
    email: 'demo@school.example',
    grants: [{ id: 0, role: 'school-contact', hubId: null, cohortId: null, schoolUrn: urn }],
    via: 'command-line',
  }
}

function contextOf(db: Db, actor: Actor, clock: Clock): UseCaseContext {
  return { db, actor, clock, requestId: 'demo', baseUrl: 'http://localhost:3000' }
}

/** The token of the newest support link emailed to the address (the demo reads its own outbox). */
async function emailedToken(db: Db, to: string): Promise<string> {
  const row = await db
    .selectFrom('outbox')
    .select('body_text')
    .where('to_address', '=', to)
    .where('template', '=', 'work-group-support-request')
    .orderBy('id', 'desc')
    .executeTakeFirstOrThrow()
  const match = /\/work-group-support\/([A-Za-z0-9_-]+)/.exec(row.body_text)
  if (!match) throw new Error('demo support link missing')
  return match[1]!
}

interface DemoInterest {
  urn: number
  id: number
  headOfMaths: string
  seniorLeader: string
}

export async function loadDemoWorkGroupSchools(db: Db, clock: Clock): Promise<void> {
  const now = clock.now()
  const groups = await db
    .selectFrom('work_groups')
    .select(['id', 'name', 'programme_id', 'academic_year'])
    .where('hub_id', '=', NORTHVALE)
    .where('name', 'in', [
      'Northvale Primary Development A',
      'Northvale Primary Embedding',
      'Northvale Readiness',
    ])
    .execute()
  const group = (name: string) => groups.find((g) => g.name === name)
  const development = group('Northvale Primary Development A')
  const embedding = group('Northvale Primary Embedding')
  const readiness = group('Northvale Readiness')
  const lead = await db.selectFrom('people').select('id').where('email', '=', HUB_LEAD).executeTakeFirst()
  if (!development || !embedding || !readiness || !lead) return
  const leadActor = (await actorForPerson(db, Number(lead.id)))!
  const contact = await db
    .selectFrom('people')
    .select('id')
    .where('email', '=', DEMO_CONTACT)
    .executeTakeFirst()
  const contactActor = contact ? await actorForPerson(db, Number(contact.id)) : undefined
  const contactUrn =
    contactActor?.kind === 'person'
      ? (contactActor.grants.find((g) => g.schoolUrn)?.schoolUrn ?? undefined)
      : undefined

  const leadUrns = (
    await db
      .selectFrom('work_group_leads as l')
      .innerJoin('participations as p', 'p.id', 'l.participation_id')
      .select('p.school_urn')
      .execute()
  ).flatMap((r) => (r.school_urn === null ? [] : [r.school_urn]))
  const primaries = (
    await db
      .selectFrom('schools')
      .innerJoin('school_hubs', 'school_hubs.urn', 'schools.urn')
      .select('schools.urn')
      .where('school_hubs.hub_id', '=', NORTHVALE)
      .where('schools.open', '=', true)
      .where('schools.state_funded', '=', true)
      .where('schools.in_england', '=', true)
      .where('schools.phase', '=', 'Primary')
      .orderBy('schools.urn')
      .execute()
  ).map((r) => r.urn)
  const contactInNorthvale = contactUrn !== undefined && primaries.includes(contactUrn)
  const pool = primaries.filter((urn) => urn !== contactUrn && !leadUrns.includes(urn))
  const needed = (contactInNorthvale ? 5 : 6) + 5 + 5
  // Leave at least eight of Northvale's primary schools with no interest at all.
  if (pool.length < needed + 8) return

  let people = 0
  const september = new Date(`${development.academic_year.slice(0, 4)}-09-01T09:00:00Z`)
  const at = (ms: number) => fixedClock(new Date(ms))

  async function register(
    urn: number,
    programmeId: string,
    academicYear: string,
    when: number,
    actor?: Actor,
  ) {
    const headOfMaths = demoName(people++)
    const seniorLeader = demoName(people++)
    const interest = await expressInterest(contextOf(db, actor ?? schoolActor(urn), at(when)), urn, {
      programmeId,
      academicYear,
      statement: 'We want every class to take part in teaching for mastery, and our leaders are behind it.',
      headOfMaths: { name: headOfMaths, email: emailOf(headOfMaths, urn) },
      seniorLeader: { name: seniorLeader, email: emailOf(seniorLeader, urn) },
    })
    return {
      urn,
      id: interest.id,
      headOfMaths: emailOf(headOfMaths, urn),
      seniorLeader: emailOf(seniorLeader, urn),
    }
  }

  async function support(
    interest: DemoInterest,
    when: number,
    roles: readonly ('headOfMaths' | 'seniorLeader')[] = ['headOfMaths', 'seniorLeader'],
  ) {
    for (const role of roles) {
      const token = await emailedToken(db, interest[role])
      await answerSupportRequest(contextOf(db, schoolActor(interest.urn), at(when)), token, {
        answer: 'supported',
      })
    }
  }

  async function advocates(interest: DemoInterest, when: number, actor?: Actor) {
    for (const role of ['Maths lead', 'Year 3 teacher']) {
      const name = demoName(people++)
      await nameAdvocate(contextOf(db, actor ?? schoolActor(interest.urn), at(when)), interest.id, {
        name,
        email: emailOf(name, interest.urn),
        role,
      })
    }
  }

  // The running groups: registered in the summer term, supported, advocates named, accepted.
  const summer = september.getTime() - 75 * DAY
  const running = [
    { group: development, urns: pool.slice(0, contactInNorthvale ? 5 : 6), contact: contactInNorthvale },
    {
      group: embedding,
      urns: pool.slice(contactInNorthvale ? 5 : 6, (contactInNorthvale ? 5 : 6) + 5),
      contact: false,
    },
  ]
  const decide = contextOf(db, leadActor, at(summer + 20 * DAY))
  let firstAccepted: DemoInterest | undefined
  for (const { group: g, urns, contact: withContact } of running) {
    const schools: { urn: number; actor?: Actor | undefined }[] = urns.map((urn) => ({ urn }))
    if (withContact && contactUrn !== undefined) schools.unshift({ urn: contactUrn, actor: contactActor })
    for (const [i, school] of schools.entries()) {
      const interest = await register(
        school.urn,
        g.programme_id,
        g.academic_year,
        summer + i * 3_600_000,
        school.actor,
      )
      await support(interest, summer + 3 * DAY)
      await advocates(interest, summer + 5 * DAY, school.actor)
      await decideInterest(decide, interest.id, { decision: 'accept', workGroupId: g.id })
      firstAccepted ??= interest
    }
  }
  // One school's advocate moved on this term; the new one took over on a Monday in November.
  if (firstAccepted) {
    const name = demoName(people++)
    const changedOn = `${september.getUTCFullYear()}-11-02`
    await changeAdvocate(
      contextOf(db, schoolActor(firstAccepted.urn), at(Date.parse(`${changedOn}T09:00:00Z`))),
      firstAccepted.id,
      {
        slot: 2,
        name,
        email: emailOf(name, firstAccepted.urn),
        role: 'Year 5 teacher',
        fromDate: changedOn,
        reason: 'Our first advocate has moved to another school.',
      },
    )
  }

  // Readiness, recruiting: schools registered in the last fortnight.
  const offset = (contactInNorthvale ? 5 : 6) + 5
  const recent = now.getTime() - 12 * DAY
  const readinessUrns = pool.slice(offset, offset + 5)
  for (const [i, urn] of readinessUrns.entries()) {
    const interest = await register(
      urn,
      readiness.programme_id,
      readiness.academic_year,
      recent + i * 3_600_000,
    )
    if (i === 3) {
      // Waiting for the senior leader's answer: the head of maths has said yes.
      await support(interest, recent + 2 * DAY, ['headOfMaths'])
      continue
    }
    await support(interest, recent + 2 * DAY)
    await advocates(interest, recent + 3 * DAY)
    if (i === 4) {
      await decideInterest(contextOf(db, leadActor, at(recent + 5 * DAY)), interest.id, { decision: 'wait' })
    }
  }
}
