// The emails the service sends, as plain text in the GOV.UK style: short, plain English, no HTML.
// Subjects never contain what a person typed, so nothing from a form reaches a mail header.
import { formatUkDateTime } from '../../lib/uk-time.ts'

export const SERVICE_NAME = 'Maths Hubs: Teaching for Mastery'

export type EmailMessage =
  | { template: 'sign-in-link'; to: string; data: { name: string; link: string; expiresAt: Date } }
  | {
      template: 'role-granted'
      to: string
      data: { name: string; roleName: string; scope: string; signInUrl: string }
    }
  | { template: 'role-revoked'; to: string; data: { name: string; roleName: string; scope: string } }
  | { template: 'api-token-created'; to: string; data: { name: string; tokenName: string } }
  | {
      template: 'endorsement-request' | 'endorsement-reminder'
      to: string
      data: {
        headteacherName: string
        teacherName: string
        schoolName: string
        programmeName: string
        cohortName: string
        link: string
        expiresAt: Date
        closesAt: Date
      }
    }
  | {
      template: 'endorsement-confirmed'
      to: string
      data: { name: string; headteacherName: string; programmeName: string; link: string; closesAt: Date }
    }
  | {
      template: 'endorsement-declined'
      to: string
      data: { name: string; headteacherName: string; programmeName: string; reason: string; link: string }
    }
  | {
      template: 'application-submitted'
      to: string
      data: {
        name: string
        reference: string
        programmeName: string
        cohortName: string
        submittedAt: Date
        hubName: string | null
        decisionsReleasedOn: string
        link: string
      }
    }
  | {
      template: 'application-submitted-headteacher'
      to: string
      data: {
        headteacherName: string
        teacherName: string
        reference: string
        programmeName: string
        cohortName: string
        schoolName: string
      }
    }
  | {
      template: 'application-withdrawn'
      to: string
      data: { name: string; reference: string; programmeName: string; cohortName: string }
    }
  | {
      /** "Tell me when it opens": the link that confirms the address is wanted. */
      template: 'cohort-interest-confirm'
      to: string
      data: { programmeName: string; cohortName: string; link: string; expiresAt: Date }
    }
  | {
      template: 'cohort-open'
      to: string
      data: { programmeName: string; cohortName: string; link: string; closesAt: Date }
    }
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

/** What every email about a decision names. */
export interface DecisionEmail {
  reference: string
  programmeName: string
  cohortName: string
  hubName: string
}

export type EmailTemplate = EmailMessage['template']

export interface RenderedEmail {
  subject: string
  text: string
}

/** A value on one line: line breaks and other control characters become spaces. */
function oneLine(value: string): string {
  // eslint-disable-next-line no-control-regex
  return value.replace(/[\u0000-\u001f\u007f\u2028\u2029]+/g, ' ').trim()
}

function body(name: string, paragraphs: string[]): string {
  return [`Dear ${oneLine(name)},`, ...paragraphs, SERVICE_NAME].join('\n\n') + '\n'
}

/** The hub's feedback, where it chose to share it, as the teacher wrote to read it. */
function feedbackParagraphs(feedback: string | null): string[] {
  return feedback ? ['Feedback from the hub:', feedback.replace(/\r\n?/g, '\n')] : []
}

export function renderEmail(message: EmailMessage): RenderedEmail {
  switch (message.template) {
    case 'sign-in-link': {
      const { name, link, expiresAt } = message.data
      return {
        subject: `Your sign-in link for ${SERVICE_NAME}`,
        text: body(name, [
          `Use this link to sign in to ${SERVICE_NAME}:`,
          oneLine(link),
          `This link expires at ${formatUkDateTime(expiresAt)} and can be used once.`,
          'If you did not ask to sign in, you can ignore this email.',
        ]),
      }
    }
    case 'role-granted': {
      const { name, roleName, scope, signInUrl } = message.data
      return {
        subject: `You have been given access to ${SERVICE_NAME}`,
        text: body(name, [
          `You have been given the ${oneLine(roleName)} role for ${oneLine(scope)}.`,
          `Sign in to start using the service:`,
          oneLine(signInUrl),
          'If you think this is a mistake, contact your Maths Hub.',
        ]),
      }
    }
    case 'role-revoked': {
      const { name, roleName, scope } = message.data
      return {
        subject: `Your access to ${SERVICE_NAME} has changed`,
        text: body(name, [
          `Your ${oneLine(roleName)} role for ${oneLine(scope)} has been removed.`,
          'You can no longer use the service in this role. Any other roles you have are not affected.',
          'If you think this is a mistake, contact your Maths Hub.',
        ]),
      }
    }
    case 'endorsement-request':
    case 'endorsement-reminder': {
      const d = message.data
      const reminder = message.template === 'endorsement-reminder'
      return {
        subject: reminder
          ? `Reminder: please endorse an application to the ${d.programmeName}`
          : `Please endorse an application to the ${d.programmeName}`,
        text: body(d.headteacherName, [
          ...(reminder ? ['We emailed you about this application 5 working days ago.'] : []),
          `${oneLine(d.teacherName)} has applied to the ${oneLine(d.programmeName)} (${oneLine(d.cohortName)}) ` +
            `and has named you as the headteacher of ${oneLine(d.schoolName)}.`,
          'The application can only be submitted once you have endorsed it. Endorsing means your school commits ' +
            'to what the programme asks, including release time for the teacher and support for teaching for ' +
            'mastery across the school.',
          'Read the commitments and confirm or decline here:',
          oneLine(d.link),
          `This link can be used once and expires at ${formatUkDateTime(d.expiresAt)}. ` +
            `Applications close at ${formatUkDateTime(d.closesAt)}.`,
          'If you are not the headteacher of this school, you can ignore this email.',
        ]),
      }
    }
    case 'endorsement-confirmed': {
      const d = message.data
      return {
        subject: `Your headteacher has endorsed your application to the ${d.programmeName}`,
        text: body(d.name, [
          `${oneLine(d.headteacherName)} has endorsed your application.`,
          `You can now submit it. Applications close at ${formatUkDateTime(d.closesAt)}.`,
          oneLine(d.link),
        ]),
      }
    }
    case 'endorsement-declined': {
      const d = message.data
      return {
        subject: `Your headteacher has declined to endorse your application to the ${d.programmeName}`,
        text: body(d.name, [
          `${oneLine(d.headteacherName)} has declined to endorse your application. They said:`,
          d.reason.replace(/\r\n?/g, '\n'),
          'You can talk to your headteacher and ask them again, or name a different headteacher:',
          oneLine(d.link),
        ]),
      }
    }
    case 'application-submitted': {
      const d = message.data
      return {
        subject: `Application received: ${d.reference}`,
        text: body(d.name, [
          `We have received your application to the ${oneLine(d.programmeName)} (${oneLine(d.cohortName)}) ` +
            `at ${formatUkDateTime(d.submittedAt)}.`,
          `Your reference is ${d.reference}.`,
          d.hubName
            ? `${oneLine(d.hubName)} will assess it. Decisions are released on ${d.decisionsReleasedOn}.`
            : `No Maths Hub serves your school yet, so the NCETM will pass your application to a hub. ` +
              `Decisions are released on ${d.decisionsReleasedOn}.`,
          'You can see your application, or withdraw it before decisions are released, here:',
          oneLine(d.link),
        ]),
      }
    }
    case 'application-submitted-headteacher': {
      const d = message.data
      return {
        subject: `Application submitted: ${d.reference}`,
        text: body(d.headteacherName, [
          `${oneLine(d.teacherName)} has submitted their application to the ${oneLine(d.programmeName)} ` +
            `(${oneLine(d.cohortName)}), which you endorsed for ${oneLine(d.schoolName)}.`,
          `The reference is ${d.reference}. We will tell you both when decisions are released.`,
        ]),
      }
    }
    case 'application-withdrawn': {
      const d = message.data
      return {
        subject: `Application withdrawn: ${d.reference}`,
        text: body(d.name, [
          `Your application ${d.reference} to the ${oneLine(d.programmeName)} (${oneLine(d.cohortName)}) ` +
            'has been withdrawn.',
          'If you did not mean to withdraw it, contact your Maths Hub.',
        ]),
      }
    }
    case 'cohort-interest-confirm': {
      const d = message.data
      return {
        subject: `Confirm you want to hear when applications open: ${d.programmeName}, ${d.cohortName}`,
        text:
          [
            'Hello,',
            `Someone asked us to email this address when applications to the ${oneLine(d.programmeName)} ` +
              `(${oneLine(d.cohortName)}) open.`,
            'If it was you, confirm it here:',
            oneLine(d.link),
            `The link works once, until ${formatUkDateTime(d.expiresAt)}.`,
            'If you did not ask, ignore this email: we will not write to you again about it, and we ' +
              'will delete your address.',
            SERVICE_NAME,
          ].join('\n\n') + '\n',
      }
    }
    case 'cohort-open': {
      const d = message.data
      return {
        subject: `Applications are open: ${d.programmeName}, ${d.cohortName}`,
        text:
          [
            'Hello,',
            `Applications to the ${oneLine(d.programmeName)} (${oneLine(d.cohortName)}) are now open. ` +
              'You asked us to tell you.',
            'Read about the cohort and apply here:',
            oneLine(d.link),
            `Applications close at ${formatUkDateTime(d.closesAt)}.`,
            'We will not email you about this cohort again.',
            SERVICE_NAME,
          ].join('\n\n') + '\n',
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
    case 'api-token-created': {
      const { name, tokenName } = message.data
      return {
        subject: `A new API token was created for your ${SERVICE_NAME} account`,
        text: body(name, [
          `An API token called "${oneLine(tokenName)}" was created for your account.`,
          'If you did not create it, sign in and revoke it now, then contact your Maths Hub.',
        ]),
      }
    }
  }
}
