// People and hub teams through the real app: adding someone to a team never changes their
// profile, six grants at once give one success and five ordinary refusals, a reviewer's cohort
// must exist, hub contact addresses are plain addresses, and editing a person (the person, NCETM
// administrators, and a hub lead for people whose every role is in that hub) is validated,
// audited without personal data, and answers 404 to everyone else.
import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { errorSummary, pageText } from '../../../test/application-fixtures.ts'
import { createTestApp, type TestApp } from '../../../test/app.ts'
import { actorByEmail, contextFor } from '../../../test/decision-fixtures.ts'
import { PERSONAS, request, signInPersonas, type Client, type PersonaName } from '../../../test/personas.ts'
import { ValidationError } from '../../errors.ts'
import { grantRole } from './grant-role.ts'

const NORTHVALE = 'northvale-maths-hub'
const RIVERSIDE = 'riverside-maths-hub'

let t: TestApp
let clients: Record<PersonaName, Client>

beforeAll(async () => {
  t = await createTestApp()
  clients = await signInPersonas(t)
})
afterAll(async () => {
  await t?.close()
})

async function profileOf(email: string) {
  return t.database.db.selectFrom('people').selectAll().where('email', '=', email).executeTakeFirstOrThrow()
}

async function idOf(email: string): Promise<number> {
  return (await profileOf(email)).id
}

/** A fresh person with one role, so each test edits someone nobody else touches. */
async function freshPerson(grants: { role: 'reviewer' | 'hub-admin' | 'teacher'; hubId?: string }[]) {
  const email = `person-${randomUUID()}@school.example`
  const person = await t.database.db
    .insertInto('people')
    .values({ name: 'Fresh Person', email, workplace_urn: 990_025 })
    .returning('id')
    .executeTakeFirstOrThrow()
  for (const grant of grants) {
    await t.database.db
      .insertInto('grants')
      .values({ person_id: person.id, role: grant.role, hub_id: grant.hubId ?? null })
      .execute()
  }
  return { id: person.id, email }
}

async function auditRows(recordId: number) {
  return t.database.db
    .selectFrom('audit_events')
    .select(['action', 'before', 'after'])
    .where('record_type', '=', 'person')
    .where('record_id', '=', String(recordId))
    .orderBy('id')
    .execute()
}

describe('adding an existing person to a team', () => {
  it('never changes their profile: another hub’s lead cannot move a reviewer to a different school', async () => {
    const grace = PERSONAS.reviewer
    const before = await profileOf(grace)
    const page = await request(t, clients.otherHubLead, 'POST', `/hubs/${RIVERSIDE}/team`, {
      email: grace.toUpperCase(),
      name: 'Someone Else',
      role: 'reviewer',
      workplaceUrn: '990026',
    })
    expect(page.statusCode).toBe(303)
    const api = await request(t, clients.otherHubLead, 'POST', `/api/v1/hubs/${RIVERSIDE}/team`, {
      email: grace,
      name: 'Someone Else Again',
      role: 'hub-admin',
      workplaceUrn: 990_018,
    })
    expect(api.statusCode).toBe(201)
    expect(await profileOf(grace)).toEqual(before)
    expect((await auditRows(before.id)).map((r) => r.action)).not.toContain('person.workplace')
  })

  it('says so on the team form', async () => {
    const team = pageText((await request(t, clients.hubLead, 'GET', `/hubs/${NORTHVALE}/team`)).body)
    expect(team).toContain('Only used for someone new to the service')
  })
})

describe('six simultaneous grants of a role to the same new person', () => {
  it('give exactly one success and five ordinary refusals, never a 500', async () => {
    const email = `race-${randomUUID()}@school.example`
    const answers = await Promise.all(
      Array.from({ length: 6 }, () =>
        request(t, clients.hubLead, 'POST', `/api/v1/hubs/${NORTHVALE}/team`, {
          email,
          name: 'Racing Reviewer',
          role: 'reviewer',
        }),
      ),
    )
    const statuses = answers.map((a) => a.statusCode).sort()
    expect(statuses).toEqual([201, 422, 422, 422, 422, 422])
    for (const answer of answers.filter((a) => a.statusCode === 422)) {
      expect(answer.json()).toEqual({
        errors: [
          { code: 'duplicate', field: 'role', message: 'Racing Reviewer is already a reviewer there' },
        ],
      })
    }
    const people = await t.database.db.selectFrom('people').select('id').where('email', '=', email).execute()
    expect(people).toHaveLength(1)
    const grants = await t.database.db
      .selectFrom('grants')
      .select('id')
      .where('person_id', '=', people[0]!.id)
      .execute()
    expect(grants).toHaveLength(1)
  })

  it('on the page too: one added, the rest shown the error summary', async () => {
    const email = `race-page-${randomUUID()}@school.example`
    const answers = await Promise.all(
      Array.from({ length: 6 }, () =>
        request(t, clients.hubLead, 'POST', `/hubs/${NORTHVALE}/team`, {
          email,
          name: 'Racing Admin',
          role: 'hub-admin',
        }),
      ),
    )
    expect(answers.map((a) => a.statusCode).sort()).toEqual([303, 422, 422, 422, 422, 422])
  })
})

describe('a reviewer’s cohort', () => {
  it('must be a cohort that exists', async () => {
    const context = contextFor(t.database.db, t.clock, await actorByEmail(t.database.db, PERSONAS.hubLead))
    const email = `cohort-${randomUUID()}@school.example`
    const refusal = await grantRole(context, {
      email,
      name: 'Cohort Reviewer',
      role: 'reviewer',
      hubId: NORTHVALE,
      cohortId: 'no-such-cohort',
    }).catch((error: unknown) => error)
    expect(refusal).toBeInstanceOf(ValidationError)
    expect((refusal as ValidationError).errors).toEqual([
      { code: 'unknown', field: 'cohortId', message: 'There is no cohort with that id' },
    ])
    expect(
      await t.database.db.selectFrom('people').select('id').where('email', '=', email).execute(),
    ).toEqual([])
    const cohort = await t.database.db.selectFrom('cohorts').select('id').executeTakeFirstOrThrow()
    const granted = await grantRole(context, {
      email,
      name: 'Cohort Reviewer',
      role: 'reviewer',
      hubId: NORTHVALE,
      cohortId: cohort.id,
    })
    const grant = await t.database.db
      .selectFrom('grants')
      .select('cohort_id')
      .where('id', '=', granted.grantId)
      .executeTakeFirstOrThrow()
    expect(grant.cohort_id).toBe(cohort.id)
  })
})

describe('a hub’s contact email address', () => {
  it('must be a plain address, never one carrying extra headers', async () => {
    const before = await t.database.db
      .selectFrom('hubs')
      .selectAll()
      .where('id', '=', NORTHVALE)
      .executeTakeFirstOrThrow()
    for (const contactEmail of [
      'x@x.example?bcc=victim%40elsewhere.example',
      'x@x.example?subject=hi',
      'x@x.example?bcc=victim@elsewhere.example',
      'x@x.example&cc=y@y.example',
      'Name <x@x.example>',
      'x@x.example,y@y.example',
      'x y@x.example',
    ]) {
      const refused = await request(t, clients.nationalAdmin, 'POST', `/admin/hubs/${NORTHVALE}`, {
        name: before.name,
        contactEmail,
      })
      expect(refused.statusCode, contactEmail).toBe(422)
      expect(errorSummary(refused.body), contactEmail).toEqual([
        {
          text: 'Enter an email address in the correct format, like name@example.com',
          href: '#contactEmail',
        },
      ])
    }
    expect(
      await t.database.db
        .selectFrom('hubs')
        .selectAll()
        .where('id', '=', NORTHVALE)
        .executeTakeFirstOrThrow(),
    ).toEqual(before)
    const accepted = await request(t, clients.nationalAdmin, 'POST', `/admin/hubs/${NORTHVALE}`, {
      name: before.name,
      contactEmail: 'hello+maths@northvale.mathshub.example',
    })
    expect(accepted.statusCode).toBe(303)
  })
})

describe('renaming two hubs to the same name at once', () => {
  it('renames one and tells the other the name is taken, never a 500', async () => {
    const hubs = await t.database.db
      .selectFrom('hubs')
      .select(['id', 'name', 'contact_email', 'contact_phone', 'website'])
      .orderBy('id')
      .limit(2)
      .execute()
    expect(hubs).toHaveLength(2)
    for (let attempt = 0; attempt < 5; attempt++) {
      const name = `Shared Name Maths Hub ${randomUUID()}`
      const answers = await Promise.all(
        hubs.map((hub) => request(t, clients.nationalAdmin, 'POST', `/admin/hubs/${hub.id}`, { name })),
      )
      expect(answers.map((a) => a.statusCode).sort()).toEqual([303, 422])
      const refused = answers.find((a) => a.statusCode === 422)!
      expect(errorSummary(refused.body)).toEqual([
        { text: 'Another hub already has that name', href: '#name' },
      ])
    }
    for (const hub of hubs) {
      const restored = await request(t, clients.nationalAdmin, 'POST', `/admin/hubs/${hub.id}`, {
        name: hub.name,
        contactEmail: hub.contact_email ?? '',
        contactPhone: hub.contact_phone ?? '',
        website: hub.website ?? '',
      })
      expect(restored.statusCode).toBe(303)
    }
  })
})

describe('editing a person', () => {
  it('lets a hub lead change a person whose every role is in their hub, audited without personal data', async () => {
    const person = await freshPerson([{ role: 'reviewer', hubId: NORTHVALE }])
    const form = await request(t, clients.hubLead, 'GET', `/people/${person.id}/edit`)
    expect(form.statusCode).toBe(200)
    expect(form.body).toMatch(/id="name" name="name" type="text"[^>]* value="Fresh Person"/)
    const saved = await request(t, clients.hubLead, 'POST', `/people/${person.id}/edit`, {
      name: 'Renamed Person',
      workplaceUrn: '990026',
      trn: '',
    })
    expect(saved.statusCode).toBe(303)
    expect(saved.headers.location).toBe(`/people/${person.id}`)
    const after = await profileOf(person.email)
    expect(after).toMatchObject({ name: 'Renamed Person', workplace_urn: 990_026, email: person.email })
    const [row] = (await auditRows(person.id)).filter((r) => r.action === 'person.update')
    expect(row).toBeDefined()
    expect(row!.before).toEqual({ workplace_urn: 990_025 })
    expect(row!.after).toEqual({ changed: ['name', 'workplace_urn'], workplace_urn: 990_026 })
    expect(JSON.stringify([row!.before, row!.after])).not.toMatch(/Person|@/)
  })

  it('answers 404 to a hub lead for anyone with a role elsewhere, and to other hubs and other roles', async () => {
    const twoHubs = await freshPerson([
      { role: 'reviewer', hubId: NORTHVALE },
      { role: 'reviewer', hubId: RIVERSIDE },
    ])
    const alsoTeacher = await freshPerson([{ role: 'reviewer', hubId: NORTHVALE }, { role: 'teacher' }])
    const northvaleOnly = await freshPerson([{ role: 'reviewer', hubId: NORTHVALE }])
    const cases: [PersonaName, number][] = [
      ['hubLead', twoHubs.id],
      ['hubLead', alsoTeacher.id],
      ['hubLead', await idOf(PERSONAS.nationalAdmin)],
      ['otherHubLead', northvaleOnly.id],
      ['hubAdmin', northvaleOnly.id],
      ['nationalViewer', northvaleOnly.id],
      ['reviewer', northvaleOnly.id],
      ['teacher', northvaleOnly.id],
    ]
    for (const [persona, id] of cases) {
      const before = await t.database.db
        .selectFrom('people')
        .selectAll()
        .where('id', '=', id)
        .executeTakeFirst()
      const page = await request(t, clients[persona], 'GET', `/people/${id}/edit`)
      expect(page.statusCode, `${persona} GET ${id}`).toBe(404)
      const post = await request(t, clients[persona], 'POST', `/people/${id}/edit`, { name: 'Taken Over' })
      expect(post.statusCode, `${persona} POST ${id}`).toBe(404)
      const api = await request(t, clients[persona], 'PATCH', `/api/v1/people/${id}`, { name: 'Taken Over' })
      expect(api.statusCode, `${persona} PATCH ${id}`).toBe(404)
      expect(
        await t.database.db.selectFrom('people').selectAll().where('id', '=', id).executeTakeFirst(),
      ).toEqual(before)
    }
  })

  it('lets NCETM administrators change anyone, through the API too', async () => {
    const person = await freshPerson([{ role: 'reviewer', hubId: RIVERSIDE }, { role: 'teacher' }])
    const answer = await request(t, clients.nationalAdmin, 'PATCH', `/api/v1/people/${person.id}`, {
      name: 'Api Renamed',
      workplaceUrn: null,
      trn: '1234567',
    })
    expect(answer.statusCode).toBe(200)
    expect(answer.json()).toMatchObject({ id: person.id, name: 'Api Renamed', email: person.email })
    expect(await profileOf(person.email)).toMatchObject({
      name: 'Api Renamed',
      workplace_urn: null,
      trn: '1234567',
    })
    // Only what is sent changes.
    const partial = await request(t, clients.nationalAdmin, 'PATCH', `/api/v1/people/${person.id}`, {
      workplaceUrn: 990_018,
    })
    expect(partial.statusCode).toBe(200)
    expect(await profileOf(person.email)).toMatchObject({
      name: 'Api Renamed',
      workplace_urn: 990_018,
      trn: '1234567',
    })
  })

  it('lets a person change their own, linked from their account page', async () => {
    const account = await request(t, clients.specialist, 'GET', '/account')
    const self = await idOf(PERSONAS.specialist)
    expect(account.body).toContain(`href="/people/${self}/edit"`)
    const saved = await request(t, clients.specialist, 'POST', `/people/${self}/edit`, {
      name: 'Sam Carter-Jones',
      workplaceUrn: '',
      trn: '',
    })
    expect(saved.statusCode).toBe(303)
    expect(saved.headers.location).toBe('/account')
    expect((await profileOf(PERSONAS.specialist)).name).toBe('Sam Carter-Jones')
  })

  it('is linked from the person page and the team page for those who may', async () => {
    const person = await freshPerson([{ role: 'reviewer', hubId: NORTHVALE }])
    const team = await request(t, clients.hubLead, 'GET', `/hubs/${NORTHVALE}/team`)
    expect(team.body).toContain(`href="/people/${person.id}/edit"`)
    const page = await request(t, clients.hubLead, 'GET', `/people/${person.id}`)
    expect(page.body).toContain(`href="/people/${person.id}/edit"`)
    // Tom Evans (hub administrator) sees the team but changes nobody's details but his own.
    const adminTeam = await request(t, clients.hubAdmin, 'GET', `/hubs/${NORTHVALE}/team`)
    expect(adminTeam.body).not.toContain(`href="/people/${person.id}/edit"`)
    expect(adminTeam.body).toContain(`href="/people/${clients.hubAdmin.personId}/edit"`)
  })

  it('refuses bad input with the error summary or 422 errors, and changes nothing', async () => {
    const person = await freshPerson([{ role: 'reviewer', hubId: NORTHVALE }])
    const before = await profileOf(person.email)
    const refused = await request(t, clients.hubLead, 'POST', `/people/${person.id}/edit`, {
      name: 'Visit https://evil.example now',
      workplaceUrn: '123456',
      trn: '12',
    })
    expect(refused.statusCode).toBe(422)
    expect(errorSummary(refused.body)).toEqual([
      { text: 'Enter a name without a web address', href: '#name' },
      { text: 'Teacher reference number (TRN) must be 7 digits, like 1234567', href: '#trn' },
    ])
    const unknownSchool = await request(t, clients.hubLead, 'POST', `/people/${person.id}/edit`, {
      name: 'Fine Name',
      workplaceUrn: '123456',
    })
    expect(unknownSchool.statusCode).toBe(422)
    expect(errorSummary(unknownSchool.body)).toEqual([
      { text: 'No school in the register has that URN', href: '#workplaceUrn' },
    ])
    const blank = await request(t, clients.hubLead, 'PATCH', `/api/v1/people/${person.id}`, { name: ' ' })
    expect(blank.statusCode).toBe(422)
    expect(blank.json().errors).toEqual([{ code: 'invalid', field: 'name', message: 'Enter their name' }])
    const email = await request(t, clients.nationalAdmin, 'PATCH', `/api/v1/people/${person.id}`, {
      email: 'other@school.example',
    })
    expect(email.statusCode).toBe(422)
    expect(await profileOf(person.email)).toEqual(before)
    expect((await auditRows(person.id)).map((r) => r.action)).not.toContain('person.update')
  })
})
