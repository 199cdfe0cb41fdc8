// The access matrix's rows for schools in Work Groups, pages and API: a school's own contacts
// register interest, name and change advocates, ask for support and withdraw; the hub's team (and
// NCETM's national administrators) decide, and national viewers see; a leader's emailed link is its
// own authority.
import { hashSecret, newSecret } from '../src/domain/auth/tokens.ts'
import type { Check } from './access-matrix.int.test.ts'
import type { TestApp } from './app.ts'
import { WORK_GROUP_HUB } from './work-group-fixtures.ts'

const HUB_VIEWERS: Check['allowed'] = ['nationalAdmin', 'nationalViewer', 'hubLead', 'hubAdmin']
const HUB_DECIDERS: Check['allowed'] = ['nationalAdmin', 'hubLead', 'hubAdmin']

let year = 2040

/** A fresh interest (a year of its own) of the school contact persona's school, with two advocates or none. */
async function freshInterest(
  t: TestApp,
  options: { status?: 'awaiting-support' | 'ready'; advocates?: number } = {},
): Promise<{ id: number; urn: number }> {
  const db = t.database.db
  const contact = await db
    .selectFrom('grants')
    .innerJoin('people', 'people.id', 'grants.person_id')
    .select('grants.school_urn')
    .where('people.email', '=', 'helen.morris@school.example')
    .where('grants.role', '=', 'school-contact')
    .executeTakeFirstOrThrow()
  const urn = contact.school_urn!
  year += 1
  const now = t.clock.now()
  const row = await db
    .insertInto('work_group_interests')
    .values({
      school_urn: urn,
      hub_id: WORK_GROUP_HUB,
      programme_id: 'sustaining',
      academic_year: `${year}/${String((year + 1) % 100).padStart(2, '0')}`,
      status: options.status ?? 'awaiting-support',
      created_at: now,
      updated_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  for (let slot = 1; slot <= (options.advocates ?? 0); slot++) {
    await db
      .insertInto('work_group_advocates')
      .values({
        interest_id: row.id,
        slot: slot as 1 | 2,
        name: `Advocate ${slot}`,
        email: `advocate${slot}@school.example`,
        role: 'Teacher',
        from_date: '2026-09-01',
        created_at: now,
      })
      .execute()
  }
  return { id: Number(row.id), urn }
}

/** A fresh open support link for a fresh interest. */
async function freshSupportToken(t: TestApp): Promise<string> {
  const { id } = await freshInterest(t)
  const token = newSecret()
  const now = t.clock.now()
  await t.database.db
    .insertInto('work_group_support_requests')
    .values({
      interest_id: id,
      role: 'head-of-maths',
      name: 'Jo Head',
      email: 'jo.head@school.example',
      token_hash: hashSecret(token),
      created_at: now,
      expires_at: new Date(now.getTime() + 14 * 86_400_000),
    })
    .execute()
  return token
}

export function workGroupSchoolChecks(app: () => TestApp): Check[] {
  const t = () => app()
  return [
    {
      method: 'GET',
      route: '/schools/:urn/work-groups',
      prepare: async () => ({ url: `/schools/${(await freshInterest(t())).urn}/work-groups` }),
      allowed: ['nationalAdmin', 'nationalViewer', 'headteacher'],
      success: 200,
      note: 'A school’s own Work Groups page (its contacts; NCETM)',
    },
    {
      method: 'GET',
      route: '/schools/:urn/work-groups/interest',
      prepare: async () => ({ url: `/schools/${(await freshInterest(t())).urn}/work-groups/interest` }),
      allowed: ['headteacher'],
      success: 200,
      note: 'The form to register a school’s interest in a Work Group',
    },
    {
      method: 'POST',
      route: '/schools/:urn/work-groups/interest',
      prepare: async () => ({
        url: `/schools/${(await freshInterest(t())).urn}/work-groups/interest`,
        body: {
          programmeId: 'embedding',
          academicYear: '2027/28',
          'headOfMaths.name': 'Jo Head',
          'headOfMaths.email': 'jo.head@school.example',
          'seniorLeader.name': 'Sam Senior',
          'seniorLeader.email': 'sam.senior@school.example',
        },
      }),
      allowed: ['headteacher'],
      success: 303,
      note: 'Register a school’s interest (its head of maths and senior leader are emailed links)',
      audited: true,
    },
    {
      method: 'GET',
      route: '/work-group-interests/:id',
      prepare: async () => ({ url: `/work-group-interests/${(await freshInterest(t())).id}` }),
      allowed: [...(HUB_VIEWERS as string[]), 'headteacher'] as Check['allowed'],
      success: 200,
      note: 'A school’s interest: support, advocates, decision (the school, the hub’s team, NCETM)',
    },
    {
      method: 'GET',
      route: '/work-group-interests/:id/withdraw',
      prepare: async () => ({ url: `/work-group-interests/${(await freshInterest(t())).id}/withdraw` }),
      allowed: ['headteacher'],
      success: 200,
      note: 'Confirm withdrawing a school’s interest',
    },
    {
      method: 'POST',
      route: '/work-group-interests/:id/withdraw',
      prepare: async () => ({ url: `/work-group-interests/${(await freshInterest(t())).id}/withdraw` }),
      allowed: ['headteacher'],
      success: 303,
      note: 'Withdraw a school’s interest (the waiting list closes up; a group’s place is freed)',
      audited: true,
    },
    {
      method: 'POST',
      route: '/work-group-interests/:id/advocates',
      prepare: async () => ({
        url: `/work-group-interests/${(await freshInterest(t())).id}/advocates`,
        body: { name: 'Ada Advocate', email: 'ada@school.example', role: 'Year 4 teacher' },
      }),
      allowed: ['headteacher'],
      success: 303,
      note: 'Name one of the school’s two Mastery Advocates',
      audited: true,
    },
    {
      method: 'POST',
      route: '/work-group-interests/:id/advocates/change',
      prepare: async () => ({
        url: `/work-group-interests/${(await freshInterest(t(), { advocates: 2 })).id}/advocates/change`,
        body: {
          slot: '2',
          'change.name': 'Di New',
          'change.email': 'di@school.example',
          'change.role': 'Year 5 teacher',
          'fromDate.day': '4',
          'fromDate.month': '1',
          'fromDate.year': '2027',
          reason: 'Moved to another school',
        },
      }),
      allowed: ['headteacher'],
      success: 303,
      note: 'Change an advocate from a date, with the reason',
      audited: true,
    },
    {
      method: 'POST',
      route: '/work-group-interests/:id/support',
      prepare: async () => ({
        url: `/work-group-interests/${(await freshInterest(t())).id}/support`,
        body: {
          supportRole: 'senior-leader',
          'support.name': 'Pat Deputy',
          'support.email': 'pat@school.example',
        },
      }),
      allowed: ['headteacher'],
      success: 303,
      note: 'Ask a school leader for support again (the older link is retired)',
      audited: true,
    },
    {
      method: 'POST',
      route: '/work-group-interests/:id/decision',
      prepare: async () => ({
        url: `/work-group-interests/${(await freshInterest(t(), { status: 'ready' })).id}/decision`,
        body: { decision: 'decline' },
      }),
      allowed: HUB_DECIDERS,
      success: 303,
      note: 'The hub accepts a school into a group, keeps it on the waiting list, or declines',
      audited: true,
    },
    {
      method: 'GET',
      route: '/hubs/:id/work-group-schools',
      prepare: async () => ({ url: `/hubs/${WORK_GROUP_HUB}/work-group-schools` }),
      allowed: HUB_VIEWERS,
      success: 200,
      note: 'A hub’s schools interested in Work Groups',
    },
    {
      method: 'GET',
      route: '/work-group-support/:token',
      prepare: async () => ({ url: `/work-group-support/${await freshSupportToken(t())}` }),
      allowed: 'everyone',
      success: 200,
      note: 'A school leader’s emailed support link (the link is the authority; no sign-in)',
    },
    {
      method: 'POST',
      route: '/work-group-support/:token',
      prepare: async () => ({
        url: `/work-group-support/${await freshSupportToken(t())}`,
        body: { answer: 'supported' },
      }),
      allowed: 'everyone',
      success: 200,
      note: 'A school leader answers through the link',
      audited: true,
    },
    ...apiChecks(t),
  ]
}

/** The API for schools in Work Groups: the same people as the pages. */
function apiChecks(t: () => TestApp): Check[] {
  const interestUrl = async (path = '', options: Parameters<typeof freshInterest>[1] = {}) =>
    `/api/v1/work-group-interests/${(await freshInterest(t(), options)).id}${path}`
  return [
    {
      method: 'GET',
      route: '/api/v1/schools/:urn/work-group-interests',
      prepare: async () => ({
        url: `/api/v1/schools/${(await freshInterest(t())).urn}/work-group-interests`,
      }),
      allowed: ['nationalAdmin', 'nationalViewer', 'headteacher'],
      success: 200,
      note: 'API: a school’s interests in Work Groups (its contacts; NCETM)',
    },
    {
      method: 'POST',
      route: '/api/v1/schools/:urn/work-group-interests',
      prepare: async () => ({
        url: `/api/v1/schools/${(await freshInterest(t())).urn}/work-group-interests`,
        body: {
          programmeId: 'sustaining',
          academicYear: '2026/27',
          headOfMaths: { name: 'Jo Head', email: 'jo.head@school.example' },
          seniorLeader: { name: 'Sam Senior', email: 'sam.senior@school.example' },
        },
      }),
      allowed: ['headteacher'],
      success: 201,
      note: 'API: register a school’s interest',
      audited: true,
    },
    {
      method: 'GET',
      route: '/api/v1/hubs/:id/work-group-interests',
      prepare: async () => ({ url: `/api/v1/hubs/${WORK_GROUP_HUB}/work-group-interests` }),
      allowed: HUB_VIEWERS,
      success: 200,
      note: 'API: a hub’s schools interested in Work Groups',
    },
    {
      method: 'GET',
      route: '/api/v1/work-group-interests/:id',
      prepare: async () => ({ url: await interestUrl() }),
      allowed: [...(HUB_VIEWERS as string[]), 'headteacher'] as Check['allowed'],
      success: 200,
      note: 'API: a school’s interest with its support, advocates and history',
    },
    {
      method: 'POST',
      route: '/api/v1/work-group-interests/:id/advocates',
      prepare: async () => ({
        url: await interestUrl('/advocates'),
        body: { name: 'Ada Advocate', email: 'ada@school.example', role: 'Year 4 teacher' },
      }),
      allowed: ['headteacher'],
      success: 200,
      note: 'API: name one of the school’s two Mastery Advocates',
      audited: true,
    },
    {
      method: 'POST',
      route: '/api/v1/work-group-interests/:id/advocates/change',
      prepare: async () => ({
        url: await interestUrl('/advocates/change', { advocates: 2 }),
        body: {
          slot: 1,
          name: 'Di New',
          email: 'di@school.example',
          role: 'Year 5 teacher',
          fromDate: '2027-01-04',
          reason: 'Moved to another school',
        },
      }),
      allowed: ['headteacher'],
      success: 200,
      note: 'API: change an advocate from a date, with the reason',
      audited: true,
    },
    {
      method: 'POST',
      route: '/api/v1/work-group-interests/:id/decision',
      prepare: async () => ({
        url: await interestUrl('/decision', { status: 'ready' }),
        body: { decision: 'wait' },
      }),
      allowed: HUB_DECIDERS,
      success: 200,
      note: 'API: the hub accepts a school into a group, keeps it waiting, or declines',
      audited: true,
    },
    {
      method: 'POST',
      route: '/api/v1/work-group-interests/:id/withdraw',
      prepare: async () => ({ url: await interestUrl('/withdraw') }),
      allowed: ['headteacher'],
      success: 200,
      note: 'API: withdraw a school’s interest',
      audited: true,
    },
  ]
}
