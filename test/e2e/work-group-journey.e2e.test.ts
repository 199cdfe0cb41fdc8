// A Work Group year in Chromium, on the demo, through the links and forms people use, with the
// accessibility scan (and the small-screen check) on every page: Northvale's hub lead sets up two
// Primary Development groups of four and opens recruitment; six schools' contacts express interest,
// ask their head of maths and a senior leader, who support it by their emailed single-use links, and
// name two advocates each; the service proposes groups, the hub moves one school and applies the
// plan; the lead specialist holds a session with attendance and every school's lesson study; the
// hub moves one school on to Embedding, and the school's timeline shows all of it.
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEMO_LEADS } from '../../src/domain/work-groups/work-groups.demo.ts'
import type { TestApp } from '../app.ts'
import { openSession } from '../personas.ts'
import { checkPage, startBrowserAndApp, watchForProblems } from './browser.ts'

let t: TestApp
let browser: Browser
let baseUrl: string
let stop: (() => Promise<void>) | undefined

const HUB = 'northvale-maths-hub'
const HUB_LEAD = 'priya.shah@northvale.mathshub.example'
const RUTH = DEMO_LEADS[0].email
const DAY = 86_400_000
const GROUP_NAMES = ['Northvale Development East', 'Northvale Development West']

/** The six schools taking part, with their contacts. */
const schools: { urn: number; name: string; contact: string }[] = []
let year = ''
const groupIds: number[] = []

beforeAll(async () => {
  const started = await startBrowserAndApp()
  ;({ t, browser, baseUrl } = started)
  stop = started.close
  const db = t.database.db
  // Six open state-funded Northvale primary schools that have never taken part, each with a contact.
  const rows = await db
    .selectFrom('schools')
    .innerJoin('school_hubs', 'school_hubs.urn', 'schools.urn')
    .select(['schools.urn', 'schools.name'])
    .where('school_hubs.hub_id', '=', HUB)
    .where('schools.open', '=', true)
    .where('schools.state_funded', '=', true)
    .where('schools.phase', '=', 'Primary')
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('work_group_interests')
            .select('id')
            .whereRef('work_group_interests.school_urn', '=', 'schools.urn'),
        ),
      ),
    )
    .where(({ not, exists, selectFrom }) =>
      not(exists(selectFrom('grants').select('id').whereRef('grants.school_urn', '=', 'schools.urn'))),
    )
    .orderBy('schools.urn')
    .limit(6)
    .execute()
  expect(rows).toHaveLength(6)
  for (const row of rows) {
    const contact = `contact.${row.urn}@school.example`
    const person = await db
      .insertInto('people')
      .values({ name: `Contact of ${row.name}`, email: contact })
      .returning('id')
      .executeTakeFirstOrThrow()
    await db
      .insertInto('grants')
      .values({ person_id: person.id, role: 'school-contact', school_urn: row.urn })
      .execute()
    schools.push({ urn: row.urn, name: row.name, contact })
  }
}, 300_000)
afterAll(async () => {
  await stop?.()
})

async function pageAs(email: string | null): Promise<{ page: Page; done(): Promise<void> }> {
  const context = await browser.newContext({ baseURL: baseUrl })
  if (email) {
    const person = await t.database.db
      .selectFrom('people')
      .select('id')
      .where('email', '=', email)
      .executeTakeFirstOrThrow()
    const { cookie } = await openSession(t.database.db, person.id, t.clock.now())
    await context.addCookies([{ name: 'mh_session', value: cookie, url: baseUrl }])
  }
  const page = await context.newPage()
  const problems = watchForProblems(page)
  return {
    page,
    done: async () => {
      expect(problems).toEqual([])
      await context.close()
    },
  }
}

/** Follows the link with this text, checks the page it opens. */
async function follow(page: Page, name: string | RegExp): Promise<void> {
  // GOV.UK start buttons are links too.
  await page.locator('a').filter({ hasText: name }).first().click({ timeout: 10_000 })
  await page.waitForLoadState('load')
  await checkPage(page)
}

async function submit(page: Page, name: string | RegExp): Promise<void> {
  await page.getByRole('button', { name }).first().click({ timeout: 10_000 })
  await page.waitForLoadState('load')
  await checkPage(page)
}

/** Chooses a value of a select, or the radio or checkbox with that value. */
async function choose(page: Page, name: string, value: string): Promise<void> {
  const select = page.locator(`select[name="${name}"]`)
  if ((await select.count()) > 0) await select.first().selectOption(value)
  else await page.locator(`input[name="${name}"][value="${value}"]`).check()
}

async function expectNoErrors(page: Page): Promise<void> {
  const summary = page.locator('.govuk-error-summary')
  expect((await summary.count()) ? await summary.innerText() : '').toBe('')
}

describe('a Work Group year in the browser', () => {
  it('the hub sets up two Primary Development groups of four and opens recruitment', async () => {
    const { page, done } = await pageAs(HUB_LEAD)
    await page.goto('/account')
    await checkPage(page)
    await follow(page, /Work Groups/)
    const now = t.clock.now()
    const start = now.getUTCMonth() >= 8 ? now.getUTCFullYear() : now.getUTCFullYear() - 1
    year = `${start}/${String((start + 1) % 100).padStart(2, '0')}`
    for (const name of GROUP_NAMES) {
      await page.goto(`/hubs/${HUB}/work-groups`)
      await follow(page, 'Set up a Work Group')
      await choose(page, 'programmeId', 'primary-development')
      await choose(page, 'phase', 'primary')
      await choose(page, 'academicYear', year)
      await page.locator('[name="name"]').fill(name)
      await page.locator('[name="meetingArea"]').fill('Northvale')
      await page.locator('[name="capacity"]').fill('4')
      await page.getByLabel('Ruth Adeyemi').check()
      await submit(page, 'Set up the group')
      await expectNoErrors(page)
      await submit(page, 'Open recruitment')
      await expectNoErrors(page)
      expect(await page.locator('main').innerText()).toContain('Recruiting')
      groupIds.push(Number(page.url().match(/work-groups\/(\d+)/)![1]))
    }
    await done()
  })

  it('six schools express interest, their leaders support it by emailed links, and each names two advocates', async () => {
    for (const school of schools) {
      const { page, done } = await pageAs(school.contact)
      await page.goto('/account')
      await checkPage(page)
      await follow(page, /Work Groups/)
      await follow(page, /Register interest|Express interest/)
      await choose(page, 'programmeId', 'primary-development')
      await choose(page, 'academicYear', year)
      await page.locator('[name="statement"]').fill('We want every class to teach for mastery.')
      for (const [key, role, who] of [
        ['headOfMaths', 'head-of-maths', 'Head of maths'],
        ['seniorLeader', 'senior-leader', 'Deputy head'],
      ] as const) {
        await page.locator(`[name="${key}.name"]`).fill(`${who} of ${school.urn}`)
        await page.locator(`[name="${key}.email"]`).fill(`${role}.${school.urn}@school.example`)
      }
      await submit(page, 'Register interest')
      await expectNoErrors(page)
      if (!page.url().includes('/work-group-interests/')) await follow(page, /See and change Primary/)
      const interestUrl = page.url()
      for (const role of ['head-of-maths', 'senior-leader']) {
        const email = await t.database.db
          .selectFrom('outbox')
          .select('body_text')
          .where('to_address', '=', `${role}.${school.urn}@school.example`)
          .orderBy('id', 'desc')
          .executeTakeFirstOrThrow()
        const link = email.body_text.match(/https?:\/\/\S+\/work-group-support\/\S+/)![0]
        const leader = await pageAs(null)
        await leader.page.goto(new URL(link).pathname)
        await checkPage(leader.page)
        await leader.page.locator('input[name="answer"][value="supported"]').check()
        await submit(leader.page, 'Send your answer')
        expect(await leader.page.locator('main').innerText()).toContain('Thank you for your answer')
        await leader.done()
      }
      await page.goto(interestUrl)
      for (const slot of [1, 2]) {
        await page.locator('[name="name"]').fill(`Advocate ${slot} of ${school.urn}`)
        await page.locator('[name="email"]').fill(`advocate${slot}.${school.urn}@school.example`)
        await page.locator('[name="role"]').fill(slot === 1 ? 'Maths lead' : 'Year 4 teacher')
        await submit(page, 'Name the advocate')
        await expectNoErrors(page)
      }
      const text = await page.locator('main').innerText()
      expect(text).toContain(`Advocate 2 of ${school.urn}`)
      await done()
    }
    const ready = await t.database.db
      .selectFrom('work_group_interests')
      .select('status')
      .where(
        'school_urn',
        'in',
        schools.map((s) => s.urn),
      )
      .where('programme_id', '=', 'primary-development')
      .execute()
    expect(ready.map((r) => r.status)).toEqual(Array(6).fill('ready'))
  }, 300_000) // six schools, each through five pages with axe: longer than one step of the other journeys

  it('the service proposes groups, the hub moves one school and applies the plan', async () => {
    const { page, done } = await pageAs(HUB_LEAD)
    await page.goto(`/hubs/${HUB}/work-groups`)
    await checkPage(page)
    await follow(page, 'Propose groups for interested schools')
    await page.locator('select[name="scope"]').selectOption(`primary-development|${year}`)
    await submit(page, 'Show')
    await submit(page, 'Propose groups')
    await expectNoErrors(page)
    expect(await page.locator('svg.app-allocation-map circle').count()).toBeGreaterThanOrEqual(6)
    const summary = await page.locator('main').innerText()
    expect(summary).toContain('Least possible travel')
    // Move the first school that can move to the other group.
    // Move a school from the fuller new group to the other one, which has room.
    const planId = Number(page.url().match(/work-group-plans\/(\d+)/)![1])
    const stored = await t.database.db
      .selectFrom('work_group_allocation_plans')
      .select('assignments')
      .where('id', '=', planId)
      .executeTakeFirstOrThrow()
    const planned = stored.assignments as { urn: number; workGroupId: number }[]
    const load = (id: number) => planned.filter((p) => p.workGroupId === id).length
    const [fuller, emptier] = [...groupIds].sort((a, b) => load(b) - load(a)) as [number, number]
    const moved = String(planned.find((p) => p.workGroupId === fuller)!.urn)
    const form = page
      .locator('form[action$="/move"]')
      .filter({ has: page.locator(`input[name="urn"][value="${moved}"]`) })
    await form.locator('select').selectOption(String(emptier))
    await form.getByRole('button').click()
    await page.waitForLoadState('load')
    await checkPage(page)
    expect(await page.locator('main').innerText()).toContain('Moved by the hub')
    await submit(page, 'Apply the plan')
    expect(await page.locator('main').innerText()).toContain('The plan has been applied')
    const placed = await t.database.db
      .selectFrom('work_group_interests')
      .select(['school_urn', 'status', 'work_group_id'])
      .where(
        'school_urn',
        'in',
        schools.map((s) => s.urn),
      )
      .where('programme_id', '=', 'primary-development')
      .execute()
    for (const p of placed) {
      expect(p.status).toBe('accepted')
      expect(groupIds).toContain(Number(p.work_group_id))
    }
    expect(placed.some((p) => String(p.school_urn) === moved)).toBe(true)
    // Both groups start.
    for (const id of groupIds) {
      await page.goto(`/work-groups/${id}`)
      await checkPage(page)
      await submit(page, /^Start/)
      await expectNoErrors(page)
    }
    await done()
  })

  it('the lead specialist holds a session, with attendance and each school’s lesson study', async () => {
    const { page, done } = await pageAs(RUTH)
    await page.goto('/my-programme')
    await checkPage(page)
    await follow(page, GROUP_NAMES[0]!)
    await follow(page, 'Add a session')
    // This morning: after the advocates were named, and over before now.
    const when = t.clock.now()
    await page.locator('[id="date.day"]').fill(String(when.getUTCDate()))
    await page.locator('[id="date.month"]').fill(String(when.getUTCMonth() + 1))
    await page.locator('[id="date.year"]').fill(String(when.getUTCFullYear()))
    await page.locator('[name="startTime"]').fill('07:00')
    await page.locator('[name="endTime"]').fill('09:00')
    await page.locator('[name="hostSchoolUrn"]').selectOption({ index: 1 })
    await page.locator('input[name="bigIdea"]').first().check()
    await page
      .locator('[name="lessonObserved"]')
      .fill('Year 3: adding two-digit numbers with base-ten blocks')
    await submit(page, /Add the session|Save|Add/)
    await expectNoErrors(page)
    await submit(page, 'Mark as held')
    await expectNoErrors(page)
    const sessionUrl = page.url().split('?')[0]!
    await follow(page, /Mark attendance|attendance/i)
    const selects = page.locator('select[name$=".status"]')
    const count = await selects.count()
    expect(count).toBeGreaterThanOrEqual(4)
    for (let i = 0; i < count; i++) await selects.nth(i).selectOption('present')
    await submit(page, /Save/)
    await expectNoErrors(page)
    const members = await t.database.db
      .selectFrom('work_group_interests')
      .select('school_urn')
      .where('work_group_id', '=', groupIds[0]!)
      .where('status', '=', 'accepted')
      .execute()
    for (const m of members) {
      await page.goto(sessionUrl)
      await follow(page, /lesson study/i)
      await page.locator('[name="schoolUrn"]').selectOption(String(m.school_urn))
      await page.locator('[name="lessonTaught"]').fill('Year 3 addition with the bar model')
      await page.locator('[name="taughtBy"]').fill(`Advocate 1 of ${m.school_urn}`)
      await page.locator('[name="classes"]').fill('3A and 3B')
      await page.locator('[name="learned"]').fill('Pupils reasoned about place value before they calculated.')
      await submit(page, /Save|Record/)
      await expectNoErrors(page)
    }
    const studies = await t.database.db
      .selectFrom('work_group_lesson_studies')
      .innerJoin('work_group_sessions', 'work_group_sessions.id', 'work_group_lesson_studies.session_id')
      .select('work_group_lesson_studies.school_urn')
      .where('work_group_sessions.work_group_id', '=', groupIds[0]!)
      .execute()
    expect(studies).toHaveLength(members.length)
    await done()
  })

  it('the hub moves one school on to Embedding, and its timeline shows the whole year', async () => {
    const member = await t.database.db
      .selectFrom('work_group_interests')
      .innerJoin('schools', 'schools.urn', 'work_group_interests.school_urn')
      .select(['schools.urn', 'schools.name'])
      .where('work_group_interests.work_group_id', '=', groupIds[0]!)
      .orderBy('schools.urn')
      .executeTakeFirstOrThrow()
    const { page, done } = await pageAs(HUB_LEAD)
    await page.goto(`/work-groups/${groupIds[0]}`)
    await checkPage(page)
    const moves: [string, Date, string][] = [
      ['development', new Date(`${year.slice(0, 4)}-09-01T12:00:00Z`), 'Accepted into a Development group'],
      [
        'embedding',
        new Date(t.clock.now().getTime() - DAY),
        'Both advocates teach for mastery in every class',
      ],
    ]
    for (const [stage, on, evidence] of moves) {
      await page.goto(`/schools/${member.urn}/journey`)
      await checkPage(page)
      await follow(page, /Record a stage move|stage/i)
      await page.locator(`input[name="stage"][value="${stage}"]`).check()
      await page.locator('[id="movedOn.day"]').fill(String(on.getUTCDate()))
      await page.locator('[id="movedOn.month"]').fill(String(on.getUTCMonth() + 1))
      await page.locator('[id="movedOn.year"]').fill(String(on.getUTCFullYear()))
      await page.locator('[name="evidence"]').fill(evidence)
      await submit(page, /Record|Save/)
      await expectNoErrors(page)
    }
    await page.goto(`/schools/${member.urn}/journey`)
    await checkPage(page)
    const timeline = await page.locator('main').innerText()
    expect(timeline).toContain('Embedding')
    expect(timeline).toContain('Development')
    expect(timeline).toContain(GROUP_NAMES[0]!)
    expect(timeline).toContain(`Advocate 1 of ${member.urn}`)
    expect(timeline).toMatch(/lesson study/i)
    expect(timeline).toContain('Year 3 addition with the bar model')
    await done()
  })
})
