// Use-case: a school's contact (its headteacher) sees the school's applications once they have been
// asked to endorse them: which wait for their endorsement, which places wait for their answer, and
// where the rest stand. The answers themselves go through the single-use emailed links. Anyone who
// is not a contact of the school is told it was not found.
import { NotFoundError } from '../../errors.ts'
import type { PageRequest, Paged } from '../../lib/paging.ts'
import { findSchool } from '../schools/schools.repository.ts'
import { findDecision } from '../selection/deciding/decisions.repository.ts'
import { offerStatus, type OfferStatus } from '../selection/offers/offers-respond.ts'
import type { UseCaseContext } from '../use-case.ts'
import { canViewSchoolApplications } from './applications.policy.ts'
import {
  latestEndorsementRequest,
  listSchoolApplicationsWaiting,
  pageSchoolApplications,
  type Application,
  type EndorsementRequest,
} from './applications.repository.ts'

export interface SchoolApplication {
  application: Application
  /** The latest request to endorse it. */
  endorsementRequest: EndorsementRequest | undefined
  /** Once decisions are released, the offer of a place as the headteacher answers it. */
  offer: { status: OfferStatus; respondBy: Date | null } | undefined
}

export interface SchoolApplicationsView {
  school: { urn: number; name: string }
  /** Waiting for the headteacher to endorse (or decline). */
  awaitingEndorsement: SchoolApplication[]
  /** A place offered, waiting for the headteacher's answer. */
  awaitingPlaceAnswer: SchoolApplication[]
  /** A page of all of them, newest first. */
  applications: Paged<SchoolApplication>
}

/** Applications on a page of a school's list. */
export const SCHOOL_APPLICATIONS_PAGE_SIZE = 50

export async function viewSchoolApplications(
  context: UseCaseContext,
  urn: number,
  request: PageRequest = { page: 1, pageSize: SCHOOL_APPLICATIONS_PAGE_SIZE },
): Promise<SchoolApplicationsView> {
  if (!canViewSchoolApplications(context.actor, urn)) throw new NotFoundError('School')
  const school = await findSchool(context.db, urn)
  if (!school) throw new NotFoundError('School')
  const now = context.clock.now()
  const withDetails = (list: Application[]) =>
    Promise.all(
      list.map(async (application): Promise<SchoolApplication> => {
        const [endorsementRequest, decision] = await Promise.all([
          latestEndorsementRequest(context.db, application.id),
          findDecision(context.db, application.id),
        ])
        // Decisions reach the school only once they are released, and only as an offer of a place.
        const offer =
          decision && decision.releasedAt !== null && decision.offerState !== null
            ? { status: offerStatus(decision, 'headteacher', now), respondBy: decision.respondBy }
            : undefined
        return { application, endorsementRequest, offer }
      }),
    )
  // What waits for the headteacher is shown whatever page of the whole list is.
  const [waiting, page] = await Promise.all([
    listSchoolApplicationsWaiting(context.db, urn, now).then(withDetails),
    pageSchoolApplications(context.db, urn, request),
  ])
  return {
    school: { urn: school.urn, name: school.name },
    awaitingEndorsement: waiting.filter((a) => a.application.state === 'awaiting-endorsement'),
    awaitingPlaceAnswer: waiting.filter((a) => a.offer?.status === 'open'),
    applications: { ...page, items: await withDetails(page.items) },
  }
}
