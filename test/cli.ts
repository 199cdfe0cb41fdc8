// Runs the masteryhub command line as a child process on the embedded database, without blocking
// the test's own event loop: each run is a whole CLI start (tsx, PGlite, its migrations), which on a
// busy two-core machine can take many seconds, so the test's timeout applies rather than a hang.
import { execFile } from 'node:child_process'

export interface CliRun {
  /** The exit code; null if the process was killed (a timeout). */
  status: number | null
  stdout: string
  stderr: string
}

export function runCli(...args: string[]): Promise<CliRun> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['bin/masteryhub.js', ...args],
      { encoding: 'utf8', env: { ...process.env, DATABASE_URL: '' }, timeout: 120_000 },
      (error, stdout, stderr) => {
        const status = error ? (typeof error.code === 'number' ? error.code : null) : 0
        resolve({ status, stdout, stderr })
      },
    )
  })
}
