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
      template: 'cohort-open'
      to: string
      data: { programmeName: string; cohortName: string; link: string; closesAt: Date }
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
