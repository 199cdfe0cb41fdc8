// A real `masteryhub serve` in a child process of its own, for the crash test: started on a fixed
// port, killed with SIGKILL mid-surge, and started again on the same port and database.
import { spawn, type ChildProcess } from 'node:child_process'
import http from 'node:http'
import net from 'node:net'
import { fileURLToPath } from 'node:url'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))
const BIN = fileURLToPath(new URL('../../bin/masteryhub.js', import.meta.url))
const OUTPUT_KEPT = 20_000

export interface ServeProcess {
  name: string
  port: number
  origin: string
  /** The running child's pid, if one is running. */
  pid(): number | undefined
  /** Starts the process and resolves once /healthz answers 200, with the milliseconds it took. */
  start(): Promise<number>
  /** SIGKILL, resolving once the process has gone (and been reaped, so its pid is dead). */
  kill(): Promise<void>
  /** SIGTERM (the service's own shutdown), then SIGKILL if it has not gone in 30 seconds. */
  stop(): Promise<void>
  /** The last of what the process wrote, for a failure's explanation. */
  output(): string
}

/** A port free now on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as net.AddressInfo).port
      server.close(() => resolve(port))
    })
  })
}

/** GET /healthz: true on 200, false on anything else or no answer within a second. */
export function healthy(origin: string): Promise<boolean> {
  return new Promise((resolve) => {
    const request = http.get(`${origin}/healthz`, { timeout: 1000, agent: false }, (response) => {
      response.resume()
      resolve(response.statusCode === 200)
    })
    request.on('timeout', () => request.destroy())
    request.on('error', () => resolve(false))
  })
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

export function serveProcess(options: {
  name: string
  port: number
  env: Record<string, string>
  /** How long to wait for /healthz after starting. */
  readyTimeoutMs?: number
}): ServeProcess {
  const origin = `http://127.0.0.1:${options.port}`
  let child: ChildProcess | undefined
  let exited: Promise<void> = Promise.resolve()
  let output = ''
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-OUTPUT_KEPT)
  }

  const running = () => child !== undefined && child.exitCode === null && child.signalCode === null

  async function start(): Promise<number> {
    if (running()) throw new Error(`${options.name} is already running`)
    const started = performance.now()
    const spawned = spawn(process.execPath, [BIN, 'serve', '--port', String(options.port)], {
      cwd: ROOT,
      env: { ...process.env, ...options.env, PORT: String(options.port), HOST: '127.0.0.1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    child = spawned
    spawned.stdout?.on('data', keep)
    spawned.stderr?.on('data', keep)
    exited = new Promise((resolve) => spawned.once('exit', () => resolve()))
    const deadline = started + (options.readyTimeoutMs ?? 90_000)
    while (performance.now() < deadline) {
      if (spawned.exitCode !== null || spawned.signalCode !== null) {
        throw new Error(
          `${options.name} stopped while starting (exit ${spawned.exitCode ?? spawned.signalCode}):\n${output}`,
        )
      }
      if (await healthy(origin)) return performance.now() - started
      await sleep(100)
    }
    throw new Error(
      `${options.name} did not answer /healthz within ${options.readyTimeoutMs ?? 90_000} ms:\n${output}`,
    )
  }

  async function kill(): Promise<void> {
    if (running()) child!.kill('SIGKILL')
    await exited
  }

  async function stop(): Promise<void> {
    if (!running()) return
    child!.kill('SIGTERM')
    const gone = await Promise.race([exited.then(() => true), sleep(30_000).then(() => false)])
    if (!gone) await kill()
  }

  return {
    name: options.name,
    port: options.port,
    origin,
    pid: () => (running() ? child!.pid : undefined),
    start,
    kill,
    stop,
    output: () => output,
  }
}
