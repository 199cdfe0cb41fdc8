// Evaluation: the emails this area sends, as plain text in the GOV.UK style. Each current Mastery
// Advocate of a group gets a single-use link to the end-of-year questionnaire.
import { SERVICE_NAME, oneLine, type RenderedEmail } from '../../email/email-text.ts'

export type EvaluationEmail = {
  template: 'evaluation-questionnaire'
  to: string
  data: { name: string; groupName: string; link: string; closesOn: string }
}

export function renderEvaluationEmail(message: EvaluationEmail): RenderedEmail {
  const d = message.data
  return {
    subject: 'Tell us about your Work Group year',
    text:
      [
        `Dear ${oneLine(d.name)},`,
        `Your year in ${oneLine(d.groupName)} is coming to an end. Please tell us how it went: it takes about 5 minutes, and you do not need an account.`,
        `Answer the questionnaire: ${d.link}`,
        `The link works once, until ${d.closesOn}. Your answers are shown to the hub and NCETM only with others’ answers, never with your name.`,
        SERVICE_NAME,
      ].join('\n\n') + '\n',
  }
}
