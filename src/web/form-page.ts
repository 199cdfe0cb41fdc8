// A form on a page of its own, answered the same way everywhere: GET shows it; POST runs its
// use-case and, when that saves, redirects (post/redirect/get); when the use-case refuses the
// input (orShowAgain), shows the form again with status 422, the GOV.UK error summary, each
// field's first problem beside it (errorsOf: a date's pointing at its day box) and the values as
// typed. Both are for signed-in people; an id in the path that is not one, or a use-case's "not
// found", is "page not found".
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { firstValues } from './forms.ts'
import { errorsOf, orShowAgain } from './page.ts'
import { guarded, withId } from './route-params.ts'

export interface FormPage {
  /** The form's address, with the record's id as `:id`. */
  form: string
  /** Where the form is sent, with the same `:id`. */
  action: string
  /** The form's fields and, of them, the dates typed as day, month and year. */
  fields: string[]
  dates?: string[]
  /** Shows the form; a refusal adds errors, fieldErrors and the values as typed. */
  show(
    request: FastifyRequest,
    reply: FastifyReply,
    id: number,
    extra?: Record<string, unknown>,
  ): Promise<unknown>
  /** Runs the use-case with the form's values, and answers where to go next. */
  submit(request: FastifyRequest, id: number, body: Record<string, string>): Promise<string>
}

export function formPage(app: FastifyInstance, page: FormPage): void {
  app.get(page.form, guarded(withId((request, reply, id) => page.show(request, reply, id))))

  app.post(
    page.action,
    guarded(
      withId(async (request, reply, id) => {
        const body = firstValues(request.body)
        return orShowAgain(
          async () => reply.redirect(await page.submit(request, id, body), 303),
          (_summary, refusal) =>
            page.show(request, reply.code(422), id, {
              ...errorsOf(refusal.errors, page.fields, page.dates),
              values: body,
            }),
        )
      }),
    ),
  )
}
