// Selection decisions and offers: the emails this area sends, as plain text in the GOV.UK style.
import { formatUkDateTime } from '../../lib/uk-time.ts'
import { oneLine, body, type RenderedEmail } from '../email/email-text.ts'

/** What every email about a decision names. */
export interface DecisionEmail {
  reference: string
  programmeName: string
  cohortName: string
  hubName: string
}

/** The hub's feedback, where it chose to share it, as the teacher wrote to read it. */
function feedbackParagraphs(feedback: string | null): string[] {
  return feedback ? ['Feedback from the hub:', feedback.replace(/\r\n?/g, '\n')] : []
}

export type SelectionEmail =
  | {
      /** A released decision to the teacher: a place, to accept by a deadline. */
      template: 'decision-selected'
      to: string
      data: DecisionEmail & {
        name: string
        /** Only where the hub chose to share it. */
        feedback: string | null
        link: string
        respondBy: Date
        headteacherName: string | null
      }
    }
  | {
      /** A released decision to the teacher; feedback only where the hub chose to share it. */
      template: 'decision-reserve' | 'decision-not-selected'
      to: string
      data: DecisionEmail & { name: string; feedback: string | null }
    }
  | {
      /** A released place to the headteacher who endorsed the application: their single-use link. */
      template: 'decision-selected-headteacher'
      to: string
      data: DecisionEmail & {
        headteacherName: string
        teacherName: string
        schoolName: string
        link: string
        respondBy: Date
      }
    }
  | {
      /** A released decision to the headteacher who endorsed the application. */
      template: 'decision-reserve-headteacher' | 'decision-not-selected-headteacher'
      to: string
      data: DecisionEmail & { headteacherName: string; teacherName: string; schoolName: string }
    }
  | {
      /** A place that came free, offered to a reserve (and their headteacher). */
      template: 'place-offered' | 'place-offered-headteacher'
      to: string
      data: DecisionEmail & {
        name: string
        teacherName: string
        schoolName: string
        link: string
        respondBy: Date
      }
    }
  | {
      /** The teacher and the headteacher have both accepted: the teacher is a Mastery Specialist. */
      template: 'place-confirmed'
      to: string
      data: DecisionEmail & { name: string; teacherName: string; toHeadteacher: boolean }
    }
  | {
      template: 'place-declined'
      to: string
      data: DecisionEmail & {
        name: string
        teacherName: string
        toHeadteacher: boolean
        declinedBy: 'teacher' | 'headteacher'
        /** The headteacher's reason, for the teacher; never the teacher's own to the headteacher. */
        reason: string | null
      }
    }
  | {
      template: 'place-lapsed'
      to: string
      data: DecisionEmail & { name: string; teacherName: string; toHeadteacher: boolean; respondBy: Date }
    }
  | {
      /** NCETM has sent a hub's decisions back: to each of the hub's leads, with NCETM's reason. */
      template: 'decisions-sent-back'
      to: string
      data: {
        name: string
        hubName: string
        programmeName: string
        cohortName: string
        reason: string
        link: string
      }
    }
  | {
      /** A reviewer whose reviews are past their round's deadline: at most one a day. */
      template: 'reviews-overdue'
      to: string
      data: {
        name: string
        rounds: {
          hubName: string
          programmeName: string
          cohortName: string
          deadline: Date
          outstanding: number
        }[]
        link: string
      }
    }

export function renderSelectionEmail(message: SelectionEmail): RenderedEmail {
  switch (message.template) {
    case 'decisions-sent-back': {
      const d = message.data
      return {
        subject: `The NCETM has sent your hub’s decisions back: ${d.programmeName}, ${d.cohortName}`,
        text: body(d.name, [
          `The NCETM has sent the decisions of ${oneLine(d.hubName)} for the ${oneLine(d.programmeName)} ` +
            `(${oneLine(d.cohortName)}) back to the hub. They said:`,
          d.reason.replace(/\r\n?/g, '\n'),
          'Change the decisions where you need to, then confirm them again:',
          oneLine(d.link),
        ]),
      }
    }
    case 'reviews-overdue': {
      const d = message.data
      const total = d.rounds.reduce((sum, r) => sum + r.outstanding, 0)
      return {
        subject: `You have ${total} review${total === 1 ? '' : 's'} past the deadline`,
        text: body(d.name, [
          'These reviews were due and are not yet complete:',
          d.rounds
            .map(
              (r) =>
                `- ${oneLine(r.hubName)}, ${oneLine(r.programmeName)} (${oneLine(r.cohortName)}): ` +
                `${r.outstanding} review${r.outstanding === 1 ? '' : 's'}, due by ${formatUkDateTime(r.deadline)}`,
            )
            .join('\n'),
          'Complete them here:',
          oneLine(d.link),
          'If you cannot review an application fairly, declare a conflict on its page so the hub lead can give it to someone else.',
        ]),
      }
    }
    case 'decision-selected': {
      const d = message.data
      return {
        subject: `You have been offered a place: ${d.programmeName}, ${d.cohortName}`,
        text: body(d.name, [
          `${oneLine(d.hubName)} is pleased to offer you a place on the ${oneLine(d.programmeName)} ` +
            `(${oneLine(d.cohortName)}). Your application reference is ${d.reference}.`,
          ...feedbackParagraphs(d.feedback),
          `To take up the place, you and your headteacher must each accept it by ${formatUkDateTime(d.respondBy)}. ` +
            'Accept or decline the place here:',
          oneLine(d.link),
          d.headteacherName
            ? `We have emailed ${oneLine(d.headteacherName)} to ask them to confirm your school’s commitment.`
            : 'We have emailed your headteacher to ask them to confirm your school’s commitment.',
          'If the place is not accepted by then, it may be offered to someone else.',
        ]),
      }
    }
    case 'decision-reserve': {
      const d = message.data
      return {
        subject: `Your application is on the reserve list: ${d.programmeName}, ${d.cohortName}`,
        text: body(d.name, [
          `${oneLine(d.hubName)} has placed your application ${d.reference} to the ${oneLine(d.programmeName)} ` +
            `(${oneLine(d.cohortName)}) on its reserve list. Your application met the criteria, but the hub’s ` +
            'places are filled.',
          ...feedbackParagraphs(d.feedback),
          'If a place becomes free, we will email you and your headteacher to offer it to you. ' +
            'You do not need to do anything now.',
        ]),
      }
    }
    case 'decision-not-selected': {
      const d = message.data
      return {
        subject: `The decision on your application: ${d.programmeName}, ${d.cohortName}`,
        text: body(d.name, [
          `Thank you for applying to the ${oneLine(d.programmeName)} (${oneLine(d.cohortName)}). ` +
            `${oneLine(d.hubName)} has not been able to offer you a place this time (reference ${d.reference}).`,
          ...feedbackParagraphs(d.feedback),
          'You are welcome to apply to a later cohort. Your Maths Hub can tell you about other ways to take part.',
        ]),
      }
    }
    case 'decision-selected-headteacher': {
      const d = message.data
      return {
        subject: `A place has been offered to a teacher at your school: ${d.reference}`,
        text: body(d.headteacherName, [
          `${oneLine(d.hubName)} has offered ${oneLine(d.teacherName)} a place on the ${oneLine(d.programmeName)} ` +
            `(${oneLine(d.cohortName)}). You endorsed their application for ${oneLine(d.schoolName)}.`,
          `To take up the place, you and ${oneLine(d.teacherName)} must each accept it by ` +
            `${formatUkDateTime(d.respondBy)}. Accepting confirms your school’s commitment to the programme, ` +
            'including release time for the teacher. Accept or decline here:',
          oneLine(d.link),
          'This link can be used once.',
        ]),
      }
    }
    case 'decision-reserve-headteacher': {
      const d = message.data
      return {
        subject: `An application from your school is on the reserve list: ${d.reference}`,
        text: body(d.headteacherName, [
          `${oneLine(d.hubName)} has placed ${oneLine(d.teacherName)}’s application to the ` +
            `${oneLine(d.programmeName)} (${oneLine(d.cohortName)}) on its reserve list. You endorsed it for ` +
            `${oneLine(d.schoolName)}.`,
          'If a place becomes free, we will email you both to offer it. You do not need to do anything now.',
        ]),
      }
    }
    case 'decision-not-selected-headteacher': {
      const d = message.data
      return {
        subject: `The decision on an application from your school: ${d.reference}`,
        text: body(d.headteacherName, [
          `${oneLine(d.hubName)} has not been able to offer ${oneLine(d.teacherName)} a place on the ` +
            `${oneLine(d.programmeName)} (${oneLine(d.cohortName)}) this time. You endorsed their application ` +
            `for ${oneLine(d.schoolName)}.`,
          `We have told ${oneLine(d.teacherName)}.`,
        ]),
      }
    }
    case 'place-offered':
    case 'place-offered-headteacher': {
      const d = message.data
      const toHeadteacher = message.template === 'place-offered-headteacher'
      return {
        subject: toHeadteacher
          ? `A place has been offered to a teacher at your school: ${d.reference}`
          : `A place has become free for you: ${d.programmeName}, ${d.cohortName}`,
        text: body(d.name, [
          toHeadteacher
            ? `A place on the ${oneLine(d.programmeName)} (${oneLine(d.cohortName)}) has become free, and ` +
              `${oneLine(d.hubName)} now offers it to ${oneLine(d.teacherName)}, whose application was on the ` +
              `reserve list. You endorsed it for ${oneLine(d.schoolName)}.`
            : `A place on the ${oneLine(d.programmeName)} (${oneLine(d.cohortName)}) has become free, and ` +
              `${oneLine(d.hubName)} now offers it to you from its reserve list (reference ${d.reference}).`,
          `To take up the place, ${toHeadteacher ? `you and ${oneLine(d.teacherName)}` : 'you and your headteacher'} ` +
            `must each accept it by ${formatUkDateTime(d.respondBy)}. Accept or decline here:`,
          oneLine(d.link),
          ...(toHeadteacher ? ['This link can be used once.'] : []),
        ]),
      }
    }
    case 'place-confirmed': {
      const d = message.data
      return {
        subject: `Place confirmed: ${d.programmeName}, ${d.cohortName}`,
        text: body(d.name, [
          d.toHeadteacher
            ? `You and ${oneLine(d.teacherName)} have both accepted the place on the ${oneLine(d.programmeName)} ` +
              `(${oneLine(d.cohortName)}). ${oneLine(d.teacherName)} is now a Mastery Specialist in this cohort.`
            : `You and your headteacher have both accepted the place on the ${oneLine(d.programmeName)} ` +
              `(${oneLine(d.cohortName)}). You are now a Mastery Specialist in this cohort.`,
          `${oneLine(d.hubName)} will be in touch about what happens next (reference ${d.reference}).`,
        ]),
      }
    }
    case 'place-declined': {
      const d = message.data
      const who =
        d.declinedBy === 'headteacher'
          ? d.toHeadteacher
            ? 'You have declined'
            : 'Your headteacher has declined'
          : d.toHeadteacher
            ? `${oneLine(d.teacherName)} has declined`
            : 'You have declined'
      return {
        subject: `Place declined: ${d.programmeName}, ${d.cohortName}`,
        text: body(d.name, [
          `${who} the place on the ${oneLine(d.programmeName)} (${oneLine(d.cohortName)}) offered by ` +
            `${oneLine(d.hubName)} (reference ${d.reference}).`,
          ...(d.reason ? ['They said:', d.reason.replace(/\r\n?/g, '\n')] : []),
          'The place may now be offered to someone else. If this is a mistake, contact your Maths Hub.',
        ]),
      }
    }
    case 'place-lapsed': {
      const d = message.data
      return {
        subject: `The offer of a place has lapsed: ${d.reference}`,
        text: body(d.name, [
          `The place on the ${oneLine(d.programmeName)} (${oneLine(d.cohortName)}) offered by ` +
            `${oneLine(d.hubName)} ${d.toHeadteacher ? `to ${oneLine(d.teacherName)} ` : ''}was not accepted ` +
            `by both the teacher and the headteacher by ${formatUkDateTime(d.respondBy)}, so the offer has lapsed.`,
          'The place may now be offered to someone else. If you think this is a mistake, contact your Maths Hub.',
        ]),
      }
    }
  }
}
