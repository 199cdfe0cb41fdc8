// The erasure confirmation page and the data protection parts of the person and account pages.
import { describe, expect, it } from 'vitest'
import { createRenderer } from './render.ts'

const renderer = createRenderer({ cache: false })
const CSRF = 'csrf-token-123'
const admin = {
  kind: 'person',
  personId: 1,
  name: 'Ada Lovelace',
  email: 'ada@ncetm.example',
  grants: [{ id: 1, role: 'national-admin', hubId: null, schoolUrn: null }],
}

const render = (template: string, context: Record<string, unknown> = {}): string =>
  renderer.render(template, { csrfToken: CSRF, currentPath: '/', actor: admin, roleNames: {}, ...context })

const text = (html: string) =>
  html
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()

const facts = {
  applications: 2,
  emails: 5,
  sessions: 1,
  signInLinks: 0,
  apiTokens: 1,
  roles: 2,
  interestNotices: 0,
  asHeadteacher: 0,
  participations: 0,
  bookingNeeds: 0,
  absenceReasons: 0,
  stageReasons: 0,
  releaseTexts: 0,
  taskSubmissions: 0,
  evidenceFiles: 0,
  accreditationSources: 0,
  calendarFeeds: 0,
}
const erasePage = {
  pageTitle: 'Erase Zara Quill’s personal data',
  person: { id: 42, name: 'Zara Quill', email: 'zara@school.example' },
  erasedAt: null,
  facts,
}

describe('the erasure confirmation page', () => {
  it('says what will happen and what is kept, with a form that carries the CSRF token', () => {
    const html = render('person-erase.njk', erasePage)
    expect([...html.matchAll(/<h1\b/g)]).toHaveLength(1)
    const page = text(html)
    expect(page).toContain('Erasing cannot be undone.')
    expect(page).toContain(
      '1 session will end, 0 sign-in links and 1 API token will stop working, and 2 roles',
    )
    expect(page).toContain('On their 2 applications')
    expect(page).toContain('5 emails sent to them will be blanked')
    expect(page).not.toContain('headteacher on')
    expect(page).not.toContain('on a programme')
    expect(page).not.toContain('calendar feed')
    expect(html).toContain('<form action="/people/42/erase" method="post" novalidate>')
    const form = /<form action="\/people\/42\/erase"[\s\S]*?<\/form>/.exec(html)?.[0] ?? ''
    expect(form.split(`name="_csrf" value="${CSRF}"`)).toHaveLength(2)
    expect(form).toContain('name="confirm" type="checkbox" value="yes"')
    expect(html).toContain('data-prevent-double-click="true"')
    expect(html).not.toContain('govuk-error-summary')
    expect(html).not.toContain('undefined')
  })

  it('says what of their development years will be removed', () => {
    const html = render('person-erase.njk', {
      ...erasePage,
      facts: {
        ...facts,
        participations: 1,
        bookingNeeds: 2,
        absenceReasons: 1,
        stageReasons: 1,
        releaseTexts: 3,
        taskSubmissions: 2,
        evidenceFiles: 1,
        accreditationSources: 1,
        calendarFeeds: 1,
      },
    })
    const page = text(html)
    expect(page).toContain(
      'On their 1 place on a programme: access and dietary needs on 2 bookings, 1 reason for an absence, 1 reason for deferring or withdrawing, and the notes and reasons on 3 release-time entries and approvals will be removed.',
    )
    expect(page).toContain(
      'The evidence they handed in for 2 tasks (text, links and 1 file) and the feedback on it will be deleted.',
    )
    expect(page).toContain('Where their PD Lead accreditation came from will be removed.')
    expect(page).toContain('Their calendar feed will stop working.')
    expect(page).toContain('their development years’ stages, bookings, attendance, release days')
  })

  it('shows the error summary linked to the confirmation', () => {
    const html = render('person-erase.njk', {
      ...erasePage,
      errors: [{ text: 'Confirm that you want to erase this person’s personal data', href: '#confirm' }],
    })
    expect(html).toContain('govuk-error-summary')
    expect(html).toContain(
      '<a href="#confirm">Confirm that you want to erase this person’s personal data</a>',
    )
    expect(html).toContain('govuk-checkboxes__input" id="confirm"')
    expect(html).toContain('govuk-form-group--error')
  })

  it('says when there is nothing more to erase, without the form', () => {
    const html = render('person-erase.njk', { ...erasePage, erasedAt: new Date('2027-06-01T09:00:00Z') })
    expect(text(html)).toContain('erased at 10am on 1 June 2027. There is nothing more to erase.')
    expect(html).not.toContain('action="/people/42/erase"')
  })
})

describe('the account page', () => {
  it('offers the download of your own data', () => {
    const html = render('account.njk', {
      person: { name: 'Ada Lovelace', email: 'ada@ncetm.example' },
      grants: [],
    })
    expect(html).toContain(
      '<a class="govuk-link" href="/account/personal-data" download>Download the information we hold about you</a>',
    )
  })
})
