// Use-case: a subject access export. Everything the service holds about one person, as one JSON
// document: their record and roles, sign-in metadata, API token names, their applications (with
// evidence, endorsements, history, and the reviews, scores and decision once released), their
// places, the endorsements they gave as a headteacher, the reviews they wrote, the emails sent to
// them, their "tell me when it opens" notices, their development years (stages and the reasons
// given, bookings with access and dietary needs, attendance, support visits, the release-time
// ledger, evidence handed in for tasks, PD Lead accreditation, whether they have a calendar feed)
// and the audit rows where they acted or are the subject. NCETM administrators export anyone's; everyone else only their own (others: not found).
// Audited with who asked, for whom, and counts only. See docs/adr/0011.
import type { Executor } from '../../db/database.ts'
import { NotFoundError } from '../../errors.ts'
import { actingPersonId, ROLE_NAMES } from '../access/actor.ts'
import { historyFor } from '../selection/deciding/decisions-history.ts'
import { DECISION_NAMES, REASON_NAMES } from '../selection/deciding/decisions-input.ts'
import { REVIEW_HISTORY_EVENTS } from '../selection/reviewing/review-rules.ts'
import { blindLabel } from '../selection/reviewing/view-reviews.ts'
import { median, reviewTotal } from '../selection/reviewing/scores.ts'
import { RELEASE_ACTIVITIES } from '../participants/release-time/release-time.ts'
import type { ReleaseLoggedAs } from '../../db/schema.ts'
import { inTransaction, type UseCaseContext } from '../use-case.ts'
import {
  apiTokensOf,
  applicationsAsHeadteacher,
  applicationsOf,
  attendanceOf,
  auditRowsAbout,
  bookingsOf,
  calendarFeedOf,
  decisionsFor,
  emailsTo,
  endorsementRequestsFor,
  endorsementRequestsTo,
  extraDaysOf,
  findPersonRecord,
  historyOf,
  interestNoticesOf,
  participationStagesOf,
  participationsOf,
  pdLeadAccreditationOf,
  releaseEntriesOf,
  requirementsMetBy,
  reviewsOfApplications,
  reviewsWrittenBy,
  rolesOf,
  sessionsOf,
  signInLinksOf,
  stageChangesOf,
  supportVisitsFor,
  taskSubmissionsOf,
} from './personal-data.repository.ts'
import { canExportPersonalData } from './privacy.policy.ts'

export const PERSONAL_DATA_FORMAT = 'masteryhub-personal-data'

export interface PersonalDataFile {
  fileName: string
  contentType: string
  body: string
  document: PersonalDataDocument
}

export type PersonalDataDocument = Awaited<ReturnType<typeof buildDocument>>

const ABOUT = [
  'Everything Maths Hubs: Teaching for Mastery holds about you, as one JSON document.',
  'Times are ISO 8601 instants in UTC (the service shows them to you in UK time).',
  'Other people (reviewers, other teachers) are not named. Reviews, scores and the decision on an ' +
    'application are included once decisions have been released to you; the hub’s steps before then ' +
    'are not.',
  'Your development years are included in full, with what you and others wrote (reasons, notes, ' +
    'needs, evidence, feedback); who else recorded something is not named. Evidence files are ' +
    'described by name and type: download them from the service.',
  'To correct anything, or to ask for your data to be erased, contact the NCETM (see the privacy notice).',
]

async function buildDocument(db: Executor, personId: number, now: Date) {
  const person = await findPersonRecord(db, personId)
  if (!person) throw new NotFoundError('Person')
  const email = person.email
  const [roles, sessions, signInLinks, tokens, applications] = await Promise.all([
    rolesOf(db, personId),
    sessionsOf(db, personId),
    signInLinksOf(db, personId),
    apiTokensOf(db, personId),
    applicationsOf(db, personId),
  ])
  const applicationIds = applications.map((a) => a.id)
  const [history, requests, decisions, reviews, participations] = await Promise.all([
    historyOf(db, applicationIds),
    endorsementRequestsFor(db, applicationIds),
    decisionsFor(db, applicationIds),
    reviewsOfApplications(db, applicationIds),
    participationsOf(db, personId),
  ])
  const participationIds = participations.map((p) => Number(p.id))
  const [
    stages,
    stageChanges,
    bookings,
    supportVisits,
    releaseEntries,
    extraDays,
    submissions,
    requirementsMet,
    pdLead,
    calendarFeed,
  ] = await Promise.all([
    participationStagesOf(db, participationIds),
    stageChangesOf(db, participationIds),
    bookingsOf(db, participationIds),
    supportVisitsFor(db, participationIds),
    releaseEntriesOf(db, participationIds),
    extraDaysOf(db, participationIds),
    taskSubmissionsOf(db, participationIds),
    requirementsMetBy(db, personId),
    pdLeadAccreditationOf(db, personId),
    calendarFeedOf(db, personId),
  ])
  const attendance = await attendanceOf(
    db,
    bookings.map((b) => Number(b.id)),
  )
  const [requestsToMe, asHeadteacher, reviewsWritten, emails, interest, audit] = await Promise.all([
    endorsementRequestsTo(db, email),
    applicationsAsHeadteacher(db, email),
    reviewsWrittenBy(db, personId),
    emailsTo(db, email),
    interestNoticesOf(db, email),
    auditRowsAbout(db, {
      personId,
      grantIds: roles.map((r) => r.id),
      applicationIds,
      participationIds,
      bookingIds: bookings.map((b) => Number(b.id)),
      releaseEntryIds: releaseEntries.map((e) => Number(e.id)),
      extraDaysIds: extraDays.map((e) => Number(e.id)),
      submissionIds: submissions.map((s) => Number(s.id)),
      requirementMetIds: requirementsMet.map((m) => Number(m.id)),
    }),
  ])
  const withheld: string[] = []
  // A blind round's reviews are named by the review, never by the application (ADR 0009).
  const blindAssignmentIds = new Set(
    reviewsWritten.filter((r) => r.blind_review).map((r) => String(r.assignment_id)),
  )
  return {
    format: PERSONAL_DATA_FORMAT,
    version: 1,
    generatedAt: now,
    about: ABOUT,
    person: {
      id: person.id,
      name: person.name,
      email: person.email,
      teacherReferenceNumber: person.trn,
      workplace:
        person.workplace_urn === null ? null : { urn: person.workplace_urn, name: person.workplace_name },
      createdAt: person.created_at,
      updatedAt: person.updated_at,
      erasedAt: person.erased_at,
    },
    roles: roles.map((r) => ({
      role: ROLE_NAMES[r.role],
      hub: r.hub_id === null ? null : { id: r.hub_id, name: r.hub_name },
      school: r.school_urn === null ? null : { urn: r.school_urn, name: r.school_name },
      cohortId: r.cohort_id,
      givenAt: r.created_at,
      takenAwayAt: r.revoked_at,
    })),
    signIns: {
      sessions: sessions.map((s) => ({
        startedAt: s.created_at,
        lastSeenAt: s.last_seen_at,
        endsAt: s.expires_at,
      })),
      signInLinks: signInLinks.map((l) => ({
        sentAt: l.created_at,
        expiresAt: l.expires_at,
        usedAt: l.used_at,
      })),
    },
    apiTokens: tokens.map((t) => ({
      name: t.name,
      startsWith: t.token_prefix,
      createdAt: t.created_at,
      lastUsedAt: t.last_used_at,
      revokedAt: t.revoked_at,
    })),
    applications: applications.map((a) => {
      const decision = decisions.find((d) => d.application_id === a.id)
      const released = decision?.released_at != null
      const ownReviews = reviews.filter((r) => r.application_id === a.id)
      if (decision && !released) {
        withheld.push(
          `The reviews and decision on application ${a.reference} are not included until decisions are released.`,
        )
      }
      const completed = ownReviews.filter((r) => r.completed_at !== null && r.strategic_score !== null)
      const totals = completed.map((r) =>
        reviewTotal({
          essential: r.essential,
          desirable: Object.fromEntries(
            Object.entries(r.desirable).map(([id, d]) => [id, { score: d.score ?? 0, note: d.note }]),
          ),
          strategicScore: r.strategic_score!,
        }),
      )
      const criteria = new Map(a.essential_criteria.map((c) => [c.id, c.text]))
      const rows = history.filter((h) => h.application_id === a.id)
      return {
        reference: a.reference,
        programme: a.programme_name,
        cohort: { id: a.cohort_id, number: a.cohort_number },
        state: a.state,
        school: a.school_urn === null ? null : { urn: a.school_urn, name: a.school_name },
        hub: a.hub_id === null ? null : { id: a.hub_id, name: a.hub_name },
        eligibility: a.eligibility,
        teaching: a.teaching,
        evidence: Object.entries(a.evidence).map(([criterionId, answer]) => ({
          criterionId,
          criterion: criteria.get(criterionId) ?? null,
          answer,
        })),
        headteacher: { name: a.headteacher_name, email: a.headteacher_email },
        endorsedAt: a.endorsed_at,
        endorsementDeclinedAt: a.endorsement_declined_at,
        endorsementDeclineReason: a.endorsement_decline_reason,
        submittedAt: a.submitted_at,
        withdrawnAt: a.withdrawn_at,
        createdAt: a.created_at,
        updatedAt: a.updated_at,
        endorsementRequests: requests
          .filter((r) => r.application_id === a.id)
          .map((r) => ({
            headteacherName: r.headteacher_name,
            headteacherEmail: r.headteacher_email,
            sentAt: r.created_at,
            expiresAt: r.expires_at,
            remindedAt: r.reminded_at,
            answeredAt: r.used_at,
            replacedAt: r.replaced_at,
          })),
        // As the applicant sees it in the service: not who reviews it, nor the hub's steps before release.
        history: historyFor(
          rows.filter((h) => !(REVIEW_HISTORY_EVENTS as readonly string[]).includes(h.event)),
          true,
        ).map((h) => ({
          event: h.event,
          fromState: h.from_state,
          toState: h.to_state,
          by: h.actor_kind,
          note: h.note,
          at: h.occurred_at,
        })),
        reviews: released
          ? ownReviews.map((r, index) => ({
              reviewer: `Reviewer ${index + 1}`,
              essential: r.essential,
              desirable: r.desirable,
              strategicScore: r.strategic_score,
              strategicNote: r.strategic_note,
              completedAt: r.completed_at,
            }))
          : [],
        score: released && totals.length > 0 ? { medianTotal: median(totals), reviewTotals: totals } : null,
        decision:
          decision && released
            ? {
                decision: DECISION_NAMES[decision.decision],
                reason: REASON_NAMES[decision.reason_code] ?? decision.reason_code,
                feedback: decision.feedback,
                feedbackSharedWithYou: decision.share_feedback,
                reserveRank: decision.reserve_rank,
                releasedAt: decision.released_at,
                offer: decision.offer_state
                  ? {
                      state: decision.offer_state,
                      offeredAt: decision.offered_at,
                      respondBy: decision.respond_by,
                      teacherAcceptedAt: decision.teacher_accepted_at,
                      headteacherAcceptedAt: decision.headteacher_accepted_at,
                      declinedAt: decision.declined_at,
                      declineReason: decision.decline_reason,
                    }
                  : null,
              }
            : null,
      }
    }),
    places: participations.map((p) => ({
      cohortId: p.cohort_id,
      applicationReference: p.reference,
      schoolUrn: p.school_urn,
      hubId: p.hub_id,
      role: p.role,
      startedAt: p.started_at,
    })),
    developmentYears: {
      participations: participations.map((p) => {
        const id = Number(p.id)
        const own = <T extends { participation_id: number | null }>(rows: T[]) =>
          rows.filter((r) => Number(r.participation_id) === id)
        return {
          cohortId: p.cohort_id,
          applicationReference: p.reference,
          stages: own(stages).map((s) => ({
            stage: s.stage,
            startsOn: s.starts_on,
            endsOn: s.ends_on,
            reason: s.reason,
          })),
          stageChanges: own(stageChanges).map((h) => ({
            event: h.event,
            fromStage: h.from_stage,
            toStage: h.to_stage,
            reason: h.reason,
            fromCohortId: h.from_cohort_id,
            toCohortId: h.to_cohort_id,
            effectiveOn: h.effective_on,
            by: whoActed(h.actor_person_id, personId),
            at: h.at,
          })),
          bookings: own(bookings).map((b) => ({
            event: { title: b.title, kind: b.kind, status: b.event_status },
            venue: b.venue_name,
            status: b.status,
            accessNeeds: b.access_needs,
            dietaryNeeds: b.dietary_needs,
            needsKeptUntil: b.needs_retained_until,
            needsDeletedAt: b.needs_deleted_at,
            bookedAt: b.booked_at,
            cancelledAt: b.cancelled_at,
            cancelReason: b.cancel_reason,
            attendance: attendance
              .filter((a) => Number(a.booking_id) === Number(b.id))
              .map((a) => ({
                day: a.day_number,
                dayStartsAt: a.starts_at,
                status: a.status,
                absenceReason: a.absence_reason,
                recordedBy: a.method === 'code' ? 'you, with the day’s code' : 'the organisers',
                recordedAt: a.recorded_at,
              })),
          })),
          supportVisits: own(supportVisits).map((v) => ({
            title: v.title,
            status: v.status,
            halfDays: v.half_days,
            arrangedAt: v.created_at,
            cancelledAt: v.cancelled_at,
            cancelReason: v.cancel_reason,
          })),
          releaseTime: {
            entries: own(releaseEntries).map((e) => ({
              id: Number(e.id),
              kind: e.kind,
              on: e.on_date,
              half: e.half,
              activity: RELEASE_ACTIVITIES[e.activity],
              note: e.note,
              reverses: e.reverses_entry_id === null ? null : Number(e.reverses_entry_id),
              reason: e.reason,
              loggedBy: LOGGED_BY[e.logged_as],
              loggedAt: e.created_at,
            })),
            extraDays: own(extraDays).map((x) => ({
              year: x.year,
              halfDays: x.half_days,
              reason: x.reason,
              approvedBy: LOGGED_BY[x.approved_as],
              approvedAt: x.created_at,
            })),
          },
          taskSubmissions: own(submissions).map((s) => ({
            task: { title: s.task_title, dueOn: s.due_on },
            evidence: {
              kind: s.evidence_kind,
              text: s.evidence_text,
              link: s.evidence_url,
              file:
                s.filename === null
                  ? null
                  : {
                      name: s.filename,
                      type: s.file_kind,
                      contentType: s.content_type,
                      sizeBytes: s.size_bytes,
                    },
            },
            status: s.status,
            submittedAt: s.submitted_at,
            reviewedAt: s.reviewed_at,
            feedback: s.feedback,
          })),
        }
      }),
      accreditation: {
        requirementsMet: requirementsMet.map((m) => ({
          requirement: m.title,
          metOn: m.met_on,
          recordedAt: m.recorded_at,
        })),
        pdLead: pdLead
          ? {
              kind: pdLead.kind,
              accreditedOn: pdLead.accredited_on,
              source: pdLead.source,
              recordedAt: pdLead.recorded_at,
            }
          : null,
      },
      // Whether there is one, never its secret (which the service keeps only as a hash).
      calendarFeed: { held: calendarFeed !== undefined, createdAt: calendarFeed?.created_at ?? null },
    },
    asHeadteacher: {
      endorsementRequests: requestsToMe.map((r) => ({
        applicationReference: r.reference,
        cohortId: r.cohort_id,
        school: r.school_name,
        nameGiven: r.headteacher_name,
        sentAt: r.created_at,
        expiresAt: r.expires_at,
        remindedAt: r.reminded_at,
        answeredAt: r.used_at,
        replacedAt: r.replaced_at,
      })),
      applications: asHeadteacher.map((a) => ({
        applicationReference: a.reference,
        cohortId: a.cohort_id,
        school: a.school_name,
        nameGiven: a.headteacher_name,
        endorsedAt: a.endorsed_at,
        endorsementDeclinedAt: a.endorsement_declined_at,
        endorsementDeclineReason: a.endorsement_decline_reason,
        placeAcceptedAt: a.headteacher_accepted_at,
        placeDeclinedAt: a.declined_at,
        placeDeclineReason: a.decline_reason,
      })),
    },
    reviewsWritten: reviewsWritten.map((r) => ({
      reviewId: r.assignment_id,
      label: r.blind_review ? blindLabel(r.assignment_id) : r.reference,
      blindReview: r.blind_review,
      applicationReference: r.blind_review ? null : r.reference,
      cohortId: r.cohort_id,
      assignedAt: r.assigned_at,
      endedAt: r.ended_at,
      conflictOfInterest: r.conflict_reason,
      review:
        r.updated_at === null
          ? null
          : {
              essential: r.essential,
              desirable: r.desirable,
              strategicScore: r.strategic_score,
              strategicNote: r.strategic_note,
              completedAt: r.completed_at,
              updatedAt: r.updated_at,
            },
    })),
    emails: emails.map((e) => ({
      to: e.to_address,
      subject: e.subject,
      body: e.body_text,
      kind: e.template,
      status: e.status,
      queuedAt: e.created_at,
      sentAt: e.sent_at,
    })),
    interestNotices: interest.map((i) => ({
      cohortId: i.cohort_id,
      email: i.email,
      askedAt: i.created_at,
      toldAt: i.notified_at,
    })),
    auditTrail: audit
      .map((row) => withoutBlindApplication(row, blindAssignmentIds))
      .map((row) => ({
        id: row.id,
        at: row.occurred_at,
        action: row.action,
        record: { type: row.record_type, id: row.record_id },
        by: whoActed(row.actor_person_id, personId, row.actor_kind),
        before: row.before,
        after: row.after,
      })),
    withheld,
  }
}

/** Who recorded release time or approved extra days, as the person reads it. */
const LOGGED_BY: Record<ReleaseLoggedAs, string> = { specialist: 'you', hub: 'your hub', ncetm: 'NCETM' }

/** Who did something, without naming anyone else. */
function whoActed(actorPersonId: number | null, personId: number, actorKind?: string): string {
  if (actorPersonId === personId) return 'you'
  if (actorPersonId !== null) return 'someone else'
  return actorKind === 'command-line' ? 'the command line' : 'the service'
}

/**
 * An audit row about one of the person's reviews in a blind round, without the application's id
 * (which would say whose application it was); any other row as it is.
 */
function withoutBlindApplication<
  T extends { record_type: string; record_id: string; before: unknown; after: unknown },
>(row: T, blindAssignmentIds: ReadonlySet<string>): T {
  const aboutBlindReview =
    (row.record_type === 'review-assignment' || row.record_type === 'review') &&
    blindAssignmentIds.has(row.record_id)
  if (!aboutBlindReview) return row
  const strip = (value: unknown) => {
    if (!value || typeof value !== 'object' || Array.isArray(value)) return value
    return Object.fromEntries(Object.entries(value).filter(([key]) => key !== 'application_id'))
  }
  return { ...row, before: strip(row.before), after: strip(row.after) }
}

/** The person's data as a JSON file to download; refused (not found) for anyone but NCETM and themself. */
export async function exportPersonalData(
  context: UseCaseContext,
  personId: number,
): Promise<PersonalDataFile> {
  if (!canExportPersonalData(context.actor, personId)) throw new NotFoundError('Person')
  return inTransaction(context, async (unit) => {
    const document = await buildDocument(unit.tx, personId, unit.now)
    await unit.audit({
      action: 'person.subject-access-export',
      recordType: 'person',
      recordId: personId,
      after: {
        forThemself: actingPersonId(context.actor) === personId,
        roles: document.roles.length,
        applications: document.applications.length,
        places: document.places.length,
        bookings: document.developmentYears.participations.reduce((n, p) => n + p.bookings.length, 0),
        releaseEntries: document.developmentYears.participations.reduce(
          (n, p) => n + p.releaseTime.entries.length,
          0,
        ),
        taskSubmissions: document.developmentYears.participations.reduce(
          (n, p) => n + p.taskSubmissions.length,
          0,
        ),
        endorsementsAsHeadteacher: document.asHeadteacher.endorsementRequests.length,
        reviewsWritten: document.reviewsWritten.length,
        emails: document.emails.length,
        interestNotices: document.interestNotices.length,
        auditRows: document.auditTrail.length,
      },
    })
    return {
      fileName: `personal-data-${personId}-${unit.now.toISOString().slice(0, 10)}.json`,
      contentType: 'application/json; charset=utf-8',
      body: `${JSON.stringify(document, null, 2)}\n`,
      document,
    }
  })
}
