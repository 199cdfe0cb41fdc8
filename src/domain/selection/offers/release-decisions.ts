// Scheduled job: on (or after) the cohort's decision date, in UK time, each hub's approved round
// is released in one batch: one email to the teacher and one to their headteacher for each
// decision, with the hub's feedback where it chose to share it. A selected teacher's place is
// offered, to accept by 5pm on the 14th day (offerDeadline). Rounds are claimed with FOR UPDATE SKIP
// LOCKED and marked released, and each decision's released_at is set in the same transaction as
// its emails, so however many processes run the job, each decision is emailed once, and only in
// the form it had when it was released (a decision is one row, changed in place until then).
import type { Db } from '../../../db/database.ts'
import type { Clock } from '../../../lib/clock.ts'
import { ukDateOf } from '../../applications/application-rules.ts'
import { findApplication } from '../../applications/applications.repository.ts'
import { ANONYMOUS } from '../../access/actor.ts'
import { recordAudit } from '../../audit/audit.ts'
import { queueEmail } from '../../email/outbox.repository.ts'
import { findCohort } from '../../programmes/programmes.repository.ts'
import type { Tx } from '../../../db/database.ts'
import { DECISION_NAMES } from '../deciding/decisions-input.ts'
import { recordDecisionEvent } from '../deciding/decisions-history.ts'
import { decisionEmailFacts } from '../deciding/decisions-rules.ts'
import {
  claimRoundsToRelease,
  listRoundDecisions,
  setRoundState,
  updateDecision,
  type Decision,
} from '../deciding/decisions.repository.ts'
import { nextRoundState } from '../deciding/decisions.states.ts'
import { headteacherOf, headteacherPlaceLink, openOffer, teacherOfferLink } from './offers-rules.ts'

export interface JobDeps {
  db: Db
  clock: Clock
  baseUrl: string
}

/** Releases every due round (each in its own transaction); returns how many decisions went out. */
export async function releaseDecisions(deps: JobDeps, options: { maxRounds?: number } = {}): Promise<number> {
  const now = deps.clock.now()
  const today = ukDateOf(now)
  let released = 0
  for (let i = 0; i < (options.maxRounds ?? 50); i++) {
    const count = await deps.db.transaction().execute(async (tx) => {
      const [round] = await claimRoundsToRelease(tx, today, 1)
      if (!round) return undefined
      return releaseRound(tx, deps, round, now)
    })
    if (count === undefined) break
    released += count
  }
  return released
}

async function releaseRound(
  tx: Tx,
  deps: JobDeps,
  round: { hubId: string; cohortId: string },
  now: Date,
): Promise<number> {
  const cohort = (await findCohort(tx, round.cohortId))!
  const decisions = (await listRoundDecisions(tx, round.hubId, round.cohortId)).filter(
    (d) => d.applicationState === 'submitted' && d.releasedAt === null,
  )
  for (const decision of decisions) await releaseOne(tx, deps, decision, cohort, now)
  const to = nextRoundState('approved', 'release')
  await setRoundState(tx, round.hubId, round.cohortId, to, { by: null, now })
  await recordAudit(
    tx,
    { actor: ANONYMOUS, now },
    {
      action: 'selection-round.release',
      recordType: 'selection-round',
      recordId: `${round.hubId}/${round.cohortId}`,
      before: { state: 'approved' },
      after: { state: to, decisions: decisions.length },
    },
  )
  return decisions.length
}

async function releaseOne(
  tx: Tx,
  deps: JobDeps,
  decision: Decision,
  cohort: NonNullable<Awaited<ReturnType<typeof findCohort>>>,
  now: Date,
): Promise<void> {
  const application = (await findApplication(tx, decision.applicationId))!
  const facts = decisionEmailFacts(application, cohort)
  const feedback = decision.shareFeedback && decision.feedback !== '' ? decision.feedback : null
  const headteacher = headteacherOf(application)
  const schoolName = application.schoolName ?? 'your school'
  if (decision.decision === 'selected') {
    const { token, respondBy } = await openOffer(tx, decision, now, { releasedAt: now })
    await queueEmail(tx, {
      template: 'decision-selected',
      to: application.applicantEmail,
      data: {
        ...facts,
        name: application.applicantName,
        feedback,
        link: teacherOfferLink(deps.baseUrl, application.id),
        respondBy,
        headteacherName: application.headteacherName,
      },
    })
    if (headteacher) {
      await queueEmail(tx, {
        template: 'decision-selected-headteacher',
        to: headteacher.email,
        data: {
          ...facts,
          headteacherName: headteacher.name,
          teacherName: application.applicantName,
          schoolName,
          link: headteacherPlaceLink(deps.baseUrl, token),
          respondBy,
        },
      })
    }
  } else {
    await updateDecision(tx, decision.applicationId, { releasedAt: now }, now)
    const reserve = decision.decision === 'reserve'
    await queueEmail(tx, {
      template: reserve ? 'decision-reserve' : 'decision-not-selected',
      to: application.applicantEmail,
      data: { ...facts, name: application.applicantName, feedback },
    })
    if (headteacher) {
      await queueEmail(tx, {
        template: reserve ? 'decision-reserve-headteacher' : 'decision-not-selected-headteacher',
        to: headteacher.email,
        data: {
          ...facts,
          headteacherName: headteacher.name,
          teacherName: application.applicantName,
          schoolName,
        },
      })
    }
  }
  await recordDecisionEvent(tx, {
    applicationId: application.id,
    applicationState: application.state,
    event: 'decision-released',
    actorPersonId: null,
    actorKind: 'system',
    note: DECISION_NAMES[decision.decision],
    now,
  })
  await recordAudit(
    tx,
    { actor: ANONYMOUS, now },
    {
      action: 'selection-decision.release',
      recordType: 'application',
      recordId: application.id,
      after: { decision: decision.decision, feedbackShared: feedback !== null },
    },
  )
}
