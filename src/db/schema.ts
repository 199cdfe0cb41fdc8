// Kysely's view of the tables. Keep in step with src/db/migrations.
import type { ColumnType, Generated } from 'kysely'

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>

export interface ImportRunsTable {
  id: Generated<number>
  kind: 'schools' | 'school-links' | 'hubs'
  file_name: string
  mode: 'full' | 'partial'
  status: 'succeeded' | 'failed'
  encoding: string | null
  started_at: Timestamp
  finished_at: Timestamp
  rows_read: Generated<number>
  inserted: Generated<number>
  updated: Generated<number>
  unchanged: Generated<number>
  closed: Generated<number>
  rejected: Generated<number>
  problems: ColumnType<unknown, string | undefined, string>
  message: string | null
}

export interface SchoolsTable {
  urn: number
  name: string
  search_name: string
  type_name: string
  type_group: string
  phase: string
  la_code: string
  la_name: string
  postcode: string | null
  postcode_key: string | null
  town: string | null
  easting: number | null
  northing: number | null
  pupils: number | null
  percentage_fsm: ColumnType<string | null, number | string | null, number | string | null>
  trust_code: string | null
  trust_name: string | null
  website: string | null
  telephone: string | null
  status: string
  open: boolean
  in_england: boolean
  state_funded: boolean
  created_by_import_id: number | null
  updated_by_import_id: number | null
  closed_by_import_id: number | null
  created_at: Generated<Date>
  updated_at: Generated<Date>
}

export interface SchoolLinksTable {
  urn: number
  link_urn: number
  link_name: string | null
  link_type: string
  established_on: string | null
}

export interface HubsTable {
  id: string
  name: string
  contact_email: string | null
  contact_phone: string | null
  website: string | null
  lead_school_urn: number | null
  created_at: Generated<Date>
  updated_at: Generated<Date>
}

export interface HubAreasTable {
  la_code: string
  la_name: string | null
  hub_id: string
  import_id: number | null
}

export interface SchoolHubOverridesTable {
  urn: number
  hub_id: string
  reason: string
  created_at: Generated<Date>
}

export interface SchoolHubsView {
  urn: number
  hub_id: string | null
  overridden: boolean
}

export interface ServiceSettingsTable {
  key: string
  value: ColumnType<unknown, string, string>
}

export interface SchemaMigrationsTable {
  version: string
  applied_at: Generated<Date>
}

export type Role =
  | 'national-admin'
  | 'national-viewer'
  | 'hub-lead'
  | 'hub-admin'
  | 'reviewer'
  | 'mastery-specialist'
  | 'school-contact'
  | 'teacher'
  | 'mastery-advocate'

export interface PeopleTable {
  id: Generated<number>
  name: string
  email: string
  trn: string | null
  /** The school where the person works, for reviewers' conflicts of interest. */
  workplace_urn: number | null
  created_at: Generated<Date>
  updated_at: Generated<Date>
  /** When the person's personal data was erased (the row stays, anonymised). */
  erased_at: Date | null
}

export interface GrantsTable {
  id: Generated<number>
  person_id: number
  role: Role
  hub_id: string | null
  cohort_id: string | null
  school_urn: number | null
  created_by: number | null
  created_at: Generated<Date>
  revoked_at: Date | null
  revoked_by: number | null
}

export interface SessionsTable {
  id_hash: string
  person_id: number | null
  csrf_token: string
  data: ColumnType<Record<string, unknown>, string | undefined, string>
  created_at: Timestamp
  last_seen_at: Timestamp
  expires_at: Timestamp
}

export interface SignInTokensTable {
  token_hash: string
  person_id: number
  created_at: Timestamp
  expires_at: Timestamp
  used_at: Date | null
}

export interface RateLimitsTable {
  key: string
  window_start: Timestamp
  hits: number
}

export interface ApiTokensTable {
  id: Generated<number>
  person_id: number
  name: string
  token_hash: string
  token_prefix: string
  grant_id: number
  created_at: Timestamp
  last_used_at: Date | null
  revoked_at: Date | null
}

export interface AuditEventsTable {
  id: Generated<number>
  occurred_at: Timestamp
  actor_person_id: number | null
  actor_kind: 'person' | 'api-token' | 'system' | 'command-line'
  action: string
  record_type: string
  record_id: string
  before: ColumnType<unknown, string | null, never>
  after: ColumnType<unknown, string | null, never>
  request_id: string | null
  transaction_id: Generated<number>
}

export interface OutboxTable {
  id: Generated<number>
  to_address: string
  subject: string
  body_text: string
  template: string
  status: Generated<'pending' | 'sent' | 'failed'>
  attempts: Generated<number>
  next_attempt_at: ColumnType<Date, Date | string | undefined, Date | string>
  locked_until: Date | null
  last_error: string | null
  created_at: Generated<Date>
  sent_at: Date | null
  message_id: string
}

export interface YearSummary {
  year: number
  summary: string
}

export interface Criterion {
  id: string
  text: string
  /** What the applicant gives to show it, e.g. "A statement in the application form". */
  evidence: string
  /** The most words the written answer may use; null where none is asked for. */
  wordLimit: number | null
}

export interface Residential {
  name: string
  /** YYYY-MM-DD */
  startsOn: string
  /** YYYY-MM-DD */
  endsOn: string
  subjectToConfirmation: boolean
}

export interface CohortFunding {
  /** Days of release time funded in each year; may be a half day, like 7.5. */
  releaseDaysPerYear: number
  dayRatePence: number
  bursaryPence: number
}

type Json<T> = ColumnType<T, string, string>

export interface ProgrammesTable {
  id: string
  name: string
  description: string
  /** GIAS PhaseOfEducation names. */
  phases: string[]
  special_schools_only: boolean
  year_structure: Json<YearSummary[]>
  position: number
}

export interface CohortsTable {
  id: string
  programme_id: string
  number: number
  development_year: string
  opens_at: Timestamp
  closes_at: Timestamp
  /** YYYY-MM-DD */
  decisions_released_on: string
  essential_criteria: Json<Criterion[]>
  desirable_criteria: Json<Criterion[]>
  headteacher_commitments: Json<string[]>
  residentials: Json<Residential[]>
  funding: Json<CohortFunding>
  created_at: Timestamp
  updated_at: Timestamp
}

export interface CohortInterestTable {
  id: Generated<number>
  cohort_id: string
  email: string
  created_at: Timestamp
  notified_at: Date | null
  /** The hash of the single-use link that confirms the address; null once confirmed. */
  confirm_token_hash: string | null
  confirm_expires_at: Date | null
  /** When the address's owner followed the link: only confirmed addresses are told. */
  confirmed_at: Date | null
}

export type ApplicationState =
  'draft' | 'awaiting-endorsement' | 'endorsement-declined' | 'endorsed' | 'submitted' | 'withdrawn'

export interface TeachingDetails {
  hasQts?: boolean
  /** Teacher Reference Number: 7 digits. */
  trn?: string | null
  yearsTeachingMaths?: number
  currentRole?: string
  classesTaught?: string
}

export interface StoredEligibility {
  outcome: 'eligible' | 'not-eligible' | 'needs-review'
  reasons: { code: string; message: string }[]
}

export interface ApplicationsTable {
  id: Generated<number>
  reference: string
  cohort_id: string
  applicant_id: number
  state: ApplicationState
  school_urn: number | null
  hub_id: string | null
  eligibility: ColumnType<StoredEligibility | null, string | null, string | null>
  teaching: ColumnType<TeachingDetails, string | undefined, string>
  evidence: ColumnType<Record<string, string>, string | undefined, string>
  headteacher_name: string | null
  headteacher_email: string | null
  endorsed_at: Date | null
  endorsement_declined_at: Date | null
  endorsement_decline_reason: string | null
  submitted_at: Date | null
  submit_idempotency_key: string | null
  withdrawn_at: Date | null
  /** Who vouches for the headteacher: a school-contact role at the school, or a hub lead. */
  headteacher_verification: HeadteacherVerification | null
  headteacher_verified_at: Date | null
  headteacher_verified_by: number | null
  created_at: Timestamp
  updated_at: Timestamp
}

export type HeadteacherVerification = 'school-contact' | 'hub' | 'headteacher'

export interface ApplicationHistoryTable {
  id: Generated<number>
  application_id: number
  event: string
  from_state: ApplicationState | null
  to_state: ApplicationState
  actor_person_id: number | null
  actor_kind: 'applicant' | 'headteacher' | 'person' | 'system'
  note: string | null
  occurred_at: Timestamp
}

export interface EndorsementRequestsTable {
  id: Generated<number>
  application_id: number
  token_hash: string
  reminder_token_hash: string | null
  headteacher_name: string
  headteacher_email: string
  created_at: Timestamp
  expires_at: Timestamp
  remind_after: Timestamp
  reminded_at: Date | null
  used_at: Date | null
  replaced_at: Date | null
}

export interface HeadteacherConfirmationsTable {
  id: Generated<number>
  application_id: number
  token_hash: string
  headteacher_name: string
  headteacher_email: string
  asked_by: number
  asked_at: Timestamp
  expires_at: Timestamp
  replaced_at: Date | null
  answered_at: Date | null
  answer: 'confirmed' | 'not-confirmed' | null
}

export type SelectionRoundState = 'reviewing' | 'confirmed' | 'approved' | 'released'
export type SelectionDecision = 'selected' | 'reserve' | 'not-selected'
export type OfferState = 'offered' | 'accepted' | 'declined' | 'lapsed'

export interface SelectionRoundsTable {
  hub_id: string
  cohort_id: string
  places: number | null
  places_set_by: number | null
  places_set_at: Date | null
  blind_review: Generated<boolean>
  reviews_per_application: Generated<number>
  priorities: Generated<string>
  state: Generated<SelectionRoundState>
  confirmed_by: number | null
  confirmed_at: Date | null
  approved_by: number | null
  approved_at: Date | null
  released_at: Date | null
  sent_back_reason: string | null
  sent_back_by: number | null
  sent_back_at: Date | null
  leads_review: Generated<boolean>
  review_deadline: Date | null
  updated_at: Timestamp
}

export interface ReviewRemindersTable {
  reviewer_id: number
  sent_on: string
  sent_at: Date
}

export interface ReviewAssignmentsTable {
  id: Generated<number>
  application_id: number
  reviewer_id: number
  assigned_by: number | null
  assigned_at: Timestamp
  ended_at: Date | null
  conflict_reason: string | null
}

/** A reviewer's judgement of one essential criterion. */
export interface EssentialJudgement {
  met: boolean
  note: string
}

/** A reviewer's score for one desirable criterion, 0 to 4. */
export interface DesirableScore {
  score: number
  note: string
}

export interface ReviewsTable {
  assignment_id: number
  essential: Json<Record<string, EssentialJudgement>>
  desirable: Json<Record<string, DesirableScore>>
  strategic_score: number | null
  strategic_note: Generated<string>
  completed_at: Date | null
  updated_at: Timestamp
}

export interface SelectionDecisionsTable {
  application_id: number
  hub_id: string
  cohort_id: string
  decision: SelectionDecision
  reason_code: string
  feedback: Generated<string>
  share_feedback: Generated<boolean>
  reserve_rank: number | null
  decided_by: number | null
  decided_at: Timestamp
  released_at: Date | null
  offer_state: OfferState | null
  offered_at: Date | null
  respond_by: Date | null
  teacher_accepted_at: Date | null
  headteacher_accepted_at: Date | null
  declined_at: Date | null
  decline_reason: string | null
  headteacher_token_hash: string | null
  updated_at: Timestamp
}

export interface ParticipationsTable {
  id: Generated<number>
  person_id: number
  cohort_id: string
  application_id: number
  school_urn: number | null
  hub_id: string | null
  role: Generated<string>
  started_at: Timestamp
}

export type ParticipationStage = 'year-one' | 'year-two' | 'active' | 'deferred' | 'withdrawn'

/** One dated period of a participation's timeline: [starts_on, ends_on), open when ends_on is null. */
export interface ParticipationStagesTable {
  id: Generated<number>
  participation_id: number
  stage: ParticipationStage
  reason: string | null
  /** YYYY-MM-DD */
  starts_on: string
  ends_on: string | null
  created_by: number | null
  created_at: Timestamp
}

export interface ParticipationHistoryTable {
  id: Generated<number>
  participation_id: number
  event: string
  from_stage: ParticipationStage | null
  to_stage: ParticipationStage
  reason: string | null
  from_cohort_id: string | null
  to_cohort_id: string | null
  effective_on: string
  actor_person_id: number | null
  at: Timestamp
}

export type EventKind = 'residential' | 'hub-session' | 'support-visit' | 'workshop'
/** 'planned' is shown as "subject to confirmation". */
export type EventStatus = 'planned' | 'confirmed' | 'cancelled'

export interface EventsTable {
  id: Generated<number>
  kind: EventKind
  title: string
  cohort_id: string | null
  hub_id: string | null
  participation_id: number | null
  status: Generated<EventStatus>
  sequence: Generated<number>
  half_days: number | null
  /** YYYY-MM-DD: access and dietary needs for it are deleted after this date. */
  needs_retained_until: string | null
  created_by: number | null
  created_at: Timestamp
  updated_at: Timestamp
  confirmed_at: Timestamp | null
  cancelled_at: Timestamp | null
  cancel_reason: string | null
}

export interface EventDaysTable {
  id: Generated<number>
  event_id: number
  day_number: number
  starts_at: Timestamp
  ends_at: Timestamp
  attendance_code_hash: string | null
}

export interface EventVenuesTable {
  id: Generated<number>
  event_id: number
  name: string
  address: string
  capacity: number
}

export type BookingStatus = 'booked' | 'waiting' | 'cancelled'

export interface BookingsTable {
  id: Generated<number>
  event_id: number
  venue_id: number
  participation_id: number
  status: BookingStatus
  access_needs: string | null
  dietary_needs: string | null
  needs_deleted_at: Timestamp | null
  booked_at: Timestamp
  updated_at: Timestamp
  cancelled_at: Timestamp | null
  cancel_reason: string | null
}

export interface CalendarFeedsTable {
  person_id: number
  token_hash: string
  created_at: Timestamp
}

export type AttendanceStatus = 'present' | 'late' | 'left-early' | 'absent'
export type AttendanceMethod = 'screen' | 'upload' | 'code'

export interface AttendanceTable {
  id: Generated<number>
  event_day_id: number
  booking_id: number
  status: AttendanceStatus
  absence_reason: string | null
  method: AttendanceMethod
  recorded_by: number | null
  recorded_at: Timestamp
}

export type ReleaseHalf = 'morning' | 'afternoon'
export type ReleaseActivity =
  | 'residential'
  | 'hub-work'
  | 'department'
  | 'other-schools'
  | 'work-group'
  | 'pd-lead'
  | 'teaching-for-mastery'
/** Who logged release time or approved extra days: the specialist, their hub's team, or NCETM. */
export type ReleaseLoggedAs = 'specialist' | 'hub' | 'ncetm'

/** The release-time ledger (append-only): half days used, and reversals that take one back. */
export interface ReleaseEntriesTable {
  id: Generated<number>
  participation_id: number
  kind: 'use' | 'reversal'
  /** YYYY-MM-DD */
  on_date: string
  half: ReleaseHalf
  activity: ReleaseActivity
  note: string | null
  reverses_entry_id: number | null
  reason: string | null
  follows_reversal_id: number | null
  reversed_kind: Generated<'use'>
  followed_kind: Generated<'reversal'>
  logged_by: number | null
  logged_as: ReleaseLoggedAs
  created_at: Timestamp
}

/** Extra half days approved for one participation year, beyond the funded days (append-only). */
export interface ReleaseExtraDaysTable {
  id: Generated<number>
  participation_id: number
  year: number
  half_days: number
  reason: string
  approved_by: number | null
  approved_as: Exclude<ReleaseLoggedAs, 'specialist'>
  created_at: Timestamp
}

export type TaskStatus = 'set' | 'withdrawn'
export type EvidenceKind = 'text' | 'link' | 'file'
export type SubmissionStatus = 'submitted' | 'accepted' | 'returned'
export type UploadKindName = 'pdf' | 'docx' | 'xlsx' | 'pptx' | 'png' | 'jpeg'

export interface TasksTable {
  id: Generated<number>
  cohort_id: string
  title: string
  description: string
  /** YYYY-MM-DD: due by 5pm UK time that day (due_at). */
  due_on: string
  due_at: Timestamp
  for_year: 1 | 2 | null
  status: Generated<TaskStatus>
  withdrawn_at: Timestamp | null
  withdraw_reason: string | null
  created_by: number | null
  created_at: Timestamp
  updated_at: Timestamp
}

export interface TaskHistoryTable {
  id: Generated<number>
  task_id: number
  event: 'set' | 'change' | 'withdraw'
  title: string
  description: string
  due_on: string
  for_year: 1 | 2 | null
  reason: string | null
  actor_person_id: number | null
  at: Timestamp
}

export interface TaskEvidenceFilesTable {
  id: Generated<number>
  /** pg gives a Buffer, PGlite a Uint8Array. */
  content: Uint8Array
  kind: UploadKindName
  content_type: string
  size_bytes: number
  sha256: string
  filename: string
  uploaded_by: number | null
  uploaded_at: Timestamp
}

export interface TaskSubmissionsTable {
  id: Generated<number>
  task_id: number
  participation_id: number
  evidence_kind: EvidenceKind
  evidence_text: string | null
  evidence_url: string | null
  file_id: number | null
  status: Generated<SubmissionStatus>
  submitted_by: number | null
  submitted_at: Timestamp
  reviewed_by: number | null
  reviewed_at: Timestamp | null
  feedback: string | null
}

export interface AccreditationRequirementsTable {
  id: Generated<number>
  programme_id: string | null
  title: string
  position: number
  created_by: number | null
  created_at: Timestamp
  updated_at: Timestamp
  retired_at: Timestamp | null
  retired_by: number | null
}

export interface AccreditationRequirementsMetTable {
  id: Generated<number>
  person_id: number
  requirement_id: number
  participation_id: number | null
  /** YYYY-MM-DD */
  met_on: string
  recorded_by: number | null
  recorded_at: Timestamp
}

export type AccreditationKind = 'awarded' | 'already-accredited'

export interface PdLeadAccreditationsTable {
  person_id: number
  kind: AccreditationKind
  /** YYYY-MM-DD */
  accredited_on: string
  source: string | null
  participation_id: number | null
  recorded_by: number | null
  recorded_at: Timestamp
}

/** Why an unsuccessful application was deleted under the retention policy. */
export type UnsuccessfulOutcome =
  | 'withdrawn'
  | 'not-submitted'
  | 'endorsement-declined'
  | 'not-selected'
  | 'offer-declined'
  | 'offer-lapsed'
  | 'reserve-not-offered'

export interface DeletedApplicationCountsTable {
  id: Generated<number>
  cohort_id: string
  hub_id: string | null
  outcome: UnsuccessfulOutcome
  applications: number
  last_deleted_at: Timestamp
}

export type WorkGroupPhase = 'primary' | 'secondary' | 'cross-phase'
export type WorkGroupState = 'planning' | 'recruiting' | 'running' | 'completed' | 'cancelled'

export interface WorkGroupProgrammesTable {
  id: string
  name: string
  catalogue_programme_id: string | null
  phases: WorkGroupPhase[]
  default_capacity: number
  max_capacity: number
  planned_sessions: number
  session_name: string
  once_per_school: boolean
  position: number
}

export interface WorkGroupsTable {
  id: Generated<number>
  hub_id: string
  programme_id: string
  /** Like 2026/27 */
  academic_year: string
  phase: WorkGroupPhase
  name: string
  capacity: number
  meeting_area: string
  planned_sessions: number
  state: Generated<WorkGroupState>
  host_school_urn: number | null
  created_by: number | null
  created_at: Timestamp
  updated_at: Timestamp
}

export interface WorkGroupLeadsTable {
  work_group_id: number
  participation_id: number
}

export interface WorkGroupHistoryTable {
  id: Generated<number>
  work_group_id: number
  event: string
  from_state: WorkGroupState | null
  to_state: WorkGroupState
  actor_person_id: number | null
  at: Timestamp
}

export type WorkGroupInterestStatus =
  'awaiting-support' | 'ready' | 'accepted' | 'waiting' | 'declined' | 'withdrawn'
export type SupportRole = 'head-of-maths' | 'senior-leader'
export type BigIdea =
  'coherence' | 'representation-and-structure' | 'mathematical-thinking' | 'fluency' | 'variation'
export type SchoolMasteryStage = 'readiness' | 'development' | 'embedding' | 'sustaining'
export type EvaluationAudience = 'advocate' | 'specialist'

export interface WorkGroupInterestsTable {
  id: Generated<number>
  school_urn: number
  hub_id: string
  programme_id: string
  academic_year: string
  status: Generated<WorkGroupInterestStatus>
  work_group_id: number | null
  waiting_position: number | null
  statement: string | null
  registered_by: number | null
  decided_by: number | null
  decided_at: Timestamp | null
  created_at: Timestamp
  updated_at: Timestamp
}

export interface WorkGroupInterestHistoryTable {
  id: Generated<number>
  interest_id: number
  event: string
  from_status: WorkGroupInterestStatus | null
  to_status: WorkGroupInterestStatus
  work_group_id: number | null
  waiting_position: number | null
  actor_person_id: number | null
  at: Timestamp
}

export interface WorkGroupSupportRequestsTable {
  id: Generated<number>
  interest_id: number
  role: SupportRole
  name: string
  email: string
  token_hash: string
  created_at: Timestamp
  expires_at: Timestamp
  replaced_at: Timestamp | null
  answered_at: Timestamp | null
  answer: 'supported' | 'not-supported' | null
}

export interface WorkGroupAdvocatesTable {
  id: Generated<number>
  interest_id: number
  slot: 1 | 2
  name: string
  email: string
  role: string
  /** ISO date (UK) */
  from_date: string
  to_date: string | null
  change_reason: string | null
  created_by: number | null
  created_at: Timestamp
}

export interface WorkGroupPairRulesTable {
  id: Generated<number>
  hub_id: string
  programme_id: string
  academic_year: string
  kind: 'apart' | 'together'
  school_a: number
  school_b: number
  created_by: number | null
  created_at: Timestamp
}

export interface WorkGroupAllocationPlansTable {
  id: Generated<number>
  hub_id: string
  programme_id: string
  academic_year: string
  status: Generated<'proposed' | 'applied' | 'discarded'>
  solver_status: string
  proven_optimal: boolean
  total_travel_metres: ColumnType<string, number | string, number | string>
  lower_bound_metres: ColumnType<string, number | string, number | string>
  gap: ColumnType<string, number | string, number | string>
  greedy_travel_metres: ColumnType<string | null, number | string | null, number | string | null>
  solve_ms: number
  assignments: ColumnType<unknown, string, string>
  hosts: ColumnType<unknown, string, string>
  created_by: number | null
  created_at: Timestamp
  applied_by: number | null
  applied_at: Timestamp | null
}

export interface WorkGroupSessionsTable {
  id: Generated<number>
  work_group_id: number
  starts_at: Timestamp
  ends_at: Timestamp
  host_school_urn: number
  big_idea: BigIdea
  lesson_observed: string
  status: Generated<'planned' | 'held' | 'cancelled'>
  attendance_code_hash: string | null
  created_by: number | null
  created_at: Timestamp
  updated_at: Timestamp
}

export interface WorkGroupAttendanceTable {
  id: Generated<number>
  session_id: number
  advocate_id: number
  status: AttendanceStatus
  absence_reason: string | null
  method: AttendanceMethod
  recorded_by: number | null
  recorded_at: Timestamp
}

export interface WorkGroupLessonStudiesTable {
  id: Generated<number>
  session_id: number
  school_urn: number
  lesson_taught: string
  taught_by: string
  classes: string
  learned: string
  recorded_by: number | null
  recorded_at: Timestamp
  updated_at: Timestamp
}

export interface WorkGroupSupportVisitsTable {
  id: Generated<number>
  work_group_id: number
  participation_id: number
  school_urn: number
  /** ISO date (UK) */
  visited_on: string
  half_days: number
  notes: string | null
  recorded_by: number | null
  recorded_at: Timestamp
}

export interface SchoolMasteryStagesTable {
  id: Generated<number>
  school_urn: number
  stage: SchoolMasteryStage
  /** ISO date (UK) */
  from_date: string
  to_date: string | null
  evidence: string
  hub_id: string
  decided_by: number | null
  decided_at: Timestamp
}

export interface EvaluationQuestionsTable {
  id: Generated<number>
  audience: EvaluationAudience
  kind: 'scale' | 'text'
  text: string
  position: number
  retired_at: Timestamp | null
  created_by: number | null
  created_at: Timestamp
}

export interface EvaluationResponsesTable {
  id: Generated<number>
  work_group_id: number
  audience: EvaluationAudience
  advocate_id: number | null
  participation_id: number | null
  token_hash: string | null
  sent_at: Timestamp | null
  submitted_at: Timestamp | null
  created_at: Timestamp
}

export interface EvaluationAnswersTable {
  response_id: number
  question_id: number
  scale_value: number | null
  text_value: string | null
}

export interface WorkGroupGrantRulesTable {
  programme_id: string
  academic_year: string
  participation_year: number
  amount_pence: number
  rule: ColumnType<{ advocates: number; attendedShare: number }, string | undefined, string>
  description: string
}

export interface WorkGroupGrantsDueTable {
  id: Generated<number>
  work_group_id: number
  school_urn: number
  programme_id: string
  academic_year: string
  participation_year: number
  amount_pence: number
  evidence: ColumnType<unknown, string, string>
  due_at: Timestamp
}

export interface FundingRulesTable {
  id: Generated<number>
  programme_id: string
  /** ISO date (UK) */
  applies_from: string
  release_day_rate_pence: number
  release_half_days_by_year: number[]
  bursary_pence: number
  support_day_rate_pence: number
  travel_journey_cap_pence: number
  travel_night_cap_pence: number
  note: string | null
  created_by: number | null
  created_at: Timestamp
}

export type OwedKind = 'release-time' | 'support-visit' | 'grant'

export interface OwedItemsTable {
  id: Generated<number>
  kind: OwedKind
  source_id: number
  hub_id: string
  school_urn: number
  participation_id: number | null
  work_group_id: number | null
  /** ISO date (UK) */
  on_date: string
  description: string
  created_at: Timestamp
}

export interface OwedChangesTable {
  id: Generated<number>
  owed_item_id: number
  amount_pence: number
  funding_rule_id: number | null
  reason: string
  created_at: Timestamp
}

export type FundingClaimState = 'submitted' | 'awaiting-national' | 'approved' | 'rejected' | 'paid'

export interface FundingClaimsTable {
  id: Generated<number>
  hub_id: string
  school_urn: number
  state: FundingClaimState
  total_pence: number
  needs_national_approval: boolean
  submitted_by: number
  submitted_as: 'school-contact' | 'specialist'
  submitted_at: Timestamp
  hub_approved_by: number | null
  hub_approved_at: Timestamp | null
  national_approved_by: number | null
  national_approved_at: Timestamp | null
  rejected_by: number | null
  rejected_at: Timestamp | null
  rejection_reason: string | null
  updated_at: Timestamp
}

export interface FundingClaimLinesTable {
  id: Generated<number>
  claim_id: number
  owed_item_id: number
  amount_pence: number
  released_at: Timestamp | null
}

export interface FundingClaimHistoryTable {
  id: Generated<number>
  claim_id: number
  from_state: FundingClaimState | null
  to_state: FundingClaimState
  by_person_id: number | null
  reason: string | null
  at: Timestamp
}

export interface PaymentRunsTable {
  id: Generated<number>
  hub_id: string
  /** ISO date (UK) */
  period_start: string
  /** ISO date (UK) */
  period_end: string
  state: 'open' | 'issued'
  opened_by: number | null
  opened_at: Timestamp
  issued_by: number | null
  issued_at: Timestamp | null
}

export interface StatementsTable {
  id: Generated<number>
  payment_run_id: number
  school_urn: number
  total_pence: number
}

export interface StatementLinesTable {
  id: Generated<number>
  statement_id: number
  owed_item_id: number
  claim_line_id: number | null
  corrects_line_id: number | null
  amount_pence: number
  description: string
}

export interface HubBudgetAllocationsTable {
  id: Generated<number>
  hub_id: string
  financial_year: number
  allocated_pence: number
  reason: string | null
  set_by: number | null
  set_at: Timestamp
}

export interface DB {
  work_group_interests: WorkGroupInterestsTable
  work_group_interest_history: WorkGroupInterestHistoryTable
  work_group_support_requests: WorkGroupSupportRequestsTable
  work_group_advocates: WorkGroupAdvocatesTable
  work_group_pair_rules: WorkGroupPairRulesTable
  work_group_allocation_plans: WorkGroupAllocationPlansTable
  work_group_sessions: WorkGroupSessionsTable
  work_group_attendance: WorkGroupAttendanceTable
  work_group_lesson_studies: WorkGroupLessonStudiesTable
  work_group_support_visits: WorkGroupSupportVisitsTable
  school_mastery_stages: SchoolMasteryStagesTable
  evaluation_questions: EvaluationQuestionsTable
  evaluation_responses: EvaluationResponsesTable
  evaluation_answers: EvaluationAnswersTable
  work_group_grant_rules: WorkGroupGrantRulesTable
  work_group_grants_due: WorkGroupGrantsDueTable
  funding_rules: FundingRulesTable
  owed_items: OwedItemsTable
  owed_changes: OwedChangesTable
  funding_claims: FundingClaimsTable
  funding_claim_lines: FundingClaimLinesTable
  funding_claim_history: FundingClaimHistoryTable
  payment_runs: PaymentRunsTable
  statements: StatementsTable
  statement_lines: StatementLinesTable
  hub_budget_allocations: HubBudgetAllocationsTable
  work_group_programmes: WorkGroupProgrammesTable
  work_groups: WorkGroupsTable
  work_group_leads: WorkGroupLeadsTable
  work_group_history: WorkGroupHistoryTable
  deleted_application_counts: DeletedApplicationCountsTable
  selection_rounds: SelectionRoundsTable
  review_assignments: ReviewAssignmentsTable
  review_reminders: ReviewRemindersTable
  reviews: ReviewsTable
  selection_decisions: SelectionDecisionsTable
  participations: ParticipationsTable
  participation_stages: ParticipationStagesTable
  participation_history: ParticipationHistoryTable
  events: EventsTable
  event_days: EventDaysTable
  event_venues: EventVenuesTable
  bookings: BookingsTable
  attendance: AttendanceTable
  calendar_feeds: CalendarFeedsTable
  release_entries: ReleaseEntriesTable
  release_extra_days: ReleaseExtraDaysTable
  tasks: TasksTable
  task_history: TaskHistoryTable
  task_evidence_files: TaskEvidenceFilesTable
  task_submissions: TaskSubmissionsTable
  accreditation_requirements: AccreditationRequirementsTable
  accreditation_requirements_met: AccreditationRequirementsMetTable
  pd_lead_accreditations: PdLeadAccreditationsTable
  applications: ApplicationsTable
  application_history: ApplicationHistoryTable
  endorsement_requests: EndorsementRequestsTable
  headteacher_confirmations: HeadteacherConfirmationsTable
  people: PeopleTable
  grants: GrantsTable
  sessions: SessionsTable
  sign_in_tokens: SignInTokensTable
  rate_limits: RateLimitsTable
  api_tokens: ApiTokensTable
  audit_events: AuditEventsTable
  outbox: OutboxTable
  import_runs: ImportRunsTable
  schools: SchoolsTable
  school_links: SchoolLinksTable
  hubs: HubsTable
  hub_areas: HubAreasTable
  school_hub_overrides: SchoolHubOverridesTable
  school_hubs: SchoolHubsView
  service_settings: ServiceSettingsTable
  schema_migrations: SchemaMigrationsTable
  programmes: ProgrammesTable
  cohorts: CohortsTable
  cohort_interest: CohortInterestTable
}
