// The events pages on the demo's development year: NCETM schedules, confirms, moves and cancels a
// cohort's residential; the specialist books with an access need, sees their place and their
// attendance, enters the day's code and gets their calendar link; attendance is marked on screen and
// uploaded (a file with one bad row saves nothing). Anyone else is answered "page not found", and
// access and dietary needs are seen only by organisers and the person.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import ical from 'node-ical'
import { createTestApp, type TestApp } from './app.ts'
import { request, signInPersonas, type Client, type PersonaName } from './personas.ts'
import { DEMO_DEVELOPMENT_COHORT } from '../src/domain/participants/participants.demo.ts'

let t: TestApp
let clients: Record<PersonaName, Client>
const COHORT = DEMO_DEVELOPMENT_COHORT

beforeAll(async () => {
  t = await createTestApp()
  clients = await signInPersonas(t)
})
afterAll(async () => {
  await t?.close()
})

async function eventIdByTitle(title: string): Promise<number> {
  const row = await t.database.db
    .selectFrom('events')
    .select('id')
    .where('cohort_id', '=', COHORT)
    .where('title', '=', title)
    .executeTakeFirstOrThrow()
  return Number(row.id)
}

async function count(table: 'events' | 'bookings' | 'attendance'): Promise<number> {
  const row = await t.database.db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

/** A day and time as the event form's fields, days from the test's now. */
function at(prefix: string, daysFromNow: number, hour: number): Record<string, string> {
  const d = new Date(t.clock.now().getTime() + daysFromNow * 86_400_000)
  return {
    [`${prefix}.day`]: String(d.getUTCDate()),
    [`${prefix}.month`]: String(d.getUTCMonth() + 1),
    [`${prefix}.year`]: String(d.getUTCFullYear()),
    [`${prefix}.hour`]: String(hour),
    [`${prefix}.minute`]: '00',
  }
}

function multipart(fields: Record<string, string>, file?: { name: string; type: string; content: string }) {
  const boundary = '----masteryhubtest'
  const parts = Object.entries(fields).map(
    ([k, v]) => `--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`,
  )
  if (file) {
    parts.push(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\nContent-Type: ${file.type}\r\n\r\n${file.content}\r\n`,
    )
  }
  return {
    payload: parts.join('') + `--${boundary}--\r\n`,
    type: `multipart/form-data; boundary=${boundary}`,
  }
}

describe('a cohort’s events', () => {
  it('are listed for NCETM from the cohort page, and for nobody else', async () => {
    const cohort = await request(t, clients.nationalAdmin, 'GET', `/cohorts/${COHORT}`)
    expect(cohort.body).toContain(`href="/cohorts/${COHORT}/events"`)
    const list = await request(t, clients.nationalAdmin, 'GET', `/cohorts/${COHORT}/events`)
    expect(list.statusCode).toBe(200)
    expect(list.body).toContain('First residential')
    expect(list.body).toContain('Third residential')
    for (const persona of ['hubLead', 'specialist', 'teacher', 'nationalViewer'] as const) {
      const other = await request(t, clients[persona], 'GET', `/cohorts/${COHORT}/events`)
      expect(other.statusCode, persona).toBe(404)
    }
  })

  it('are scheduled from the form, subject to confirmation, and a bad date changes nothing', async () => {
    const before = await count('events')
    const bad = await request(t, clients.nationalAdmin, 'POST', '/events', {
      cohortId: COHORT,
      kind: 'residential',
      title: 'Fourth residential',
      ...at('days.0.startsAt', 200, 9),
      'days.0.endsAt.day': '31',
      'days.0.endsAt.month': '2',
      'days.0.endsAt.year': '2027',
      'days.0.endsAt.hour': '17',
      'days.0.endsAt.minute': '00',
      'venues.0.name': 'Leeds',
      'venues.0.address': '1 Park Row, Leeds',
      'venues.0.capacity': '50',
    })
    expect(bad.statusCode).toBe(422)
    expect(bad.body).toContain('govuk-error-summary')
    expect(bad.body).toContain('href="#days.0.endsAt.day"')
    expect(bad.body).toContain('Enter when day 1 ends as a real date and time')
    expect(await count('events')).toBe(before)

    const noVenue = await request(t, clients.nationalAdmin, 'POST', '/events', {
      cohortId: COHORT,
      kind: 'residential',
      title: 'Fourth residential',
      ...at('days.0.startsAt', 200, 9),
      ...at('days.0.endsAt', 200, 17),
    })
    expect(noVenue.statusCode).toBe(422)
    expect(noVenue.body).toContain('Add the venue')
    expect(await count('events')).toBe(before)

    const made = await request(t, clients.nationalAdmin, 'POST', '/events', {
      cohortId: COHORT,
      kind: 'residential',
      title: 'Fourth residential',
      ...at('days.0.startsAt', 200, 9),
      ...at('days.0.endsAt', 200, 17),
      ...at('days.1.startsAt', 201, 9),
      ...at('days.1.endsAt', 201, 16),
      'venues.0.name': 'Leeds',
      'venues.0.address': '1 Park Row, Leeds',
      'venues.0.capacity': '50',
    })
    expect(made.statusCode).toBe(303)
    const page = await request(t, clients.nationalAdmin, 'GET', made.headers.location as string)
    expect(page.body).toContain('Subject to confirmation')
    expect(page.body).toContain('9am to 4pm')
    const id = await eventIdByTitle('Fourth residential')
    const confirmed = await request(t, clients.nationalAdmin, 'POST', `/events/${id}/confirm`)
    expect(confirmed.statusCode).toBe(303)
    const again = await request(t, clients.nationalAdmin, 'GET', `/events/${id}`)
    expect(again.body).toContain('govuk-tag--green')
    // A hub lead may not schedule a cohort's residential.
    const lead = await request(t, clients.hubLead, 'GET', `/events/new?cohort=${COHORT}`)
    expect(lead.statusCode).toBe(404)
  })
})

describe('the specialist', () => {
  it('finds their programme from the menu, with the past residential’s attendance', async () => {
    const account = await request(t, clients.specialist, 'GET', '/account')
    expect(account.body).toContain('href="/my-programme"')
    const mine = await request(t, clients.specialist, 'GET', '/my-programme')
    expect(mine.statusCode).toBe(200)
    expect(mine.body).toContain('Primary Mastery Specialist Programme, Cohort 9')
    expect(mine.body).toContain('Second residential')
    expect(mine.body).toContain('First residential')
    const first = await eventIdByTitle('First residential')
    const event = await request(t, clients.specialist, 'GET', `/events/${first}`)
    expect(event.statusCode).toBe(200)
    expect(event.body).toContain('Your attendance')
    expect(event.body).toContain('Step-free access to rooms, please')
    // Nobody else's needs, and no organiser's list.
    expect(event.body).not.toContain('Vegetarian')
    expect(event.body).not.toContain('Mark attendance')
  })

  it('books the third residential at one of its two venues with an access need', async () => {
    const third = await eventIdByTitle('Third residential')
    const before = await count('bookings')
    const noVenue = await request(t, clients.specialist, 'POST', `/events/${third}/book`, {
      accessNeeds: 'A hearing loop',
    })
    expect(noVenue.statusCode).toBe(422)
    expect(noVenue.body).toContain('Select where you will go: London or Manchester')
    expect(noVenue.body).toContain('href="#venueId"')
    expect(await count('bookings')).toBe(before)
    const form = await request(t, clients.specialist, 'GET', `/events/${third}/book`)
    const venueId = /name="venueId" type="radio" value="(\d+)"/.exec(form.body)?.[1]
    expect(venueId).toBeDefined()
    const booked = await request(t, clients.specialist, 'POST', `/events/${third}/book`, {
      venueId: venueId!,
      accessNeeds: 'A hearing loop',
    })
    expect(booked.statusCode).toBe(303)
    expect(await count('bookings')).toBe(before + 1)
    // The organiser sees the need; the hub lead (no organiser of a residential) does not see the event.
    const organiser = await request(t, clients.nationalAdmin, 'GET', `/events/${third}`)
    expect(organiser.body).toContain('A hearing loop')
    const lead = await request(t, clients.hubLead, 'GET', `/events/${third}`)
    expect(lead.statusCode).toBe(404)
    const teacher = await request(t, clients.teacher, 'GET', `/events/${third}/book`)
    expect(teacher.statusCode).toBe(404)
  })

  it('gets a calendar link shown once, whose feed carries their events', async () => {
    const page = await request(t, clients.specialist, 'GET', '/my-programme/calendar')
    expect(page.body).toContain('Get your calendar link')
    const made = await request(t, clients.specialist, 'POST', '/my-programme/calendar')
    const link = /<code id="calendar-link">([^<]+)<\/code>/.exec(made.body)?.[1]
    expect(link).toMatch(/\/calendar\/[A-Za-z0-9_-]{43}\.ics$/)
    const path = new URL(link!).pathname
    const feed = await t.app.inject({ method: 'GET', url: path })
    expect(feed.statusCode).toBe(200)
    expect(feed.headers['content-type']).toContain('text/calendar')
    const parsed = Object.values(ical.sync.parseICS(feed.body)).filter((c) => c?.type === 'VEVENT')
    expect(parsed.map((e) => (e as { summary: string }).summary)).toContain('Second residential')
    // Getting a new link ends the old one.
    await request(t, clients.specialist, 'POST', '/my-programme/calendar')
    expect((await t.app.inject({ method: 'GET', url: path })).statusCode).toBe(404)
  })
})

describe('attendance', () => {
  it('is marked on screen by the organiser, and an absence needs its reason', async () => {
    const second = await eventIdByTitle('Second residential')
    const form = await request(t, clients.nationalAdmin, 'GET', `/events/${second}/attendance?day=1`)
    expect(form.statusCode).toBe(200)
    const bookingId = /name="marks\.0\.bookingId" value="(\d+)"/.exec(form.body)?.[1]
    expect(bookingId).toBeDefined()
    const before = await count('attendance')
    const noReason = await request(t, clients.nationalAdmin, 'POST', `/events/${second}/attendance`, {
      dayNumber: '1',
      'marks.0.bookingId': bookingId!,
      'marks.0.status': 'absent',
    })
    expect(noReason.statusCode).toBe(422)
    expect(noReason.body).toContain('href="#marks.0.absenceReason"')
    expect(await count('attendance')).toBe(before)
    const marked = await request(t, clients.nationalAdmin, 'POST', `/events/${second}/attendance`, {
      dayNumber: '1',
      'marks.0.bookingId': bookingId!,
      'marks.0.status': 'late',
    })
    expect(marked.statusCode).toBe(303)
    expect(await count('attendance')).toBe(before + 1)
    const specialistTries = await request(t, clients.specialist, 'GET', `/events/${second}/attendance`)
    expect(specialistTries.statusCode).toBe(404)
  })

  it('is uploaded as a CSV: one bad row saves nothing and names its line and column', async () => {
    const second = await eventIdByTitle('Second residential')
    const template = await request(
      t,
      clients.nationalAdmin,
      'GET',
      `/events/${second}/attendance/template.csv`,
    )
    expect(template.statusCode).toBe(200)
    expect(template.body.split('\n')[0]).toContain('Email,Day,Status,Absence reason')
    const before = await count('attendance')
    const bad = [
      'Email,Day,Status,Absence reason',
      'sam.carter@school.example,2,present,',
      'leah.patel@school.example,2,asleep,',
    ].join('\n')
    const upload = (content: string) => {
      const body = multipart(
        { _csrf: clients.nationalAdmin.csrf },
        { name: 'a.csv', type: 'text/csv', content },
      )
      return t.app.inject({
        method: 'POST',
        url: `/events/${second}/attendance/upload`,
        headers: { cookie: `mh_session=${clients.nationalAdmin.cookie}`, 'content-type': body.type },
        payload: body.payload,
      })
    }
    const refused = await upload(bad)
    expect(refused.statusCode).toBe(422)
    expect(refused.body).toContain('Line 3, column')
    expect(await count('attendance')).toBe(before)
    const good = await upload(bad.replace('asleep', 'left early'))
    expect(good.statusCode).toBe(303)
    expect(await count('attendance')).toBe(before + 2)
    // Without the form's token the upload is refused.
    const body = multipart({}, { name: 'a.csv', type: 'text/csv', content: bad })
    const forged = await t.app.inject({
      method: 'POST',
      url: `/events/${second}/attendance/upload`,
      headers: { cookie: `mh_session=${clients.nationalAdmin.cookie}`, 'content-type': body.type },
      payload: body.payload,
    })
    expect(forged.statusCode).toBe(403)
  })

  it('shows a day’s code to the organiser; a wrong code is refused to the specialist', async () => {
    const second = await eventIdByTitle('Second residential')
    const shown = await request(t, clients.nationalAdmin, 'POST', `/events/${second}/days/1/code`)
    expect(shown.statusCode).toBe(200)
    expect(shown.body).toMatch(/app-attendance-code">[A-Z2-9]{6}</)
    // Outside the day's hours the code is refused, and says why.
    const early = await request(t, clients.specialist, 'POST', `/events/${second}/attendance-code`, {
      code: 'ABCDEF',
    })
    expect(early.statusCode).toBe(422)
    expect(early.body).toContain('govuk-error-summary')
  })
})
