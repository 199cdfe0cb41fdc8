// The views for signing in, accounts, people, roles, hubs' teams, the audit trail and the demo.
import { describe, expect, it } from 'vitest'
import { createRenderer } from './render.ts'

const renderer = createRenderer({ cache: false })

const roleNames: Record<string, string> = {
  'national-admin': 'National administrator',
  'national-viewer': 'National viewer',
  'hub-lead': 'Hub lead',
  'hub-admin': 'Hub administrator',
  reviewer: 'Reviewer',
  'mastery-specialist': 'Mastery Specialist',
  'school-contact': 'School contact or headteacher',
  teacher: 'Teacher',
  'mastery-advocate': 'Mastery Advocate',
}

const CSRF = 'csrf-token-123'
const SERVICE_NAME = 'Maths Hubs: Teaching for Mastery'

const anonymous = { kind: 'anonymous' }

function person(
  name: string,
  grants: Array<{ role: string; hubId?: string | null; schoolUrn?: number | null }>,
) {
  return {
    kind: 'person',
    personId: 7,
    name,
    email: 'ada.lovelace@example.org',
    grants: grants.map((grant, i) => ({ id: i + 1, hubId: null, schoolUrn: null, ...grant })),
  }
}

const nationalAdmin = person('Ada Lovelace', [{ role: 'national-admin' }])
const nationalViewer = person('Vera Viewer', [{ role: 'national-viewer' }])
const hubLead = person('Priya Patel', [{ role: 'hub-lead', hubId: 'north-star' }])

const render = (template: string, context: Record<string, unknown> = {}): string =>
  renderer.render(template, { roleNames, csrfToken: CSRF, currentPath: '/', actor: anonymous, ...context })

/** Text with tags removed and white space collapsed, for matching sentences. */
function text(html: string): string {
  return html
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
}

function h1s(html: string): string[] {
  return [...html.matchAll(/<h1\b[^>]*>([\s\S]*?)<\/h1>/g)].map((m) => text(m[1] ?? ''))
}

function title(html: string): string | undefined {
  return /<title>([^<]*)<\/title>/.exec(html)?.[1]
}

/** The opening tags of every form, and the forms that post. */
function forms(html: string): { all: string[]; post: string[] } {
  const all = [...html.matchAll(/<form\b[^>]*>/g)].map((m) => m[0])
  return { all, post: all.filter((tag) => /\smethod="post"/i.test(tag)) }
}

/** Each form's body (from <form to </form>), for checking what each one sends. */
function formBodies(html: string): string[] {
  return [...html.matchAll(/<form\b[\s\S]*?<\/form>/g)].map((m) => m[0])
}

/** The opening tag of the form control with this id. */
function control(html: string, id: string): string {
  return new RegExp(`<(?:input|select)\\b[^>]*\\sid="${id}"[^>]*>`).exec(html)?.[0] ?? ''
}

const csrfField = `<input type="hidden" name="_csrf" value="${CSRF}">`

const createdAt = new Date('2025-03-14T17:00:00Z')
const lastUsedAt = new Date('2025-08-14T11:00:00Z')

const northStar = { id: 'north-star', name: 'North Star Maths Hub' }

const views: Array<[string, Record<string, unknown>]> = [
  ['sign-in', { email: '', oidcEnabled: false }],
  ['sign-in', { email: 'ada@example.org', oidcEnabled: true, demo: true }],
  ['sign-in-check-email', {}],
  ['sign-in-link', { action: '/sign-in/link/abc123' }],
  ['sign-in-link-expired', {}],
  ['rate-limited', { retryAfterMinutes: 15 }],
  ['forbidden-form', {}],
  [
    'account',
    {
      actor: nationalAdmin,
      grants: [
        {
          id: 1,
          role: 'national-admin',
          roleName: 'National administrator',
          scope: 'All of England',
          createdAt,
        },
      ],
      links: [
        { text: 'People', href: '/admin/people' },
        { text: 'Audit trail', href: '/admin/audit' },
      ],
      canUseApiTokens: true,
    },
  ],
  [
    'api-tokens',
    {
      actor: hubLead,
      newToken: 'mh_live_0123456789abcdefghijklmnopqrstuvwxyz',
      tokens: [
        {
          id: 11,
          name: 'Reporting script',
          tokenPrefix: 'mh_live_01',
          roleName: 'Hub lead',
          scope: 'North Star Maths Hub',
          createdAt,
          lastUsedAt: null,
          revokedAt: null,
        },
        {
          id: 12,
          name: 'Old spreadsheet',
          tokenPrefix: 'mh_live_zz',
          roleName: 'Hub lead',
          scope: 'North Star Maths Hub',
          createdAt,
          lastUsedAt,
          revokedAt: lastUsedAt,
        },
      ],
      grantOptions: [{ value: '1', text: 'Hub lead, North Star Maths Hub' }],
    },
  ],
  [
    'hub-team',
    {
      actor: hubLead,
      hub: northStar,
      members: [
        {
          id: 7,
          name: 'Priya Patel',
          email: 'priya@example.org',
          grants: [{ id: 1, role: 'hub-lead', roleName: 'Hub lead' }],
        },
        {
          id: 8,
          name: 'Sam Jones',
          email: 'sam@example.org',
          grants: [
            { id: 2, role: 'hub-admin', roleName: 'Hub administrator' },
            { id: 3, role: 'reviewer', roleName: 'Reviewer' },
          ],
        },
      ],
      grantableRoles: [
        { value: 'hub-admin', text: 'Hub administrator' },
        { value: 'reviewer', text: 'Reviewer' },
      ],
      values: { email: '', name: '', role: '' },
    },
  ],
  [
    'hub-edit',
    {
      actor: nationalAdmin,
      hub: {
        ...northStar,
        contactEmail: 'hello@northstar.example',
        contactPhone: '0113 496 0000',
        website: 'https://northstar.example',
        areas: [
          { laCode: '383', laName: 'Leeds', schoolCount: 300 },
          { laCode: '384', laName: 'Wakefield', schoolCount: 150 },
        ],
      },
      values: null,
      areaValue: '',
    },
  ],
  [
    'people',
    {
      actor: nationalAdmin,
      q: '',
      canManage: true,
      people: [
        {
          id: 7,
          name: 'Priya Patel',
          email: 'priya@example.org',
          grants: [{ roleName: 'Hub lead', scope: 'North Star Maths Hub' }],
        },
        { id: 9, name: 'Tom New', email: 'tom@example.org', grants: [] },
      ],
    },
  ],
  [
    'person',
    {
      actor: nationalAdmin,
      person: {
        id: 8,
        name: 'Sam Jones',
        email: 'sam@example.org',
        trn: '1234567',
        grants: [
          {
            id: 2,
            role: 'hub-admin',
            roleName: 'Hub administrator',
            scope: 'North Star Maths Hub',
            createdAt,
            canRevoke: true,
          },
          { id: 4, role: 'teacher', roleName: 'Teacher', scope: '', createdAt, canRevoke: false },
        ],
      },
      canGrant: true,
      roleOptions: [
        { value: 'hub-lead', text: 'Hub lead' },
        { value: 'reviewer', text: 'Reviewer' },
      ],
      hubOptions: [{ value: 'north-star', text: 'North Star Maths Hub' }],
      values: { role: '', hubId: '', schoolUrn: '' },
    },
  ],
  [
    'person-new',
    {
      actor: nationalAdmin,
      roleOptions: [{ value: 'hub-lead', text: 'Hub lead' }],
      hubOptions: [{ value: 'north-star', text: 'North Star Maths Hub' }],
      values: {},
    },
  ],
  [
    'school-staff',
    {
      actor: nationalAdmin,
      school: { urn: 100123, name: 'Oakfield Primary School' },
      staff: [
        {
          id: 10,
          name: 'Cat Contact',
          email: 'cat@example.org',
          grants: [{ roleName: 'School contact or headteacher' }, { roleName: 'Teacher' }],
        },
      ],
    },
  ],
  [
    'audit',
    {
      actor: nationalAdmin,
      values: { person: '', recordType: '', recordId: '', from: '', to: '' },
      recordTypes: [
        { value: 'grant', text: 'Role' },
        { value: 'hub', text: 'Hub' },
      ],
      events: [
        {
          id: 1,
          occurredAt: createdAt,
          actorName: 'Ada Lovelace',
          actorKind: 'person',
          action: 'grant.create',
          recordType: 'grant',
          recordId: '2',
          before: null,
          after: '{"role":"hub-admin","hubId":"north-star"}',
          requestId: 'req-abc',
        },
      ],
    },
  ],
  [
    'demo-personas',
    {
      demo: true,
      personas: [
        {
          personId: 7,
          name: 'Priya Patel',
          email: 'priya@example.org',
          description: 'Hub lead at North Star Maths Hub',
        },
        { personId: 8, name: 'Sam Jones', email: 'sam@example.org', description: 'Hub administrator' },
      ],
    },
  ],
  [
    'demo-emails',
    {
      demo: true,
      emails: [
        {
          id: 1,
          to: 'priya@example.org',
          subject: 'Sign in to Maths Hubs: Teaching for Mastery',
          body: 'Hello Priya,\n\nUse this link to sign in:\nhttp://localhost:3000/sign-in/link/abc123\n',
          status: 'sent',
          createdAt,
        },
      ],
    },
  ],
  [
    'person-edit',
    {
      actor: hubLead,
      person: {
        id: 8,
        name: 'Sam Jones',
        email: 'sam@example.org',
        trn: null,
        workplace_urn: 123456,
        workplace_name: 'Northvale Primary',
      },
      own: false,
      backHref: '/people/8',
    },
  ],
]

describe('every new view', () => {
  it.each(views)(
    '%s renders one h1, safe markup and a CSRF field in every form that posts',
    (template, context) => {
      const html = render(template, context)

      expect(html).toMatch(/^<!DOCTYPE html>/)
      expect(h1s(html)).toHaveLength(1)
      expect(html).not.toContain('undefined')
      expect(html).not.toContain('[object Object]')

      // No inline scripts or styles (the Content-Security-Policy forbids them)
      for (const [, attributes, body] of html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)) {
        expect(attributes).toMatch(/\ssrc="\/assets\//)
        expect(body?.trim()).toBe('')
      }
      expect(html).not.toMatch(/\son[a-z]+="/i)
      expect(html).not.toMatch(/\sstyle="/i)
      expect(html).not.toContain('<style')

      // Every form that posts carries the CSRF field, once
      const { all, post } = forms(html)
      expect(post.length).toBe(html.split(csrfField).length - 1)
      for (const body of formBodies(html)) {
        if (/^<form\b[^>]*\smethod="post"/i.test(body)) {
          expect(body.split(csrfField)).toHaveLength(2)
        } else {
          expect(body).not.toContain('name="_csrf"')
        }
      }
      // Every form says how it is sent
      for (const tag of all) expect(tag).toMatch(/\smethod="(get|post)"/)

      // Buttons that send a form guard against double clicks
      for (const [tag] of html.matchAll(/<button\b[^>]*class="govuk-button[^"]*"[^>]*>/g)) {
        expect(tag).toContain('data-prevent-double-click="true"')
      }
    },
  )

  it.each(views)('%s has no error summary without errors', (template, context) => {
    expect(render(template, context)).not.toContain('govuk-error-summary')
  })
})

describe('layout', () => {
  it('offers Sign in to someone not signed in', () => {
    const html = render('index', { actor: anonymous })
    expect(html).toMatch(/<a class="govuk-service-navigation__link" href="\/sign-in"[^>]*>\s*Sign in\s*<\/a>/)
    expect(html).not.toContain('action="/sign-out"')
    expect(html).not.toContain('href="/account"')
    expect(html).not.toContain('href="/admin/people"')
    expect(html).not.toContain('href="/admin/audit"')
  })

  it('treats a missing actor as not signed in', () => {
    const html = renderer.render('index', {})
    expect(html).toContain('href="/sign-in"')
    expect(html).not.toContain('action="/sign-out"')
  })

  it('offers Your account and a Sign out button to a signed-in person', () => {
    const html = render('index', { actor: hubLead })
    expect(html).toMatch(
      /<a class="govuk-service-navigation__link" href="\/account"[^>]*>\s*Your account\s*<\/a>/,
    )
    expect(html).not.toContain('href="/sign-in"')

    const signOut = formBodies(html).find((body) => body.includes('action="/sign-out"'))
    expect(signOut).toBeDefined()
    expect(signOut).toMatch(/<form\b[^>]*\saction="\/sign-out"[^>]*\smethod="post"/)
    expect(signOut).toContain(csrfField)
    expect(signOut).toMatch(/<button type="submit"[^>]*>Sign out<\/button>/)

    // A hub lead is not national staff
    expect(html).not.toContain('href="/admin/people"')
    expect(html).not.toContain('href="/admin/audit"')
  })

  it('shows People and Audit to a national administrator', () => {
    const html = render('index', { actor: nationalAdmin })
    expect(html).toMatch(/href="\/admin\/people"[^>]*>\s*People\s*</)
    expect(html).toMatch(/href="\/admin\/audit"[^>]*>\s*Audit\s*</)
    expect(html).toContain('href="/account"')
  })

  it('shows People but not Audit to a national viewer', () => {
    const html = render('index', { actor: nationalViewer })
    expect(html).toContain('href="/admin/people"')
    expect(html).not.toContain('href="/admin/audit"')
  })

  it('marks the current account and people pages', () => {
    expect(render('index', { actor: nationalAdmin, currentPath: '/account' })).toMatch(
      /href="\/account" aria-current="page"/,
    )
    expect(render('index', { actor: nationalAdmin, currentPath: '/account/api-tokens' })).toMatch(
      /href="\/account" aria-current="true"/,
    )
    expect(render('index', { actor: nationalAdmin, currentPath: '/people/8' })).toMatch(
      /href="\/admin\/people" aria-current="true"/,
    )
  })

  it('keeps the other navigation items', () => {
    const html = render('index', { actor: nationalAdmin })
    for (const href of ['/find-your-hub', '/hubs', '/schools']) expect(html).toContain(`href="${href}"`)
  })

  it('links to the demo personas and emails from the demo banner', () => {
    const html = render('index', { demo: true })
    const banner = /<div class="govuk-notification-banner"[\s\S]*?data-app-demo-banner[\s\S]*?<\/ul>/.exec(
      html,
    )?.[0]
    expect(banner).toBeDefined()
    expect(text(banner ?? '')).toContain(
      'This is demonstration data. The schools and Maths Hubs shown are fictional.',
    )
    expect(banner).toMatch(/href="\/demo\/personas">Sign in as a demo person<\/a>/)
    expect(banner).toMatch(/href="\/demo\/emails">Emails the demo would have sent<\/a>/)
  })

  it('does not show the demo links outside the demo', () => {
    const html = render('index', { demo: false })
    expect(html).not.toContain('/demo/personas')
    expect(html).not.toContain('/demo/emails')
  })

  it('escapes the signed-in person’s details', () => {
    const html = render('account', {
      actor: person('<script>alert(1)</script>', [{ role: 'teacher' }]),
      grants: [],
      links: [],
      canUseApiTokens: false,
    })
    expect(html).not.toContain('<script>alert(1)</script>')
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;')
  })
})

describe('sign in', () => {
  it('asks for an email address', () => {
    const html = render('sign-in', { email: 'ada@example.org', oidcEnabled: false })
    expect(h1s(html)).toEqual(['Sign in'])
    expect(title(html)).toBe(`Sign in - ${SERVICE_NAME}`)
    expect(html).toMatch(/<form action="\/sign-in" method="post"/)
    expect(html).toMatch(/<label class="govuk-label[^"]*" for="email">\s*Email address\s*<\/label>/)
    const input = control(html, 'email')
    expect(input).toContain('type="email"')
    expect(input).toContain('autocomplete="email"')
    expect(input).toContain('spellcheck="false"')
    expect(input).toContain('value="ada@example.org"')
    expect(text(html)).toContain('Send me a sign-in link')
    expect(html).not.toContain('/sign-in/oidc')
    expect(html).not.toContain('/demo/personas')
  })

  it('offers an organisation’s account when OpenID Connect is on', () => {
    const html = render('sign-in', { email: '', oidcEnabled: true })
    expect(text(html)).toContain('Or sign in with your organisation’s account')
    expect(html).toMatch(/<a href="\/sign-in\/oidc"[^>]*class="govuk-button/)
  })

  it('points to the demo personas in the demo', () => {
    const html = render('sign-in', { email: '', demo: true })
    expect(html).toMatch(/<div class="govuk-inset-text">[\s\S]*href="\/demo\/personas"/)
  })

  it('shows the error summary and the field error', () => {
    const html = render('sign-in', {
      email: 'not an address',
      errors: [
        { text: 'Enter an email address in the correct format, like name@example.com', href: '#email' },
      ],
    })
    expect(title(html)).toBe(`Error: Sign in - ${SERVICE_NAME}`)
    expect(html).toContain('class="govuk-error-summary"')
    expect(text(html)).toContain('There is a problem')
    expect(html).toContain(
      '<a href="#email">Enter an email address in the correct format, like name@example.com</a>',
    )
    expect(html).toContain('<p id="email-error" class="govuk-error-message">')
    expect(html.indexOf('govuk-error-summary')).toBeLessThan(html.indexOf('<h1'))
  })

  it('says what happens next', () => {
    const words = text(render('sign-in-check-email', {}))
    expect(words).toContain('Check your email')
    expect(words).toContain('has an account')
    expect(words).toContain('works once and expires in 20 minutes')
    expect(words).toContain('spam')
    expect(render('sign-in-check-email', {})).toContain('href="/sign-in"')
  })

  it('signs in from the link with a button', () => {
    const html = render('sign-in-link', { action: '/sign-in/link/abc123' })
    expect(h1s(html)).toEqual(['Sign in to Maths Hubs: Teaching for Mastery'])
    expect(html).toMatch(/<form action="\/sign-in\/link\/abc123" method="post"/)
    expect(text(html)).toContain('Continue')
  })

  it('escapes the link’s form action', () => {
    const html = render('sign-in-link', { action: '/sign-in/link/"><script>x</script>' })
    expect(html).not.toContain('<script>x</script>')
  })

  it('explains an expired link', () => {
    const html = render('sign-in-link-expired', {})
    expect(h1s(html)).toEqual(['This sign-in link has expired or has already been used'])
    expect(html).toContain('href="/sign-in"')
  })

  it('says how long to wait when rate limited', () => {
    expect(text(render('rate-limited', { retryAfterMinutes: 15 }))).toContain(
      'Wait 15 minutes and try again.',
    )
    expect(text(render('rate-limited', { retryAfterMinutes: 1 }))).toContain('Wait 1 minute and try again.')
  })

  it('explains an expired form', () => {
    const html = render('forbidden-form', {})
    expect(h1s(html)).toEqual(['Sorry, this form has expired'])
    expect(text(html)).toContain('Go back, refresh the page and try again.')
  })
})

describe('account', () => {
  const context = views.find(([name]) => name === 'account')?.[1] ?? {}

  it('shows the person, their roles and what they can do', () => {
    const html = render('account', context)
    const words = text(html)
    expect(h1s(html)).toEqual(['Your account'])
    expect(words).toContain('Name Ada Lovelace')
    expect(words).toContain('Email address ada.lovelace@example.org')
    expect(words).toContain('Your roles')
    expect(words).toContain('National administrator All of England 5pm on 14 March 2025')
    expect(words).toContain('What you can do')
    expect(html).toContain('<a class="govuk-link" href="/admin/audit">Audit trail</a>')
    expect(html).toContain('<a class="govuk-link" href="/account/api-tokens">API tokens</a>')
  })

  it('shows the person it is given rather than the layout’s actor', () => {
    const html = render('account', {
      ...context,
      person: { name: 'Grace Hopper', email: 'grace@example.org' },
    })
    expect(text(html)).toContain('Name Grace Hopper')
    expect(text(html)).toContain('Email address grace@example.org')
  })

  it('says when there are no roles and hides API tokens', () => {
    const html = render('account', { ...context, grants: [], links: [], canUseApiTokens: false })
    expect(text(html)).toContain('You have no roles yet.')
    expect(html).not.toContain('/account/api-tokens')
    expect(html).not.toContain('<table')
  })
})

describe('api-tokens', () => {
  const context = views.find(([name]) => name === 'api-tokens')?.[1] ?? {}

  it('shows a new token once', () => {
    const html = render('api-tokens', context)
    expect(html).toContain('govuk-notification-banner--success')
    expect(text(html)).toContain('Your new API token')
    expect(html).toMatch(
      /<p class="govuk-body">[^<]*<code[^>]*>mh_live_0123456789abcdefghijklmnopqrstuvwxyz<\/code><\/p>/,
    )
    expect(text(html)).toContain('Copy it now: we will not show it again.')
    expect(render('api-tokens', { ...context, newToken: undefined })).not.toContain(
      'notification-banner--success',
    )
  })

  it('lists tokens with a revoke button for live ones', () => {
    const html = render('api-tokens', context)
    const words = text(html)
    for (const heading of ['Name', 'Starts with', 'Acts as', 'Created', 'Last used']) {
      expect(html).toMatch(new RegExp(`<th scope="col" class="govuk-table__header">${heading}</th>`))
    }
    expect(words).toContain(
      'Reporting script mh_live_01 Hub lead, North Star Maths Hub 5pm on 14 March 2025 Never',
    )
    expect(words).toContain('midday on 14 August 2025')
    expect(html).toContain('action="/account/api-tokens/11/revoke"')
    expect(html).not.toContain('action="/account/api-tokens/12/revoke"')
    expect(html).toMatch(
      /govuk-button--warning[\s\S]*?Revoke<span class="govuk-visually-hidden"> Reporting script<\/span>/,
    )
    expect(html).toMatch(/<strong class="govuk-tag govuk-tag--grey">\s*Revoked\s*<\/strong>/)
  })

  it('has a form to create a token', () => {
    const html = render('api-tokens', context)
    expect(html).toMatch(/<form action="\/account\/api-tokens" method="post"/)
    expect(control(html, 'name')).toContain('name="name"')
    expect(html).toMatch(
      /<input class="govuk-radios__input" id="grantId" name="grantId" type="radio" value="1"/,
    )
    expect(text(html)).toContain('Create token')
  })

  it('shows errors against the name and role', () => {
    const html = render('api-tokens', {
      ...context,
      newToken: undefined,
      errors: [
        { text: 'Enter a name for the token', href: '#name' },
        { text: 'Select the role the token acts as', href: '#grantId' },
      ],
    })
    expect(html).toContain('class="govuk-error-summary"')
    expect(html).toContain('<p id="name-error" class="govuk-error-message">')
    expect(html).toContain('<p id="grantId-error" class="govuk-error-message">')
  })

  it('escapes token names', () => {
    const html = render('api-tokens', {
      ...context,
      tokens: [{ ...(context.tokens as object[])[0], name: '<img src=x onerror=alert(1)>' }],
    })
    expect(html).not.toContain('<img src=x')
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;')
  })
})

describe('hub-team', () => {
  const context = views.find(([name]) => name === 'hub-team')?.[1] ?? {}

  it('lists the team with remove buttons for the roles the viewer manages', () => {
    const html = render('hub-team', context)
    expect(h1s(html)).toEqual(['North Star Maths Hub team'])
    expect(html).toContain('<a class="govuk-link" href="/people/8">Sam Jones</a>')
    expect(text(html)).toContain('sam@example.org')
    // Hub administrator and reviewer can be removed; hub lead cannot
    expect(html).toContain('action="/grants/2/revoke"')
    expect(html).toContain('action="/grants/3/revoke"')
    expect(html).not.toContain('action="/grants/1/revoke"')
    expect(html.split('<input type="hidden" name="next" value="/hubs/north-star/team">')).toHaveLength(3)
    expect(html).toContain('Remove<span class="govuk-visually-hidden"> Sam Jones as Reviewer</span>')
  })

  it('has a form to add someone', () => {
    const html = render('hub-team', {
      ...context,
      values: { email: 'new@example.org', name: 'New Person', role: 'reviewer' },
    })
    expect(text(html)).toContain('Add someone to the team')
    expect(html).toMatch(/<form action="\/hubs\/north-star\/team" method="post"/)
    expect(control(html, 'email')).toMatch(/type="email"[\s\S]*value="new@example.org"/)
    expect(text(html)).toContain('Only used for someone new to the service')
    expect(html).toMatch(/name="role" type="radio" value="reviewer" checked/)
    expect(text(html)).toContain('Add to team')
  })

  it('shows no form or buttons to someone who cannot manage the team', () => {
    const html = render('hub-team', { ...context, grantableRoles: [] })
    expect(html).not.toContain('/revoke')
    expect(html).not.toContain('Add someone to the team')
    expect(forms(html).post).toHaveLength(1) // just signing out
  })

  it('shows errors and escapes names', () => {
    const html = render('hub-team', {
      ...context,
      hub: { id: 'north-star', name: '<b>Hub</b>' },
      members: [
        {
          id: 1,
          name: '<i>Evil</i>',
          email: 'e@example.org',
          grants: [{ id: 9, role: 'reviewer', roleName: 'Reviewer' }],
        },
      ],
      errors: [{ text: 'Select a role', href: '#role' }],
    })
    expect(html).toContain('class="govuk-error-summary"')
    expect(html).toContain('<p id="role-error" class="govuk-error-message">')
    expect(html).not.toContain('<b>Hub</b>')
    expect(html).not.toContain('<i>Evil</i>')
    expect(html).toContain('&lt;i&gt;Evil&lt;/i&gt;')
  })
})

describe('hub-edit', () => {
  const context = views.find(([name]) => name === 'hub-edit')?.[1] ?? {}

  it('edits the hub’s details, showing the current ones', () => {
    const html = render('hub-edit', context)
    expect(h1s(html)).toEqual(['Edit North Star Maths Hub'])
    expect(html).toMatch(/<form action="\/admin\/hubs\/north-star" method="post"/)
    expect(control(html, 'name')).toContain('value="North Star Maths Hub"')
    expect(control(html, 'contactEmail')).toMatch(/type="email"[\s\S]*value="hello@northstar.example"/)
    expect(control(html, 'contactPhone')).toMatch(/type="tel"[\s\S]*value="0113 496 0000"/)
    expect(control(html, 'website')).toMatch(/type="url"[\s\S]*value="https:\/\/northstar.example"/)
  })

  it('shows the answers given instead when there are errors', () => {
    const html = render('hub-edit', {
      ...context,
      values: { name: '', contactEmail: 'bad', contactPhone: '', website: '' },
      errors: [{ text: 'Enter a name', href: '#name' }],
    })
    expect(control(html, 'contactEmail')).toContain('value="bad"')
    expect(html).toContain('<p id="name-error" class="govuk-error-message">')
    expect(html).toContain('class="govuk-error-summary"')
  })

  it('lists the local authorities with remove buttons, and adds one', () => {
    const html = render('hub-edit', { ...context, areaValue: '88' })
    expect(text(html)).toContain('Local authorities served')
    expect(text(html)).toContain('383 Leeds 300')
    expect(html).toContain('action="/admin/hubs/north-star/areas/383/remove"')
    expect(html).toContain('action="/admin/hubs/north-star/areas/384/remove"')
    expect(html).toMatch(/<form action="\/admin\/hubs\/north-star\/areas" method="post"/)
    expect(control(html, 'laCode')).toContain('value="88"')
    expect(text(html)).toContain('3 digits, for example 886 for Kent.')
  })
})

describe('people', () => {
  const context = views.find(([name]) => name === 'people')?.[1] ?? {}

  it('searches and lists people', () => {
    const html = render('people', { ...context, q: 'pat' })
    expect(h1s(html)).toEqual(['People'])
    expect(html).toContain('<form action="/admin/people" method="get" novalidate>')
    expect(control(html, 'q')).toMatch(/type="search"[\s\S]*value="pat"/)
    expect(text(html)).toContain('Name or email address')
    expect(html).toContain('<a class="govuk-link" href="/people/7">Priya Patel</a>')
    expect(text(html)).toContain('Hub lead, North Star Maths Hub')
    expect(html).toMatch(/<a href="\/admin\/people\/new"[^>]*class="govuk-button/)
  })

  it('hides adding people from viewers', () => {
    expect(render('people', { ...context, canManage: false })).not.toContain('/admin/people/new')
  })

  it('says when nobody matches', () => {
    expect(text(render('people', { ...context, q: 'zzz', people: [] }))).toContain('No people match “zzz”.')
  })
})

describe('person', () => {
  const context = views.find(([name]) => name === 'person')?.[1] ?? {}

  it('shows the person and their roles', () => {
    const html = render('person', context)
    const words = text(html)
    expect(h1s(html)).toEqual(['Sam Jones'])
    expect(words).toContain('sam@example.org')
    expect(words).toContain('1234567')
    expect(words).toContain('Hub administrator North Star Maths Hub 5pm on 14 March 2025')
    expect(html).toContain('action="/grants/2/revoke"')
    expect(html).not.toContain('action="/grants/4/revoke"')
    expect(html).toContain('<input type="hidden" name="next" value="/people/8">')
  })

  it('says when there is no TRN', () => {
    const html = render('person', { ...context, person: { ...(context.person as object), trn: null } })
    expect(text(html)).toContain('Not given')
  })

  it('gives a role', () => {
    const html = render('person', {
      ...context,
      values: { role: 'reviewer', hubId: 'north-star', schoolUrn: '' },
    })
    expect(text(html)).toContain('Give a role')
    expect(html).toMatch(/<form action="\/people\/8\/grants" method="post"/)
    expect(html).toContain('<input type="hidden" name="email" value="sam@example.org">')
    expect(html).toContain('<option value="reviewer" selected>Reviewer</option>')
    expect(html).toContain('<option value="">Not a hub role</option>')
    expect(html).toContain('<option value="north-star" selected>North Star Maths Hub</option>')
    expect(text(html)).toContain('Hub (for hub roles)')
    expect(text(html)).toContain('School URN (for school contacts)')
  })

  it('hides giving a role when not allowed', () => {
    expect(text(render('person', { ...context, canGrant: false }))).not.toContain('Give a role')
  })

  it('shows errors', () => {
    const html = render('person', { ...context, errors: [{ text: 'Choose a hub', href: '#hubId' }] })
    expect(html).toContain('class="govuk-error-summary"')
    expect(html).toContain('<p id="hubId-error" class="govuk-error-message">')
  })
})

describe('person-new', () => {
  const context = views.find(([name]) => name === 'person-new')?.[1] ?? {}

  it('asks for the person and the role', () => {
    const html = render('person-new', {
      ...context,
      values: { email: 'x@example.org', name: 'X', role: 'hub-lead' },
    })
    expect(h1s(html)).toEqual(['Add a person or role'])
    expect(html).toMatch(/<form action="\/admin\/people\/new" method="post"/)
    for (const name of ['email', 'name', 'schoolUrn']) expect(html).toContain(`name="${name}"`)
    expect(html).toContain('<select class="govuk-select" id="role" name="role">')
    expect(html).toContain('<select class="govuk-select" id="hubId" name="hubId">')
    expect(html).toContain('<option value="hub-lead" selected>Hub lead</option>')
    expect(html).toMatch(/value="x@example.org"/)
  })

  it('shows errors', () => {
    const html = render('person-new', {
      ...context,
      errors: [{ text: 'Enter an email address', href: '#email' }],
    })
    expect(html).toContain('class="govuk-error-summary"')
    expect(html).toContain('<p id="email-error" class="govuk-error-message">')
  })
})

describe('school-staff', () => {
  const context = views.find(([name]) => name === 'school-staff')?.[1] ?? {}

  it('lists the people at a school', () => {
    const html = render('school-staff', context)
    expect(h1s(html)).toEqual(['Oakfield Primary School: people'])
    expect(html).toContain('<a class="govuk-link" href="/people/10">Cat Contact</a>')
    expect(text(html)).toContain('School contact or headteacher, Teacher')
    expect(html).toContain('href="/schools/100123"')
  })

  it('says when nobody has a role', () => {
    const html = render('school-staff', { ...context, staff: [] })
    expect(text(html)).toContain('Nobody at this school has a role in the service yet.')
    expect(html).toContain('href="/schools/100123"')
  })
})

describe('audit', () => {
  const context = views.find(([name]) => name === 'audit')?.[1] ?? {}

  it('searches the audit trail', () => {
    const html = render('audit', {
      ...context,
      values: {
        person: 'ada@example.org',
        recordType: 'hub',
        recordId: 'north-star',
        from: '2025-01-01',
        to: '2025-03-31',
      },
    })
    expect(h1s(html)).toEqual(['Audit trail'])
    expect(html).toContain('<form action="/admin/audit" method="get" novalidate>')
    expect(text(html)).toContain('Person’s email address')
    expect(control(html, 'person')).toMatch(/type="email"[\s\S]*value="ada@example.org"/)
    expect(html).toContain('<option value="">Any</option>')
    expect(html).toContain('<option value="hub" selected>Hub</option>')
    expect(control(html, 'recordId')).toContain('value="north-star"')
    expect(control(html, 'from')).toMatch(/type="date"[\s\S]*value="2025-01-01"/)
    expect(control(html, 'to')).toMatch(/type="date"[\s\S]*value="2025-03-31"/)
    expect(text(html)).toContain('To (up to and including)')
  })

  it('lists changes with the before and after', () => {
    const html = render('audit', context)
    const words = text(html)
    expect(words).toContain('5pm on 14 March 2025 Ada Lovelace grant.create Role 2')
    expect(html).toContain('class="govuk-details')
    expect(words).toContain('Before and after')
    expect(html).toContain(
      '<pre class="app-audit-change">{&quot;role&quot;:&quot;hub-admin&quot;,&quot;hubId&quot;:&quot;north-star&quot;}</pre>',
    )
  })

  it('names the kind of actor when there is no name', () => {
    const events = [{ ...(context.events as object[])[0], actorName: null, actorKind: 'system' }]
    expect(text(render('audit', { ...context, events }))).toContain('system grant.create')
  })

  it('says when nothing matches', () => {
    expect(text(render('audit', { ...context, events: [] }))).toContain('No changes match.')
  })

  it('escapes what changed', () => {
    const events = [{ ...(context.events as object[])[0], after: '{"name":"</pre><script>x</script>"}' }]
    const html = render('audit', { ...context, events })
    expect(html).not.toContain('<script>x</script>')
  })

  it('shows errors', () => {
    const html = render('audit', { ...context, errors: [{ text: 'Enter a real date', href: '#from' }] })
    expect(html).toContain('class="govuk-error-summary"')
    expect(html).toContain('<p id="from-error" class="govuk-error-message">')
  })
})

describe('demo-personas', () => {
  const context = views.find(([name]) => name === 'demo-personas')?.[1] ?? {}

  it('offers a sign-in button for each persona', () => {
    const html = render('demo-personas', context)
    expect(h1s(html)).toEqual(['Sign in as a demo person'])
    expect(text(html)).toContain('This page exists only in the demo.')
    expect(html).toContain('class="govuk-warning-text"')
    expect(html).toMatch(/<h2[^>]*>Priya Patel<\/h2>/)
    expect(text(html)).toContain('Hub lead at North Star Maths Hub')
    expect(html).toMatch(/<form action="\/demo\/personas\/7" method="post"/)
    expect(html).toMatch(/<form action="\/demo\/personas\/8" method="post"/)
    // Each button's accessible name includes the full name
    expect(html).toContain('Sign in as Priya<span class="govuk-visually-hidden"> Patel</span>')
    expect(html).toContain('Sign in as Sam<span class="govuk-visually-hidden"> Jones</span>')
  })

  it('escapes persona names', () => {
    const html = render('demo-personas', {
      personas: [{ personId: 1, name: '<b>Bad</b> Name', email: 'b@example.org', description: '<i>x</i>' }],
    })
    expect(html).not.toContain('<b>Bad</b>')
    expect(html).not.toContain('<i>x</i>')
  })
})

describe('demo-emails', () => {
  const context = views.find(([name]) => name === 'demo-emails')?.[1] ?? {}

  it('shows each email', () => {
    const html = render('demo-emails', context)
    const words = text(html)
    expect(h1s(html)).toEqual(['Emails the demo would have sent'])
    expect(words).toContain('To priya@example.org')
    expect(words).toContain('Subject Sign in to Maths Hubs: Teaching for Mastery')
    expect(words).toContain('5pm on 14 March 2025')
    expect(words).toContain('work in the demo')
    expect(html).toMatch(/<pre class="app-email-body">Hello Priya,\n\nUse this link to sign in:\n/)
    // Web addresses in the body are links
    expect(html).toContain(
      '<a class="govuk-link" href="http://localhost:3000/sign-in/link/abc123">http://localhost:3000/sign-in/link/abc123</a>',
    )
  })

  it('escapes the body, keeping links safe', () => {
    const html = render('demo-emails', {
      emails: [
        {
          id: 2,
          to: '<b>to</b>@example.org',
          subject: '<script>alert(1)</script>',
          body: 'Hi <img src=x onerror=alert(1)>\nhttp://example.org/a?b="c"&d=<e>\njavascript:alert(1)',
          status: 'pending',
          createdAt,
        },
      ],
    })
    expect(html).not.toContain('<script>alert(1)')
    expect(html).not.toContain('<img src=x')
    expect(html).not.toContain('<b>to</b>')
    expect(html).not.toContain('href="javascript:')
    expect(html).not.toMatch(/href="[^"]*"c/)
    expect(html).toContain('Hi &lt;img src=x onerror=alert(1)&gt;')
  })

  it('says when there are no emails', () => {
    expect(text(render('demo-emails', { emails: [] }))).toContain('No emails yet.')
  })
})

describe('person-edit', () => {
  const context = views.find(([name]) => name === 'person-edit')?.[1] ?? {}

  it('shows the person’s details in a form, and says the email address stays', () => {
    const html = render('person-edit', context)
    expect(h1s(html)).toEqual(['Change Sam Jones’s details'])
    expect(html).toMatch(/<form action="\/people\/8\/edit" method="post"/)
    expect(control(html, 'name')).toContain('value="Sam Jones"')
    expect(control(html, 'workplaceUrn')).toContain('value="123456"')
    expect(control(html, 'trn')).toContain('value=""')
    expect(text(html)).toContain('Works at now Northvale Primary (URN 123456)')
    expect(text(html)).toContain('An email address cannot be changed here')
    expect(html).toContain('href="/people/8"')
  })

  it('speaks to the person changing their own', () => {
    const html = render('person-edit', { ...context, own: true, backHref: '/account' })
    expect(h1s(html)).toEqual(['Change your details'])
    expect(text(html)).toContain('School where you work (URN) (optional)')
  })

  it('shows the answers given again with the errors, escaped', () => {
    const html = render('person-edit', {
      ...context,
      values: { name: '<b>x</b>', workplaceUrn: '12', trn: '' },
      errors: [{ text: 'Enter a name without a web address', href: '#name' }],
    })
    expect(html).toContain('govuk-error-summary')
    expect(html).toContain('&lt;b&gt;x&lt;/b&gt;')
    expect(control(html, 'workplaceUrn')).toContain('value="12"')
  })
})
