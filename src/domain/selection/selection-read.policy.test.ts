import { describe, expect, it } from 'vitest'
import { ANONYMOUS, type Actor, type Role } from '../access/actor.ts'
import {
  canReadApplicationSelection,
  canReadEverySelection,
  canReadHubSelection,
  decisionReader,
  ownReviewerId,
} from './selection-read.policy.ts'

const HUB = 'northvale-maths-hub'

function person(personId: number, role: Role, hubId: string | null = null): Actor {
  return {
    kind: 'person',
    personId,
    name: 'Someone',
    email: 'someone@school.example',
    grants: [{ id: personId, role, hubId, cohortId: null, schoolUrn: null }],
    via: 'session',
  }
}

const submitted = { applicantId: 9, hubId: HUB, submittedAt: new Date('2026-11-22T10:00:00Z') }
const NOW = new Date('2026-11-22T12:00:00Z')

describe('reading selection', () => {
  it('gives a hub’s round to its leads and administrators and NCETM, never its reviewers', () => {
    const readers = [
      person(1, 'hub-lead', HUB),
      person(2, 'hub-admin', HUB),
      person(3, 'national-admin'),
      person(4, 'national-viewer'),
    ]
    for (const actor of readers) {
      expect(canReadHubSelection(actor, HUB)).toBe(true)
      expect(canReadApplicationSelection(actor, submitted)).toBe(true)
    }
    for (const actor of [
      ANONYMOUS,
      person(5, 'reviewer', HUB),
      person(6, 'hub-lead', 'riverside-maths-hub'),
    ]) {
      expect(canReadHubSelection(actor, HUB)).toBe(false)
      expect(canReadApplicationSelection(actor, submitted)).toBe(false)
    }
    expect(
      canReadApplicationSelection(person(3, 'national-admin'), { ...submitted, submittedAt: null }),
    ).toBe(false)
    expect(canReadEverySelection(person(4, 'national-viewer'))).toBe(true)
    expect(canReadEverySelection(person(1, 'hub-lead', HUB))).toBe(false)
  })

  it('names the reviewer whose own reviews they may read: a reviewer of the application’s hub', () => {
    expect(ownReviewerId(person(5, 'reviewer', HUB), submitted)).toBe(5)
    expect(ownReviewerId(person(5, 'reviewer', 'riverside-maths-hub'), submitted)).toBeUndefined()
    expect(ownReviewerId(person(9, 'teacher'), submitted)).toBeUndefined()
    expect(ownReviewerId(ANONYMOUS, submitted)).toBeUndefined()
  })

  it('shows the applicant their decision from its release, to the millisecond', () => {
    const applicant = person(9, 'teacher')
    const at = (releasedAt: string | null) => ({
      releasedAt: releasedAt === null ? null : new Date(releasedAt),
    })
    expect(decisionReader(applicant, submitted, at(null), NOW)).toBeUndefined()
    expect(decisionReader(applicant, submitted, at('2026-11-22T12:00:00.001Z'), NOW)).toBeUndefined()
    expect(decisionReader(applicant, submitted, at('2026-11-22T12:00:00.000Z'), NOW)).toBe('applicant')
    expect(decisionReader(person(8, 'teacher'), submitted, at('2026-11-01T00:00:00Z'), NOW)).toBeUndefined()
    expect(decisionReader(person(1, 'hub-lead', HUB), submitted, at(null), NOW)).toBe('team')
    expect(decisionReader(person(5, 'reviewer', HUB), submitted, at(null), NOW)).toBeUndefined()
  })
})
