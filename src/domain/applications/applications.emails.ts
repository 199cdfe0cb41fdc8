// Applications and endorsement: the emails this area sends, as plain text in the GOV.UK style.
import { formatUkDateTime } from '../../lib/uk-time.ts'
import { oneLine, body, type RenderedEmail } from '../email/email-text.ts'

export type ApplicationEmail =
  | {
      /** "Ask again": the hub asks a headteacher it has checked to confirm a submitted application. */
      template: 'headteacher-confirmation'
      to: string
      data: {
        headteacherName: string
        teacherName: string
        schoolName: string
        hubName: string
        programmeName: string
        cohortName: string
        link: string
        expiresAt: Date
      }
    }
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
      /** The NCETM has passed the teacher's application to a hub (their school had none). */
      template: 'application-routed'
      to: string
      data: {
        name: string
        reference: string
        programmeName: string
        cohortName: string
        hubName: string
        schoolName: string
        link: string
      }
    }
  | {
      /** To each lead of the hub the NCETM has passed an application to. */
      template: 'application-routed-hub'
      to: string
      data: {
        name: string
        teacherName: string
        reference: string
        programmeName: string
        cohortName: string
        hubName: string
        schoolName: string
        link: string
      }
    }

export function renderApplicationEmail(message: ApplicationEmail): RenderedEmail {
  switch (message.template) {
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
    case 'headteacher-confirmation': {
      const d = message.data
      return {
        subject: `Please confirm an application to the ${d.programmeName}`,
        text: body(d.headteacherName, [
          `${oneLine(d.teacherName)} has applied to the ${oneLine(d.programmeName)} (${oneLine(d.cohortName)}) ` +
            `from ${oneLine(d.schoolName)}, with the endorsement of a headteacher whom ${oneLine(d.hubName)} ` +
            'could not check. The hub has asked you, as the school’s headteacher, to confirm it.',
          'Read the application and say whether your school endorses it here:',
          oneLine(d.link),
          `This link can be used once and expires at ${formatUkDateTime(d.expiresAt)}.`,
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
    case 'application-routed': {
      const d = message.data
      return {
        subject: `Your application has been passed to a Maths Hub: ${d.reference}`,
        text: body(d.name, [
          `No Maths Hub was recorded for ${oneLine(d.schoolName)} when you applied to the ` +
            `${oneLine(d.programmeName)} (${oneLine(d.cohortName)}), so the NCETM has passed your application ` +
            `${d.reference} to ${oneLine(d.hubName)}.`,
          `${oneLine(d.hubName)} will assess it. You do not need to do anything.`,
          oneLine(d.link),
        ]),
      }
    }
    case 'application-routed-hub': {
      const d = message.data
      return {
        subject: `An application has been passed to your hub: ${d.reference}`,
        text: body(d.name, [
          `The NCETM has passed ${oneLine(d.teacherName)}’s application ${d.reference} to the ` +
            `${oneLine(d.programmeName)} (${oneLine(d.cohortName)}) to ${oneLine(d.hubName)}. ` +
            `No Maths Hub was recorded for ${oneLine(d.schoolName)}.`,
          'It is now in your hub’s applications:',
          oneLine(d.link),
        ]),
      }
    }
  }
}
