// The count of generated hostile inputs across the hostile files of one test run. Vitest runs files
// in separate workers, so each file, when it ends, checks its own count against its share and
// writes it to a folder of this run's; the last file of the run to finish adds up every file's
// count, checks the total and prints it. A run of some of the files checks only their shares.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { isMainThread } from 'node:worker_threads'
import { expect } from 'vitest'

/** Each hostile file and the fewest inputs it must generate in a run. */
export const SHARES: Record<string, number> = {
  'application-round': 3_300,
  'every-route': 3_000,
  'people-and-hubs': 950,
  'reviews-and-selection': 1_150,
  'register-and-sign-in': 1_050,
  transport: 600,
  imports: 350,
  parameters: 2_700,
  concurrency: 20,
  logs: 10,
  uploads: 80,
}

/** What the suite must generate in one run on one engine. */
export const TOTAL_AT_LEAST = 10_000

/** The vitest process of this run: forked workers' parent, or this process for worker threads. */
function runFolder(): string {
  const runner = isMainThread ? process.ppid : process.pid
  let started = '0'
  try {
    // The runner's start time, so that a later run given the same process id starts afresh.
    started = fs.readFileSync(`/proc/${runner}/stat`, 'utf8').split(') ')[1]!.split(' ')[19]!
  } catch {
    // Not Linux: the process id alone names the run.
  }
  return path.join(os.tmpdir(), `masteryhub-hostile-${runner}-${started}`)
}

/** The hostile files there are: test/hostile-input.int.test.ts and test/hostile/*.int.test.ts. */
function hostileFiles(): string[] {
  const here = path.join('test', 'hostile')
  return [
    'application-round',
    ...fs
      .readdirSync(here)
      .filter((name) => name.endsWith('.int.test.ts'))
      .map((name) => name.replace(/\.int\.test\.ts$/, '')),
  ].sort()
}

export async function recordShare(file: string, inputs: number): Promise<void> {
  console.log(`hostile inputs in ${file}: ${inputs}`)
  const folder = runFolder()
  fs.mkdirSync(folder, { recursive: true })
  fs.writeFileSync(path.join(folder, `${file}.json`), JSON.stringify({ file, inputs }))
  expect(hostileFiles(), 'every hostile file has a share in test/hostile/tally.ts').toEqual(
    Object.keys(SHARES).sort(),
  )
  expect(inputs, `${file} generated at least its share of inputs`).toBeGreaterThanOrEqual(
    SHARES[file] ?? Infinity,
  )
  const counts = fs
    .readdirSync(folder)
    .filter((name) => name.endsWith('.json'))
    .map(
      (name) =>
        JSON.parse(fs.readFileSync(path.join(folder, name), 'utf8')) as { file: string; inputs: number },
    )
  if (!Object.keys(SHARES).every((name) => counts.some((c) => c.file === name))) return
  // Every hostile file has finished: the first to see that checks the total, once.
  try {
    fs.writeFileSync(path.join(folder, 'total'), '', { flag: 'wx' })
  } catch {
    return
  }
  const total = counts.reduce((sum, c) => sum + c.inputs, 0)
  console.log(`hostile inputs this run: ${total}`)
  expect(total, 'hostile inputs generated in this run').toBeGreaterThanOrEqual(TOTAL_AT_LEAST)
}
