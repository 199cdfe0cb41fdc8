// Two real `masteryhub serve` processes on one port: the second says in one line that the port is
// taken and what to do, and exits non-zero before opening its database, with no stack trace.
import { spawn } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'
import { freePort, serveProcess, type ServeProcess } from './chaos/serve-process.ts'

const ROOT = fileURLToPath(new URL('..', import.meta.url))
const BIN = path.join(ROOT, 'bin', 'masteryhub.js')
const folders: string[] = []
const folder = () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'masteryhub-port-'))
  folders.push(dir)
  return dir
}
let first: ServeProcess | undefined
// The embedded database, quiet logs; the test runner's own BASE_URL ("/") is not the service's.
const SERVICE_ENV = {
  DATABASE_URL: '',
  HOST: '127.0.0.1',
  BASE_URL: 'http://localhost:3000',
  LOG_LEVEL: 'warn',
}

afterAll(async () => {
  await first?.stop()
  for (const dir of folders) fs.rmSync(dir, { recursive: true, force: true })
})

/** Runs the CLI to its end: its exit code and what it printed. */
function runCli(args: string[], env: Record<string, string>) {
  return new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: ROOT,
      env: { ...process.env, ...SERVICE_ENV, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000)
    child.once('exit', (status) => {
      clearTimeout(timer)
      resolve({ status, stdout, stderr })
    })
  })
}

describe('a port already in use', () => {
  it('is refused in one clear line, non-zero and fast', async () => {
    const port = await freePort()
    first = serveProcess({
      name: 'first',
      port,
      env: { ...SERVICE_ENV, DATA_DIR: folder() },
      readyTimeoutMs: 200_000,
    })
    await first.start()
    for (const make of [
      (dir: string) => [['serve', '--port', String(port), '--data-dir', dir], {}] as const,
      (dir: string) => [['demo', '--data-dir', dir], { PORT: String(port) }] as const,
    ]) {
      const dir = folder()
      const [args, env] = make(dir)
      const second = await runCli([...args], env)
      expect(second.status, second.stderr).toBe(1)
      expect(second.stderr.trim()).toBe(
        `Port ${port} is already in use. Stop the other process or set PORT (or --port).`,
      )
      expect(second.stderr).not.toMatch(/EADDRINUSE|\n\s+at /)
      // Refused before the database is opened or migrated: its data folder was never touched (no
      // lock, no database files), so it did not wait on start-up work before saying so. (Not timed:
      // speed is for the bench; a busy machine makes any time limit here flaky.)
      expect(fs.readdirSync(dir)).toEqual([])
    }
    // The first process is untouched.
    expect(first.pid()).toBeDefined()
  }, 300_000)
})
