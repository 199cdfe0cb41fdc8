// National administrators set up, change and close cohorts, on the pages and through the API, by
// the same use-cases: a refusal changes nothing, anyone else is answered "not found", and each
// change is audited and shown in the cohort's history.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, type TestApp } from './app.ts'
import { cohortFormBody, ensureCohort, primaryCohortInput } from './cohort-factory.ts'
import { request, signInPersonas, type Client, type PersonaName } from './personas.ts'
import { findCohort } from '../src/domain/programmes/programmes.repository.ts'
import { cohortFormValues, type CohortFormValues } from '../src/web/cohort-form.ts'

let t: TestApp
let clients: Record<PersonaName, Client>

beforeAll(async () => {
  t = await createTestApp() // the clock reads 10am on 22 November 2026
  clients = await signInPersonas(t)
})
afterAll(async () => {
  await t?.close()
})

const formBody = cohortFormBody

async function auditCount(id: string): Promise<number> {
  const row = await t.database.db
    .selectFrom('audit_events')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('record_type', '=', 'cohort')
    .where('record_id', '=', id)
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

/** A fresh cohort (window 2 December 2024 to 14 March 2025, so closed now) with the given number. */
async function freshCohort(number: number, window?: { opensIn: number; closesIn: number }): Promise<string> {
  const input = primaryCohortInput()
  if (window) {
    const at = (days: number, hour: number) => {
      const d = new Date(t.clock.now().getTime() + days * 86_400_000)
      return { day: d.getUTCDate(), month: d.getUTCMonth() + 1, year: d.getUTCFullYear(), hour, minute: 0 }
    }
    const closes = at(window.closesIn, 17)
    Object.assign(input, {
      opensAt: at(window.opensIn, 9),
      closesAt: closes,
      decisionsReleasedOn: { day: 1, month: 6, year: closes.year + 1 },
      residentials: [],
    })
  }
  return ensureCohort(t.database.db, { ...input, number })
}

describe('setting up a cohort on the pages', () => {
  it('is linked from the programme page for national administrators only', async () => {
    const admin = await request(t, clients.nationalAdmin, 'GET', '/programmes/primary-mastery-specialist')
    expect(admin.body).toContain('href="/programmes/primary-mastery-specialist/cohorts/new"')
    const viewer = await request(t, clients.nationalViewer, 'GET', '/programmes/primary-mastery-specialist')
    expect(viewer.body).not.toContain('/cohorts/new')
  })

  it('starts from the newest cohort’s criteria and sets up a cohort with its money in pence', async () => {
    const form = await request(
      t,
      clients.nationalAdmin,
      'GET',
      '/programmes/primary-mastery-specialist/cohorts/new',
    )
    expect(form.statusCode).toBe(200)
    expect(form.body).toContain('copied from Cohort 13')
    expect(form.body).toContain('value="14"')
    expect(form.body).toContain('Qualified Teacher Status')

    const existing = (await findCohort(t.database.db, 'primary-mastery-specialist-13'))!
    const values: CohortFormValues = {
      ...cohortFormValues(existing),
      number: '14',
      developmentYear: '2027/28',
      opensAt: { day: '1', month: '2', year: '2027', hour: '9', minute: '00' },
      closesAt: { day: '30', month: '4', year: '2027', hour: '17', minute: '30' },
      decisionsReleasedOn: { day: '1', month: '7', year: '2027' },
      residentials: [
        {
          name: 'First residential',
          startsOn: { day: '10', month: '11', year: '2027' },
          endsOn: { day: '11', month: '11', year: '2027' },
          subjectToConfirmation: true,
        },
      ],
      funding: { releaseDaysPerYear: '7.5', dayRate: '£187.50', bursary: '1,000' },
    }
    const sent = await request(
      t,
      clients.nationalAdmin,
      'POST',
      '/programmes/primary-mastery-specialist/cohorts',
      {
        ...formBody(values),
        'headteacherCommitments.9': '', // a blank row is ignored
      },
    )
    expect(sent.statusCode).toBe(303)
    expect(sent.headers.location).toBe('/cohorts/primary-mastery-specialist-14?saved=created')

    const cohort = (await findCohort(t.database.db, 'primary-mastery-specialist-14'))!
    expect(cohort.funding).toEqual({ releaseDaysPerYear: 7.5, dayRatePence: 18_750, bursaryPence: 100_000 })
    expect(cohort.opensAt.toISOString()).toBe('2027-02-01T09:00:00.000Z') // GMT
    expect(cohort.closesAt.toISOString()).toBe('2027-04-30T16:30:00.000Z') // BST
    expect(cohort.residentials).toEqual([
      {
        name: 'First residential',
        startsOn: '2027-11-10',
        endsOn: '2027-11-11',
        subjectToConfirmation: true,
      },
    ])
    expect(cohort.headteacherCommitments).toEqual(existing.headteacherCommitments)

    const page = await request(t, clients.nationalAdmin, 'GET', sent.headers.location as string)
    expect(page.body).toContain('The cohort has been set up.')
    expect(page.body).toMatch(/Set up/)
  })

  it('refuses a number the programme has with the field named, and sets up nothing', async () => {
    const existing = (await findCohort(t.database.db, 'primary-mastery-specialist-13'))!
    const before = await auditCount('primary-mastery-specialist-13')
    const sent = await request(
      t,
      clients.nationalAdmin,
      'POST',
      '/programmes/primary-mastery-specialist/cohorts',
      formBody({ ...cohortFormValues(existing), number: '13' }),
    )
    expect(sent.statusCode).toBe(422)
    expect(sent.body).toContain('href="#number"')
    expect(sent.body).toContain('already has a cohort 13')
    expect(await auditCount('primary-mastery-specialist-13')).toBe(before)
  })

  it('is "not found" to anyone but a national administrator', async () => {
    for (const persona of ['nationalViewer', 'hubLead', 'teacher'] as const) {
      const form = await request(
        t,
        clients[persona],
        'GET',
        '/programmes/primary-mastery-specialist/cohorts/new',
      )
      expect(form.statusCode, persona).toBe(404)
      const sent = await request(
        t,
        clients[persona],
        'POST',
        '/programmes/primary-mastery-specialist/cohorts',
        {
          number: '77',
        },
      )
      expect(sent.statusCode, persona).toBe(404)
    }
    expect(await findCohort(t.database.db, 'primary-mastery-specialist-77')).toBeUndefined()
    const anonymous = await request(
      t,
      clients.anonymous,
      'GET',
      '/programmes/primary-mastery-specialist/cohorts/new',
    )
    expect(anonymous.statusCode).toBe(302)
  })
})

describe('changing a cohort on the pages', () => {
  it('shows the cohort as it is, changes what is sent and records what changed', async () => {
    const id = await freshCohort(31)
    const page = await request(t, clients.nationalAdmin, 'GET', `/cohorts/${id}`)
    expect(page.body).toContain(`href="/cohorts/${id}/edit"`)

    const form = await request(t, clients.nationalAdmin, 'GET', `/cohorts/${id}/edit`)
    expect(form.statusCode).toBe(200)
    expect(form.body.match(/<h1\b/g)).toHaveLength(1)
    const ids = [...form.body.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1])
    expect(ids.filter((x, i) => ids.indexOf(x) !== i)).toEqual([])
    // Every label names a field on the page.
    for (const [, target] of form.body.matchAll(/<label[^>]*for="([^"]+)"/g)) expect(ids).toContain(target)
    expect(form.body).toContain('name="closesAt.day" type="text" value="14"')
    expect(form.body).toContain('name="funding.dayRate" type="text" value="200"')

    const values = cohortFormValues((await findCohort(t.database.db, id))!)
    values.closesAt = { ...values.closesAt, day: '21' }
    values.desirableCriteria[2] = { id: '', text: '', evidence: '', wordLimit: '' } // cleared: taken out
    values.funding.dayRate = '210.25'
    const sent = await request(t, clients.nationalAdmin, 'POST', `/cohorts/${id}/edit`, formBody(values))
    expect(sent.statusCode).toBe(303)
    expect(sent.headers.location).toBe(`/cohorts/${id}?saved=changed`)

    const cohort = (await findCohort(t.database.db, id))!
    expect(cohort.closesAt.toISOString()).toBe('2025-03-21T17:00:00.000Z')
    expect(cohort.desirableCriteria.map((c) => c.id)).toEqual(['additional-status', 'subject-leader'])
    expect(cohort.funding.dayRatePence).toBe(21_025)
    expect(cohort.essentialCriteria).toHaveLength(7)

    const after = await request(t, clients.nationalAdmin, 'GET', sent.headers.location as string)
    expect(after.body).toContain('The cohort’s details have been changed.')
    expect(after.body).toContain('Change history')
    expect(after.body).toContain('Changed: Applications close, Desirable criteria, Funding')
    expect(after.body).toContain('Nadia Khan')
  })

  it('refuses a form with problems, linking each to its field, and changes nothing', async () => {
    const id = await freshCohort(32)
    const stored = await findCohort(t.database.db, id)
    const audited = await auditCount(id)
    const values = cohortFormValues(stored!)
    values.closesAt = { day: '1', month: '12', year: '2024', hour: '9', minute: '00' } // before it opens
    values.essentialCriteria[0] = { ...values.essentialCriteria[0]!, id: 'Not A Slug' }
    values.funding.bursary = 'lots'
    const sent = await request(t, clients.nationalAdmin, 'POST', `/cohorts/${id}/edit`, formBody(values))
    expect(sent.statusCode).toBe(422)
    expect(sent.body).toContain('There is a problem')
    expect(sent.body).toContain('href="#essentialCriteria.0.id"')
    expect(sent.body).toContain('href="#funding.bursary"')
    expect(sent.body).toContain('Enter the bursary in pounds')
    expect(sent.body).toContain('value="Not A Slug"') // the answers are shown again
    expect(await findCohort(t.database.db, id)).toEqual(stored)
    expect(await auditCount(id)).toBe(audited)

    values.essentialCriteria[0] = { ...values.essentialCriteria[0]!, id: 'qts' }
    values.funding.bursary = '0'
    values.decisionsReleasedOn = { day: '31', month: '2', year: '2025' } // no such day
    const order = await request(t, clients.nationalAdmin, 'POST', `/cohorts/${id}/edit`, formBody(values))
    expect(order.statusCode).toBe(422)
    expect(order.body).toContain('href="#closesAt.day"')
    expect(order.body).toContain('The date applications close must be after the date they open')
    expect(order.body).toContain('href="#decisionsReleasedOn.day"')
    expect(order.body).toContain('The date decisions are released must be a real date')
    expect(await findCohort(t.database.db, id)).toEqual(stored)
  })

  it('gives a list another row without saving anything', async () => {
    const id = await freshCohort(33)
    const stored = await findCohort(t.database.db, id)
    const values = cohortFormValues(stored!)
    values.developmentYear = '2030/31'
    const sent = await request(t, clients.nationalAdmin, 'POST', `/cohorts/${id}/edit`, {
      ...formBody(values),
      add: 'residentials',
    })
    expect(sent.statusCode).toBe(200)
    // Three residentials, and two blank rows.
    expect(sent.body).toContain('name="residentials.4.name"')
    expect(sent.body).not.toContain('name="residentials.5.name"')
    expect(sent.body).toContain('value="2030/31"')
    expect(await findCohort(t.database.db, id)).toEqual(stored)
  })

  it('is "not found" to anyone else, and for a cohort that does not exist', async () => {
    const id = await freshCohort(34)
    const stored = await findCohort(t.database.db, id)
    const body = formBody(cohortFormValues(stored!))
    for (const persona of ['nationalViewer', 'hubLead', 'teacher', 'headteacher'] as const) {
      expect((await request(t, clients[persona], 'GET', `/cohorts/${id}/edit`)).statusCode, persona).toBe(404)
      const sent = await request(t, clients[persona], 'POST', `/cohorts/${id}/edit`, {
        ...body,
        developmentYear: '2031/32',
      })
      expect(sent.statusCode, persona).toBe(404)
      const page = await request(t, clients[persona], 'GET', `/cohorts/${id}`)
      expect(page.body, persona).not.toContain('/edit')
      expect(page.body, persona).not.toContain('Change history')
    }
    expect(await findCohort(t.database.db, id)).toEqual(stored)
    expect(
      (await request(t, clients.nationalAdmin, 'GET', '/cohorts/no-such-cohort-1/edit')).statusCode,
    ).toBe(404)
    const unknown = await request(t, clients.nationalAdmin, 'POST', '/cohorts/no-such-cohort-1/edit', body)
    expect(unknown.statusCode).toBe(404)
  })
})

describe('closing a cohort', () => {
  it('asks to confirm, ends an open window now, is audited, and cannot close it twice', async () => {
    const id = await freshCohort(35, { opensIn: -5, closesIn: 30 })
    const page = await request(t, clients.nationalAdmin, 'GET', `/cohorts/${id}`)
    expect(page.body).toContain(`href="/cohorts/${id}/close"`)
    const confirm = await request(t, clients.nationalAdmin, 'GET', `/cohorts/${id}/close`)
    expect(confirm.statusCode).toBe(200)
    expect(confirm.body).toContain('govuk-warning-text')
    expect(confirm.body).toContain('Close applications now')

    const sent = await request(t, clients.nationalAdmin, 'POST', `/cohorts/${id}/close`)
    expect(sent.statusCode).toBe(303)
    expect(sent.headers.location).toBe(`/cohorts/${id}?saved=closed`)
    const cohort = (await findCohort(t.database.db, id))!
    expect(cohort.closesAt).toEqual(t.clock.now())
    expect(cohort.opensAt.getTime()).toBeLessThan(t.clock.now().getTime())
    const audit = await t.database.db
      .selectFrom('audit_events')
      .select(['action', 'before', 'after'])
      .where('record_id', '=', id)
      .where('action', '=', 'cohort.close')
      .executeTakeFirstOrThrow()
    expect(audit.after).toMatchObject({ closesAt: t.clock.now().toISOString() })

    const after = await request(t, clients.nationalAdmin, 'GET', sent.headers.location as string)
    expect(after.body).toContain('The cohort is closed to applications.')
    expect(after.body).toContain('Closed early: Applications close')
    expect(after.body).not.toContain(`href="/cohorts/${id}/close"`)

    const again = await request(t, clients.nationalAdmin, 'POST', `/cohorts/${id}/close`)
    expect(again.statusCode).toBe(422)
    expect(again.body).toContain('Applications to this cohort have already closed')
  })

  it('gives a cohort not yet open a window ending now, so it never opens', async () => {
    const id = await freshCohort(36, { opensIn: 10, closesIn: 40 })
    expect((await request(t, clients.nationalAdmin, 'POST', `/cohorts/${id}/close`)).statusCode).toBe(303)
    const cohort = (await findCohort(t.database.db, id))!
    expect(cohort.opensAt).toEqual(new Date(t.clock.now().getTime() - 1000))
    expect(cohort.closesAt).toEqual(t.clock.now())
    const page = await request(t, clients.anonymous, 'GET', `/cohorts/${id}`)
    expect(page.body).toContain('Applications closed at')
    expect(page.body).not.toContain('Tell me when it opens')
  })

  it('closes once when asked several times at once', async () => {
    const id = await freshCohort(38, { opensIn: -5, closesIn: 30 })
    const replies = await Promise.all(
      Array.from({ length: 4 }, () => request(t, clients.nationalAdmin, 'POST', `/cohorts/${id}/close`)),
    )
    expect(replies.map((r) => r.statusCode).sort()).toEqual([303, 422, 422, 422])
    const closes = await t.database.db
      .selectFrom('audit_events')
      .select('id')
      .where('record_id', '=', id)
      .where('action', '=', 'cohort.close')
      .execute()
    expect(closes).toHaveLength(1)
  })

  it('is "not found" to anyone else', async () => {
    const id = await freshCohort(37, { opensIn: -5, closesIn: 30 })
    const stored = await findCohort(t.database.db, id)
    for (const persona of ['nationalViewer', 'hubLead', 'reviewer', 'teacher'] as const) {
      expect((await request(t, clients[persona], 'GET', `/cohorts/${id}/close`)).statusCode, persona).toBe(
        404,
      )
      expect((await request(t, clients[persona], 'POST', `/cohorts/${id}/close`)).statusCode, persona).toBe(
        404,
      )
    }
    expect(await findCohort(t.database.db, id)).toEqual(stored)
  })
})

describe('the API', () => {
  it('changes only the details sent, and refuses a bad change with the field named, changing nothing', async () => {
    const id = await freshCohort(41)
    const stored = (await findCohort(t.database.db, id))!
    const changed = await request(t, clients.nationalAdmin, 'PATCH', `/api/v1/cohorts/${id}`, {
      funding: { releaseDaysPerYear: 10, dayRatePence: 25_000, bursaryPence: 0 },
    })
    expect(changed.statusCode).toBe(200)
    expect(changed.json()).toMatchObject({ id, funding: { dayRatePence: 25_000 } })
    const cohort = (await findCohort(t.database.db, id))!
    expect(cohort.funding.dayRatePence).toBe(25_000)
    expect(cohort.desirableCriteria).toEqual(stored.desirableCriteria)
    expect(cohort.residentials).toEqual(stored.residentials)

    const audited = await auditCount(id)
    const refused = await request(t, clients.nationalAdmin, 'PATCH', `/api/v1/cohorts/${id}`, {
      closesAt: { day: 1, month: 12, year: 2024, hour: 9, minute: 0 },
    })
    expect(refused.statusCode).toBe(422)
    expect(refused.json().errors).toEqual([
      expect.objectContaining({ code: 'out-of-order', field: 'closesAt' }),
    ])
    const shape = await request(t, clients.nationalAdmin, 'PATCH', `/api/v1/cohorts/${id}`, {
      residentials: [{ name: 'Only', startsOn: { day: 1 } }],
    })
    expect(shape.statusCode).toBe(422)
    expect(shape.json().errors.map((e: { field: string }) => e.field)).toContain(
      'residentials.0.startsOn.month',
    )
    expect(await findCohort(t.database.db, id)).toEqual(cohort)
    expect(await auditCount(id)).toBe(audited)
  })

  it('answers "not found" to anyone else, and asks for a token', async () => {
    const id = await freshCohort(42, { opensIn: -1, closesIn: 20 })
    const stored = await findCohort(t.database.db, id)
    for (const persona of ['nationalViewer', 'hubLead', 'teacher'] as const) {
      const patch = await request(t, clients[persona], 'PATCH', `/api/v1/cohorts/${id}`, {
        developmentYear: '2031/32',
      })
      expect(patch.statusCode, persona).toBe(404)
      expect(
        (await request(t, clients[persona], 'POST', `/api/v1/cohorts/${id}/close`)).statusCode,
        persona,
      ).toBe(404)
    }
    expect((await request(t, clients.anonymous, 'POST', `/api/v1/cohorts/${id}/close`)).statusCode).toBe(401)
    expect(await findCohort(t.database.db, id)).toEqual(stored)
    const unknown = await request(t, clients.nationalAdmin, 'PATCH', '/api/v1/cohorts/no-such-cohort-1', {
      developmentYear: '2031/32',
    })
    expect(unknown.statusCode).toBe(404)
  })

  it('closes a cohort once; a second close is refused with 422', async () => {
    const id = await freshCohort(43, { opensIn: -1, closesIn: 20 })
    const closed = await request(t, clients.nationalAdmin, 'POST', `/api/v1/cohorts/${id}/close`)
    expect(closed.statusCode).toBe(200)
    expect(closed.json()).toMatchObject({ id, status: 'closed' })
    const again = await request(t, clients.nationalAdmin, 'POST', `/api/v1/cohorts/${id}/close`)
    expect(again.statusCode).toBe(422)
    expect(again.json().errors).toEqual([{ code: 'closed', field: 'cohort', message: expect.any(String) }])
  })
})
