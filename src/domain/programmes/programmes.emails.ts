// Cohort opening notices: the emails this area sends, as plain text in the GOV.UK style.
import { formatUkDateTime } from '../../lib/uk-time.ts'
import { SERVICE_NAME, oneLine, type RenderedEmail } from '../email/email-text.ts'

export type ProgrammeEmail =
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

export function renderProgrammeEmail(message: ProgrammeEmail): RenderedEmail {
  switch (message.template) {
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
  }
}
