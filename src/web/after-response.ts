// Work a page's answer must not wait for. It starts once the answer has been sent, so how long it
// takes cannot be read from the answer: asking for a sign-in link answers as soon as the rate
// limits are counted, and only then looks up the address and, for a known one, makes and emails
// the link (see docs/adr/0013-csrf-for-anonymous-forms.md). Closing the app waits for it.
import type { FastifyInstance, FastifyReply } from 'fastify'

declare module 'fastify' {
  interface FastifyReply {
    /** Runs the work after this reply has been sent; a failure is logged without its details. */
    afterResponse(work: () => Promise<void>): void
  }
  interface FastifyInstance {
    workAfterResponse: {
      /** Resolves once all work handed over so far has finished. */
      settled(): Promise<void>
    }
  }
}

export function registerWorkAfterResponse(app: FastifyInstance): void {
  const running = new Set<Promise<void>>()
  const settled = async () => {
    while (running.size > 0) await Promise.allSettled([...running])
  }
  app.decorate('workAfterResponse', { settled })

  app.decorateReply('afterResponse', function (this: FastifyReply, work: () => Promise<void>) {
    const log = this.request.log
    const done = new Promise<void>((resolve) => {
      // 'close' comes once the answer is sent (or the client has gone); the work runs either way.
      this.raw.once('close', () =>
        setImmediate(() => {
          work()
            .catch((error: unknown) => {
              const code =
                error && typeof error === 'object' && 'code' in error ? String(error.code) : undefined
              log.error(
                { errorName: error instanceof Error ? error.name : 'unknown', code },
                'work after the answer failed',
              )
            })
            .finally(resolve)
        }),
      )
    }).finally(() => running.delete(done))
    running.add(done)
  })

  app.addHook('onClose', async () => {
    await settled()
  })
}
