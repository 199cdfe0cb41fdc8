// Events: the emails this area sends, as plain text in the GOV.UK style. A booked person is told
// once when a confirmed event they are booked on moves or is cancelled.
import { formatUkDateTime } from '../../lib/uk-time.ts'
import { SERVICE_NAME, oneLine, type RenderedEmail } from '../email/email-text.ts'

interface EventDayText {
  startsAt: Date
  endsAt: Date
}

export type EventEmail =
  | {
      template: 'event-moved'
      to: string
      data: { name: string; title: string; days: EventDayText[]; venues: string[] }
    }
  | {
      template: 'event-cancelled'
      to: string
      data: { name: string; title: string; reason: string }
    }
  | {
      /** Someone cancelled, and the first on the waiting list now has their place. */
      template: 'booking-place-available'
      to: string
      data: { name: string; title: string }
    }

function dayLines(days: EventDayText[]): string[] {
  return days.map((d, i) => `Day ${i + 1}: ${formatUkDateTime(d.startsAt)} to ${formatUkDateTime(d.endsAt)}`)
}

export function renderEventEmail(message: EventEmail): RenderedEmail {
  switch (message.template) {
    case 'booking-place-available': {
      const d = message.data
      return {
        subject: 'You have a place at an event',
        text:
          [
            `Dear ${oneLine(d.name)},`,
            `A place has come up at ${oneLine(d.title)}, and it is yours: you were first on the waiting list.`,
            'It is on your programme page and in your calendar link. If you can no longer come, cancel ' +
              'your booking there, so the place can go to the next person.',
            SERVICE_NAME,
          ].join('\n\n') + '\n',
      }
    }
    case 'event-moved': {
      const d = message.data
      return {
        subject: 'An event you are booked on has moved',
        text:
          [
            `Dear ${oneLine(d.name)},`,
            `${oneLine(d.title)} has moved. It is now:`,
            dayLines(d.days).join('\n'),
            `Where: ${d.venues.map(oneLine).join(' or ')}`,
            'Your place is kept. If you have subscribed to your calendar link, your calendar will show the new times.',
            'If you can no longer come, cancel your booking on your programme page.',
            SERVICE_NAME,
          ].join('\n\n') + '\n',
      }
    }
    case 'event-cancelled': {
      const d = message.data
      return {
        subject: 'An event you are booked on has been cancelled',
        text:
          [
            `Dear ${oneLine(d.name)},`,
            `${oneLine(d.title)} has been cancelled.`,
            `The reason given: ${oneLine(d.reason)}`,
            'You do not need to do anything. Your calendar link will show it as cancelled.',
            SERVICE_NAME,
          ].join('\n\n') + '\n',
      }
    }
  }
}
