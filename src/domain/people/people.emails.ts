// Sign-in and roles: the emails this area sends, as plain text in the GOV.UK style.
import { formatUkDateTime } from '../../lib/uk-time.ts'
import { SERVICE_NAME, oneLine, body, type RenderedEmail } from '../email/email-text.ts'

export type PeopleEmail =
  | { template: 'sign-in-link'; to: string; data: { name: string; link: string; expiresAt: Date } }
  | {
      template: 'role-granted'
      to: string
      data: { name: string; roleName: string; scope: string; signInUrl: string }
    }
  | { template: 'role-revoked'; to: string; data: { name: string; roleName: string; scope: string } }
  | { template: 'api-token-created'; to: string; data: { name: string; tokenName: string } }

export function renderPeopleEmail(message: PeopleEmail): RenderedEmail {
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
