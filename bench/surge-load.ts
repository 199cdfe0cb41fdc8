// The load generator for the deadline surge: autocannon in a worker thread, so the requests are made
// and their replies parsed off the event loop of the server being measured. Every request in the
// plan is sent exactly once, in order, over a fixed number of keep-alive connections; each reply is
// kept beside the request it answers.
import type { EventEmitter } from 'node:events'
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads'
import autocannon from 'autocannon'

export interface PlannedRequest {
  path: string
  headers: Record<string, string>
}

export interface SurgeLoad {
  /** http://127.0.0.1:port */
  origin: string
  connections: number
  method: 'POST'
  requests: PlannedRequest[]
  /** Seconds autocannon waits for a reply before giving up on it. */
  timeoutSeconds: number
}

export interface SurgeReply {
  status: number
  /** The reply said Idempotency-Replayed: true. */
  replayed: boolean
  /** From writing the request to the end of the reply. */
  ms: number
}

export interface SurgeLoadResult {
  /** One per planned request, in plan order; null where no reply came (a timeout or a dropped connection). */
  replies: (SurgeReply | null)[]
  /** From starting autocannon (which opens the connections and sends at once) to the last reply. */
  wallMs: number
  /** Connection errors and timeouts, as autocannon counts them. */
  errors: number
  timeouts: number
}

interface WorkerInput {
  surgeLoad: SurgeLoad
}

/** Runs the plan with autocannon in a worker thread and resolves with every reply. */
export function fireSurge(load: SurgeLoad): Promise<SurgeLoadResult> {
  if (load.requests.length < load.connections) {
    throw new Error(
      `the plan has ${load.requests.length} requests, fewer than ${load.connections} connections`,
    )
  }
  // The worker loads this same file through tsx, which a worker thread does not inherit.
  const tsx = import.meta.resolve('tsx/esm/api')
  const self = import.meta.url
  const boot = `import(${JSON.stringify(tsx)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(self)}) })`
  const input: WorkerInput = { surgeLoad: load }
  return new Promise((resolve, reject) => {
    const worker = new Worker(boot, { eval: true, workerData: input })
    let settled = false
    worker.once('message', (result: SurgeLoadResult) => {
      settled = true
      resolve(result)
      void worker.terminate()
    })
    worker.once('error', (error) => {
      settled = true
      reject(error)
    })
    worker.once('exit', (code) => {
      if (!settled) reject(new Error(`the load generator stopped (exit code ${code}) without a result`))
    })
  })
}

function headerValue(headers: Record<string, unknown>, name: string): string | undefined {
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() === name) return Array.isArray(value) ? String(value[0]) : String(value)
  }
  return undefined
}

/** Inside the worker: send every planned request once, in order, and keep each reply. */
function run(load: SurgeLoad): Promise<SurgeLoadResult> {
  const replies: (SurgeReply | null)[] = new Array<SurgeReply | null>(load.requests.length).fill(null)
  // autocannon gives each connection a fresh context for every request; the index of the planned
  // request rides in it, so the reply (one at a time per connection, no pipelining) finds its request.
  type Context = { index?: number }
  let next = 0
  let answered: { index: number; status: number; replayed: boolean } | undefined
  let lastReplyAt = 0
  const start = performance.now()
  return new Promise((resolve, reject) => {
    const tracker = autocannon(
      {
        url: load.origin,
        connections: load.connections,
        pipelining: 1,
        amount: load.requests.length,
        timeout: load.timeoutSeconds,
        requests: [
          {
            method: load.method,
            setupRequest: (request, context) => {
              const index = next++
              const planned = load.requests[index]
              if (!planned)
                throw new Error(`autocannon asked for request ${index + 1} of ${load.requests.length}`)
              ;(context as Context).index = index
              return { ...request, method: load.method, path: planned.path, headers: planned.headers }
            },
            onResponse: (status, _body, context, headers) => {
              const index = (context as Context).index
              if (index === undefined) return
              const replayed = headerValue(headers ?? {}, 'idempotency-replayed') === 'true'
              answered = { index, status, replayed }
            },
          },
        ],
      },
      (error, result) => {
        if (error) {
          reject(error instanceof Error ? error : new Error(String(error)))
          return
        }
        resolve({
          replies,
          wallMs: lastReplyAt - start,
          errors: result.errors,
          timeouts: result.timeouts,
        })
      },
    )
    // The tracker's per-reply event (not in autocannon's types) comes straight after onResponse.
    ;(tracker as EventEmitter).on(
      'response',
      (_client: unknown, status: number, _bytes: number, ms: number) => {
        lastReplyAt = performance.now()
        if (!answered) return
        replies[answered.index] = { status, replayed: answered.replayed, ms }
        answered = undefined
      },
    )
  })
}

if (!isMainThread && (workerData as Partial<WorkerInput> | null)?.surgeLoad) {
  const load = (workerData as WorkerInput).surgeLoad
  // A failure is an unhandled rejection here, which ends the worker with an 'error' for fireSurge.
  void run(load).then((result) => parentPort!.postMessage(result))
}
