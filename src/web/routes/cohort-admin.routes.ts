// Pages for national administrators to set up a programme's cohort, change its details and close
// it early. The form is one page (see src/web/cohort-form.ts for how its lists work); a refusal
// shows it again (422) with the GOV.UK error summary and changes nothing; a change goes back to
// the cohort page with a banner. Anyone else is answered "page not found".
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { closeCohort, viewCohortToClose } from '../../domain/programmes/close-cohort.ts'
import {
  createCohort,
  updateCohortDetails,
  viewCohortToManage,
  viewProgrammeToAddCohort,
} from '../../domain/programmes/manage-cohorts.ts'
import type { UseCaseContext } from '../../domain/use-case.ts'
import { ValidationError } from '../../errors.ts'
import {
  COHORT_LISTS,
  cohortFormErrors,
  cohortFormValues,
  cohortInputOf,
  newCohortFormValues,
  readCohortForm,
  withBlankRows,
  type CohortFormValues,
  type CohortList,
} from '../cohort-form.ts'
import { firstValues } from '../forms.ts'
import { guarded, notFound, slugParam } from '../route-params.ts'

export interface CohortAdminRouteDeps {
  context(request: FastifyRequest): UseCaseContext
}

function idOf(request: FastifyRequest): string | undefined {
  const parsed = slugParam.safeParse(request.params)
  return parsed.success ? parsed.data.id : undefined
}

/** The list whose "Add another" button was pressed, if one was. */
function addedList(body: Record<string, string>): CohortList | undefined {
  return COHORT_LISTS.find((list) => list === body.add)
}

export function cohortAdminRoutes(app: FastifyInstance, deps: CohortAdminRouteDeps): void {
  async function newCohortPage(
    request: FastifyRequest,
    reply: FastifyReply,
    programmeId: string,
    values: CohortFormValues | undefined,
    extra: Record<string, unknown> = {},
  ) {
    const { programme, latest } = await viewProgrammeToAddCohort(deps.context(request), programmeId)
    return reply.view('cohort-form.njk', {
      pageTitle: `Add a cohort: ${programme.name}`,
      creating: true,
      programme,
      copiedFrom: values ? undefined : latest?.number,
      action: `/programmes/${encodeURIComponent(programme.id)}/cohorts`,
      back: `/programmes/${encodeURIComponent(programme.id)}`,
      values: values ?? withBlankRows(newCohortFormValues(latest)),
      ...extra,
    })
  }

  async function editCohortPage(
    request: FastifyRequest,
    reply: FastifyReply,
    id: string,
    values: CohortFormValues | undefined,
    extra: Record<string, unknown> = {},
  ) {
    const cohort = await viewCohortToManage(deps.context(request), id)
    return reply.view('cohort-form.njk', {
      pageTitle: `Change ${cohort.programmeName}: Cohort ${cohort.number}`,
      creating: false,
      cohort,
      programme: { id: cohort.programmeId, name: cohort.programmeName },
      action: `/cohorts/${encodeURIComponent(cohort.id)}/edit`,
      back: `/cohorts/${encodeURIComponent(cohort.id)}`,
      values: values ?? withBlankRows(cohortFormValues(cohort)),
      ...extra,
    })
  }

  /** Re-shows the form: with one more row after "Add another", or the problems after a refusal. */
  function showAgain(
    reply: FastifyReply,
    body: Record<string, string>,
    error: ValidationError | undefined,
    show: (values: CohortFormValues, extra: Record<string, unknown>) => Promise<unknown>,
  ) {
    if (!error) return show(withBlankRows(readCohortForm(body, false), addedList(body)), {})
    const { summary, byField } = cohortFormErrors(error.errors)
    reply.code(422)
    return show(withBlankRows(readCohortForm(body, true)), { errors: summary, fieldErrors: byField })
  }

  app.get(
    '/programmes/:id/cohorts/new',
    guarded(async (request, reply) => {
      const id = idOf(request)
      if (!id) return notFound(reply)
      return newCohortPage(request, reply, id, undefined)
    }),
  )

  app.post(
    '/programmes/:id/cohorts',
    guarded(async (request, reply) => {
      const id = idOf(request)
      if (!id) return notFound(reply)
      const body = firstValues(request.body)
      const show = (values: CohortFormValues, extra: Record<string, unknown>) =>
        newCohortPage(request, reply, id, values, extra)
      // Nothing is saved (and the policy is still asked) when a list asks for another row.
      if (addedList(body)) return showAgain(reply, body, undefined, show)
      const values = readCohortForm(body, true)
      const number =
        values.number === ''
          ? undefined
          : /^\d{1,3}$/.test(values.number)
            ? Number(values.number)
            : Number.NaN
      try {
        const cohort = await createCohort(deps.context(request), {
          programmeId: id,
          number,
          ...cohortInputOf(values),
        })
        return reply.redirect(`/cohorts/${encodeURIComponent(cohort.id)}?saved=created`, 303)
      } catch (error) {
        if (!(error instanceof ValidationError)) throw error
        return showAgain(reply, body, error, show)
      }
    }),
  )

  app.get(
    '/cohorts/:id/edit',
    guarded(async (request, reply) => {
      const id = idOf(request)
      if (!id) return notFound(reply)
      return editCohortPage(request, reply, id, undefined)
    }),
  )

  app.post(
    '/cohorts/:id/edit',
    guarded(async (request, reply) => {
      const id = idOf(request)
      if (!id) return notFound(reply)
      const body = firstValues(request.body)
      const show = (values: CohortFormValues, extra: Record<string, unknown>) =>
        editCohortPage(request, reply, id, values, extra)
      if (addedList(body)) return showAgain(reply, body, undefined, show)
      try {
        await updateCohortDetails(deps.context(request), id, cohortInputOf(readCohortForm(body, true)))
        return reply.redirect(`/cohorts/${encodeURIComponent(id)}?saved=changed`, 303)
      } catch (error) {
        if (!(error instanceof ValidationError)) throw error
        return showAgain(reply, body, error, show)
      }
    }),
  )

  async function closePage(
    request: FastifyRequest,
    reply: FastifyReply,
    id: string,
    extra: Record<string, unknown> = {},
  ) {
    const { cohort, unsubmitted } = await viewCohortToClose(deps.context(request), id)
    return reply.view('cohort-close.njk', {
      pageTitle: `Close ${cohort.programmeName}: Cohort ${cohort.number}`,
      cohort,
      unsubmitted,
      ...extra,
    })
  }

  app.get(
    '/cohorts/:id/close',
    guarded(async (request, reply) => {
      const id = idOf(request)
      if (!id) return notFound(reply)
      return closePage(request, reply, id)
    }),
  )

  app.post(
    '/cohorts/:id/close',
    guarded(async (request, reply) => {
      const id = idOf(request)
      if (!id) return notFound(reply)
      try {
        await closeCohort(deps.context(request), id)
        return reply.redirect(`/cohorts/${encodeURIComponent(id)}?saved=closed`, 303)
      } catch (error) {
        if (!(error instanceof ValidationError)) throw error
        return closePage(request, reply.code(422), id, {
          errors: error.errors.map((e) => ({ text: e.message })),
        })
      }
    }),
  )
}
