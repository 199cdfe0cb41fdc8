// The main menu follows the person's roles: each item is shown to those whose roles let them use
// the pages behind it, so every page a role may use is a few links from any page. The account
// page's "What you can do" (people.routes.ts) lists the same places and the lists inside them.
import {
  canViewPeople,
  isNational,
  isNationalAdmin,
  isSignedIn,
  schoolUrnsContacted,
} from '../domain/access/access.policy.ts'
import type { Actor } from '../domain/access/actor.ts'
import { hubsSeeingApplications } from '../domain/applications/applications.policy.ts'
import { canViewModeration, hubsSelecting } from '../domain/selection/deciding/decisions.policy.ts'
import { hubsReviewedBy } from '../domain/selection/reviewing/reviews.policy.ts'

export interface NavigationItem {
  text: string
  href: string
  /** The item's page itself is shown. */
  current: boolean
  /** A page under the item is shown. */
  active: boolean
}

interface Entry {
  text: string
  href: string
  /** Paths (other than href) under the item; the first item in the menu claiming a path is active. */
  under: RegExp[]
}

/** Where the person's "Applications" are: their hub's, their school's, every hub's, or their own. */
export function applicationsHref(actor: Actor): string {
  if (isNational(actor)) return '/admin/applications'
  const hubs = hubsSeeingApplications(actor)
  if (hubs.length === 1) return `/hubs/${hubs[0]}/applications`
  if (hubs.length > 1) return '/applications'
  const schools = schoolUrnsContacted(actor)
  if (schools.length === 1) return `/schools/${schools[0]}/applications`
  // Someone with several hubs or schools: their own list links to each of them.
  return '/applications'
}

/** A Mastery Specialist: their own programme, events and calendar. */
export function isSpecialist(actor: Actor): boolean {
  return isSignedIn(actor) && actor.grants.some((g) => g.role === 'mastery-specialist')
}

export function canSeeSelection(actor: Actor): boolean {
  return hubsSelecting(actor).length > 0 || canViewModeration(actor)
}

function entriesFor(actor: Actor): Entry[] {
  const signedIn = isSignedIn(actor)
  const entries: (Entry | false)[] = [
    { text: 'Find your hub', href: '/find-your-hub', under: [/^\/find-your-hub\//] },
    { text: 'Programmes', href: '/programmes', under: [/^\/programmes\//, /^\/cohorts\//] },
    signedIn && {
      text: 'Applications',
      href: applicationsHref(actor),
      under: [
        /^\/applications(\/|$)/,
        /^\/hubs\/[^/]+\/applications(\/|$)/,
        /^\/admin\/applications(\/|$)/,
        /^\/schools\/[^/]+\/applications(\/|$)/,
      ],
    },
    isSpecialist(actor) && {
      text: 'Your programme',
      href: '/my-programme',
      under: [/^\/my-programme\//, /^\/events\//],
    },
    hubsReviewedBy(actor).length > 0 && {
      text: 'Reviews',
      href: '/reviews',
      under: [/^\/reviews\//, /^\/hubs\/[^/]+\/cohorts\/[^/]+\/reviewers(\/|$)/],
    },
    canSeeSelection(actor) && {
      text: 'Selection',
      href: '/selection',
      under: [/^\/selection\//, /^\/hubs\/[^/]+\/cohorts\/[^/]+\/(selection|export)/, /^\/admin\/cohorts\//],
    },
    { text: 'Hubs', href: '/hubs', under: [/^\/hubs\//, /^\/admin\/hubs(\/|$)/] },
    { text: 'Schools', href: '/schools', under: [/^\/schools\//] },
    canViewPeople(actor) && {
      text: 'People',
      href: '/admin/people',
      under: [/^\/admin\/people\//, /^\/people\//],
    },
    isNationalAdmin(actor) && { text: 'Audit', href: '/admin/audit', under: [/^\/admin\/audit\//] },
    signedIn
      ? { text: 'Your account', href: '/account', under: [/^\/account\//] }
      : { text: 'Sign in', href: '/sign-in', under: [/^\/sign-in\//] },
  ]
  return entries.filter((e): e is Entry => e !== false)
}

/** The menu for the person on the page at `path`: at most one item is current or active. */
export function navigationFor(actor: Actor | undefined, path: string | undefined): NavigationItem[] {
  const entries = entriesFor(actor ?? { kind: 'anonymous' })
  const here = path ?? ''
  const currentIndex = entries.findIndex((e) => e.href === here)
  // Items for particular work (Applications, Reviews, Selection) come before the broad ones (Hubs,
  // Schools), so they claim their pages under /hubs/ and /schools/ first.
  const activeIndex =
    currentIndex === -1 ? entries.findIndex((e) => e.under.some((pattern) => pattern.test(here))) : -1
  return entries.map((e, i) => ({
    text: e.text,
    href: e.href,
    current: i === currentIndex,
    active: i === activeIndex,
  }))
}
