// Routing (docs/adr/0020): an application from a school with no Maths Hub recorded is submitted
// without a hub, so no hub's list holds it; it waits in NCETM's routing queue until a national
// administrator passes it to a hub. The queue suggests the hub that serves the school now (its area
// may have been given to a hub since), but nothing is routed without a person choosing: passing
// an application on is audited, written in its history, and emailed to the hub's leads and the
// applicant. Every submitted application is always in some hub's list or this queue.
import { z } from 'zod'
import { NotFoundError, parseInput, ValidationError } from '../../errors.ts'
import { mapPage, type PageRequest, type Paged } from '../../lib/paging.ts'
import { isNational, isNationalAdmin } from '../access/access.policy.ts'
import { actingPersonId } from '../access/actor.ts'
import { queueEmail } from '../email/outbox.repository.ts'
import { findSchool } from '../schools/schools.repository.ts'
import { inTransaction, type UseCaseContext } from '../use-case.ts'
import { applicationLink, cohortName } from './application-rules.ts'
import {
  findApplication,
  insertHistory,
  listUnroutedApplications,
  lockApplication,
  updateApplication,
  type Application,
} from './applications.repository.ts'

export const ROUTE_EVENT = 'route-to-hub'

export interface QueuedApplication {
  application: Application
  /** The hub serving the school today, if its area (or the school) has been given to one since. */
  suggestedHub: { id: string; name: string } | null
}

/** NCETM may read the queue; national administrators may route. */
export function canReadRoutingQueue(actor: UseCaseContext['actor']): boolean {
  return isNational(actor)
}

export function canRouteApplications(actor: UseCaseContext['actor']): boolean {
  return isNationalAdmin(actor)
}

/** Applications on a page of the routing queue (each with its form), and in the API's unless it asks for another size. */
export const ROUTING_PAGE_SIZE = 20

/** A page of the submitted applications no hub holds, oldest first, each with the hub now serving its school. */
export async function viewRoutingQueue(
  context: UseCaseContext,
  request: PageRequest = { page: 1, pageSize: ROUTING_PAGE_SIZE },
): Promise<Paged<QueuedApplication>> {
  if (!canReadRoutingQueue(context.actor)) throw new NotFoundError('Routing queue')
  const applications = await listUnroutedApplications(context.db, request)
  const suggestions = new Map<number, { id: string; name: string } | null>()
  for (const a of applications.items) {
    if (a.schoolUrn === null || suggestions.has(a.schoolUrn)) continue
    suggestions.set(a.schoolUrn, (await findSchool(context.db, a.schoolUrn))?.hub ?? null)
  }
  return mapPage(applications, (application) => ({
    application,
    suggestedHub: application.schoolUrn === null ? null : (suggestions.get(application.schoolUrn) ?? null),
  }))
}

export const routeInput = z.object({
  hubId: z
    .string({ message: 'Choose the Maths Hub to pass the application to' })
    .trim()
    .min(1, 'Choose the Maths Hub to pass the application to')
    .max(120, 'Choose the Maths Hub to pass the application to')
    .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'Choose the Maths Hub to pass the application to'),
})

/** Passes an unrouted submitted application to a hub: audited, in its history, emailed. */
export async function routeApplication(
  context: UseCaseContext,
  id: number,
  raw: unknown,
): Promise<Application> {
  if (!canRouteApplications(context.actor)) throw new NotFoundError('Application')
  const input = parseInput(routeInput, raw)
  return inTransaction(context, async (unit) => {
    const { tx, now } = unit
    const application = await lockApplication(tx, id)
    if (!application || application.submittedAt === null) throw new NotFoundError('Application')
    if (application.hubId !== null) {
      throw new ValidationError([
        {
          code: 'already-routed',
          field: 'hubId',
          message: `This application is already with ${application.hubName ?? 'a Maths Hub'}`,
        },
      ])
    }
    if (application.state !== 'submitted') {
      throw new ValidationError([
        {
          code: 'not-submitted',
          field: 'hubId',
          message: 'This application has been withdrawn, so it cannot be passed to a hub',
        },
      ])
    }
    const hub = await tx
      .selectFrom('hubs')
      .select(['id', 'name'])
      .where('id', '=', input.hubId)
      .executeTakeFirst()
    if (!hub) {
      throw new ValidationError([
        { code: 'unknown', field: 'hubId', message: 'Choose the Maths Hub to pass the application to' },
      ])
    }
    await updateApplication(tx, application.id, { hubId: hub.id }, now)
    await insertHistory(tx, {
      applicationId: application.id,
      event: ROUTE_EVENT,
      fromState: application.state,
      toState: application.state,
      actorPersonId: actingPersonId(context.actor),
      actorKind: 'person',
      note: `Passed to ${hub.name} by the NCETM`,
      occurredAt: now,
    })
    await unit.audit({
      action: `application.${ROUTE_EVENT}`,
      recordType: 'application',
      recordId: application.id,
      before: { hubId: null },
      after: { hubId: hub.id },
    })
    const cohort = { number: application.cohortNumber }
    const facts = {
      reference: application.reference,
      programmeName: application.programmeName,
      cohortName: cohortName(cohort),
      hubName: hub.name,
      schoolName: application.schoolName ?? 'their school',
    }
    await queueEmail(tx, {
      template: 'application-routed',
      to: application.applicantEmail,
      data: { ...facts, name: application.applicantName, link: applicationLink(context, application.id) },
    })
    const leads = await tx
      .selectFrom('grants as g')
      .innerJoin('people as p', 'p.id', 'g.person_id')
      .select(['p.id', 'p.name', 'p.email'])
      .where('g.role', '=', 'hub-lead')
      .where('g.hub_id', '=', hub.id)
      .where('g.revoked_at', 'is', null)
      .where('p.erased_at', 'is', null)
      .orderBy('p.id')
      .execute()
    for (const lead of new Map(leads.map((l) => [l.id, l])).values()) {
      await queueEmail(tx, {
        template: 'application-routed-hub',
        to: lead.email,
        data: {
          ...facts,
          name: lead.name,
          teacherName: application.applicantName,
          link: applicationLink(context, application.id),
        },
      })
    }
    return (await findApplication(tx, application.id))!
  })
}
