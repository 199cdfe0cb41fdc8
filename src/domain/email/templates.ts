// Every email the service sends, as plain text in the GOV.UK style: short, plain English, no HTML.
// Subjects never contain what a person typed, so nothing from a form reaches a mail header.
// Each area keeps its own emails in domain/<area>/<area>.emails.ts; this file only joins them.
import { renderApplicationEmail, type ApplicationEmail } from '../applications/applications.emails.ts'
import { renderEventEmail, type EventEmail } from '../events/events.emails.ts'
import { renderParticipantsEmail, type ParticipantsEmail } from '../participants/participants.emails.ts'
import { renderPeopleEmail, type PeopleEmail } from '../people/people.emails.ts'
import { renderProgrammeEmail, type ProgrammeEmail } from '../programmes/programmes.emails.ts'
import { renderSelectionEmail, type SelectionEmail } from '../selection/selection.emails.ts'
import {
  renderWorkGroupSchoolsEmail,
  type WorkGroupSchoolsEmail,
} from '../work-groups/schools/schools.emails.ts'
import { renderEvaluationEmail, type EvaluationEmail } from '../work-groups/evaluation/evaluation.emails.ts'
import type { RenderedEmail } from './email-text.ts'

export { SERVICE_NAME, type RenderedEmail } from './email-text.ts'

export type EmailMessage =
  | PeopleEmail
  | ApplicationEmail
  | ProgrammeEmail
  | SelectionEmail
  | EventEmail
  | ParticipantsEmail
  | WorkGroupSchoolsEmail
  | EvaluationEmail

export type EmailTemplate = EmailMessage['template']

/** Which area writes each email: every template is listed once, and the compiler checks it. */
const AREA: {
  [T in EmailTemplate]:
    | 'people'
    | 'applications'
    | 'programmes'
    | 'selection'
    | 'events'
    | 'participants'
    | 'work-group-schools'
    | 'evaluation'
} = {
  'sign-in-link': 'people',
  'role-granted': 'people',
  'role-revoked': 'people',
  'api-token-created': 'people',
  'endorsement-request': 'applications',
  'endorsement-reminder': 'applications',
  'endorsement-confirmed': 'applications',
  'endorsement-declined': 'applications',
  'application-submitted': 'applications',
  'application-submitted-headteacher': 'applications',
  'application-withdrawn': 'applications',
  'headteacher-confirmation': 'applications',
  'application-routed': 'applications',
  'application-routed-hub': 'applications',
  'cohort-interest-confirm': 'programmes',
  'cohort-open': 'programmes',
  'decision-selected': 'selection',
  'decision-reserve': 'selection',
  'decision-not-selected': 'selection',
  'decision-selected-headteacher': 'selection',
  'decision-reserve-headteacher': 'selection',
  'decision-not-selected-headteacher': 'selection',
  'place-offered': 'selection',
  'place-offered-headteacher': 'selection',
  'place-confirmed': 'selection',
  'place-declined': 'selection',
  'place-lapsed': 'selection',
  'decisions-sent-back': 'selection',
  'reviews-overdue': 'selection',
  // Events (the development years)
  'event-moved': 'events',
  'event-cancelled': 'events',
  'booking-place-available': 'events',
  // Participants (tasks in the development years)
  'task-returned': 'participants',
  'task-accepted': 'participants',
  // The end-of-year questionnaire of Work Groups
  'evaluation-questionnaire': 'evaluation',
  // Schools in Work Groups
  'work-group-support-request': 'work-group-schools',
  'work-group-support-answered': 'work-group-schools',
  'work-group-decision': 'work-group-schools',
}

export function renderEmail(message: EmailMessage): RenderedEmail {
  switch (AREA[message.template]) {
    case 'people':
      return renderPeopleEmail(message as PeopleEmail)
    case 'applications':
      return renderApplicationEmail(message as ApplicationEmail)
    case 'programmes':
      return renderProgrammeEmail(message as ProgrammeEmail)
    case 'selection':
      return renderSelectionEmail(message as SelectionEmail)
    case 'events':
      return renderEventEmail(message as EventEmail)
    case 'participants':
      return renderParticipantsEmail(message as ParticipantsEmail)
    case 'evaluation':
      return renderEvaluationEmail(message as EvaluationEmail)
    case 'work-group-schools':
      return renderWorkGroupSchoolsEmail(message as WorkGroupSchoolsEmail)
  }
}
