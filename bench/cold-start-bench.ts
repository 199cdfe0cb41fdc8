// Figure 3: cold start of `masteryhub demo` until the first page answers, beside a bare Node
// HTTP server started the same way.
import { spawn, type ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { figure, progress, type Figure, type Measured } from './figures.ts'
import { median } from './stats.ts'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const CLI = path.join(ROOT, 'bin', 'masteryhub.js')
const START_TIMEOUT_MS = 90_000

const children = new Set<ChildProcess>()

/** Kills any child still running (also called on the way out after a failure). */
export function killChildren(): void {
  for (const child of children) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
  }
  children.clear()
}

function childEnv(): NodeJS.ProcessEnv {
  // The demo must use its own embedded database and the port it is given; the log level and
  // template cache are left at the service's own defaults.
  const omit = new Set(['DATABASE_URL', 'DATA_DIR', 'PORT', 'HOST', 'BASE_URL', 'LOG_LEVEL'])
  return Object.fromEntries(Object.entries(process.env).filter(([name]) => !omit.has(name)))
}

function waitForExit(child: ChildProcess, ms: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true)
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms)
    child.once('exit', () => {
      clearTimeout(timer)
      resolve(true)
    })
  })
}

async function stop(child: ChildProcess): Promise<void> {
  child.kill('SIGTERM')
  if (!(await waitForExit(child, 10_000))) {
    child.kill('SIGKILL')
    await waitForExit(child, 5_000)
  }
  children.delete(child)
}

/**
 * Spawns the command, waits for a line with the listening port, then GETs / until it answers 200.
 * Returns the milliseconds from spawn to that first 200, and stops the child.
 */
async function timeToFirstResponse(args: string[], portPattern: RegExp): Promise<number> {
  const start = performance.now()
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: childEnv(),
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  children.add(child)
  try {
    let output = ''
    const port = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`no listening line within ${START_TIMEOUT_MS / 1000} s`)),
        START_TIMEOUT_MS,
      )
      const onData = (chunk: Buffer) => {
        output += chunk.toString('utf8')
        const match = portPattern.exec(output)
        if (match?.[1]) {
          clearTimeout(timer)
          resolve(Number(match[1]))
        }
      }
      child.stdout?.on('data', onData)
      child.stderr?.on('data', (chunk: Buffer) => {
        output += chunk.toString('utf8')
      })
      child.once('exit', (code) => {
        clearTimeout(timer)
        reject(new Error(`exited with code ${code} before listening: ${output.slice(-500)}`))
      })
    })
    for (;;) {
      try {
        const response = await fetch(`http://127.0.0.1:${port}/`)
        await response.arrayBuffer()
        if (response.status === 200) return performance.now() - start
      } catch {
        // Not answering yet.
      }
      if (performance.now() - start > START_TIMEOUT_MS) throw new Error('no 200 from / in time')
      await new Promise((resolve) => setTimeout(resolve, 5))
    }
  } finally {
    await stop(child)
  }
}

const RUNNING_AT = /running at http:\/\/localhost:(\d+)/
const BARE_SERVER =
  "require('http').createServer((q,s)=>s.end('ok')).listen(0,'127.0.0.1',function(){console.log('listening on port '+this.address().port)})"

export interface ColdStartOptions {
  /** Fresh data folders to start on (each followed by warm starts on the same folder). */
  freshRuns: number
  warmRunsPerFolder: number
  baselineRuns: number
}

export async function benchColdStart(options: ColdStartOptions): Promise<Figure[]> {
  const fresh: number[] = []
  const warm: number[] = []
  const baseline: number[] = []
  const timeBaseline = async () => {
    baseline.push(await timeToFirstResponse(['-e', BARE_SERVER], /listening on port (\d+)/))
  }
  // One unmeasured baseline start first, so every measured start finds the same file-system cache.
  await timeToFirstResponse(['-e', BARE_SERVER], /listening on port (\d+)/)
  for (let run = 1; run <= options.freshRuns; run++) {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'masteryhub-bench-'))
    try {
      const cliArgs = [CLI, 'demo', '--data-dir', dataDir, '--port', '0']
      const ms = await timeToFirstResponse(cliArgs, RUNNING_AT)
      fresh.push(ms)
      progress(
        `cold start ${run}/${options.freshRuns}: fresh data folder, first 200 after ${(ms / 1000).toFixed(2)} s`,
      )
      await timeBaseline()
      for (let again = 1; again <= options.warmRunsPerFolder; again++) {
        const warmMs = await timeToFirstResponse(cliArgs, RUNNING_AT)
        warm.push(warmMs)
        progress(
          `cold start ${run}/${options.freshRuns}: same folder again, first 200 after ${(warmMs / 1000).toFixed(2)} s`,
        )
        await timeBaseline()
      }
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true })
    }
  }
  while (baseline.length < options.baselineRuns) await timeBaseline()
  progress(
    `cold start: bare node server median ${median(baseline).toFixed(0)} ms over ${baseline.length} starts`,
  )

  const baselineMeasured: Measured = {
    short: 'bare Node HTTP server',
    label: 'node -e "require(\'http\').createServer(…).listen(0)" until its first 200',
    unit: 'ms',
    metrics: { median: median(baseline) },
    detail: { runs_ms: baseline },
  }
  return [
    figure({
      id: 'cold-start.fresh',
      section: 'cold-start',
      title: 'Cold start, fresh data folder (demo)',
      engine: 'pglite',
      result: {
        short: 'masteryhub demo, new folder',
        label: 'node bin/masteryhub.js demo --data-dir <new empty folder> --port 0, until GET / answers 200',
        unit: 'ms',
        metrics: { median: median(fresh) },
        detail: { runs_ms: fresh },
      },
      baselines: [baselineMeasured],
      explanation:
        'From spawning the CLI on an empty data folder (create the embedded database, migrate, load the demo data, ' +
        `build the app) to the first 200 from GET /; median of ${fresh.length} runs. Ratio = ÷ bare Node server.`,
    }),
    figure({
      id: 'cold-start.warm',
      section: 'cold-start',
      title: 'Start again on the same folder',
      engine: 'pglite',
      result: {
        short: 'masteryhub demo, same folder',
        label: 'the same command on the folder the fresh start left behind',
        unit: 'ms',
        metrics: { median: median(warm) },
        detail: { runs_ms: warm },
      },
      baselines: [baselineMeasured],
      explanation:
        'The same command on the folder a fresh start left (nothing to migrate, demo already loaded); ' +
        `median of ${warm.length} runs. Ratio = ÷ bare Node server.`,
    }),
  ]
}
