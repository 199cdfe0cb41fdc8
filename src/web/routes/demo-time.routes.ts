// Demo only: the demo-time control (docs/adr/0021). The demo runs on a clock that can be moved on,
// so selection can be tried without waiting for the window to close: jump to the closing minute of
// the demo's selection cohort, to its decision date, 14 days on, or back to the real time. After a
// jump, whatever scheduled work is due at the new time runs at once (releases, lapses, reminders),
// and a signed-in person gets a session opened at the new time, so the jump does not sign them out.
// None of this is registered under `serve`.
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { z } from 'zod'
import { DEMO_SELECTION_COHORT } from '../../db/seeds/demo-applications.ts'
import { findCohort, type Cohort } from '../../domain/programmes/programmes.repository.ts'
import type { UseCaseContext } from '../../domain/use-case.ts'
import type { SettableClock } from '../../lib/clock.ts'
import { parseUkDateTime } from '../../lib/uk-time.ts'
import { toPageErrors } from '../forms.ts'

export interface DemoTimeControl {
  /** The clock the whole app (pages, API and scheduled jobs) runs on. */
  clock: SettableClock
  /** Runs every scheduled job once, at the clock's time. */
  runDueWork(): Promise<unknown>
}

export const DEMO_JUMPS = ['closing', 'decision', 'fortnight', 'real'] as const

const jumpForm = z.object({
  jump: z.enum(DEMO_JUMPS, { error: 'Choose where to move the demo time' }),
  // Back to the page the control was used on: a path on this site only.
  returnTo: z
    .string()
    .max(500, 'Go back to the page and try again')
    .regex(/^\/(?![/\\])[^\s]*$/, { message: 'Go back to the page and try again' })
    .optional(),
})

/** The first instant of the cohort's decision date in the UK. */
export function decisionMoment(cohort: Pick<Cohort, 'decisionsReleasedOn'>): Date {
  const [year, month, day] = cohort.decisionsReleasedOn.split('-').map(Number) as [number, number, number]
  return parseUkDateTime({ year, month, day, hour: 0, minute: 0 })
}

export function demoTimeRoutes(
  app: FastifyInstance,
  deps: { context: (request: FastifyRequest) => UseCaseContext; control: DemoTimeControl },
): void {
  const { clock } = deps.control
  const show = async (request: FastifyRequest, errors: { text: string; href: string }[] = []) => {
    const cohort = await findCohort(deps.context(request).db, DEMO_SELECTION_COHORT)
    return {
      pageTitle: 'Demo time',
      errors,
      cohort: cohort && {
        name: `${cohort.programmeName}, cohort ${cohort.number}`,
        closesAt: cohort.closesAt,
        decisionAt: decisionMoment(cohort),
      },
    }
  }

  app.get('/demo/time', async (request, reply) => reply.view('demo-time.njk', await show(request)))

  app.post('/demo/time', async (request, reply) => {
    const parsed = jumpForm.safeParse(request.body ?? {})
    if (!parsed.success) {
      return reply.code(422).view('demo-time.njk', await show(request, toPageErrors(parsed.error).summary))
    }
    const { jump, returnTo } = parsed.data
    if (jump === 'real') {
      clock.backToRealTime()
    } else if (jump === 'fortnight') {
      clock.set(new Date(clock.now().getTime() + 14 * 24 * 3_600_000))
    } else {
      const cohort = await findCohort(deps.context(request).db, DEMO_SELECTION_COHORT)
      if (!cohort) {
        return reply.code(422).view(
          'demo-time.njk',
          await show(request, [
            {
              text: 'The demo’s cohort is not in this database, so there is no date to jump to',
              href: '#jump',
            },
          ]),
        )
      }
      clock.set(jump === 'closing' ? cohort.closesAt : decisionMoment(cohort))
    }
    await deps.control.runDueWork()
    const actor = request.actor
    if (actor.kind === 'person') await reply.startSession(actor.personId)
    return reply.redirect(returnTo ?? '/demo/time', 303)
  })
}
