// Schools in Work Groups: the emails this area sends, as plain text in the GOV.UK style. A school's
// head of maths and senior leader are asked to support its interest by a single-use link; the
// school contact who registered it hears each answer and the hub's decision.
import { formatUkDateTime } from '../../../lib/uk-time.ts'
import { body, oneLine, type RenderedEmail } from '../../email/email-text.ts'

export type WorkGroupSchoolsEmail =
  | {
      template: 'work-group-support-request'
      to: string
      data: {
        name: string
        roleName: string
        schoolName: string
        hubName: string
        programmeName: string
        academicYear: string
        link: string
        expiresAt: Date
      }
    }
  | {
      template: 'work-group-support-answered'
      to: string
      data: {
        name: string
        supporterName: string
        roleName: string
        supported: boolean
        programmeName: string
        academicYear: string
        link: string
      }
    }
  | {
      template: 'work-group-decision'
      to: string
      data: {
        name: string
        schoolName: string
        programmeName: string
        academicYear: string
        decision: 'accept' | 'wait' | 'decline'
        groupName: string | null
        waitingPosition: number | null
        link: string
      }
    }

export function renderWorkGroupSchoolsEmail(message: WorkGroupSchoolsEmail): RenderedEmail {
  switch (message.template) {
    case 'work-group-support-request': {
      const d = message.data
      return {
        subject: 'Your support is asked for a Work Group',
        text: body(d.name, [
          `${oneLine(d.schoolName)} has registered interest in the ${oneLine(d.programmeName)} Work Group ` +
            `with ${oneLine(d.hubName)} for ${d.academicYear}. You are named as the school’s ` +
            `${d.roleName.toLowerCase()}.`,
          'Two teachers from the school, its Mastery Advocates, would meet with teachers from other local ' +
            'schools and take teaching for mastery back into the school.',
          `Say whether you support the school taking part:\n${d.link}`,
          `The link works once, until ${formatUkDateTime(d.expiresAt)}.`,
        ]),
      }
    }
    case 'work-group-support-answered': {
      const d = message.data
      return {
        subject: d.supported
          ? 'Support confirmed for your Work Group interest'
          : 'Support not given for your Work Group interest',
        text: body(d.name, [
          `${oneLine(d.supporterName)} (${d.roleName.toLowerCase()}) has answered: ` +
            `${d.supported ? 'they support' : 'they do not support'} the school taking part in the ` +
            `${oneLine(d.programmeName)} Work Group in ${d.academicYear}.`,
          d.supported
            ? 'When both leaders support it, the hub can offer the school a place.'
            : 'The hub can see this answer. You can ask them again, or ask someone else, from your school’s page.',
          `See where your school stands:\n${d.link}`,
        ]),
      }
    }
    case 'work-group-decision': {
      const d = message.data
      const outcome =
        d.decision === 'accept'
          ? `The hub has accepted ${oneLine(d.schoolName)} into ${oneLine(d.groupName ?? 'a group')} for the ` +
            `${oneLine(d.programmeName)} Work Group in ${d.academicYear}.`
          : d.decision === 'wait'
            ? `The hub has put ${oneLine(d.schoolName)} on the waiting list for the ${oneLine(d.programmeName)} ` +
              `Work Group in ${d.academicYear}, at number ${d.waitingPosition ?? ''}. You will hear if a place comes up.`
            : `The hub cannot offer ${oneLine(d.schoolName)} a place in the ${oneLine(d.programmeName)} Work Group ` +
              `in ${d.academicYear}.`
      return {
        subject:
          d.decision === 'accept'
            ? 'Your school has a place in a Work Group'
            : d.decision === 'wait'
              ? 'Your school is on a Work Group waiting list'
              : 'Your school’s Work Group interest',
        text: body(d.name, [outcome, `See where your school stands:\n${d.link}`]),
      }
    }
  }
}
