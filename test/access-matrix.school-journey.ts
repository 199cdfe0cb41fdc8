// The access matrix's rows for a school's journey, the evaluation questionnaire and participation
// grants: NCETM, the serving hub's team and the school's own contact see a school's journey; the
// hub's team and NCETM's national administrators record its stage moves; everyone else is answered
// "page not found".
import type { Check } from './access-matrix.int.test.ts'
import type { TestApp } from './app.ts'
import { freshQuestionnaireToken, fullAnswers, schoolWithoutStage } from './work-group-journey-fixtures.ts'
import { demoWorkGroup, freshWorkGroup, WORK_GROUP_HUB } from './work-group-fixtures.ts'
import { fillGroup } from './work-group-school-fixtures.ts'

/** Helen Morris's school (the headteacher persona is its contact), served by Northvale. */
export const CONTACT_SCHOOL = 990_001

const stageMove = {
  stage: 'readiness',
  'movedOn.day': '1',
  'movedOn.month': '9',
  'movedOn.year': '2025',
  evidence: 'The headteacher and maths lead have agreed a plan',
}

export function schoolJourneyChecks(app: () => TestApp): Check[] {
  const t = () => app()
  const page = (
    route: string,
    allowed: Check['allowed'],
    note: string,
    url: () => Promise<string>,
  ): Check => ({
    method: 'GET',
    route,
    prepare: async () => ({ url: await url() }),
    allowed,
    success: 200,
    note,
  })
  return [
    page(
      '/schools/:urn/journey',
      ['nationalAdmin', 'nationalViewer', 'hubLead', 'hubAdmin', 'headteacher'],
      'A school’s teaching-for-mastery journey (the school’s own contact too)',
      async () => `/schools/${CONTACT_SCHOOL}/journey`,
    ),
    page(
      '/schools/:urn/journey/stage',
      ['nationalAdmin', 'hubLead', 'hubAdmin'],
      'Record a school’s move to its next stage',
      async () => `/schools/${CONTACT_SCHOOL}/journey/stage`,
    ),
    {
      method: 'POST',
      route: '/schools/:urn/journey/stage',
      prepare: async () => ({
        url: `/schools/${await schoolWithoutStage(t())}/journey/stage`,
        body: stageMove,
      }),
      allowed: ['nationalAdmin', 'hubLead', 'hubAdmin'],
      success: 303,
      note: 'Record a school’s move to its next stage, with the date and evidence',
      audited: true,
    },
    {
      method: 'GET',
      route: '/api/v1/schools/:urn/stages',
      prepare: async () => ({ url: `/api/v1/schools/${CONTACT_SCHOOL}/stages` }),
      allowed: ['nationalAdmin', 'nationalViewer', 'hubLead', 'hubAdmin', 'headteacher'],
      success: 200,
      note: 'API: a school’s stage periods',
    },
    {
      method: 'GET',
      route: '/api/v1/schools/:urn/timeline',
      prepare: async () => ({ url: `/api/v1/schools/${CONTACT_SCHOOL}/timeline` }),
      allowed: ['nationalAdmin', 'nationalViewer', 'hubLead', 'hubAdmin', 'headteacher'],
      success: 200,
      note: 'API: a school’s journey across years',
    },
    {
      method: 'POST',
      route: '/api/v1/schools/:urn/stages',
      prepare: async () => ({
        url: `/api/v1/schools/${await schoolWithoutStage(t())}/stages`,
        body: { stage: 'readiness', movedOn: '2025-09-01', evidence: 'The school has agreed its plan' },
      }),
      allowed: ['nationalAdmin', 'hubLead', 'hubAdmin'],
      success: 201,
      note: 'API: record a school’s move to its next stage',
      audited: true,
    },
    page(
      '/evaluation/questions',
      ['nationalAdmin'],
      'The questionnaire’s questions',
      async () => '/evaluation/questions',
    ),
    {
      method: 'POST',
      route: '/evaluation/questions',
      prepare: async () => ({
        url: '/evaluation/questions',
        body: { audience: 'advocate', kind: 'text', text: 'What will you do next year?' },
      }),
      allowed: ['nationalAdmin'],
      success: 303,
      note: 'Add a question to the questionnaire',
      audited: true,
    },
    {
      method: 'POST',
      route: '/evaluation/questions/:id',
      prepare: async () => {
        const q = await t()
          .database.db.selectFrom('evaluation_questions')
          .select(['id', 'text'])
          .where('retired_at', 'is', null)
          .orderBy('id')
          .executeTakeFirstOrThrow()
        return { url: `/evaluation/questions/${q.id}`, body: { action: 'reword', text: q.text } }
      },
      allowed: ['nationalAdmin'],
      success: 303,
      note: 'Reword, move or retire a question',
      audited: true,
    },
    {
      method: 'POST',
      route: '/work-groups/:id/evaluation/send',
      prepare: async () => {
        const group = await freshWorkGroup(t(), ['open-recruitment', 'start'])
        await fillGroup(t(), group, 1)
        return { url: `/work-groups/${group}/evaluation/send` }
      },
      allowed: ['nationalAdmin', 'hubLead', 'hubAdmin'],
      success: 303,
      note: 'Send the questionnaire to a group’s advocates',
      audited: true,
    },
    page(
      '/work-groups/:id/evaluation',
      ['nationalAdmin', 'nationalViewer', 'hubLead', 'hubAdmin'],
      'A group’s questionnaire answers (also its lead specialists)',
      async () =>
        `/work-groups/${await demoWorkGroup(t(), 'Northvale Primary Development (last year)')}/evaluation`,
    ),
    page(
      '/hubs/:id/evaluation',
      ['nationalAdmin', 'nationalViewer', 'hubLead', 'hubAdmin'],
      'A hub’s questionnaire answers',
      async () => `/hubs/${WORK_GROUP_HUB}/evaluation`,
    ),
    page(
      '/evaluation/results',
      ['nationalAdmin', 'nationalViewer'],
      'Every hub’s questionnaire answers',
      async () => '/evaluation/results',
    ),
    page(
      '/work-groups/:id/evaluation/answer',
      [],
      'The questionnaire, for the group’s lead specialists only (no persona leads a group)',
      async () => `/work-groups/${await demoWorkGroup(t())}/evaluation/answer`,
    ),
    {
      method: 'POST',
      route: '/work-groups/:id/evaluation/answer',
      prepare: async () => ({
        url: `/work-groups/${await demoWorkGroup(t())}/evaluation/answer`,
        body: await fullAnswers(t(), 'specialist'),
      }),
      allowed: [],
      success: 303,
      note: 'A lead specialist answers the questionnaire (no persona leads a group)',
    },
    {
      method: 'GET',
      route: '/questionnaire/:token',
      prepare: async () => ({ url: `/questionnaire/${(await freshQuestionnaireToken(t())).token}` }),
      allowed: 'everyone',
      success: 200,
      note: 'An advocate’s questionnaire, by their single-use link (no sign-in)',
    },
    {
      method: 'POST',
      route: '/questionnaire/:token',
      prepare: async () => ({
        url: `/questionnaire/${(await freshQuestionnaireToken(t())).token}`,
        body: await fullAnswers(t(), 'advocate'),
      }),
      allowed: 'everyone',
      success: 200,
      note: 'An advocate answers, once, by their link',
    },
  ]
}
