// Pages for schools in Work Groups: the school's own page and its form to register interest (the
// school's contacts), withdrawing an interest after a confirmation page (the school's contacts), one interest with its support, advocates and the hub's decision (the school,
// the hub's team, NCETM), the hub's list of interested schools, and the single-use link a school's
// leader answers without signing in. A refusal shows the page again (422) with the GOV.UK error
// summary and changes nothing; anyone who may not see it is answered "page not found".
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { z } from 'zod'
import { urnParam } from '../../domain/schools/school-queries.ts'
import type { UseCaseContext } from '../../domain/use-case.ts'
import { answerSupportRequest, viewSupportRequest } from '../../domain/work-groups/schools/answer-support.ts'
import { askForSupport } from '../../domain/work-groups/schools/ask-for-support.ts'
import { decideInterest } from '../../domain/work-groups/schools/decide-interest.ts'
import { expressInterest } from '../../domain/work-groups/schools/express-interest.ts'
import {
  INTEREST_EVENT_NAMES,
  INTEREST_STATUS_NAMES,
  INTEREST_STATUS_TAGS,
} from '../../domain/work-groups/schools/interest-moves.ts'
import { changeAdvocate, nameAdvocate } from '../../domain/work-groups/schools/name-advocates.ts'
import { SUPPORT_ROLE_NAMES } from '../../domain/work-groups/schools/schools.input.ts'
import {
  viewWithdrawal,
  withdrawalRefusal,
  withdrawInterest,
} from '../../domain/work-groups/schools/withdraw-interest.ts'
import {
  canViewHubInterests,
  canViewSchoolWorkGroups,
} from '../../domain/work-groups/schools/schools.policy.ts'
import { acceptedSchools, type InterestRecord } from '../../domain/work-groups/schools/schools.repository.ts'
import {
  interestOptions,
  viewHubInterests,
  viewInterest,
  viewSchoolWorkGroups,
} from '../../domain/work-groups/schools/view-school-work-groups.ts'
import { NotFoundError, ValidationError } from '../../errors.ts'
import { dateFieldValue, firstValues } from '../forms.ts'
import { errorsOf } from '../page.ts'
import { guarded, idParam, notFound, slugParam } from '../route-params.ts'

export interface WorkGroupSchoolRouteDeps {
  context(request: FastifyRequest): UseCaseContext
}

const TOKEN = /^[A-Za-z0-9_-]{1,200}$/

const INTEREST_FIELDS = [
  'programmeId',
  'academicYear',
  'statement',
  'headOfMaths.name',
  'headOfMaths.email',
  'seniorLeader.name',
  'seniorLeader.email',
]

const SAVED: Record<string, string> = {
  registered: 'Your school’s interest is registered. Its head of maths and senior leader have been emailed',
  advocate: 'The advocate has been named',
  changed: 'The advocate has been changed',
  asked: 'The request for support has been sent',
  accept: 'The school has been accepted into the group',
  wait: 'The school is on the waiting list',
  decline: 'The interest has been declined',
  withdrawn: 'Your school’s interest has been withdrawn',
}

const hubFilter = z.object({
  programme: z
    .string()
    .regex(/^[a-z0-9-]+$/)
    .max(100)
    .optional()
    .catch(undefined),
  year: z
    .string()
    .regex(/^\d{4}\/\d{2}$/)
    .optional()
    .catch(undefined),
})

export function presentInterest(interest: InterestRecord) {
  const support = (['head-of-maths', 'senior-leader'] as const).map((role) => {
    const request = interest.support.find((s) => s.role === role)
    return {
      role,
      roleName: SUPPORT_ROLE_NAMES[role],
      name: request?.name ?? null,
      answerText: !request
        ? 'Not asked'
        : request.answer === 'supported'
          ? 'Supported'
          : request.answer === 'not-supported'
            ? 'Not supported'
            : 'Not answered yet',
    }
  })
  return {
    ...interest,
    statusName: INTEREST_STATUS_NAMES[interest.status],
    statusTag: INTEREST_STATUS_TAGS[interest.status],
    supportRows: support,
    current: interest.advocates.filter((a) => a.toDate === null),
    past: interest.advocates.filter((a) => a.toDate !== null),
    withdrawable: withdrawalRefusal(interest) === undefined,
  }
}

/** Interests in sections by programme and year, in the order given. */
function sectionsOf<T extends { programmeName: string; academicYear: string }>(interests: T[]) {
  const sections: { title: string; interests: T[] }[] = []
  for (const interest of interests) {
    const title = `${interest.programmeName}, ${interest.academicYear}`
    const last = sections[sections.length - 1]
    if (last?.title === title) last.interests.push(interest)
    else sections.push({ title, interests: [interest] })
  }
  return sections
}

function pageErrors(error: ValidationError, fields: string[]) {
  return errorsOf(error.errors, fields)
}

export function workGroupSchoolRoutes(app: FastifyInstance, deps: WorkGroupSchoolRouteDeps): void {
  // --- The school's own page and its form to register interest

  app.get(
    '/schools/:urn/work-groups',
    guarded(async (request, reply) => {
      const parsed = urnParam.safeParse(request.params)
      if (!parsed.success) return notFound(reply)
      const view = await viewSchoolWorkGroups(deps.context(request), Number(parsed.data.urn))
      const saved = firstValues(request.query).saved
      return reply.view('school-work-groups.njk', {
        pageTitle: `Work Groups: ${view.school.name}`,
        school: view.school,
        interests: view.interests.map(presentInterest),
        canAct: view.canAct,
        saved: saved && Object.hasOwn(SAVED, saved) ? SAVED[saved] : undefined,
      })
    }),
  )

  async function interestForm(
    request: FastifyRequest,
    reply: FastifyReply,
    urn: number,
    extra: Record<string, unknown> = {},
  ) {
    const options = await interestOptions(deps.context(request), urn)
    return reply.view('school-work-groups-interest.njk', {
      pageTitle: `Register interest in a Work Group`,
      ...options,
      values: {},
      ...extra,
    })
  }

  app.get(
    '/schools/:urn/work-groups/interest',
    guarded(async (request, reply) => {
      const parsed = urnParam.safeParse(request.params)
      if (!parsed.success) return notFound(reply)
      return interestForm(request, reply, Number(parsed.data.urn))
    }),
  )

  app.post(
    '/schools/:urn/work-groups/interest',
    guarded(async (request, reply) => {
      const parsed = urnParam.safeParse(request.params)
      if (!parsed.success) return notFound(reply)
      const urn = Number(parsed.data.urn)
      const body = firstValues(request.body)
      try {
        await expressInterest(deps.context(request), urn, {
          programmeId: body.programmeId ?? '',
          academicYear: body.academicYear ?? '',
          statement: body.statement || undefined,
          headOfMaths: { name: body['headOfMaths.name'] ?? '', email: body['headOfMaths.email'] ?? '' },
          seniorLeader: { name: body['seniorLeader.name'] ?? '', email: body['seniorLeader.email'] ?? '' },
        })
        return reply.redirect(`/schools/${urn}/work-groups?saved=registered`, 303)
      } catch (error) {
        if (!(error instanceof ValidationError)) throw error
        return interestForm(request, reply.code(422), urn, {
          ...pageErrors(error, INTEREST_FIELDS),
          values: body,
        })
      }
    }),
  )

  // --- Withdrawing an interest: a confirmation page, then the school's page with its banner

  async function withdrawalPage(
    request: FastifyRequest,
    reply: FastifyReply,
    id: number,
    extra: Record<string, unknown> = {},
  ) {
    const view = await viewWithdrawal(deps.context(request), id)
    return reply.view('work-group-school-withdraw.njk', {
      pageTitle: view.refusal
        ? 'This interest cannot be withdrawn'
        : `Are you sure you want to withdraw your school’s interest in ${view.interest.programmeName}, ${view.interest.academicYear}?`,
      interest: presentInterest(view.interest),
      refusal: view.refusal,
      ...extra,
    })
  }

  app.get(
    '/work-group-interests/:id/withdraw',
    guarded(async (request, reply) => {
      const parsed = idParam.safeParse(request.params)
      if (!parsed.success) return notFound(reply)
      return withdrawalPage(request, reply, parsed.data.id)
    }),
  )

  app.post(
    '/work-group-interests/:id/withdraw',
    guarded(async (request, reply) => {
      const parsed = idParam.safeParse(request.params)
      if (!parsed.success) return notFound(reply)
      try {
        const interest = await withdrawInterest(deps.context(request), parsed.data.id)
        return reply.redirect(`/schools/${interest.schoolUrn}/work-groups?saved=withdrawn`, 303)
      } catch (error) {
        if (!(error instanceof ValidationError)) throw error
        return withdrawalPage(request, reply.code(422), parsed.data.id, errorsOf(error.errors, []))
      }
    }),
  )

  // --- One interest

  async function interestPage(
    request: FastifyRequest,
    reply: FastifyReply,
    id: number,
    extra: Record<string, unknown> = {},
  ) {
    const context = deps.context(request)
    const view = await viewInterest(context, id)
    const saved = firstValues(request.query).saved
    return reply.view('work-group-school.njk', {
      pageTitle: `${view.interest.schoolName}: ${view.interest.programmeName} ${view.interest.academicYear}`,
      interest: presentInterest(view.interest),
      history: view.history.map((h) => ({ ...h, eventName: INTEREST_EVENT_NAMES[h.event] ?? h.event })),
      canAct: view.canAct,
      canDecide: view.canDecide,
      schoolHref: canViewSchoolWorkGroups(context.actor, view.interest.schoolUrn)
        ? `/schools/${view.interest.schoolUrn}/work-groups`
        : undefined,
      groups: view.groups.map((g) => ({ ...g, left: Math.max(g.capacity - g.accepted, 0) })),
      saved: saved && Object.hasOwn(SAVED, saved) ? SAVED[saved] : undefined,
      values: {},
      ...extra,
    })
  }

  app.get(
    '/work-group-interests/:id',
    guarded(async (request, reply) => {
      const parsed = idParam.safeParse(request.params)
      if (!parsed.success) return notFound(reply)
      return interestPage(request, reply, parsed.data.id)
    }),
  )

  /** A form on the interest's page: on success back to the page with its banner, else the page again. */
  function interestPost(
    path: string,
    saved: (body: Record<string, string>) => string,
    work: (context: UseCaseContext, id: number, body: Record<string, string>) => Promise<unknown>,
    fields: string[],
  ) {
    app.post(
      path,
      guarded(async (request, reply) => {
        const parsed = idParam.safeParse(request.params)
        if (!parsed.success) return notFound(reply)
        const body = firstValues(request.body)
        try {
          await work(deps.context(request), parsed.data.id, body)
          return reply.redirect(`/work-group-interests/${parsed.data.id}?saved=${saved(body)}`, 303)
        } catch (error) {
          if (!(error instanceof ValidationError)) throw error
          return interestPage(request, reply.code(422), parsed.data.id, {
            ...pageErrors(error, fields),
            values: body,
          })
        }
      }),
    )
  }

  interestPost(
    '/work-group-interests/:id/advocates',
    () => 'advocate',
    (context, id, body) =>
      nameAdvocate(context, id, { name: body.name ?? '', email: body.email ?? '', role: body.role ?? '' }),
    ['name', 'email', 'role'],
  )

  interestPost(
    '/work-group-interests/:id/advocates/change',
    () => 'changed',
    (context, id, body) =>
      changeAdvocate(context, id, {
        slot: body.slot ?? '',
        name: body['change.name'] ?? '',
        email: body['change.email'] ?? '',
        role: body['change.role'] ?? '',
        fromDate: dateFieldValue(body, 'fromDate'),
        reason: body.reason ?? '',
      }),
    ['slot', 'fromDate', 'reason'],
  )

  interestPost(
    '/work-group-interests/:id/support',
    () => 'asked',
    (context, id, body) =>
      askForSupport(context, id, {
        role: body.supportRole ?? '',
        name: body['support.name'] ?? '',
        email: body['support.email'] ?? '',
      }),
    [],
  )

  interestPost(
    '/work-group-interests/:id/decision',
    (body) => (['accept', 'wait', 'decline'].includes(body.decision ?? '') ? body.decision! : 'accept'),
    (context, id, body) =>
      decideInterest(context, id, {
        decision: body.decision ?? '',
        workGroupId: body.workGroupId?.trim() || undefined,
      }),
    ['decision', 'workGroupId'],
  )

  // --- The hub's list

  app.get(
    '/hubs/:id/work-group-schools',
    guarded(async (request, reply) => {
      const parsed = slugParam.safeParse(request.params)
      if (!parsed.success) return notFound(reply)
      const query = firstValues(request.query)
      const filter = hubFilter.parse({
        programme: query.programme || undefined,
        year: query.year || undefined,
      })
      const view = await viewHubInterests(deps.context(request), parsed.data.id, {
        programmeId: filter.programme,
        academicYear: filter.year,
      })
      return reply.view('work-group-schools.njk', {
        pageTitle: `Schools interested in Work Groups: ${view.hub.name}`,
        hub: view.hub,
        sections: sectionsOf(view.interests.map(presentInterest)),
        canDecide: view.canDecide,
      })
    }),
  )

  // --- A leader's single-use link: no sign-in; the link is the authority.

  async function supportPage(
    request: FastifyRequest,
    reply: FastifyReply,
    token: string,
    extra: Record<string, unknown> = {},
  ) {
    const view = await viewSupportRequest(deps.context(request), token)
    if (view.status !== 'open') reply.code(410)
    return reply.view('work-group-school-support.njk', {
      pageTitle:
        view.status === 'open'
          ? `Do you support ${view.interest.schoolName} taking part?`
          : 'This link can no longer be used',
      view,
      action: `/work-group-support/${encodeURIComponent(token)}`,
      values: {},
      ...extra,
    })
  }

  app.get('/work-group-support/:token', async (request, reply) => {
    const { token } = request.params as { token: string }
    if (!TOKEN.test(token)) return notFound(reply)
    reply.ensureFormToken()
    try {
      return await supportPage(request, reply, token)
    } catch (error) {
      if (error instanceof NotFoundError) return notFound(reply)
      throw error
    }
  })

  app.post('/work-group-support/:token', async (request, reply) => {
    const { token } = request.params as { token: string }
    if (!TOKEN.test(token)) return notFound(reply)
    const form = firstValues(request.body)
    try {
      const { answer, interest } = await answerSupportRequest(deps.context(request), token, {
        answer: form.answer || undefined,
      })
      return reply.view('work-group-school-support.njk', {
        pageTitle: 'Thank you for your answer',
        answered: answer,
        schoolName: interest.schoolName,
      })
    } catch (error) {
      if (error instanceof NotFoundError) return notFound(reply)
      if (!(error instanceof ValidationError)) throw error
      const linkGone = error.errors.some((e) => e.code.startsWith('link-'))
      return supportPage(request, linkGone ? reply.code(410) : reply.code(422), token, {
        ...errorsOf(error.errors, ['answer']),
        values: { answer: form.answer ?? '' },
      })
    }
  })
}

/** The "Schools" section of a group's page: the schools accepted into it, their advocates and the places left. */
export async function groupSchoolsSection(context: UseCaseContext, workGroupId: number) {
  const group = await context.db
    .selectFrom('work_groups')
    .select(['capacity', 'hub_id'])
    .where('id', '=', workGroupId)
    .executeTakeFirst()
  if (!group) return undefined
  const schools = await acceptedSchools(context.db, workGroupId)
  return {
    schools,
    placesLeft: Math.max(group.capacity - schools.length, 0),
    listHref: canViewHubInterests(context.actor, group.hub_id)
      ? `/hubs/${group.hub_id}/work-group-schools`
      : undefined,
    canSeeInterests: canViewHubInterests(context.actor, group.hub_id),
  }
}
