// A school's applications for its contact (the headteacher): what waits for their endorsement or
// their answer to an offered place, and where each application stands.
import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { ApplicationState } from '../../domain/applications/application.states.ts'
import {
  SCHOOL_APPLICATIONS_PAGE_SIZE,
  viewSchoolApplications,
  type SchoolApplication,
} from '../../domain/applications/view-school-applications.ts'
import type { OfferStatus } from '../../domain/selection/offers/offers-respond.ts'
import type { UseCaseContext } from '../../domain/use-case.ts'
import { pageRequest, pagingFor } from '../paging.ts'
import { guarded, notFound } from '../route-params.ts'

export interface SchoolApplicationRouteDeps {
  context(request: FastifyRequest): UseCaseContext
}

/** Where an application stands, said to the headteacher. */
const STATE_FOR_HEADTEACHER: Record<ApplicationState, { text: string; classes: string }> = {
  draft: { text: 'Changed by the teacher', classes: 'govuk-tag--grey' },
  'awaiting-endorsement': { text: 'Waiting for your endorsement', classes: 'govuk-tag--yellow' },
  'endorsement-declined': { text: 'Endorsement declined', classes: 'govuk-tag--red' },
  endorsed: { text: 'Endorsed', classes: 'govuk-tag--blue' },
  submitted: { text: 'Submitted', classes: 'govuk-tag--green' },
  withdrawn: { text: 'Withdrawn', classes: 'govuk-tag--grey' },
}

const OFFER_FOR_HEADTEACHER: Record<OfferStatus, { text: string; classes: string }> = {
  open: { text: 'Place offered: waiting for your answer', classes: 'govuk-tag--yellow' },
  waiting: { text: 'You accepted: waiting for the teacher', classes: 'govuk-tag--blue' },
  confirmed: { text: 'Place accepted', classes: 'govuk-tag--green' },
  declined: { text: 'Place declined', classes: 'govuk-tag--grey' },
  lapsed: { text: 'Offer lapsed', classes: 'govuk-tag--grey' },
}

function row(entry: SchoolApplication) {
  const { application, endorsementRequest, offer } = entry
  return {
    id: application.id,
    reference: application.reference,
    applicantName: application.applicantName,
    programmeName: application.programmeName,
    cohortNumber: application.cohortNumber,
    headteacherEmail: endorsementRequest?.headteacherEmail ?? application.headteacherEmail,
    askedAt: endorsementRequest?.createdAt,
    expiresAt: endorsementRequest?.expiresAt,
    respondBy: offer?.respondBy ?? null,
    tag: offer ? OFFER_FOR_HEADTEACHER[offer.status] : STATE_FOR_HEADTEACHER[application.state],
  }
}

export function schoolApplicationRoutes(app: FastifyInstance, deps: SchoolApplicationRouteDeps): void {
  app.get(
    '/schools/:urn/applications',
    guarded(async (request, reply) => {
      const urn = Number((request.params as { urn: string }).urn)
      if (!Number.isInteger(urn) || urn <= 0 || urn > 99_999_999) return notFound(reply)
      const view = await viewSchoolApplications(
        deps.context(request),
        urn,
        pageRequest(request.query, SCHOOL_APPLICATIONS_PAGE_SIZE),
      )
      return reply.view('school-applications.njk', {
        pageTitle: `${view.school.name}: applications`,
        school: view.school,
        awaitingEndorsement: view.awaitingEndorsement.map(row),
        awaitingPlaceAnswer: view.awaitingPlaceAnswer.map(row),
        applications: view.applications.items.map(row),
        paging: pagingFor(
          view.applications,
          `/schools/${urn}/applications`,
          {},
          {
            one: 'application',
            many: 'applications',
          },
        ),
      })
    }),
  )
}
