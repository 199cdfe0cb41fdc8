// A real SMTP server for tests, on 127.0.0.1 at a free port. It keeps each message it accepts,
// named by its Message-ID header. A message counts as received only once the server has said
// 250 to it: if the connection drops first, the client never learnt of its delivery.
import type { AddressInfo } from 'node:net'
import { SMTPServer } from 'smtp-server'

export interface ReceivedMail {
  messageId: string
  from: string | undefined
  to: string[]
  /** The whole message as sent: headers, a blank line, the body. */
  raw: string
}

export interface HeldMail {
  messageId: string
  /** Drop the connection's message instead of accepting it (as if the client had gone). */
  drop(): void
}

export interface SmtpSinkOptions {
  /** How long the server holds each message before saying 250. */
  acceptDelayMs?: number
  /** Called while a message is held, before the server accepts it. */
  onHeld?: (held: HeldMail) => void
}

export interface SmtpSink {
  port: number
  received: ReceivedMail[]
  /** While set, every recipient is refused with this reply. */
  rejectRecipients: { code: number; message: (address: string) => string } | undefined
  /** How many times each Message-ID was received. */
  receivedCounts(): Map<string, number>
  close(): Promise<void>
}

function messageIdOf(raw: string): string {
  const headers = raw.split(/\r?\n\r?\n/, 1)[0] ?? ''
  const match = /^Message-ID:\s*(<[^>\r\n]+>)/im.exec(headers)
  return match?.[1] ?? ''
}

export async function startSmtpSink(options: SmtpSinkOptions = {}): Promise<SmtpSink> {
  const closedSessions = new Set<string>()
  const sink: SmtpSink = {
    port: 0,
    received: [],
    rejectRecipients: undefined,
    receivedCounts() {
      const counts = new Map<string, number>()
      for (const mail of sink.received) counts.set(mail.messageId, (counts.get(mail.messageId) ?? 0) + 1)
      return counts
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    closeTimeout: 1000,
    onRcptTo(address, _session, callback) {
      const reject = sink.rejectRecipients
      if (!reject) return callback()
      callback(Object.assign(new Error(reject.message(address.address)), { responseCode: reject.code }))
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = []
      stream.on('data', (chunk: Buffer) => chunks.push(chunk))
      stream.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8')
        const messageId = messageIdOf(raw)
        let dropped = false
        options.onHeld?.({ messageId, drop: () => (dropped = true) })
        setTimeout(() => {
          if (dropped || closedSessions.has(session.id)) {
            callback(Object.assign(new Error('Connection dropped'), { responseCode: 421 }))
            return
          }
          const from = session.envelope.mailFrom ? session.envelope.mailFrom.address : undefined
          sink.received.push({ messageId, from, to: session.envelope.rcptTo.map((r) => r.address), raw })
          callback()
        }, options.acceptDelayMs ?? 0)
      })
    },
    onClose(session) {
      closedSessions.add(session.id)
    },
  })
  // A client killed mid-conversation leaves a broken socket behind; that is expected here.
  server.on('error', () => {})
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()))
  sink.port = (server.server.address() as AddressInfo).port
  return sink
}
