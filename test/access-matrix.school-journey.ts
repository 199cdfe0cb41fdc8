// The access matrix's rows for a school's journey, the evaluation questionnaire and participation
// grants: NCETM, the serving hub's team and the school's own contact see a school's journey; the
// hub's team and NCETM's national administrators record its stage moves; everyone else is answered
// "page not found".
import type { Check } from './access-matrix.int.test.ts'
import type { TestApp } from './app.ts'
import { schoolWithoutStage } from './work-group-journey-fixtures.ts'

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
  ]
}
