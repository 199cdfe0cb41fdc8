// The API of release time and tasks on the demo's development year: each endpoint's success, a
// refusal (422 {errors:[{code, field, message}]}) that saves nothing, another hub's lead answered
// 404, and no token answered 401.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, type TestApp } from './app.ts'
import { freshPastDate, freshTask, participationOf } from './event-fixtures.ts'
import { request, signInPersonas, type Client, type PersonaName } from './personas.ts'
import { DEMO_DEVELOPMENT_COHORT } from '../src/domain/participants/participants.demo.ts'

let t: TestApp
let clients: Record<PersonaName, Client>
let sam: number

beforeAll(async () => {
  t = await createTestApp()
  clients = await signInPersonas(t)
  sam = await participationOf(t, 'sam.carter@school.example')
})
afterAll(async () => {
  await t?.close()
})

const count = async (table: 'release_entries' | 'task_submissions' | 'tasks') =>
  Number(
    (
      await t.database.db
        .selectFrom(table)
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  )

describe('the release time API', () => {
  it('logs a day and answers the ledger; the same half day again is refused and saves nothing', async () => {
    const on = await freshPastDate(t)
    const url = `/api/v1/participations/${sam}/release-time`
    const logged = await request(t, clients.specialist, 'POST', url, {
      on,
      half: 'day',
      activity: 'department',
    })
    expect(logged.statusCode).toBe(201)
    const body = JSON.parse(logged.body) as { entries: { on: string; half: string }[]; years: unknown[] }
    expect(
      body.entries
        .filter((e) => e.on === on)
        .map((e) => e.half)
        .sort(),
    ).toEqual(['afternoon', 'morning'])
    const before = await count('release_entries')
    const again = await request(t, clients.hubLead, 'POST', url, {
      on,
      half: 'morning',
      activity: 'department',
    })
    expect(again.statusCode).toBe(422)
    expect(JSON.parse(again.body).errors[0]).toMatchObject({ field: 'on' })
    expect(await count('release_entries')).toBe(before)
    expect((await request(t, clients.otherHubLead, 'GET', url)).statusCode).toBe(404)
    expect((await request(t, clients.anonymous, 'GET', url)).statusCode).toBe(401)
  })

  it('reverses an entry with a reason and approves extra days for the hub, never for oneself', async () => {
    const read = JSON.parse(
      (await request(t, clients.hubLead, 'GET', `/api/v1/participations/${sam}/release-time`)).body,
    )
    const use = read.entries.find(
      (e: { kind: string; reversedBy: number | null }) => e.kind === 'use' && !e.reversedBy,
    )
    const reverse = `/api/v1/participations/${sam}/release-time/${use.id}/reverse`
    const before = await count('release_entries')
    const noReason = await request(t, clients.hubLead, 'POST', reverse, { reason: '' })
    expect(noReason.statusCode).toBe(422)
    expect(await count('release_entries')).toBe(before)
    const reversed = await request(t, clients.hubLead, 'POST', reverse, { reason: 'Logged by mistake' })
    expect(reversed.statusCode).toBe(201)
    expect(await count('release_entries')).toBe(before + 1)
    const extra = `/api/v1/participations/${sam}/release-time/extra-days`
    expect(
      (await request(t, clients.specialist, 'POST', extra, { days: '2', reason: 'Mine' })).statusCode,
    ).toBe(404)
    const approved = await request(t, clients.hubLead, 'POST', extra, {
      days: '2',
      reason: 'A second Work Group',
    })
    expect(approved.statusCode).toBe(201)
    const year = JSON.parse(approved.body).years.at(-1)
    expect(year.approvedExtraHalfDays).toBeGreaterThanOrEqual(4)
  })
})

describe('the tasks API', () => {
  it('hands in evidence, refuses an http link, and the hub returns it with feedback', async () => {
    const taskId = await freshTask(t)
    const url = `/api/v1/participations/${sam}/tasks/${taskId}/submissions`
    const before = await count('task_submissions')
    const http = await request(t, clients.specialist, 'POST', url, {
      kind: 'link',
      url: 'http://example.com/plan',
    })
    expect(http.statusCode).toBe(422)
    expect(await count('task_submissions')).toBe(before)
    const exe = await request(t, clients.specialist, 'POST', url, {
      kind: 'file',
      file: {
        filename: 'plan.pdf',
        contentType: 'application/pdf',
        base64: Buffer.from('MZ program').toString('base64'),
      },
    })
    expect(exe.statusCode).toBe(422)
    expect(await count('task_submissions')).toBe(before)
    const handed = await request(t, clients.specialist, 'POST', url, {
      kind: 'link',
      url: 'https://www.example.com/plan',
    })
    expect(handed.statusCode).toBe(201)
    const submission = JSON.parse(handed.body).id
    const review = `/api/v1/submissions/${submission}/review`
    expect((await request(t, clients.hubLead, 'POST', review, { decision: 'return' })).statusCode).toBe(422)
    expect((await request(t, clients.otherHubLead, 'POST', review, { decision: 'accept' })).statusCode).toBe(
      404,
    )
    const returned = await request(t, clients.hubLead, 'POST', review, {
      decision: 'return',
      feedback: 'Say who',
    })
    expect(returned.statusCode).toBe(200)
    expect(JSON.parse(returned.body)).toMatchObject({ status: 'returned', feedback: 'Say who' })
    const tasks = JSON.parse(
      (await request(t, clients.specialist, 'GET', `/api/v1/participations/${sam}/tasks`)).body,
    )
    expect(tasks.items.find((i: { id: number }) => i.id === taskId).progress).toBe('returned')
    expect(
      (await request(t, clients.otherHubLead, 'GET', `/api/v1/participations/${sam}/tasks`)).statusCode,
    ).toBe(404)
  })

  it('sets a cohort’s task for NCETM only, and refuses a due date in the past', async () => {
    const url = `/api/v1/cohorts/${DEMO_DEVELOPMENT_COHORT}/tasks`
    const before = await count('tasks')
    const past = await request(t, clients.nationalAdmin, 'POST', url, {
      title: 'Late',
      description: 'Too late',
      dueOn: '2020-01-01',
    })
    expect(past.statusCode).toBe(422)
    expect(JSON.parse(past.body).errors[0]).toMatchObject({ field: 'dueOn' })
    expect(await count('tasks')).toBe(before)
    expect(
      (await request(t, clients.hubLead, 'POST', url, { title: 'X', description: 'Y', dueOn: '2030-01-01' }))
        .statusCode,
    ).toBe(404)
    const set = await request(t, clients.nationalAdmin, 'POST', url, {
      title: 'Observe a colleague',
      description: 'Observe and write up',
      dueOn: '2030-01-01',
    })
    expect(set.statusCode).toBe(201)
    expect(await count('tasks')).toBe(before + 1)
  })
})
