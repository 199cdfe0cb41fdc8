// The crash test's clients: teachers submitting through POST /api/v1/applications/:id/submit, spread
// round-robin over the app processes, a fixed number at a time. Each behaves as a real client: when
// its connection fails (the process died) or the server answers 5xx, it sends the same request, with
// the same Idempotency-Key, to another process that is up, a few times, and then gives up. A process
// is taken out of the rotation when a connection to it fails, and put back once /healthz answers.
import http from 'node:http'
import { healthy } from './serve-process.ts'

export type SubmissionKind = 'valid' | 'unendorsed' | 'foreign-token'

export interface PlannedSubmission {
  kind: SubmissionKind
  applicationId: number
  /** The token sent: the applicant's own, or (foreign-token) another teacher's. */
  token: string
  idempotencyKey: string
}

export interface AttemptRecord {
  target: number
  /** The HTTP status, or the connection error's code when there was no answer. */
  outcome: number | string
  at: number
}

export interface SubmissionResult {
  submission: PlannedSubmission
  /** acknowledged: answered 2xx; refused: answered 4xx; gave-up: no final answer after every attempt. */
  outcome: 'acknowledged' | 'refused' | 'gave-up'
  status: number | undefined
  /** The answer said Idempotency-Replayed: true (the first attempt's commit was found). */
  replayed: boolean
  /** Which process gave the final answer, and when (performance.now()). */
  answeredBy: number | undefined
  answeredAt: number | undefined
  attempts: AttemptRecord[]
}

export interface SurgeProgress {
  /** A request was sent to the process, or the process answered one (an answer of any status). */
  event: 'sent' | 'answered' | 'connection-failed'
  target: number
  acknowledged: number
  /** Requests under way to each process. */
  inFlight: number[]
}

export interface SurgeOptions {
  origins: string[]
  submissions: PlannedSubmission[]
  /** Requests under way at once, across every process: the size of a wave. */
  concurrency: number
  /**
   * The surge comes in waves of `concurrency` submissions sent at once, spread over at least this
   * long: wave k starts no earlier than k times the interval between waves.
   */
  minimumMs: number
  /** Attempts per submission before the client gives up. */
  attempts: number
  /** Called after every request sent and every answer: the place to kill a process. */
  onProgress?: (progress: SurgeProgress) => void
}

const REQUEST_TIMEOUT_MS = 60_000
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

type Answer = { status: number; replayed: boolean } | { error: string }

function post(agent: http.Agent, origin: string, submission: PlannedSubmission): Promise<Answer> {
  const url = new URL(`/api/v1/applications/${submission.applicationId}/submit`, origin)
  return new Promise((resolve) => {
    const request = http.request(
      url,
      {
        method: 'POST',
        agent,
        timeout: REQUEST_TIMEOUT_MS,
        headers: {
          authorization: `Bearer ${submission.token}`,
          'idempotency-key': submission.idempotencyKey,
          'content-length': 0,
        },
      },
      (response) => {
        response.resume()
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            replayed: response.headers['idempotency-replayed'] === 'true',
          }),
        )
        response.on('error', (error: NodeJS.ErrnoException) =>
          resolve({ error: error.code ?? error.message }),
        )
      },
    )
    request.on('timeout', () => request.destroy(Object.assign(new Error('timeout'), { code: 'TIMEOUT' })))
    request.on('error', (error: NodeJS.ErrnoException) => resolve({ error: error.code ?? error.message }))
    request.end()
  })
}

/** Sends every planned submission, as described above, and resolves with what each one got. */
export async function runSurge(options: SurgeOptions): Promise<SubmissionResult[]> {
  const targets = options.origins.map((origin) => ({
    origin,
    up: true,
    inFlight: 0,
    agent: new http.Agent({ keepAlive: true, maxSockets: options.concurrency }),
  }))
  let acknowledged = 0
  const progress = (event: SurgeProgress['event'], target: number) =>
    options.onProgress?.({ event, target, acknowledged, inFlight: targets.map((t) => t.inFlight) })

  // Processes taken out of the rotation are tried again every quarter of a second.
  let surging = true
  const prober = (async () => {
    while (surging) {
      await Promise.all(
        targets.map(async (target) => {
          if (!target.up && (await healthy(target.origin))) target.up = true
        }),
      )
      await sleep(250)
    }
  })()

  /** The process to use: `preferred` if it is up, else the next one up after it, else `preferred`. */
  const choose = (preferred: number) => {
    for (let step = 0; step < targets.length; step++) {
      const index = (preferred + step) % targets.length
      if (targets[index]!.up) return index
    }
    return preferred % targets.length
  }

  async function submit(index: number): Promise<SubmissionResult> {
    const submission = options.submissions[index]!
    const attempts: AttemptRecord[] = []
    let preferred = index % targets.length
    for (let attempt = 0; attempt < options.attempts; attempt++) {
      if (attempt > 0) await sleep(Math.min(250 * 2 ** (attempt - 1), 4000))
      const chosen = choose(preferred)
      const target = targets[chosen]!
      target.inFlight++
      progress('sent', chosen)
      const answer = await post(target.agent, target.origin, submission)
      target.inFlight--
      const at = performance.now()
      if ('error' in answer) {
        attempts.push({ target: chosen, outcome: answer.error, at })
        target.up = false
        preferred = chosen + 1
        progress('connection-failed', chosen)
        continue
      }
      attempts.push({ target: chosen, outcome: answer.status, at })
      if (answer.status >= 500) {
        preferred = chosen + 1
        progress('answered', chosen)
        continue
      }
      const ok = answer.status >= 200 && answer.status < 300
      if (ok) acknowledged++
      progress('answered', chosen)
      return {
        submission,
        outcome: ok ? 'acknowledged' : 'refused',
        status: answer.status,
        replayed: answer.replayed,
        answeredBy: chosen,
        answeredAt: at,
        attempts,
      }
    }
    return {
      submission,
      outcome: 'gave-up',
      status: undefined,
      replayed: false,
      answeredBy: undefined,
      answeredAt: undefined,
      attempts,
    }
  }

  const results: SubmissionResult[] = new Array<SubmissionResult>(options.submissions.length)
  const started = performance.now()
  const waves = Math.ceil(options.submissions.length / options.concurrency)
  const waveInterval = options.minimumMs / waves
  let next = 0
  const client = async () => {
    for (;;) {
      const index = next++
      if (index >= options.submissions.length) return
      const due = started + Math.floor(index / options.concurrency) * waveInterval
      const wait = due - performance.now()
      if (wait > 0) await sleep(wait)
      results[index] = await submit(index)
    }
  }
  try {
    await Promise.all(Array.from({ length: options.concurrency }, client))
  } finally {
    surging = false
    await prober
    for (const target of targets) target.agent.destroy()
  }
  return results
}
