// Participants: the emails this area sends, as plain text in the GOV.UK style. A specialist is
// told when the evidence they handed in for a task is accepted, or returned with feedback.
import { SERVICE_NAME, oneLine, type RenderedEmail } from '../email/email-text.ts'

export type ParticipantsEmail =
  | {
      template: 'task-returned'
      to: string
      data: { name: string; title: string; feedback: string }
    }
  | {
      template: 'task-accepted'
      to: string
      data: { name: string; title: string; feedback: string | null }
    }

export function renderParticipantsEmail(message: ParticipantsEmail): RenderedEmail {
  switch (message.template) {
    case 'task-returned': {
      const d = message.data
      return {
        subject: 'Your task has been returned with feedback',
        text:
          [
            `Dear ${oneLine(d.name)},`,
            `The evidence you handed in for ${oneLine(d.title)} has been returned.`,
            `The feedback:\n\n${d.feedback}`,
            'Make the changes and hand it in again from your programme page.',
            SERVICE_NAME,
          ].join('\n\n') + '\n',
      }
    }
    case 'task-accepted': {
      const d = message.data
      return {
        subject: 'Your task has been accepted',
        text:
          [
            `Dear ${oneLine(d.name)},`,
            `The evidence you handed in for ${oneLine(d.title)} has been accepted. You do not need to do anything else for this task.`,
            ...(d.feedback ? [`The feedback:\n\n${d.feedback}`] : []),
            SERVICE_NAME,
          ].join('\n\n') + '\n',
      }
    }
  }
}
