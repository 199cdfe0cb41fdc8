// Renders a view into a reply, adding what every page's layout needs: the demo flag, the current
// path, who is signed in, the CSRF token for forms and the names of roles.
import type { FastifyReply } from 'fastify'
import { ANONYMOUS, ROLE_NAMES } from '../domain/access/actor.ts'
import { ValidationError, type FieldError } from '../errors.ts'
import type { SettableClock } from '../lib/clock.ts'
import type { Renderer } from './render.ts'

export type Page = (reply: FastifyReply, template: string, context: Record<string, unknown>) => FastifyReply

export function pageRenderer(
  renderer: Renderer,
  options: { demo: boolean; demoClock?: SettableClock | undefined },
): Page {
  return (reply, template, context) => {
    const request = reply.request
    const demoClock = options.demoClock
    // The demo-time control is a form on every page: an anonymous visitor needs a form token for it.
    if (demoClock && !request.session) reply.ensureFormToken()
    const full: Record<string, unknown> = {
      demo: options.demo,
      demoTime: demoClock && { now: demoClock.now(), realTime: demoClock.isRealTime() },
      currentPath: request.url.split('?')[0],
      actor: request.actor ?? ANONYMOUS,
      csrfToken: request.session?.csrfToken ?? request.formToken ?? '',
      roleNames: ROLE_NAMES,
      ...context,
    }
    let html = renderer.render(template, full)
    const inOrder = inFieldOrder(full.errors, html)
    if (inOrder) html = renderer.render(template, { ...full, errors: inOrder })
    return reply.type('text/html; charset=utf-8').send(html)
  }
}

/**
 * The error summary lists problems in the order the fields come on the page, whatever order the
 * checks found them in. Given a page's errors and its HTML, answers the errors reordered by where
 * each linked field (`id="..."`) is, or undefined when they are in order already or some error
 * links to no field on the page (then the order is the one given).
 */
export function inFieldOrder(errors: unknown, html: string): PageError[] | undefined {
  if (!Array.isArray(errors) || errors.length < 2) return undefined
  const list = errors as PageError[]
  const positions = list.map((error) => {
    if (!error.href) return -1 // about the whole form: first
    if (!error.href.startsWith('#')) return undefined
    const at = html.indexOf(`id="${error.href.slice(1)}"`)
    return at === -1 ? undefined : at
  })
  if (positions.some((p) => p === undefined)) return undefined
  const order = list.map((error, i) => ({ error, at: positions[i]!, i }))
  const sorted = [...order].sort((a, b) => a.at - b.at || a.i - b.i)
  if (sorted.every((entry, i) => entry.i === i)) return undefined
  return sorted.map((entry) => entry.error)
}

/** One item of the GOV.UK error summary; refusals about the whole record link nowhere. */
export type PageError = { text: string; href?: string }

/** A use-case's validation errors as the GOV.UK error summary wants them. */
export function summaryOf(error: ValidationError): { text: string; href: string }[] {
  return error.errors.map((e) => ({ text: e.message, href: `#${e.field}` }))
}

/**
 * Runs a form's use-case; if it refuses the input, shows the form again (the caller sets 422)
 * with the GOV.UK error summary, given as it is and as the refusal itself (for errorsOf). Any
 * other error goes on to the error handler.
 */
export async function orShowAgain(
  work: () => Promise<unknown>,
  showAgain: (errors: { text: string; href: string }[], refusal: ValidationError) => unknown,
): Promise<unknown> {
  try {
    return await work()
  } catch (error) {
    if (error instanceof ValidationError) return showAgain(summaryOf(error), error)
    throw error
  }
}

/**
 * Problems as the error summary and the fields list them: each field's first problem beside it, a
 * date's problem pointing at its day box, and a problem about a field not on the page (or the
 * whole record) linking nowhere.
 */
export function errorsOf(errors: FieldError[], fields: string[], dates: string[] = []) {
  const byField: Record<string, { text: string }> = {}
  const summary: PageError[] = errors.map((e) => {
    const field = fields.includes(e.field) ? e.field : undefined
    if (field) byField[field] ??= { text: e.message }
    return field
      ? { text: e.message, href: `#${dates.includes(field) ? `${field}.day` : field}` }
      : { text: e.message }
  })
  return { errors: summary, fieldErrors: byField }
}
