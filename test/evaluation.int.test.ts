// The end-of-year questionnaire on the demo: NCETM manages the questions; a group's completion
// emails each current advocate a single-use link, which answers once without an account (every
// refusal shows the error summary and saves nothing); a lead specialist answers once, signed in;
// answers are shown per group, per hub and nationally, with fewer than 3 advocates' answers to a
// question suppressed; anyone else is answered "page not found".
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, type TestApp } from './app.ts'
import { request, signInPersonas, openSession, type Client, type PersonaName } from './personas.ts'
import { freshWorkGroup, demoWorkGroup, WORK_GROUP_HUB } from './work-group-fixtures.ts'
import { fillGroup } from './work-group-school-fixtures.ts'
import { DEMO_LEADS } from '../src/domain/work-groups/work-groups.demo.ts'
import { DEMO_COMPLETED_GROUP } from '../src/domain/work-groups/journey/journey.demo.ts'

let t: TestApp
let clients: Record<PersonaName, Client>

beforeAll(async () => {
  t = await createTestApp()
  clients = await signInPersonas(t)
})
afterAll(async () => {
  await t?.close()
})

const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ')

async function questions(audience: 'advocate' | 'specialist') {
  return t.database.db
    .selectFrom('evaluation_questions')
    .select(['id', 'kind', 'text', 'position', 'retired_at'])
    .where('audience', '=', audience)
    .orderBy('position')
    .execute()
}

async function tokenFor(email: string): Promise<string> {
  const row = await t.database.db
    .selectFrom('outbox')
    .select('body_text')
    .where('to_address', '=', email)
    .where('template', '=', 'evaluation-questionnaire')
    .orderBy('id', 'desc')
    .executeTakeFirstOrThrow()
  return /\/questionnaire\/([A-Za-z0-9_-]+)/.exec(row.body_text)![1]!
}

async function answerCount(): Promise<number> {
  const row = await t.database.db
    .selectFrom('evaluation_answers')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

describe('the questions', () => {
  it('start with the default set, and NCETM adds, rewords, reorders and retires them', async () => {
    expect((await questions('advocate')).length).toBeGreaterThanOrEqual(6)
    expect((await questions('specialist')).length).toBeGreaterThanOrEqual(4)
    const page = await request(t, clients.nationalAdmin, 'GET', '/evaluation/questions')
    expect(page.statusCode).toBe(200)
    const account = await request(t, clients.nationalAdmin, 'GET', '/account')
    expect(account.body).toContain('href="/evaluation/questions"')
    const added = await request(t, clients.nationalAdmin, 'POST', '/evaluation/questions', {
      audience: 'specialist',
      kind: 'scale',
      text: 'How well did the sessions run?',
    })
    expect(added.statusCode).toBe(303)
    const list = await questions('specialist')
    const mine = list.at(-1)!
    expect(mine.text).toBe('How well did the sessions run?')
    const url = `/evaluation/questions/${mine.id}`
    expect(
      (
        await request(t, clients.nationalAdmin, 'POST', url, {
          action: 'reword',
          text: 'How well did the sessions go?',
        })
      ).statusCode,
    ).toBe(303)
    expect((await request(t, clients.nationalAdmin, 'POST', url, { action: 'up' })).statusCode).toBe(303)
    const after = await questions('specialist')
    expect(after.at(-2)!.id).toBe(mine.id)
    expect(after.at(-2)!.text).toBe('How well did the sessions go?')
    expect((await request(t, clients.nationalAdmin, 'POST', url, { action: 'retire' })).statusCode).toBe(303)
    expect((await questions('specialist')).find((q) => q.id === mine.id)!.retired_at).not.toBeNull()
    // A retired question cannot be changed; an empty question is refused; nothing changes.
    const before = await questions('specialist')
    const again = await request(t, clients.nationalAdmin, 'POST', url, { action: 'reword', text: 'x' })
    expect(again.statusCode).toBe(422)
    expect(text(again.body)).toContain('has been retired')
    const empty = await request(t, clients.nationalAdmin, 'POST', '/evaluation/questions', {
      audience: 'advocate',
      kind: 'text',
      text: ' ',
    })
    expect(empty.statusCode).toBe(422)
    expect(empty.body).toContain('href="#text"')
    expect(await questions('specialist')).toEqual(before)
    for (const who of ['nationalViewer', 'hubLead', 'specialist'] as const) {
      expect((await request(t, clients[who], 'GET', '/evaluation/questions')).statusCode).toBe(404)
      expect((await request(t, clients[who], 'POST', url, { action: 'up' })).statusCode).toBe(404)
    }
  })
})

describe('an advocate’s single-use link', () => {
  it('is emailed to each current advocate when the group completes, and answers once', async () => {
    const group = await freshWorkGroup(t, ['open-recruitment', 'start'])
    const schools = await fillGroup(t, group, 2)
    expect(
      (await request(t, clients.hubLead, 'POST', `/work-groups/${group}/state`, { event: 'complete' }))
        .statusCode,
    ).toBe(303)
    const emails = schools.flatMap((s) => [1, 2].map((slot) => `advocate${slot}.${s.urn}@school.example`))
    const tokens = await Promise.all(emails.map(tokenFor))
    expect(new Set(tokens).size).toBe(4)
    const anonymous = { ...clients.anonymous, ...(await openSession(t.database.db, null, t.clock.now())) }
    const form = await request(t, anonymous, 'GET', `/questionnaire/${tokens[0]}`)
    expect(form.statusCode).toBe(200)
    expect(form.body).toContain('govuk-fieldset__legend')
    expect(form.body).toContain('type="radio"')
    const qs = await questions('advocate')
    const live = qs.filter((q) => q.retired_at === null)
    const scale = live.filter((q) => q.kind === 'scale')
    // Missing a scale answer: refused, nothing saved.
    const before = await answerCount()
    const missing = await request(t, anonymous, 'POST', `/questionnaire/${tokens[0]}`, {
      [`q${scale[0]!.id}`]: '4',
    })
    expect(missing.statusCode).toBe(422)
    expect(missing.body).toContain('govuk-error-summary')
    expect(missing.body).toContain(`href="#q${scale[1]!.id}"`)
    const outOfRange = await request(
      t,
      anonymous,
      'POST',
      `/questionnaire/${tokens[0]}`,
      Object.fromEntries(scale.map((q) => [`q${q.id}`, '6'])),
    )
    expect(outOfRange.statusCode).toBe(422)
    expect(await answerCount()).toBe(before)
    const answers = Object.fromEntries(
      live.map((q) => [`q${q.id}`, q.kind === 'scale' ? '5' : 'More time to plan together.']),
    )
    const sent = await request(t, anonymous, 'POST', `/questionnaire/${tokens[0]}`, answers)
    expect(sent.statusCode).toBe(200)
    expect(text(sent.body)).toContain('Thank you')
    expect(await answerCount()).toBe(before + live.length)
    // Used: the link works no more.
    const used = await request(t, anonymous, 'GET', `/questionnaire/${tokens[0]}`)
    expect(used.statusCode).toBe(410)
    const twice = await request(t, anonymous, 'POST', `/questionnaire/${tokens[0]}`, answers)
    expect(twice.statusCode).toBe(410)
    expect(await answerCount()).toBe(before + live.length)
    expect((await request(t, anonymous, 'GET', '/questionnaire/not-a-real-token')).statusCode).toBe(404)

    // One advocate's answers are too few to show for the group.
    const results = await request(t, clients.hubLead, 'GET', `/work-groups/${group}/evaluation`)
    expect(results.statusCode).toBe(200)
    expect(text(results.body)).toContain('Fewer than 3 answers: not shown')
    expect(text(results.body)).not.toContain('More time to plan together.')

    // The hub sends again: a new link only to those who have not answered.
    const resend = await request(t, clients.hubAdmin, 'POST', `/work-groups/${group}/evaluation/send`)
    expect(resend.statusCode).toBe(303)
    expect(await tokenFor(emails[0]!)).toBe(tokens[0])
    const newer = await tokenFor(emails[1]!)
    expect(newer).not.toBe(tokens[1])
    expect((await request(t, anonymous, 'GET', `/questionnaire/${tokens[1]}`)).statusCode).toBe(404)
    expect((await request(t, anonymous, 'GET', `/questionnaire/${newer}`)).statusCode).toBe(200)
    for (const who of ['otherHubLead', 'nationalViewer', 'specialist'] as const)
      expect(
        (await request(t, clients[who], 'POST', `/work-groups/${group}/evaluation/send`)).statusCode,
      ).toBe(404)
  })
})

describe('the answers', () => {
  it('of the demo’s completed group: averages and texts per group, per hub and nationally', async () => {
    const group = await demoWorkGroup(t, DEMO_COMPLETED_GROUP)
    const page = await request(t, clients.hubLead, 'GET', `/work-groups/${group}/evaluation`)
    expect(page.statusCode).toBe(200)
    const body = text(page.body)
    expect(body).toContain('Mastery Advocates: 5 questionnaires returned')
    expect(body).toContain('Lead specialists: 1 questionnaire returned')
    expect(body).toMatch(/5 answers, an average of \d(\.\d)? out of 5/)
    expect(body).toContain('Pupils talk about their reasoning much more')
    for (const url of [`/hubs/${WORK_GROUP_HUB}/evaluation`, '/evaluation/results']) {
      const res = await request(t, clients.nationalViewer, 'GET', url)
      expect(res.statusCode).toBe(200)
      expect(text(res.body)).toMatch(/Mastery Advocates: [5-9] questionnaires returned/)
    }
    expect((await request(t, clients.hubLead, 'GET', '/evaluation/results')).statusCode).toBe(404)
    expect(
      (await request(t, clients.otherHubLead, 'GET', `/hubs/${WORK_GROUP_HUB}/evaluation`)).statusCode,
    ).toBe(404)
    expect(
      (await request(t, clients.otherHubLead, 'GET', `/work-groups/${group}/evaluation`)).statusCode,
    ).toBe(404)
  })

  it('from a lead specialist, signed in, once per group', async () => {
    const group = await demoWorkGroup(t, 'Northvale Primary Development A')
    const person = await t.database.db
      .selectFrom('people')
      .select('id')
      .where('email', '=', DEMO_LEADS[0].email)
      .executeTakeFirstOrThrow()
    const lead: Client = {
      persona: 'specialist',
      personId: person.id,
      ...(await openSession(t.database.db, person.id, t.clock.now())),
      apiToken: null,
    }
    const groupPage = await request(t, lead, 'GET', `/work-groups/${group}`)
    expect(groupPage.body).toContain(`href="/work-groups/${group}/evaluation/answer"`)
    const url = `/work-groups/${group}/evaluation/answer`
    expect((await request(t, lead, 'GET', url)).statusCode).toBe(200)
    const live = (await questions('specialist')).filter((q) => q.retired_at === null)
    const before = await answerCount()
    const refused = await request(t, lead, 'POST', url, {})
    expect(refused.statusCode).toBe(422)
    expect(await answerCount()).toBe(before)
    const answers = Object.fromEntries(live.map((q) => [`q${q.id}`, q.kind === 'scale' ? '4' : 'Good year.']))
    expect((await request(t, lead, 'POST', url, answers)).statusCode).toBe(303)
    const again = await request(t, lead, 'POST', url, answers)
    expect(again.statusCode).toBe(422)
    expect(text(again.body)).toContain('already answered')
    expect((await request(t, clients.hubLead, 'GET', url)).statusCode).toBe(404)
    expect((await request(t, clients.hubLead, 'POST', url, answers)).statusCode).toBe(404)
  })
})
