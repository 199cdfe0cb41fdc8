// Sending one email. The outbox worker depends on the Mailer interface; SMTP through Nodemailer
// is the one implementation, and tests point it at a real SMTP server of their own.
import nodemailer from 'nodemailer'

export interface OutgoingMail {
  to: string
  subject: string
  text: string
  /** The Message-ID header, angle brackets included; the same on every attempt. */
  messageId: string
}

export interface Mailer {
  /** Resolves once the SMTP server has accepted the message; rejects if it did not. */
  send(mail: OutgoingMail): Promise<void>
}

export interface SmtpSettings {
  host: string
  port: number
  /** TLS from the start (usually port 465). Otherwise STARTTLS is used when the server offers it. */
  secure: boolean
  user?: string | undefined
  password?: string | undefined
  /** The From address, for example 'Maths Hubs <no-reply@example.org>'. */
  from: string
}

// Short enough that one message finishes well within the outbox worker's lease.
const CONNECTION_TIMEOUT_MS = 10_000
const GREETING_TIMEOUT_MS = 10_000
const SOCKET_TIMEOUT_MS = 20_000

export function createSmtpMailer(settings: SmtpSettings): Mailer & { close(): void } {
  const transport = nodemailer.createTransport({
    host: settings.host,
    port: settings.port,
    secure: settings.secure,
    auth: settings.user ? { user: settings.user, pass: settings.password ?? '' } : undefined,
    pool: false,
    connectionTimeout: CONNECTION_TIMEOUT_MS,
    greetingTimeout: GREETING_TIMEOUT_MS,
    socketTimeout: SOCKET_TIMEOUT_MS,
    disableFileAccess: true,
    disableUrlAccess: true,
  })
  return {
    async send(mail) {
      await transport.sendMail({
        from: settings.from,
        to: mail.to,
        subject: mail.subject,
        text: mail.text,
        messageId: mail.messageId,
        // Automatic replies (out of office and the like) should not answer a service email.
        headers: { 'Auto-Submitted': 'auto-generated' },
      })
    },
    close() {
      transport.close()
    },
  }
}
