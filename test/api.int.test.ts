// API v1 over the demo register, through the real app.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, type TestApp } from './app.ts'

let t: TestApp
beforeAll(async () => {
  t = await createTestApp()
})
afterAll(async () => {
  await t?.close()
})

async function get(url: string) {
  const response = await t.app.inject({ method: 'GET', url })
  return { status: response.statusCode, body: response.json(), headers: response.headers }
}

describe('API v1', () => {
  it('answers health checks', async () => {
    expect(await get('/healthz')).toMatchObject({ status: 200, body: { status: 'ok' } })
  })

  it('publishes an OpenAPI document naming every endpoint', async () => {
    const { status, body } = await get('/api/v1/openapi.json')
    expect(status).toBe(200)
    expect(body.openapi).toMatch(/^3\./)
    expect(Object.keys(body.paths).sort()).toEqual([
      '/api/v1/applications',
      '/api/v1/applications/{id}',
      '/api/v1/applications/{id}/decision',
      '/api/v1/applications/{id}/headteacher',
      '/api/v1/applications/{id}/hub',
      '/api/v1/applications/{id}/reviews',
      '/api/v1/applications/{id}/submit',
      '/api/v1/applications/{id}/withdraw',
      '/api/v1/audit',
      '/api/v1/bookings/{id}/cancel',
      '/api/v1/cohorts',
      '/api/v1/cohorts/{cohortId}/selection',
      '/api/v1/cohorts/{id}',
      '/api/v1/cohorts/{id}/close',
      '/api/v1/cohorts/{id}/events',
      '/api/v1/cohorts/{id}/tasks',
      '/api/v1/eligibility',
      '/api/v1/events',
      '/api/v1/events/{id}',
      '/api/v1/events/{id}/attendance',
      '/api/v1/events/{id}/attendance-code',
      '/api/v1/events/{id}/attendance/import',
      '/api/v1/events/{id}/bookings',
      '/api/v1/events/{id}/cancel',
      '/api/v1/events/{id}/confirm',
      '/api/v1/events/{id}/days/{day}/code',
      '/api/v1/events/{id}/move',
      '/api/v1/find-hub',
      '/api/v1/grants/{id}',
      '/api/v1/hubs',
      '/api/v1/hubs/{id}',
      '/api/v1/hubs/{id}/cohorts/{cohortId}/ranking',
      '/api/v1/hubs/{id}/cohorts/{cohortId}/reviewers-behind',
      '/api/v1/hubs/{id}/events',
      '/api/v1/hubs/{id}/team',
      '/api/v1/hubs/{id}/work-group-interests',
      '/api/v1/hubs/{id}/work-groups',
      '/api/v1/hubs/{id}/work-groups/allocation',
      '/api/v1/me',
      '/api/v1/me/events',
      '/api/v1/me/participations',
      '/api/v1/participations',
      '/api/v1/participations/{id}',
      '/api/v1/participations/{id}/release-time',
      '/api/v1/participations/{id}/release-time/extra-days',
      '/api/v1/participations/{id}/release-time/{entryId}/reverse',
      '/api/v1/participations/{id}/stage-changes',
      '/api/v1/participations/{id}/tasks',
      '/api/v1/participations/{id}/tasks/{taskId}/submissions',
      '/api/v1/people/{id}',
      '/api/v1/people/{id}/erasure',
      '/api/v1/people/{id}/subject-access',
      '/api/v1/programmes',
      '/api/v1/programmes/{id}',
      '/api/v1/reviews/{id}',
      '/api/v1/routing-queue',
      '/api/v1/schools',
      '/api/v1/schools/{urn}',
      '/api/v1/schools/{urn}/people',
      '/api/v1/schools/{urn}/stages',
      '/api/v1/schools/{urn}/timeline',
      '/api/v1/schools/{urn}/work-group-interests',
      '/api/v1/submissions/{id}/review',
      '/api/v1/work-group-interests/{id}',
      '/api/v1/work-group-interests/{id}/advocates',
      '/api/v1/work-group-interests/{id}/advocates/change',
      '/api/v1/work-group-interests/{id}/decision',
      '/api/v1/work-group-interests/{id}/withdraw',
      '/api/v1/work-group-plans/{id}',
      '/api/v1/work-group-plans/{id}/apply',
      '/api/v1/work-group-plans/{id}/move',
      '/api/v1/work-group-sessions/{id}',
      '/api/v1/work-group-sessions/{id}/attendance',
      '/api/v1/work-group-sessions/{id}/attendance/import',
      '/api/v1/work-group-sessions/{id}/code',
      '/api/v1/work-group-sessions/{id}/lesson-study',
      '/api/v1/work-group-sessions/{id}/state',
      '/api/v1/work-groups/{id}',
      '/api/v1/work-groups/{id}/sessions',
      '/api/v1/work-groups/{id}/state',
      '/api/v1/work-groups/{id}/support-visits',
    ])
    expect(body.components.securitySchemes.bearerAuth).toMatchObject({ type: 'http', scheme: 'bearer' })
    const params = body.paths['/api/v1/schools'].get.parameters.map((p: { name: string }) => p.name)
    expect(params).toEqual(expect.arrayContaining(['q', 'phase', 'la', 'hub', 'page']))
  })

  it('returns a school with the fields the register promises', async () => {
    const { status, body } = await get('/api/v1/schools/990001')
    expect(status).toBe(200)
    for (const field of [
      'urn',
      'name',
      'type',
      'typeGroup',
      'phase',
      'laCode',
      'laName',
      'postcode',
      'open',
      'inEngland',
      'stateFunded',
      'hub',
    ]) {
      expect(body, field).toHaveProperty(field)
    }
    expect(body).toMatchObject({
      urn: 990001,
      laCode: '951',
      hub: { id: 'northvale-maths-hub', name: 'Northvale Maths Hub' },
    })
  })

  it('gives a closed school its successor, and finds the successor by the old URN', async () => {
    const [closed] = await t.database.db
      .selectFrom('schools')
      .select('urn')
      .where('open', '=', false)
      .orderBy('urn')
      .limit(1)
      .execute()
    const { body } = await get(`/api/v1/schools/${closed!.urn}`)
    expect(body.open).toBe(false)
    expect(body.successorUrn).toBeGreaterThan(995_000)
    const search = await get(`/api/v1/schools?q=${closed!.urn}`)
    expect(search.body.items.map((s: { urn: number }) => s.urn)).toEqual([body.successorUrn, closed!.urn])
  })

  it('answers 404 with a JSON error for an unknown URN or hub', async () => {
    expect(await get('/api/v1/schools/123456')).toEqual({
      status: 404,
      headers: expect.anything(),
      body: { errors: [{ code: 'not-found', message: 'No school in the register has URN 123456.' }] },
    })
    expect((await get('/api/v1/hubs/no-such-hub')).status).toBe(404)
    expect((await get('/api/v1/nothing-here')).body.errors[0].code).toBe('not-found')
  })

  it('refuses bad parameters with 422 naming each field', async () => {
    const { status, body } = await get('/api/v1/schools?phase=infant&la=12&page=0&pageSize=500')
    expect(status).toBe(422)
    expect(body.errors.map((e: { field: string }) => e.field).sort()).toEqual([
      'la',
      'page',
      'pageSize',
      'phase',
    ])
    for (const error of body.errors)
      expect(error).toEqual({ code: 'invalid', field: expect.any(String), message: expect.any(String) })
    expect((await get('/api/v1/schools/abc')).body.errors[0]).toMatchObject({ field: 'urn' })
    expect((await get('/api/v1/find-hub?q=a')).body.errors[0]).toMatchObject({
      field: 'q',
      message: expect.stringMatching(/at least 2/),
    })
  })

  it('filters the register by phase, local authority and hub, with paging', async () => {
    const { body } = await get('/api/v1/schools?phase=secondary&hub=riverside-maths-hub&pageSize=5&page=1')
    expect(body.items.length).toBeGreaterThan(0)
    for (const school of body.items) {
      expect(school.phase).toBe('Secondary')
      expect(school.hub?.id).toBe('riverside-maths-hub')
    }
    const all = await get('/api/v1/schools?la=958&pageSize=100')
    expect(all.body.total).toBe(all.body.items.length)
    const served = all.body.items.filter((s: { hub: unknown }) => s.hub !== null)
    expect(served.map((s: { urn: number; hub: { id: string } }) => [s.urn, s.hub.id])).toEqual([
      [990016, 'eastmoor-maths-hub'],
    ])
  })

  it('lists hubs with their areas and school counts', async () => {
    const { body } = await get('/api/v1/hubs')
    expect(body.items.map((h: { id: string }) => h.id)).toEqual([
      'eastmoor-maths-hub',
      'northvale-maths-hub',
      'riverside-maths-hub',
      'southdown-and-westerleigh-maths-hub',
    ])
    const hub = await get('/api/v1/hubs/northvale-maths-hub')
    expect(hub.body.areas.map((a: { laCode: string }) => a.laCode)).toEqual(['952', '951'])
    expect(hub.body.schoolCount).toBe(
      hub.body.areas.reduce((n: number, a: { schoolCount: number }) => n + a.schoolCount, 0),
    )
  })

  it('finds the hub for a school by name and says when none is recorded', async () => {
    const { body } = await get('/api/v1/find-hub?q=farthingdale')
    expect(body.items.length).toBeGreaterThan(0)
    const unserved = body.items.find((r: { urn: number }) => r.urn !== 990016)
    expect(unserved.hub).toBeNull()
  })

  it('sets security headers and a request id on every answer', async () => {
    const { headers } = await get('/api/v1/hubs')
    expect(headers['content-security-policy']).toContain("script-src 'self'")
    expect(headers['x-content-type-options']).toBe('nosniff')
    expect(headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/)
  })
})
