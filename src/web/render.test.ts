import { describe, expect, it } from 'vitest'
import { pageHref, pagingView } from '../lib/paging.ts'
import {
  createRenderer,
  fieldErrorFilter,
  numberFilter,
  phaseOptions,
  ukDateFilter,
  ukDateTimeFilter,
} from './render.ts'

const renderer = createRenderer({ cache: true })
const render = (template: string, context: Record<string, unknown> = {}): string =>
  renderer.render(template, context)

const SERVICE_NAME = 'Maths Hubs: Teaching for Mastery'

const northStar = {
  id: 'north-star',
  name: 'North Star Maths Hub',
  contactEmail: 'hello@northstar.example',
  contactPhone: '0113 496 0000',
  website: 'https://northstar.example/maths-hub',
}

const oakfield = {
  urn: 100123,
  name: 'Oakfield Primary School',
  typeName: 'Academy converter',
  phase: 'Primary',
  laName: 'Leeds',
  postcode: 'LS1 4AP',
  open: true,
  inEngland: true,
  stateFunded: true,
  successor: null,
  hub: northStar,
}

const elmTree = {
  urn: 100124,
  name: 'Elm Tree Academy',
  typeName: 'Academy sponsor led',
  phase: 'Secondary',
  laName: 'Rutland',
  postcode: 'LE15 6AA',
  open: true,
  inEngland: true,
  stateFunded: true,
  successor: null,
  hub: null,
}

const oldMill = {
  urn: 100125,
  name: 'Old Mill Junior School',
  typeName: 'Community school',
  phase: 'Primary',
  laName: 'Leeds',
  postcode: 'LS2 9AA',
  open: false,
  inEngland: true,
  stateFunded: true,
  successor: { urn: 100123, name: 'Oakfield Primary School' },
  hub: northStar,
}

const ysgol = {
  urn: 400001,
  name: 'Ysgol Gynradd y Bont',
  typeName: 'Welsh establishment',
  phase: 'Primary',
  laName: 'Cardiff',
  postcode: 'CF10 1AA',
  open: true,
  inEngland: false,
  stateFunded: false,
  successor: null,
  hub: null,
}

/** Text with tags removed and white space collapsed, for matching sentences. */
function text(html: string): string {
  return html
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
}

function title(html: string): string | undefined {
  return /<title>([^<]*)<\/title>/.exec(html)?.[1]
}

function h1s(html: string): string[] {
  return [...html.matchAll(/<h1\b[^>]*>([\s\S]*?)<\/h1>/g)].map((m) => text(m[1] ?? ''))
}

/** Heading levels in document order, for example [2, 1, 2, 3]. */
function headingLevels(html: string): number[] {
  return [...html.matchAll(/<h([1-6])\b/g)].map((m) => Number(m[1]))
}

const allPages: Array<[string, Record<string, unknown>]> = [
  ['index', {}],
  ['find-your-hub', { q: '', searched: false, errors: [], results: [] }],
  ['find-your-hub', { q: 'oak', searched: true, errors: [], results: [oakfield, elmTree, oldMill, ysgol] }],
  ['find-your-hub', { q: 'zzz', searched: true, errors: [], results: [] }],
  [
    'hubs',
    {
      hubs: [
        { id: 'north-star', name: 'North Star Maths Hub', laCount: 3, schoolCount: 1234 },
        { id: 'east', name: 'East Maths Hub', laCount: 1, schoolCount: 80 },
      ],
    },
  ],
  ['hub', { hub: { ...northStar, areas: [{ laCode: '383', laName: 'Leeds', schoolCount: 300 }] } }],
  [
    'schools',
    {
      q: '',
      phase: '',
      la: '',
      errors: [],
      results: [
        { urn: 100123, name: 'Oakfield Primary School', phase: 'Primary', laName: 'Leeds', hub: null },
      ],
      total: 1,
      page: 1,
      totalPages: 1,
      pageLinks: { previous: null, next: null },
    },
  ],
  [
    'school',
    {
      school: {
        ...oakfield,
        typeGroup: 'Academies',
        laCode: '383',
        town: 'Leeds',
        pupils: 420,
        percentageFsm: 18.2,
        predecessors: [],
        hub: { id: 'north-star', name: 'North Star Maths Hub' },
      },
    },
  ],
  ['accessibility', {}],
  ['privacy', {}],
  ['cookies', {}],
  ['not-found', {}],
  ['error', {}],
]

describe('every page', () => {
  it.each(allPages)('%s has the service shell and no GOV.UK branding', (template, context) => {
    const html = render(template, { ...context, currentPath: '/' })

    expect(html).toMatch(/^<!DOCTYPE html>/)
    expect(html).toContain('<html lang="en-GB" class="govuk-template">')
    expect(html).toContain('class="govuk-skip-link"')
    expect(html).toContain('href="#main-content"')
    expect(html).toContain('<main class="govuk-main-wrapper" id="main-content">')
    expect(html).toContain('class="govuk-width-container"')
    expect(html).toContain('<link rel="icon" href="/assets/favicon.svg" type="image/svg+xml">')
    expect(html).toContain('<link rel="stylesheet" href="/assets/app.css">')

    // Our own header: the service name as a text link home
    expect(html).toMatch(
      /<a href="\/" class="govuk-generic-header__homepage-link">\s*Maths Hubs: Teaching for Mastery\s*<\/a>/,
    )
    // Service navigation
    expect(html).toContain('href="/find-your-hub"')
    expect(html).toContain('href="/hubs"')
    expect(html).toContain('href="/schools"')
    // Beta phase banner
    expect(text(html)).toContain('Beta This is a new service.')
    // Footer
    for (const href of ['/accessibility', '/privacy', '/cookies', '/api-documentation']) {
      expect(html).toContain(`class="govuk-footer__link" href="${href}"`)
    }
    expect(text(html)).toContain(
      'The school register contains public sector information licensed under the Open Government Licence v3.0',
    )
    expect(text(html)).toContain('Get Information About Schools')

    // Not GOV.UK: no crown, no logotype, no GOV.UK favicons, no GDS font
    expect(html).not.toContain('GOV.UK')
    expect(html).not.toMatch(/govuk-logo|govuk-header__logotype|govuk-footer__crown|crown copyright/i)
    expect(html).not.toContain('/assets/images/')
    expect(html).not.toContain('GDS Transport')

    // No inline scripts: every script has a src
    const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)]
    expect(scripts.length).toBe(2)
    for (const [, attributes, body] of scripts) {
      expect(attributes).toMatch(/\ssrc="\/assets\//)
      expect(body?.trim()).toBe('')
    }
    expect(html).toContain('<script src="/assets/accessible-autocomplete.min.js" defer></script>')
    expect(html).toContain('<script type="module" src="/assets/app.js"></script>')
    expect(html).not.toMatch(/\son[a-z]+="/i)
    expect(html).not.toMatch(/\sstyle="/i)

    // Exactly one H1, and no heading skips a level on the way down
    expect(h1s(html)).toHaveLength(1)
    const levels = headingLevels(html)
    levels.forEach((level, i) => {
      if (i > 0) expect(level).toBeLessThanOrEqual((levels[i - 1] ?? 1) + 1)
    })

    // No demo banner unless asked for
    expect(html).not.toContain('demonstration data')
  })
})

describe('layout', () => {
  it('titles the page "{pageTitle} - service name"', () => {
    expect(title(render('hubs', { hubs: [] }))).toBe(`Maths Hubs - ${SERVICE_NAME}`)
    expect(title(render('not-found', {}))).toBe(`Page not found - ${SERVICE_NAME}`)
    expect(title(render('index', {}))).toBe(SERVICE_NAME)
    expect(title(render('index', { pageTitle: 'Home' }))).toBe(`Home - ${SERVICE_NAME}`)
  })

  it('prefixes the title with "Error: " when there are errors', () => {
    const html = render('find-your-hub', {
      q: '',
      searched: false,
      errors: [{ text: 'Enter a school name, URN or postcode', href: '#q' }],
      results: [],
    })
    expect(title(html)).toBe(`Error: Find your Maths Hub - ${SERVICE_NAME}`)
  })

  it('does not prefix the title for an empty errors list', () => {
    expect(title(render('find-your-hub', { errors: [] }))).toBe(`Find your Maths Hub - ${SERVICE_NAME}`)
  })

  it('marks the current navigation item', () => {
    const html = render('hubs', { hubs: [], currentPath: '/hubs' })
    expect(html).toMatch(/<a class="govuk-service-navigation__link" href="\/hubs" aria-current="page">/)
    expect(html).not.toMatch(/href="\/schools" aria-current/)
  })

  it('marks the section as active on pages below it', () => {
    const html = render('hub', { hub: { ...northStar, areas: [] }, currentPath: '/hubs/north-star' })
    expect(html).toMatch(/<a class="govuk-service-navigation__link" href="\/hubs" aria-current="true">/)
  })

  it('shows the demonstration banner when demo is true', () => {
    const html = render('index', { demo: true })
    expect(html).toContain('class="govuk-notification-banner"')
    expect(text(html)).toContain(
      'This is demonstration data. The schools and Maths Hubs shown are fictional.',
    )
  })
})

describe('index', () => {
  it('explains the service and starts at Find your hub', () => {
    const programmes = [
      { id: 'primary-mastery-specialist', name: 'Primary Mastery Specialist' },
      { id: 'secondary-mastery-specialist', name: 'Secondary Mastery Specialist' },
    ]
    const html = render('index', { programmes })
    expect(h1s(html)).toEqual([SERVICE_NAME])
    const words = text(html)
    expect(words).toContain('Mastery Specialists')
    expect(words).toContain('Work Group')
    expect(words).toContain('NCETM')
    expect(words).toContain('There are 2 programmes: Primary Mastery Specialist Secondary Mastery Specialist')
    expect(html).toContain('href="/programmes/secondary-mastery-specialist"')
    expect(text(render('index', { programmes: programmes.slice(0, 1) }))).toContain(
      'There is 1 programme: Primary Mastery Specialist',
    )
    expect(html).toMatch(/<a href="\/find-your-hub"[^>]*class="govuk-button govuk-button--start"/)
  })
})

describe('find-your-hub', () => {
  it('shows the search form on its own before a search', () => {
    const html = render('find-your-hub', { q: '', searched: false, errors: [], results: [] })
    expect(h1s(html)).toEqual(['Find your Maths Hub'])
    expect(html).toContain('<form action="/find-your-hub" method="get" novalidate>')
    expect(html).toMatch(
      /<label class="govuk-label govuk-label--m" for="q">\s*School name, URN or postcode\s*<\/label>/,
    )
    expect(html).toContain('id="q-hint"')
    expect(html).toContain('name="q"')
    expect(html).toContain('data-app-find-hub-search')
    expect(text(html)).toContain('Search')
    expect(html).not.toContain('govuk-error-summary')
    expect(html).not.toContain('No schools match')
  })

  it('shows a hub with its contact details', () => {
    const html = render('find-your-hub', { q: 'oakfield', searched: true, errors: [], results: [oakfield] })
    const words = text(html)
    expect(words).toContain('1 school matches “oakfield”')
    expect(words).toContain('Oakfield Primary School')
    expect(words).toContain('URN 100123')
    expect(words).toContain('Type Academy converter')
    expect(words).toContain('Phase Primary')
    expect(words).toContain('Local authority Leeds')
    expect(words).toContain('Postcode LS1 4AP')
    expect(words).toContain('Maths Hub: North Star Maths Hub')
    expect(html).toContain('href="/hubs/north-star"')
    expect(html).toContain(
      '<a class="govuk-link" href="mailto:hello@northstar.example">hello@northstar.example</a>',
    )
    expect(words).toContain('Phone 0113 496 0000')
    expect(html).toContain('href="https://northstar.example/maths-hub"')
  })

  it('says plainly when no hub is recorded for the area', () => {
    const html = render('find-your-hub', { q: 'elm', searched: true, errors: [], results: [elmTree] })
    const words = text(html)
    expect(words).toContain('No Maths Hub is recorded for Rutland yet.')
    expect(words).toContain('Contact the NCETM')
  })

  it('points from a closed school to its successor', () => {
    const html = render('find-your-hub', { q: '100125', searched: true, errors: [], results: [oldMill] })
    expect(text(html)).toContain('This school has closed.')
    expect(html).toContain('href="/find-your-hub?q=100123"')
    expect(text(html)).toContain('Oakfield Primary School (URN 100123)')
    expect(html).not.toContain('mailto:')
  })

  it('handles a closed school with no successor', () => {
    const html = render('find-your-hub', {
      q: 'old mill',
      searched: true,
      errors: [],
      results: [{ ...oldMill, successor: null }],
    })
    expect(text(html)).toContain('This school has closed.')
    expect(html).not.toContain('/find-your-hub?q=')
  })

  it('says Maths Hubs serve schools in England only', () => {
    const html = render('find-your-hub', { q: 'ysgol', searched: true, errors: [], results: [ysgol] })
    expect(text(html)).toContain('Maths Hubs serve schools in England only.')
    expect(text(html)).not.toContain('No Maths Hub is recorded')
  })

  it('lists several schools', () => {
    const html = render('find-your-hub', {
      q: 'school',
      searched: true,
      errors: [],
      results: [oakfield, elmTree, oldMill, ysgol],
    })
    expect(text(html)).toContain('4 schools match “school”')
    expect(html.match(/class="app-results-list__item"/g)).toHaveLength(4)
    expect(html.match(/<h3 class="govuk-heading-m">/g)).toHaveLength(4)
  })

  it('gives advice when nothing matches', () => {
    const html = render('find-your-hub', { q: 'Nowhere School', searched: true, errors: [], results: [] })
    const words = text(html)
    expect(words).toContain('No schools match “Nowhere School”')
    expect(words).toContain('Check the spelling')
    expect(words).toContain('6-digit URN')
  })

  it('shows the error summary and the field error', () => {
    const html = render('find-your-hub', {
      q: '',
      searched: false,
      errors: [{ text: 'Enter a school name, URN or postcode', href: '#q' }],
      results: [],
    })
    expect(html).toContain('class="govuk-error-summary"')
    expect(html).toContain('<a href="#q">Enter a school name, URN or postcode</a>')
    expect(html).toContain('govuk-form-group--error')
    expect(html).toMatch(
      /<p id="q-error" class="govuk-error-message">\s*<span class="govuk-visually-hidden">Error:<\/span> Enter a school name, URN or postcode\s*<\/p>/,
    )
    expect(html).toContain('govuk-input--error')
    expect(html).toMatch(/aria-describedby="q-hint q-error"/)
    // The error summary comes before the H1
    expect(html.indexOf('govuk-error-summary')).toBeLessThan(html.indexOf('<h1'))
  })

  it('escapes markup in the query and in data', () => {
    const q = '<script>alert("x")</script>'
    const html = render('find-your-hub', {
      q,
      searched: true,
      errors: [],
      results: [
        { ...oakfield, name: '<img src=x onerror=alert(1)>', hub: { ...northStar, name: '<b>Hub</b>' } },
      ],
    })
    expect(html).not.toContain('<script>alert')
    expect(html).not.toContain('<img src=x')
    expect(html).not.toContain('<b>Hub</b>')
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;')
    expect(html).toContain('value="&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;"')
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;')
    expect(html).toContain('&lt;b&gt;Hub&lt;/b&gt;')

    const empty = render('find-your-hub', { q, searched: true, errors: [], results: [] })
    expect(empty).not.toContain('<script>alert')
    expect(text(empty)).toContain('No schools match “&lt;script&gt;')
  })

  it('only links website addresses that are http or https', () => {
    const html = render('find-your-hub', {
      q: 'oak',
      searched: true,
      errors: [],
      results: [{ ...oakfield, hub: { ...northStar, website: 'javascript:alert(1)' } }],
    })
    expect(html).not.toContain('href="javascript:')
    expect(text(html)).toContain('Website javascript:alert(1)')
  })

  it('copes with a hub that has no contact details', () => {
    const html = render('find-your-hub', {
      q: 'oak',
      searched: true,
      errors: [],
      results: [
        {
          ...oakfield,
          hub: { id: 'x', name: 'Quiet Hub', contactEmail: null, contactPhone: null, website: null },
        },
      ],
    })
    expect(text(html)).toContain('No contact details are recorded for this hub yet.')
  })
})

describe('hubs', () => {
  it('lists hubs with links and counts', () => {
    const html = render('hubs', {
      hubs: [
        { id: 'north-star', name: 'North Star Maths Hub', laCount: 3, schoolCount: 1234 },
        { id: 'east-anglia', name: 'East Anglia Maths Hub', laCount: 2, schoolCount: 987 },
      ],
    })
    expect(h1s(html)).toEqual(['Maths Hubs'])
    expect(html).toContain('<a class="govuk-link" href="/hubs/north-star">North Star Maths Hub</a>')
    expect(html).toContain('href="/hubs/east-anglia"')
    expect(text(html)).toContain('1,234')
    expect(text(html)).toContain('2 hubs')
  })

  it('says when there are no hubs', () => {
    expect(text(render('hubs', { hubs: [] }))).toContain('No Maths Hubs are recorded yet.')
  })
})

describe('hub', () => {
  it('shows contact details and the areas served', () => {
    const html = render('hub', {
      hub: {
        ...northStar,
        areas: [
          { laCode: '383', laName: 'Leeds', schoolCount: 1300 },
          { laCode: '384', laName: 'Wakefield', schoolCount: 150 },
        ],
      },
    })
    expect(h1s(html)).toEqual(['North Star Maths Hub'])
    expect(title(html)).toBe(`North Star Maths Hub - ${SERVICE_NAME}`)
    expect(html).toContain('class="govuk-summary-list"')
    expect(html).toContain('href="mailto:hello@northstar.example"')
    expect(text(html)).toContain('Phone 0113 496 0000')
    expect(text(html)).toContain('Leeds 383 1,300')
    expect(text(html)).toContain('Wakefield 384 150')
    expect(html).toContain('href="/hubs"')
  })

  it('shows missing contact details as not recorded', () => {
    const html = render('hub', {
      hub: { id: 'x', name: 'Quiet Hub', contactEmail: null, contactPhone: null, website: null, areas: [] },
    })
    expect(text(html)).toContain('Email Not recorded')
    expect(text(html)).toContain('Phone Not recorded')
    expect(text(html)).toContain('Website Not recorded')
    expect(text(html)).toContain('No local authority areas are recorded for this hub yet.')
  })
})

describe('schools', () => {
  const context = {
    q: 'oak',
    phase: 'primary',
    la: 'Leeds',
    errors: [],
    results: [
      {
        urn: 100123,
        name: 'Oakfield Primary School',
        phase: 'Primary',
        laName: 'Leeds',
        hub: { id: 'north-star', name: 'North Star Maths Hub' },
      },
      { urn: 100124, name: 'Oak Lane Primary', phase: 'Primary', laName: 'Leeds', hub: null },
    ],
    total: 1234,
    paging: pagingView({ total: 1234, page: 2, pageSize: 20 }, (n) => pageHref('/schools', { q: 'oak' }, n), {
      one: 'school',
      many: 'schools',
    }),
  }

  it('has a search form that keeps what was searched for', () => {
    const html = render('schools', context)
    expect(h1s(html)).toEqual(['Schools'])
    expect(html).toContain('<form action="/schools" method="get" novalidate>')
    expect(html).toMatch(/name="q"[^>]*value="oak"/)
    expect(html).toMatch(/name="la"[^>]*value="Leeds"/)
    expect(html).toMatch(/<select class="govuk-select" id="phase" name="phase">/)
    expect(html).toContain('<option value="primary" selected>Primary</option>')
    expect(html).toContain('<option value="">Any phase</option>')
    for (const option of phaseOptions) expect(html).toContain(`value="${option.value}"`)
  })

  it('shows results in a table', () => {
    const html = render('schools', context)
    expect(text(html)).toContain('1,234 schools')
    expect(text(html)).toContain('21 to 40 of 1,234 schools')
    expect(html).toContain('<a class="govuk-link" href="/schools/100123">Oakfield Primary School</a>')
    expect(text(html)).toContain('100123 Primary Leeds North Star Maths Hub')
    expect(text(html)).toContain('100124 Primary Leeds None recorded')
  })

  it('links to the previous and next pages', () => {
    const html = render('schools', context)
    expect(html).toContain('class="govuk-pagination"')
    expect(html).toContain('href="/schools?q=oak" rel="prev"')
    expect(html).toContain('href="/schools?q=oak&amp;page=3" rel="next"')
    expect(html).toContain('aria-current="page"')
    expect(html).toContain('href="/schools?q=oak&amp;page=62"')
  })

  it('has no pagination on a single page', () => {
    const html = render('schools', {
      ...context,
      total: 2,
      paging: pagingView({ total: 2, page: 1, pageSize: 20 }, (n) => `/schools?page=${n}`, {
        one: 'school',
        many: 'schools',
      }),
    })
    expect(html).not.toContain('govuk-pagination')
    expect(text(html)).toContain('2 schools')
  })

  it('says when nothing matches', () => {
    const html = render('schools', { ...context, results: [], total: 0, totalPages: 0, page: 1 })
    expect(text(html)).toContain('No schools match your search')
    expect(html).not.toContain('<table')
  })

  it('shows errors against the right field', () => {
    const html = render('schools', {
      ...context,
      errors: [{ text: 'Local authority must be a name or 3-digit code', href: '#la' }],
    })
    expect(title(html)).toBe(`Error: Schools - ${SERVICE_NAME}`)
    expect(html).toContain('class="govuk-error-summary"')
    expect(html).toContain('<p id="la-error" class="govuk-error-message">')
    expect(html).not.toContain('id="q-error"')
    expect(html).not.toContain('<table')
  })
})

describe('school', () => {
  const school = {
    urn: 100125,
    name: 'Old Mill Junior School',
    typeName: 'Community school',
    typeGroup: 'Local authority maintained schools',
    phase: 'Primary',
    laCode: '383',
    laName: 'Leeds',
    postcode: 'LS2 9AA',
    town: 'Leeds',
    open: true,
    inEngland: true,
    stateFunded: true,
    pupils: 1234,
    percentageFsm: 23.4,
    successor: null,
    predecessors: [{ urn: 100001, name: 'Old Mill Infant School' }],
    hub: { id: 'north-star', name: 'North Star Maths Hub' },
  }

  it('shows the school in a summary list', () => {
    const html = render('school', { school })
    expect(h1s(html)).toEqual(['Old Mill Junior School'])
    expect(title(html)).toBe(`Old Mill Junior School - ${SERVICE_NAME}`)
    const words = text(html)
    expect(html).toContain('class="govuk-summary-list"')
    expect(words).toContain('URN 100125')
    expect(words).toContain('Status Open')
    expect(words).toContain('Type Community school')
    expect(words).toContain('Type group Local authority maintained schools')
    expect(words).toContain('State-funded Yes')
    expect(words).toContain('Local authority Leeds (383)')
    expect(words).toContain('Town Leeds')
    expect(words).toContain('Postcode LS2 9AA')
    expect(words).toContain('Number of pupils 1,234')
    expect(words).toContain('Pupils eligible for free school meals 23.4%')
    expect(html).toContain('<a class="govuk-link" href="/hubs/north-star">North Star Maths Hub</a>')
    expect(html).toContain('href="/schools/100001"')
    expect(html).toContain('href="/find-your-hub?q=100125"')
    expect(html).not.toContain('This school has closed')
  })

  it('shows a closed school and its successor', () => {
    const html = render('school', {
      school: { ...school, open: false, successor: { urn: 100123, name: 'Oakfield Primary School' } },
    })
    expect(text(html)).toContain('This school has closed.')
    expect(text(html)).toContain('Status Closed')
    expect(html).toContain('href="/schools/100123"')
  })

  it('shows missing values as not recorded and no hub as none recorded', () => {
    const html = render('school', {
      school: {
        ...school,
        phase: null,
        postcode: null,
        town: null,
        pupils: null,
        percentageFsm: null,
        predecessors: [],
        hub: null,
      },
    })
    const words = text(html)
    expect(words).toContain('Phase Not recorded')
    expect(words).toContain('Postcode Not recorded')
    expect(words).toContain('Number of pupils Not recorded')
    expect(words).toContain('Pupils eligible for free school meals Not recorded')
    expect(words).toContain('Maths Hub None recorded')
  })

  it('shows 0 pupils and 0% as values', () => {
    const words = text(render('school', { school: { ...school, pupils: 0, percentageFsm: 0 } }))
    expect(words).toContain('Number of pupils 0')
    expect(words).toContain('Pupils eligible for free school meals 0%')
  })
})

describe('information pages', () => {
  it('has an accessibility statement', () => {
    const html = render('accessibility', {})
    expect(h1s(html)).toEqual(['Accessibility statement'])
    expect(text(html)).toContain('WCAG')
  })

  it('has a privacy notice', () => {
    expect(h1s(render('privacy', {}))).toEqual(['Privacy notice'])
  })

  it('says which cookies are used', () => {
    const html = render('cookies', {})
    expect(h1s(html)).toEqual(['Cookies'])
    expect(text(html)).toContain('only when you are signed in')
    expect(text(html)).toContain('analytics')
  })

  it('has a not found page', () => {
    expect(h1s(render('not-found', {}))).toEqual(['Page not found'])
  })

  it('has an error page', () => {
    const html = render('error', {})
    expect(h1s(html)).toEqual(['Sorry, there is a problem with the service'])
    expect(title(html)).toBe(`Sorry, there is a problem with the service - ${SERVICE_NAME}`)
  })
})

describe('alternative context shapes', () => {
  it('shows just the service name when pageTitle is the service name', () => {
    expect(title(render('index', { pageTitle: SERVICE_NAME }))).toBe(SERVICE_NAME)
  })

  it('schools takes q, phase and la from query, and phases as the options', () => {
    const html = render('schools', {
      query: { q: 'oak', phase: 'secondary', la: '383' },
      phases: [
        { value: 'primary', text: 'Primary' },
        { value: 'secondary', text: 'Secondary' },
      ],
      errors: [],
      results: [],
      total: 0,
      page: 1,
      totalPages: 1,
      pageLinks: { previous: null, next: null },
    })
    expect(html).toMatch(/name="q"[^>]*value="oak"/)
    expect(html).toMatch(/name="la"[^>]*value="383"/)
    expect(html).toContain('<option value="secondary" selected>Secondary</option>')
    expect(html).not.toContain('value="all-through"')
  })

  it('hubs accepts areaCount for the number of local authorities', () => {
    const html = render('hubs', { hubs: [{ id: 'a', name: 'A', areaCount: 7, schoolCount: 10 }] })
    expect(text(html)).toContain('A 7 10')
  })

  it('hub shows its lead school and areas without a name', () => {
    const html = render('hub', {
      hub: {
        ...northStar,
        leadSchool: { urn: 100123, name: 'Oakfield Primary School' },
        areas: [{ laCode: '999', laName: null, schoolCount: 4 }],
      },
    })
    expect(text(html)).toContain('Lead school Oakfield Primary School')
    expect(html).toContain('href="/schools/100123"')
    expect(text(html)).toContain('999 999 4')
  })

  it('copes with linked schools that have no name or are not in the register', () => {
    const html = render('school', {
      school: {
        urn: 100125,
        name: 'Old Mill Junior School',
        typeName: 'Community school',
        typeGroup: 'Local authority maintained schools',
        phase: 'Primary',
        laCode: '383',
        laName: 'Leeds',
        postcode: null,
        town: null,
        open: false,
        inEngland: true,
        stateFunded: true,
        pupils: null,
        percentageFsm: null,
        successor: { urn: 100123, name: null },
        predecessors: [{ urn: 100001, name: 'Old Mill Infant School', inRegister: false }],
        hub: null,
      },
    })
    expect(text(html)).toContain('Replaced by (URN 100123)')
    expect(html).toContain('href="/schools/100123"')
    expect(text(html)).toContain('Previous schools Old Mill Infant School (URN 100001)')
    expect(html).not.toContain('href="/schools/100001"')

    const found = render('find-your-hub', {
      q: 'old mill',
      searched: true,
      results: [{ ...oldMill, successor: { urn: 100123, name: null } }],
    })
    expect(found).toContain('href="/find-your-hub?q=100123"')
    expect(text(found)).toContain('It was replaced by (URN 100123)')
  })
})

describe('renderer', () => {
  it('accepts template names with or without .njk', () => {
    expect(render('not-found.njk', {})).toBe(render('not-found', {}))
  })

  it('renders with caching off', () => {
    const uncached = createRenderer({ cache: false })
    expect(uncached.render('not-found', {})).toContain('Page not found')
  })
})

describe('filters', () => {
  it('ukDateTime and ukDate format dates, ISO strings and epoch milliseconds in UK time', () => {
    expect(ukDateTimeFilter(new Date('2025-03-14T17:00:00Z'))).toBe('5pm on 14 March 2025')
    expect(ukDateTimeFilter('2025-08-14T11:00:00Z')).toBe('midday on 14 August 2025')
    expect(ukDateFilter(Date.UTC(2025, 5, 30, 23, 30))).toBe('1 July 2025')
    expect(ukDateFilter(null)).toBe('')
    expect(ukDateTimeFilter('not a date')).toBe('')
  })

  it('number adds thousands separators', () => {
    expect(numberFilter(1234567)).toBe('1,234,567')
    expect(numberFilter('9876')).toBe('9,876')
    expect(numberFilter(0)).toBe('0')
    expect(numberFilter(12.5)).toBe('12.5')
    expect(numberFilter(null)).toBe('')
  })

  it('fieldError finds the error for a field', () => {
    const errors = [
      { text: 'Enter a name', href: '#q' },
      { text: 'Enter a local authority', href: '#la' },
    ]
    expect(fieldErrorFilter(errors, 'la')).toEqual({ text: 'Enter a local authority' })
    expect(fieldErrorFilter(errors, 'phase')).toBe(false)
    expect(fieldErrorFilter(undefined, 'q')).toBe(false)
  })

  it('filters are available in templates', () => {
    const html = render('hubs', { hubs: [{ id: 'a', name: 'A', laCount: 1000, schoolCount: 25000 }] })
    expect(text(html)).toContain('1,000 25,000')
  })
})
