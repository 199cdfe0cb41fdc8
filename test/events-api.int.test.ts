// API v1 for events, bookings and attendance, through the real app. NCETM schedules and confirms
// a cohort's residential; a hub lead schedules a hub session today; specialists book (one with an
// access need, one onto the waiting list), see only their own needs, and cancel; organisers read
// bookings with needs, mark attendance, upload it as CSV, and show the day's code, which the
// specialist enters. Each endpoint: success, a refusal (422 {errors:[{code, field, message}]} with
// nothing saved), another hub's lead told "not found", and 401 without a token. Two bookings at
// once for one place: one place, one waiting.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, type TestApp } from './app.ts'
import { cohortInputWith, ensureCohort } from './cohort-factory.ts'
import { makeParticipation, type MadeParticipation } from './participation-fixtures.ts'
import { issueApiToken, request, signInPersonas, type Client, type PersonaName } from './personas.ts'

const HUB = 'northvale-maths-hub'
const RIVERSIDE = 'riverside-maths-hub'
type Who = PersonaName | Client

let t: TestApp
let clients: Record<PersonaName, Client>
let cohortId: string
let sam: MadeParticipation
let ada: MadeParticipation & { client: Client }
let residentialId: number
let sessionId: number
let samsResidentialBooking: number
let samsSessionBooking: number

async function clientFor(p: MadeParticipation): Promise<Client> {
  const db = t.database.db
  const grant = await db
    .selectFrom('grants')
    .select('id')
    .where('person_id', '=', p.personId)
    .executeTakeFirstOrThrow()
  const apiToken = await issueApiToken(db, p.personId, grant.id, t.clock.now())
  return { persona: 'specialist', personId: p.personId, cookie: null, csrf: '', apiToken }
}

async function api(who: Who, method: string, url: string, body?: Record<string, unknown>) {
  const client = typeof who === 'string' ? clients[who] : who
  const response = await request(t, client, method, url, body)
  return { status: response.statusCode, body: response.body ? response.json() : undefined, response }
}

/** Every row the event endpoints write, and the outbox: a refusal must leave them all as they were. */
async function saved() {
  const db = t.database.db
  const tables = [
    'events',
    'event_days',
    'event_venues',
    'bookings',
    'attendance',
    'audit_events',
    'outbox',
  ] as const
  const counts: Record<string, unknown> = {}
  for (const table of tables) {
    counts[table] = Number(
      (
        await db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll<string>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    )
  }
  counts.states = await db.selectFrom('events').select(['id', 'status', 'sequence']).orderBy('id').execute()
  counts.bookingStates = await db.selectFrom('bookings').select(['id', 'status']).orderBy('id').execute()
  counts.marks = await db.selectFrom('attendance').select(['id', 'status', 'method']).orderBy('id').execute()
  counts.codes = await db
    .selectFrom('event_days')
    .select(['id', 'attendance_code_hash'])
    .orderBy('id')
    .execute()
  return counts
}

/** Sends it, expects 422 with exactly these errors, and that nothing was saved. */
async function refused(
  who: Who,
  method: string,
  url: string,
  body: Record<string, unknown> | undefined,
  errors: { code: string; field: string; message: string }[],
) {
  const before = await saved()
  const answer = await api(who, method, url, body)
  expect(answer.status, `${method} ${url}: ${JSON.stringify(answer.body)}`).toBe(422)
  expect(answer.body).toEqual({ errors })
  expect(await saved(), 'a refusal saved nothing').toEqual(before)
}

/** Sends it as another hub's lead (404) and with no token (401); neither saves anything. */
async function notForOthers(method: string, url: string, body?: Record<string, unknown>) {
  const before = await saved()
  const other = await api('otherHubLead', method, url, body)
  expect(other.status, `${method} ${url} as another hub’s lead`).toBe(404)
  expect(other.body.errors[0].code).toBe('not-found')
  const anonymous = await api('anonymous', method, url, body)
  expect(anonymous.status, `${method} ${url} with no token`).toBe(401)
  expect(anonymous.body.errors[0].code).toBe('unauthenticated')
  expect(await saved()).toEqual(before)
}

const RESIDENTIAL = {
  kind: 'residential',
  title: 'First residential',
  days: [
    { startsAt: '2027-01-13T09:00:00Z', endsAt: '2027-01-13T17:00:00Z' },
    { startsAt: '2027-01-14T09:00:00Z', endsAt: '2027-01-14T16:00:00Z' },
  ],
  venues: [
    { name: 'London', address: '1 Example Street, London', capacity: 1 },
    { name: 'Manchester', address: '2 Example Road, Manchester', capacity: 20 },
  ],
}
/** Today, 9am to 4pm: the clock reads 10am on 22 November 2026. */
const SESSION = {
  kind: 'hub-session',
  title: 'Hub session: reasoning',
  hubId: HUB,
  days: [{ startsAt: '2026-11-22T09:00:00Z', endsAt: '2026-11-22T16:00:00Z' }],
  venues: [{ name: 'Northvale Academy', address: 'School Lane, Northvale', capacity: 20 }],
}

beforeAll(async () => {
  t = await createTestApp() // 10am on 22 November 2026
  clients = await signInPersonas(t)
  const db = t.database.db
  cohortId = await ensureCohort(db, cohortInputWith({ number: 63 }))
  sam = await makeParticipation(db, { cohortId, hubId: HUB, personId: clients.specialist.personId! })
  const made = await makeParticipation(db, { cohortId, hubId: HUB, name: 'Ada Lovelace' })
  ada = { ...made, client: await clientFor(made) }
  await makeParticipation(db, { cohortId, hubId: RIVERSIDE, name: 'Rita Banks' })
})
afterAll(async () => {
  await t?.close()
})

describe('scheduling', () => {
  it('schedules a residential (NCETM) and a hub session (the hub’s lead), subject to confirmation', async () => {
    const residential = await api('nationalAdmin', 'POST', '/api/v1/events', { ...RESIDENTIAL, cohortId })
    expect(residential.status).toBe(201)
    residentialId = residential.body.id
    expect(residential.response.headers.location).toBe(`/api/v1/events/${residentialId}`)
    expect(residential.body).toMatchObject({
      kind: 'residential',
      status: 'planned',
      subjectToConfirmation: true,
      cohortId,
      hubId: null,
      sequence: 0,
      days: [
        { dayNumber: 1, startsAt: '2027-01-13T09:00:00.000Z', endsAt: '2027-01-13T17:00:00.000Z' },
        { dayNumber: 2, startsAt: '2027-01-14T09:00:00.000Z', endsAt: '2027-01-14T16:00:00.000Z' },
      ],
      venues: [
        { name: 'London', capacity: 1 },
        { name: 'Manchester', capacity: 20 },
      ],
    })
    const session = await api('hubLead', 'POST', '/api/v1/events', SESSION)
    expect(session.status).toBe(201)
    sessionId = session.body.id
    expect(session.body).toMatchObject({ kind: 'hub-session', hubId: HUB, cohortId: null })
  })

  it('refuses a missing title or days in the wrong order, saving nothing', async () => {
    await refused('nationalAdmin', 'POST', '/api/v1/events', { ...RESIDENTIAL, cohortId, title: undefined }, [
      { code: 'invalid', field: 'title', message: 'Enter the event’s title' },
    ])
    await refused(
      'hubLead',
      'POST',
      '/api/v1/events',
      { ...SESSION, days: [{ startsAt: '2026-12-01T16:00:00Z', endsAt: '2026-12-01T09:00:00Z' }] },
      [{ code: 'ends-before-start', field: 'days.0.endsAt', message: 'Day 1 must end after it starts' }],
    )
  })

  it('is not found for another hub’s lead scheduling for this hub, and 401 without a token', async () => {
    await notForOthers('POST', '/api/v1/events', SESSION)
  })
})

describe('lists of events', () => {
  it('a cohort’s, for NCETM’s administrators', async () => {
    const { status, body } = await api('nationalAdmin', 'GET', `/api/v1/cohorts/${cohortId}/events`)
    expect(status).toBe(200)
    expect(body.items.map((e: { id: number }) => e.id)).toContain(residentialId)
    expect(body.items.find((e: { id: number }) => e.id === residentialId)).toMatchObject({
      title: 'First residential',
      startsAt: '2027-01-13T09:00:00.000Z',
      endsAt: '2027-01-14T16:00:00.000Z',
      venues: ['London', 'Manchester'],
      places: 21,
    })
    expect((await api('hubLead', 'GET', `/api/v1/cohorts/${cohortId}/events`)).status).toBe(404)
    await notForOthers('GET', `/api/v1/cohorts/${cohortId}/events`)
    const bad = await api('nationalAdmin', 'GET', '/api/v1/cohorts/Not%20a%20cohort/events')
    expect(bad.status).toBe(422)
    expect(bad.body.errors[0]).toMatchObject({ code: 'invalid', field: 'id' })
  })

  it('a hub’s, for its lead and administrators', async () => {
    for (const who of ['hubLead', 'hubAdmin', 'nationalAdmin'] as const) {
      const { status, body } = await api(who, 'GET', `/api/v1/hubs/${HUB}/events`)
      expect(status, who).toBe(200)
      expect(body.items.map((e: { id: number }) => e.id)).toEqual([sessionId])
    }
    await notForOthers('GET', `/api/v1/hubs/${HUB}/events`)
    expect((await api('hubLead', 'GET', `/api/v1/hubs/${HUB}/events?when=past`)).status).toBe(422)
  })
})

describe('booking', () => {
  it('books a place with an access need; the next at a full venue waits', async () => {
    const booked = await api('specialist', 'POST', `/api/v1/events/${residentialId}/bookings`, {
      venueId: (await venue(residentialId, 'London')).id,
      accessNeeds: 'Step-free access to the rooms',
    })
    expect(booked.status).toBe(201)
    samsResidentialBooking = booked.body.id
    expect(booked.body).toMatchObject({
      eventId: residentialId,
      participationId: sam.participationId,
      status: 'booked',
      waiting: false,
      accessNeeds: 'Step-free access to the rooms',
      dietaryNeeds: null,
    })
    const waiting = await api(ada.client, 'POST', `/api/v1/events/${residentialId}/bookings`, {
      venueId: (await venue(residentialId, 'London')).id,
      dietaryNeeds: 'Vegetarian',
    })
    expect(waiting.status).toBe(201)
    expect(waiting.body).toMatchObject({ status: 'waiting', waiting: true })
    const session = await api('specialist', 'POST', `/api/v1/events/${sessionId}/bookings`, {})
    expect(session.status).toBe(201)
    samsSessionBooking = session.body.id
  })

  it('refuses a second booking and a residential without its venue, saving nothing', async () => {
    await refused('specialist', 'POST', `/api/v1/events/${residentialId}/bookings`, {}, [
      { code: 'booked', field: 'event', message: 'You have already booked this event' },
    ])
    const rita = await clientFor(
      await makeParticipation(t.database.db, { cohortId, hubId: RIVERSIDE, name: 'Rob Riverside' }),
    )
    await refused(rita, 'POST', `/api/v1/events/${residentialId}/bookings`, {}, [
      { code: 'required', field: 'venueId', message: 'Select where you will go: London or Manchester' },
    ])
    await refused('specialist', 'POST', `/api/v1/events/${sessionId}/bookings`, { venueId: 'London' }, [
      { code: 'invalid', field: 'venueId', message: 'Select a venue' },
    ])
  })

  it('is not found for another hub’s lead (not invited), and 401 without a token', async () => {
    await notForOthers('POST', `/api/v1/events/${residentialId}/bookings`, {})
    await notForOthers('POST', `/api/v1/events/${sessionId}/bookings`, {})
  })

  it('gives two people booking the last place at once one place and one waiting place', async () => {
    const race = await api('nationalAdmin', 'POST', '/api/v1/events', {
      ...RESIDENTIAL,
      cohortId,
      title: 'One place left',
      venues: [{ name: 'London', address: '1 Example Street, London', capacity: 1 }],
    })
    const answers = await Promise.all(
      ['specialist' as const, ada.client].map((who) =>
        api(who, 'POST', `/api/v1/events/${race.body.id}/bookings`, {}),
      ),
    )
    expect(answers.map((a) => a.status)).toEqual([201, 201])
    expect(answers.map((a) => a.body.status).sort()).toEqual(['booked', 'waiting'])
    // The same person twice at once: one booking, and the other told it is already booked.
    const again = await Promise.all(
      [1, 2].map(() => api('specialist', 'POST', `/api/v1/events/${sessionId}/bookings`, {})),
    )
    expect(again.map((a) => a.status)).toEqual([422, 422])
    const created = await api('hubLead', 'POST', '/api/v1/events', { ...SESSION, title: 'Twice at once' })
    const twice = await Promise.all(
      [1, 2].map(() => api('specialist', 'POST', `/api/v1/events/${created.body.id}/bookings`, {})),
    )
    expect(twice.map((a) => a.status).sort()).toEqual([201, 422])
    expect(twice.find((a) => a.status === 422)!.body.errors).toEqual([
      { code: 'booked', field: 'event', message: 'You have already booked this event' },
    ])
  })
})

async function venue(eventId: number, name: string) {
  return t.database.db
    .selectFrom('event_venues')
    .select(['id', 'name'])
    .where('event_id', '=', eventId)
    .where('name', '=', name)
    .executeTakeFirstOrThrow()
}

describe('reading an event and its bookings', () => {
  it('shows organisers every booking with needs, and a specialist only their own', async () => {
    const organiser = await api('nationalAdmin', 'GET', `/api/v1/events/${residentialId}`)
    expect(organiser.status).toBe(200)
    expect(organiser.body.organiser).toBe(true)
    expect(
      organiser.body.bookings.map(
        (b: {
          personName: string
          accessNeeds: string | null
          dietaryNeeds: string | null
          status: string
        }) => [b.personName, b.status, b.accessNeeds, b.dietaryNeeds],
      ),
    ).toEqual([
      ['Sam Carter', 'booked', 'Step-free access to the rooms', null],
      ['Ada Lovelace', 'waiting', null, 'Vegetarian'],
    ])
    const own = await api('specialist', 'GET', `/api/v1/events/${residentialId}`)
    expect(own.status).toBe(200)
    expect(own.body).toMatchObject({
      organiser: false,
      bookings: [],
      mine: {
        participationId: sam.participationId,
        booking: {
          id: samsResidentialBooking,
          status: 'booked',
          venueName: 'London',
          accessNeeds: 'Step-free access to the rooms',
        },
      },
    })
    const other = await api(ada.client, 'GET', `/api/v1/events/${residentialId}`)
    expect(other.body.bookings).toEqual([])
    expect(other.body.mine.booking.dietaryNeeds).toBe('Vegetarian')
    expect(JSON.stringify(other.body)).not.toContain('Step-free')
    // A hub lead does not organise NCETM's residential: not there for them.
    expect((await api('hubLead', 'GET', `/api/v1/events/${residentialId}`)).status).toBe(404)
    await notForOthers('GET', `/api/v1/events/${residentialId}`)
    expect((await api('nationalAdmin', 'GET', '/api/v1/events/0')).status).toBe(422)
  })

  it('lists the bookings with needs for organisers only', async () => {
    const { status, body } = await api('nationalAdmin', 'GET', `/api/v1/events/${residentialId}/bookings`)
    expect(status).toBe(200)
    expect(body.event.id).toBe(residentialId)
    expect(body.items[0]).toMatchObject({
      personName: 'Sam Carter',
      accessNeeds: 'Step-free access to the rooms',
    })
    for (const who of ['specialist', 'hubLead', 'nationalViewer'] as const) {
      expect((await api(who, 'GET', `/api/v1/events/${residentialId}/bookings`)).status, who).toBe(404)
    }
    await notForOthers('GET', `/api/v1/events/${residentialId}/bookings`)
  })

  it('lists a specialist’s own events with their booking', async () => {
    const { status, body } = await api('specialist', 'GET', '/api/v1/me/events')
    expect(status).toBe(200)
    const mine = body.items.filter((e: { id: number }) => [residentialId, sessionId].includes(e.id))
    expect(
      mine.map((e: { id: number; bookingId: number; bookingStatus: string }) => [
        e.id,
        e.bookingId,
        e.bookingStatus,
      ]),
    ).toEqual([
      [sessionId, samsSessionBooking, 'booked'],
      [residentialId, samsResidentialBooking, 'booked'],
    ])
    expect((await api('hubLead', 'GET', '/api/v1/me/events')).body).toEqual({ items: [] })
    expect((await api('anonymous', 'GET', '/api/v1/me/events')).status).toBe(401)
  })
})

describe('confirming, moving and cancelling', () => {
  it('confirms once; a second confirmation is refused', async () => {
    const { status, body } = await api('nationalAdmin', 'POST', `/api/v1/events/${residentialId}/confirm`)
    expect(status).toBe(200)
    expect(body).toMatchObject({ status: 'confirmed', subjectToConfirmation: false })
    await refused('nationalAdmin', 'POST', `/api/v1/events/${residentialId}/confirm`, undefined, [
      { code: 'confirmed', field: 'event', message: 'This event is already confirmed' },
    ])
    await notForOthers('POST', `/api/v1/events/${sessionId}/confirm`)
  })

  it('moves a confirmed event, emailing the booked once; the same days again are refused', async () => {
    const days = [
      { startsAt: '2027-01-20T09:00:00Z', endsAt: '2027-01-20T17:00:00Z' },
      { startsAt: '2027-01-21T09:00:00Z', endsAt: '2027-01-21T16:00:00Z' },
    ]
    const { status, body } = await api('nationalAdmin', 'POST', `/api/v1/events/${residentialId}/move`, {
      days,
    })
    expect(status).toBe(200)
    expect(body).toMatchObject({ sequence: 1, days: [{ startsAt: '2027-01-20T09:00:00.000Z' }, {}] })
    const emails = await t.database.db
      .selectFrom('outbox')
      .select(['template'])
      .where('to_address', '=', 'sam.carter@school.example')
      .where('template', '=', 'event-moved')
      .execute()
    expect(emails).toHaveLength(1)
    await refused('nationalAdmin', 'POST', `/api/v1/events/${residentialId}/move`, { days }, [
      {
        code: 'unchanged',
        field: 'days.0.startsAt',
        message: 'The event is already on these days at these venues',
      },
    ])
    await refused('nationalAdmin', 'POST', `/api/v1/events/${residentialId}/move`, {}, [
      { code: 'invalid', field: 'days', message: 'Add the event’s days' },
    ])
    await notForOthers('POST', `/api/v1/events/${sessionId}/move`, { days })
  })

  it('cancels with a reason; without one it is refused', async () => {
    const event = await api('hubLead', 'POST', '/api/v1/events', { ...SESSION, title: 'To be cancelled' })
    await refused('hubLead', 'POST', `/api/v1/events/${event.body.id}/cancel`, { reason: ' ' }, [
      { code: 'invalid', field: 'reason', message: 'Enter why the event is cancelled' },
    ])
    await notForOthers('POST', `/api/v1/events/${event.body.id}/cancel`, { reason: 'No room' })
    const { status, body } = await api('hubLead', 'POST', `/api/v1/events/${event.body.id}/cancel`, {
      reason: 'No room',
    })
    expect(status).toBe(200)
    expect(body).toMatchObject({ status: 'cancelled', cancelReason: 'No room', sequence: 1 })
  })
})

describe('cancelling a booking', () => {
  it('cancels your own; the first waiting moves up and is told; a second cancel is refused', async () => {
    await notForOthers('POST', `/api/v1/bookings/${samsResidentialBooking}/cancel`)
    expect((await api(ada.client, 'POST', `/api/v1/bookings/${samsResidentialBooking}/cancel`)).status).toBe(
      404,
    )
    const { status, body } = await api(
      'specialist',
      'POST',
      `/api/v1/bookings/${samsResidentialBooking}/cancel`,
    )
    expect(status).toBe(200)
    expect(body).toEqual({ id: samsResidentialBooking, status: 'cancelled' })
    const own = await api(ada.client, 'GET', `/api/v1/events/${residentialId}`)
    expect(own.body.mine.booking.status).toBe('booked')
    const told = await t.database.db
      .selectFrom('outbox')
      .select('template')
      .where('to_address', '=', ada.email)
      .execute()
    expect(told.map((e) => e.template)).toContain('booking-place-available')
    await refused('specialist', 'POST', `/api/v1/bookings/${samsResidentialBooking}/cancel`, undefined, [
      { code: 'cancelled', field: 'booking', message: 'This booking is already cancelled' },
    ])
  })
})

describe('attendance', () => {
  it('is marked on screen by the organiser; an absence needs its reason', async () => {
    const url = `/api/v1/events/${sessionId}/attendance`
    await refused(
      'hubLead',
      'POST',
      url,
      { marks: [{ bookingId: samsSessionBooking, dayNumber: 1, status: 'absent' }] },
      [{ code: 'reason', field: 'marks.0.absenceReason', message: 'Give the reason for the absence' }],
    )
    await refused(
      'hubLead',
      'POST',
      url,
      { marks: [{ bookingId: samsSessionBooking, dayNumber: 2, status: 'present' }] },
      [{ code: 'not-a-day', field: 'marks.0', message: 'The event has no day 2' }],
    )
    await notForOthers('POST', url, {
      marks: [{ bookingId: samsSessionBooking, dayNumber: 1, status: 'present' }],
    })
    const { status, body } = await api('hubLead', 'POST', url, {
      marks: [{ bookingId: samsSessionBooking, dayNumber: 1, status: 'late' }],
    })
    expect(status).toBe(200)
    expect(body).toEqual({ recorded: 1 })
  })

  it('is uploaded as a CSV file sent as base64: one bad row and nothing is saved', async () => {
    const url = `/api/v1/events/${sessionId}/attendance/import`
    const file = (text: string) => ({ file: Buffer.from(text).toString('base64') })
    await refused(
      'hubLead',
      'POST',
      url,
      file(
        `Email,Day,Status,Absence reason\r\n${sam.email},1,Present,\r\nnobody@school.example,1,Present,\r\n`,
      ),
      [
        {
          code: 'not-booked',
          field: 'file',
          message: 'Line 3, column "Email": no one with a place at this event has this email address',
        },
      ],
    )
    await refused('hubLead', 'POST', url, { file: 'not base64!' }, [
      { code: 'invalid', field: 'file', message: 'Send the file’s contents encoded as base64' },
    ])
    await notForOthers('POST', url, file(`Email,Day,Status\r\n${sam.email},1,Present\r\n`))
    const { status, body } = await api(
      'hubLead',
      'POST',
      url,
      file(`Email,Day,Status\r\n${sam.email},1,Left early\r\n`),
    )
    expect(status).toBe(200)
    expect(body).toEqual({ recorded: 1 })
  })

  it('is read by the organiser in full, and by the attendee for themself only', async () => {
    const url = `/api/v1/events/${sessionId}/attendance`
    const organiser = await api('hubAdmin', 'GET', url)
    expect(organiser.status).toBe(200)
    expect(organiser.body).toMatchObject({
      eventId: sessionId,
      organiser: true,
      items: [
        {
          bookingId: samsSessionBooking,
          personName: 'Sam Carter',
          dayNumber: 1,
          status: 'left-early',
          method: 'upload',
        },
      ],
    })
    const own = await api('specialist', 'GET', url)
    expect(own.body).toMatchObject({ organiser: false, items: [{ status: 'left-early', personName: null }] })
    expect((await api(ada.client, 'GET', url)).body.items).toEqual([])
    await notForOthers('GET', url)
  })

  it('is entered as the day’s code by the attendee; a wrong code is refused and saves no mark', async () => {
    await refused('hubLead', 'POST', `/api/v1/events/${sessionId}/days/3/code`, undefined, [
      { code: 'not-a-day', field: 'dayNumber', message: 'The event has no day 3' },
    ])
    await notForOthers('POST', `/api/v1/events/${sessionId}/days/1/code`)
    const shown = await api('hubLead', 'POST', `/api/v1/events/${sessionId}/days/1/code`)
    expect(shown.status).toBe(200)
    expect(shown.body).toEqual({ dayNumber: 1, code: expect.stringMatching(/^[A-HJ-NP-Z2-9]{6}$/) })
    await t.database.db.deleteFrom('attendance').execute()
    const url = `/api/v1/events/${sessionId}/attendance-code`
    await refused('specialist', 'POST', url, { code: 'WRONG1' }, [
      { code: 'wrong-code', field: 'code', message: 'The code is not right: check it and try again' },
    ])
    await notForOthers('POST', url, { code: shown.body.code })
    const { status, body } = await api('specialist', 'POST', url, { code: shown.body.code.toLowerCase() })
    expect(status).toBe(200)
    expect(body).toEqual({ eventId: sessionId, status: 'present' })
    const marks = await t.database.db.selectFrom('attendance').select(['status', 'method']).execute()
    expect(marks).toEqual([{ status: 'present', method: 'code' }])
  })
})
