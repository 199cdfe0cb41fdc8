// The application round's pages through the real app: the catalogue and a cohort's window in UK
// time, a teacher's task list from start to submission, the headteacher's link, refusals shown
// with the GOV.UK error summary (and nothing changed), the hub's and NCETM's lists, withdrawal.
import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, type TestApp } from './app.ts'
import {
  errorSummary,
  HEAD,
  lastEndorsementToken,
  OPEN_COHORT,
  pageText as text,
} from './application-fixtures.ts'
import { cohortInputWith, ensureCohort } from './cohort-factory.ts'
import { request, signInPersonas, type Client, type PersonaName } from './personas.ts'

const NORTHVALE_PRIMARY = '990001'
/** Kingsmead Primary Academy: the service knows no headteacher there. */
const KINGSMEAD_PRIMARY = '990018'

let t: TestApp
let clients: Record<PersonaName, Client>

beforeAll(async () => {
  t = await createTestApp() // 10am on 22 November 2026
  clients = await signInPersonas(t)
})
afterAll(async () => {
  await t?.close()
})

/** A session for the person at the clock's current time (moving the clock ends older sessions). */
async function sessionFor(personId: number): Promise<Client> {
  const fresh = await signInPersonas(t)
  await t.database.db
    .updateTable('sessions')
    .set({ person_id: personId })
    .where('csrf_token', '=', fresh.teacher.csrf)
    .execute()
  return { ...fresh.teacher, personId }
}

async function newTeacher(): Promise<Client> {
  const email = `teacher-${randomUUID()}@school.example`
  const person = await t.database.db
    .insertInto('people')
    .values({ name: 'Tess Teacher', email })
    .returning('id')
    .executeTakeFirstOrThrow()
  await t.database.db.insertInto('grants').values({ person_id: person.id, role: 'teacher' }).execute()
  return sessionFor(person.id)
}

/** Moves the clock for the work, then back; everyone signs in again at each end. */
async function at(instant: string, work: () => Promise<void>): Promise<void> {
  t.clock.set(instant)
  clients = await signInPersonas(t)
  try {
    await work()
  } finally {
    t.clock.set('2026-11-22T10:00:00Z')
    clients = await signInPersonas(t)
  }
}

async function lastEndorseLink(email = HEAD.email): Promise<string> {
  return `/endorse/${await lastEndorsementToken(t.database.db, email)}`
}

async function applicationRow(id: number) {
  return t.database.db.selectFrom('applications').selectAll().where('id', '=', id).executeTakeFirstOrThrow()
}

/** Starts an application through the cohort page's button; returns its id. */
async function start(client: Client, cohort = OPEN_COHORT): Promise<number> {
  const response = await request(t, client, 'POST', `/cohorts/${cohort}/apply`, {})
  expect(response.statusCode).toBe(303)
  return Number(/\/applications\/(\d+)/.exec(String(response.headers.location))![1])
}

/** A teacher's application, complete and endorsed through the pages. */
async function endorsedApplication(
  client: Client,
  school = NORTHVALE_PRIMARY,
  head: { name: string; email: string } = HEAD,
): Promise<number> {
  const id = await start(client)
  expect((await request(t, client, 'POST', `/applications/${id}/school`, { urn: school })).statusCode).toBe(
    303,
  )
  const teaching = await request(t, client, 'POST', `/applications/${id}/teaching`, {
    hasQts: 'yes',
    trn: '1234567',
    yearsTeachingMaths: '6',
    currentRole: 'Year 4 teacher and maths lead',
    classesTaught: 'Year 4',
  })
  expect(teaching.statusCode).toBe(303)
  const evidence: Record<string, string> = {}
  for (const id of ['teaches-maths', 'time-commitment', 'good-teaching', 'enthusiasm', 'collaboration']) {
    evidence[`evidence-${id}`] = `My evidence for ${id}.`
  }
  expect((await request(t, client, 'POST', `/applications/${id}/evidence`, evidence)).statusCode).toBe(303)
  const asked = await request(t, client, 'POST', `/applications/${id}/headteacher`, head)
  expect(asked.statusCode).toBe(303)
  const link = await lastEndorseLink(head.email)
  const endorsed = await request(t, clients.anonymous, 'POST', link, { decision: 'confirm' })
  expect(endorsed.statusCode).toBe(200)
  return id
}

describe('the programme catalogue and cohort pages', () => {
  it('lists the programmes and their open cohorts', async () => {
    const response = await request(t, clients.anonymous, 'GET', '/programmes')
    expect(response.statusCode).toBe(200)
    const page = text(response.body)
    expect(page).toContain('Primary Mastery Specialist Programme')
    expect(page).toContain('PD Lead')
    expect(page).toContain('Closes at 5pm on 21 January 2027')
  })

  it('shows a programme with its year structure and cohorts, and 404 for an unknown one', async () => {
    const response = await request(t, clients.anonymous, 'GET', '/programmes/primary-mastery-specialist')
    expect(response.statusCode).toBe(200)
    expect(text(response.body)).toContain('Cohort 13')
    expect(text(response.body)).toContain('Closed at')
    expect((await request(t, clients.anonymous, 'GET', '/programmes/no-such-thing')).statusCode).toBe(404)
    expect((await request(t, clients.anonymous, 'GET', '/programmes/%3Cscript%3E')).statusCode).toBe(404)
  })

  it('shows an open cohort’s closing time in UK time and how long is left', async () => {
    const response = await request(t, clients.anonymous, 'GET', `/cohorts/${OPEN_COHORT}`)
    expect(response.statusCode).toBe(200)
    const page = text(response.body)
    expect(page).toContain('Applications close at 5pm on 21 January 2027 (UK time): 60 days left.')
    expect(page).toContain('create an account')
    expect(page).toContain('Release the teacher for the programme’s residentials and development days')
    // Signed in, a teacher gets the start button.
    const signedIn = await request(t, clients.teacher, 'GET', `/cohorts/${OPEN_COHORT}`)
    expect(signedIn.body).toContain(`action="/cohorts/${OPEN_COHORT}/apply"`)
  })

  it('counts down in hours and minutes on the last day, and says when a closed cohort closed', async () => {
    await at('2027-01-21T11:47:30Z', async () => {
      const open = text((await request(t, clients.anonymous, 'GET', `/cohorts/${OPEN_COHORT}`)).body)
      expect(open).toContain('5 hours and 12 minutes left')
    })
    await at('2027-01-21T17:00:00.000Z', async () => {
      const closed = text((await request(t, clients.anonymous, 'GET', `/cohorts/${OPEN_COHORT}`)).body)
      expect(closed).toContain('Applications closed at 5pm on 21 January 2027')
      expect(closed).not.toContain('left')
    })
  })

  it('in BST, shows the closing time the way the UK reads it', async () => {
    const id = await ensureCohort(
      t.database.db,
      cohortInputWith({
        number: 201,
        opensAt: { day: 1, month: 11, year: 2026, hour: 9, minute: 0 },
        closesAt: { day: 30, month: 6, year: 2027, hour: 17, minute: 0 },
        decisionsReleasedOn: { day: 30, month: 9, year: 2027 },
        residentials: [
          {
            name: 'First residential',
            startsOn: { day: 14, month: 10, year: 2027 },
            endsOn: { day: 15, month: 10, year: 2027 },
            subjectToConfirmation: true,
          },
        ],
      }),
    )
    const page = text((await request(t, clients.anonymous, 'GET', `/cohorts/${id}`)).body)
    expect(page).toContain('Applications close at 5pm on 30 June 2027')
    const cohort = await t.database.db
      .selectFrom('cohorts')
      .select('closes_at')
      .where('id', '=', id)
      .executeTakeFirstOrThrow()
    expect(new Date(cohort.closes_at).toISOString()).toBe('2027-06-30T16:00:00.000Z')
  })

  it('lets anyone ask to be told when an upcoming cohort opens, and refuses a bad address with a message', async () => {
    const upcoming = 'embedding-work-group-3'
    const page = await request(t, clients.anonymous, 'GET', `/cohorts/${upcoming}`)
    expect(text(page.body)).toContain('Tell me when applications open')
    const bad = await request(t, clients.anonymous, 'POST', `/cohorts/${upcoming}/interest`, {
      email: '<b>not an address</b>',
    })
    expect(bad.statusCode).toBe(422)
    expect(errorSummary(bad.body)).toEqual([
      { href: '#email', text: 'Enter an email address in the correct format, like name@example.com' },
    ])
    expect(bad.body).toContain('&lt;b&gt;not an address&lt;/b&gt;')
    expect(bad.body).not.toContain('<b>not an address</b>')
    const good = await request(t, clients.anonymous, 'POST', `/cohorts/${upcoming}/interest`, {
      email: 'keen@school.example',
    })
    expect(good.statusCode).toBe(303)
    expect(good.headers.location).toBe(`/cohorts/${upcoming}?interest=check-email#interest`)
    const banner = await request(t, clients.anonymous, 'GET', String(good.headers.location))
    expect(text(banner.body)).toContain('We have sent a link to the address you gave')
    const rows = await t.database.db
      .selectFrom('cohort_interest')
      .select('email')
      .where('cohort_id', '=', upcoming)
      .execute()
    expect(rows.map((r) => r.email)).toEqual(['keen@school.example'])
  })

  it('confirms the address through the emailed link’s page, once, and refuses a client past its allowance', async () => {
    const upcoming = 'embedding-work-group-3'
    const asked = await request(t, clients.anonymous, 'POST', `/cohorts/${upcoming}/interest`, {
      email: 'confirming@school.example',
    })
    expect(asked.statusCode).toBe(303)
    const mail = await t.database.db
      .selectFrom('outbox')
      .select('body_text')
      .where('to_address', '=', 'confirming@school.example')
      .where('template', '=', 'cohort-interest-confirm')
      .executeTakeFirstOrThrow()
    const link = /http:\/\/localhost:3000(\/cohort-interest\/[A-Za-z0-9_-]+)/.exec(mail.body_text)![1]!
    const page = await request(t, clients.anonymous, 'GET', link)
    expect(page.statusCode).toBe(200)
    expect(text(page.body)).toContain('Confirm your email address')
    const confirmed = await request(t, clients.anonymous, 'POST', link)
    expect(confirmed.statusCode).toBe(200)
    expect(text(confirmed.body)).toContain('We will email you when applications open')
    const again = await request(t, clients.anonymous, 'POST', link)
    expect(again.statusCode).toBe(410)
    const row = await t.database.db
      .selectFrom('cohort_interest')
      .select('confirmed_at')
      .where('email', '=', 'confirming@school.example')
      .executeTakeFirstOrThrow()
    expect(row.confirmed_at).not.toBeNull()

    await t.database.db.deleteFrom('rate_limits').where('key', 'like', 'interest:%').execute()
    for (let i = 0; i < 10; i++) {
      const ok = await request(t, clients.anonymous, 'POST', `/cohorts/${upcoming}/interest`, {
        email: `someone${i}@elsewhere.example`,
      })
      expect(ok.statusCode).toBe(303)
    }
    const refused = await request(t, clients.anonymous, 'POST', `/cohorts/${upcoming}/interest`, {
      email: 'someone10@elsewhere.example',
    })
    expect(refused.statusCode).toBe(429)
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0)
    expect(text(refused.body)).toContain('You have made too many requests to be told when applications open')
    const stored = await t.database.db
      .selectFrom('cohort_interest')
      .select('id')
      .where('email', '=', 'someone10@elsewhere.example')
      .execute()
    expect(stored).toEqual([])
    await t.database.db.deleteFrom('rate_limits').where('key', 'like', 'interest:%').execute()
  })

  it('sends anonymous visitors to sign in before applying, and refuses a closed cohort', async () => {
    const anonymous = await request(t, clients.anonymous, 'POST', `/cohorts/${OPEN_COHORT}/apply`, {})
    expect(anonymous.statusCode).toBe(302)
    expect(anonymous.headers.location).toBe('/sign-in')
    const closed = await request(
      t,
      clients.teacher,
      'POST',
      '/cohorts/primary-mastery-specialist-9/apply',
      {},
    )
    expect(closed.statusCode).toBe(422)
    expect(text(closed.body)).toContain('You can no longer apply to this cohort.')
  })
})

describe('a teacher’s application, page by page', () => {
  it('starts once; a second start shows the first', async () => {
    const teacher = await newTeacher()
    const id = await start(teacher)
    const again = await request(t, teacher, 'POST', `/cohorts/${OPEN_COHORT}/apply`, {})
    expect(again.headers.location).toBe(`/applications/${id}?existing=1`)
    const page = await request(t, teacher, 'GET', `/applications/${id}?existing=1`)
    expect(text(page.body)).toContain('You have already started an application to this cohort')
    const list = await request(t, teacher, 'GET', '/applications')
    expect(text(list.body)).toContain('Primary Mastery Specialist Programme: Cohort 13')
  })

  it('finds the school in the register, shows eligibility at once, and names a closed school’s successor', async () => {
    const teacher = await newTeacher()
    const id = await start(teacher)
    const search = await request(t, teacher, 'GET', `/applications/${id}/school?q=990001`)
    expect(search.statusCode).toBe(200)
    expect(text(search.body)).toContain('Can take part: served by Northvale Maths Hub')
    const secondary = await request(t, teacher, 'GET', `/applications/${id}/school?q=990017`)
    expect(text(secondary.body)).toContain('Cannot take part')
    const closed = await request(t, teacher, 'POST', `/applications/${id}/school`, {
      urn: '990048',
      q: '990048',
    })
    expect(closed.statusCode).toBe(422)
    expect(errorSummary(closed.body)[0]?.href).toBe('#urn')
    expect(errorSummary(closed.body)[0]?.text).toContain('Northgate Infant Academy')
    expect((await applicationRow(id)).school_urn).toBeNull()
    const tooShort = await request(t, teacher, 'GET', `/applications/${id}/school?q=a`)
    expect(tooShort.statusCode).toBe(422)
    expect(errorSummary(tooShort.body)[0]?.href).toBe('#q')
  })

  it('refuses bad teaching details naming each field, and keeps nothing of them', async () => {
    const teacher = await newTeacher()
    const id = await start(teacher)
    const response = await request(t, teacher, 'POST', `/applications/${id}/teaching`, {
      hasQts: 'yes',
      trn: '12',
      yearsTeachingMaths: 'six',
      currentRole: '<script>alert(1)</script>',
      classesTaught: '',
    })
    expect(response.statusCode).toBe(422)
    expect(errorSummary(response.body).map((e) => e.href)).toEqual([
      '#trn',
      '#yearsTeachingMaths',
      '#classesTaught',
    ])
    expect(response.body).not.toContain('<script>alert(1)</script>')
    expect(response.body).toContain('&lt;script&gt;alert(1)&lt;/script&gt;')
    expect((await applicationRow(id)).teaching).toEqual({})
  })

  it('refuses evidence over its word limit, naming the criterion', async () => {
    const teacher = await newTeacher()
    const id = await start(teacher)
    const response = await request(t, teacher, 'POST', `/applications/${id}/evidence`, {
      'evidence-good-teaching': 'word '.repeat(251),
    })
    expect(response.statusCode).toBe(422)
    expect(errorSummary(response.body)[0]).toMatchObject({ href: '#evidence-good-teaching' })
    expect(errorSummary(response.body)[0]?.text).toContain('250 words or fewer')
    expect((await applicationRow(id)).evidence).toEqual({})
  })

  it('goes from the task list through the headteacher’s link to submission, and the hub sees it', async () => {
    const teacher = await newTeacher()
    const id = await endorsedApplication(teacher)
    const tasks = text((await request(t, teacher, 'GET', `/applications/${id}`)).body)
    expect(tasks).toContain('Endorsed: ready to submit')
    const check = await request(t, teacher, 'GET', `/applications/${id}/check`)
    expect(check.statusCode).toBe(200)
    const key = /name="idempotencyKey" value="([^"]+)"/.exec(check.body)![1]!
    const submitted = await request(t, teacher, 'POST', `/applications/${id}/submit`, { idempotencyKey: key })
    expect(submitted.headers.location).toBe(`/applications/${id}?submitted=1`)
    // The same form sent twice is one submission.
    const again = await request(t, teacher, 'POST', `/applications/${id}/submit`, { idempotencyKey: key })
    expect(again.statusCode).toBe(303)
    const history = await t.database.db
      .selectFrom('application_history')
      .select('event')
      .where('application_id', '=', id)
      .where('event', '=', 'submit')
      .execute()
    expect(history).toHaveLength(1)
    const confirmation = text((await request(t, teacher, 'GET', `/applications/${id}?submitted=1`)).body)
    expect(confirmation).toContain('Application submitted')
    expect(confirmation).toContain((await applicationRow(id)).reference)

    const hubList = await request(t, clients.hubLead, 'GET', '/hubs/northvale-maths-hub/applications')
    expect(hubList.statusCode).toBe(200)
    expect(hubList.body).toContain(`/applications/${id}`)
    const asHub = await request(t, clients.hubLead, 'GET', `/applications/${id}`)
    expect(asHub.statusCode).toBe(200)
    expect(text(asHub.body)).toContain('My evidence for good-teaching.')
    expect((await request(t, clients.otherHubLead, 'GET', `/applications/${id}`)).statusCode).toBe(404)
    expect(
      (await request(t, clients.otherHubLead, 'GET', '/hubs/northvale-maths-hub/applications')).statusCode,
    ).toBe(404)
    const national = await request(t, clients.nationalViewer, 'GET', '/admin/applications')
    expect(national.body).toContain(`/applications/${id}`)
  })

  it('shows the headteacher what the school commits to; the link works once', async () => {
    const teacher = await newTeacher()
    const id = await start(teacher)
    await request(t, teacher, 'POST', `/applications/${id}/school`, { urn: KINGSMEAD_PRIMARY })
    const refused = await request(t, teacher, 'POST', `/applications/${id}/headteacher`, {
      name: '',
      email: 'not-an-email',
    })
    expect(refused.statusCode).toBe(422)
    expect(errorSummary(refused.body).map((e) => e.href)).toEqual(['#name', '#email'])
    await request(t, teacher, 'POST', `/applications/${id}/headteacher`, {
      name: 'Helen Morris',
      email: HEAD.email,
    })
    const link = await lastEndorseLink()
    const page = await request(t, clients.anonymous, 'GET', link)
    expect(page.statusCode).toBe(200)
    expect(text(page.body)).toContain('Develop, embed and sustain teaching for mastery approaches in maths')
    const noReason = await request(t, clients.anonymous, 'POST', link, { decision: 'decline' })
    expect(noReason.statusCode).toBe(422)
    expect(errorSummary(noReason.body)[0]?.href).toBe('#reason')
    expect((await applicationRow(id)).state).toBe('awaiting-endorsement')
    const declined = await request(t, clients.anonymous, 'POST', link, {
      decision: 'decline',
      reason: 'We cannot release staff <this> year',
    })
    expect(declined.statusCode).toBe(200)
    expect((await applicationRow(id)).state).toBe('endorsement-declined')
    const used = await request(t, clients.anonymous, 'GET', link)
    expect(used.statusCode).toBe(410)
    expect(text(used.body)).toContain('You have already answered this request')
    const tasks = await request(t, teacher, 'GET', `/applications/${id}`)
    expect(tasks.body).toContain('We cannot release staff &lt;this&gt; year')
    expect(
      (await request(t, clients.anonymous, 'GET', '/endorse/not-a-real-token-at-all-xyz')).statusCode,
    ).toBe(404)
  })

  it('names the headteacher the service knows and asks for no address; elsewhere asks for one', async () => {
    const teacher = await newTeacher()
    const id = await start(teacher)
    await request(t, teacher, 'POST', `/applications/${id}/school`, { urn: NORTHVALE_PRIMARY })
    const known = await request(t, teacher, 'GET', `/applications/${id}/headteacher`)
    expect(text(known.body)).toContain(
      'We will send the request to Helen Morris, who we hold as the headteacher of Christ Church Primary School',
    )
    expect(known.body).not.toContain('name="email"')
    const sent = await request(t, teacher, 'POST', `/applications/${id}/headteacher`, {
      name: 'Someone Else',
      email: 'someone.else@elsewhere.example',
    })
    expect(sent.statusCode).toBe(303)
    expect((await applicationRow(id)).headteacher_email).toBe(HEAD.email)

    await request(t, teacher, 'POST', `/applications/${id}/school`, { urn: KINGSMEAD_PRIMARY })
    const unknown = await request(t, teacher, 'GET', `/applications/${id}/headteacher`)
    expect(unknown.body).toContain('name="email"')
    expect(text(unknown.body)).toContain('Your Maths Hub will check that they are your headteacher')
  })

  it('refuses too many requests to headteachers with 429 and Retry-After, sending nothing', async () => {
    const teacher = await newTeacher()
    const id = await start(teacher)
    await request(t, teacher, 'POST', `/applications/${id}/school`, { urn: KINGSMEAD_PRIMARY })
    for (let i = 0; i < 10; i++) {
      const asked = await request(t, teacher, 'POST', `/applications/${id}/headteacher`, {
        name: 'Pat Head',
        email: `pat${i}@kingsmead.example`,
      })
      expect(asked.statusCode).toBe(303)
    }
    const before = await t.database.db.selectFrom('outbox').select('id').execute()
    const refused = await request(t, teacher, 'POST', `/applications/${id}/headteacher`, {
      name: 'Pat Head',
      email: 'pat10@kingsmead.example',
    })
    expect(refused.statusCode).toBe(429)
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0)
    expect(text(refused.body)).toContain('You have made too many requests to headteachers')
    expect(await t.database.db.selectFrom('outbox').select('id').execute()).toEqual(before)
    expect((await applicationRow(id)).headteacher_email).toBe('pat9@kingsmead.example')
  })

  it('shows the hub a headteacher the service does not hold as not verified, until its lead verifies it', async () => {
    const teacher = await newTeacher()
    const head = { name: 'Pat Head', email: `pat-${randomUUID()}@kingsmead.example` }
    const id = await endorsedApplication(teacher, KINGSMEAD_PRIMARY, head)
    const submitted = await request(t, teacher, 'POST', `/applications/${id}/submit`, {
      idempotencyKey: randomUUID(),
    })
    expect(submitted.statusCode).toBe(303)
    const hubPage = await request(t, clients.hubLead, 'GET', `/applications/${id}`)
    expect(text(hubPage.body)).toContain('Pat Head Headteacher not verified')
    expect(hubPage.body).toContain(`action="/applications/${id}/headteacher-verification"`)
    const ranked = await request(
      t,
      clients.hubLead,
      'GET',
      `/hubs/northvale-maths-hub/cohorts/${OPEN_COHORT}/selection`,
    )
    expect(ranked.statusCode).toBe(200)
    expect(text(ranked.body)).toMatch(/Headteacher not verified/)

    for (const persona of ['otherHubLead', 'teacher'] as const) {
      const refused = await request(
        t,
        clients[persona],
        'POST',
        `/applications/${id}/headteacher-verification`,
      )
      expect(refused.statusCode).toBe(404)
    }
    expect((await applicationRow(id)).headteacher_verification).toBeNull()
    const verified = await request(t, clients.hubLead, 'POST', `/applications/${id}/headteacher-verification`)
    expect(verified.statusCode).toBe(303)
    expect((await applicationRow(id)).headteacher_verification).toBe('hub')
    const after = await request(t, clients.hubLead, 'GET', String(verified.headers.location))
    expect(text(after.body)).toContain('The headteacher is verified.')
    expect(text(after.body)).not.toContain('Headteacher not verified')
  })

  it('refuses submission after the closing instant and keeps the draft, saying so plainly', async () => {
    const teacher = await newTeacher()
    const id = await endorsedApplication(teacher)
    const before = await applicationRow(id)
    await at('2027-01-21T17:00:00.000Z', async () => {
      const late = await sessionFor(teacher.personId!)
      const response = await request(t, late, 'POST', `/applications/${id}/submit`, {
        idempotencyKey: randomUUID(),
      })
      expect(response.statusCode).toBe(422)
      expect(text(response.body)).toContain(
        'Applications to Primary Mastery Specialist Programme Cohort 13 closed at 5pm on 21 January 2027. Your application has been kept as it was',
      )
      expect(await applicationRow(id)).toEqual(before)
      const tasks = text((await request(t, late, 'GET', `/applications/${id}`)).body)
      expect(tasks).toContain('it can no longer be changed or submitted')
    })
  })

  it('lets the teacher withdraw; nobody else can see or change another’s application', async () => {
    const teacher = await newTeacher()
    const id = await start(teacher)
    for (const path of ['', '/school', '/teaching', '/evidence', '/headteacher', '/check', '/withdraw']) {
      expect((await request(t, clients.teacher, 'GET', `/applications/${id}${path}`)).statusCode, path).toBe(
        404,
      )
      // Not submitted yet: even the hub does not see it.
      expect((await request(t, clients.hubLead, 'GET', `/applications/${id}${path}`)).statusCode, path).toBe(
        404,
      )
    }
    expect((await request(t, clients.teacher, 'POST', `/applications/${id}/withdraw`, {})).statusCode).toBe(
      404,
    )
    expect((await applicationRow(id)).state).toBe('draft')
    const withdrawn = await request(t, teacher, 'POST', `/applications/${id}/withdraw`, {})
    expect(withdrawn.headers.location).toBe(`/applications/${id}?withdrawn=1`)
    expect((await applicationRow(id)).state).toBe('withdrawn')
    expect((await request(t, teacher, 'GET', '/applications/abc')).statusCode).toBe(404)
  })
})
