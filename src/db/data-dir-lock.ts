// PGlite does not lock its folder, and two processes writing one folder corrupt it.
// We take an exclusive lock file holding our pid; a lock left by a dead process is taken over.
import fs from 'node:fs'
import path from 'node:path'
import { DomainError } from '../errors.ts'

export interface DataDirLock {
  release(): void
}

const LOCK_FILE = 'masteryhub.lock'

function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

export function lockDataDir(dataDir: string): DataDirLock {
  fs.mkdirSync(dataDir, { recursive: true })
  const lockPath = path.join(dataDir, LOCK_FILE)
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = fs.openSync(lockPath, 'wx')
      fs.writeSync(fd, `${process.pid}\n`)
      fs.closeSync(fd)
      let released = false
      const release = () => {
        if (released) return
        released = true
        process.removeListener('exit', release)
        try {
          if (fs.readFileSync(lockPath, 'utf8').trim() === String(process.pid)) fs.unlinkSync(lockPath)
        } catch {
          // already gone
        }
      }
      process.on('exit', release)
      return { release }
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
      const holder = Number.parseInt(fs.readFileSync(lockPath, 'utf8').trim(), 10)
      if (Number.isInteger(holder) && (holder === process.pid || processIsAlive(holder))) {
        throw new DomainError(
          'data-dir-locked',
          `The data folder ${dataDir} is in use by another Mastery Hub process (pid ${holder}). ` +
            'Stop that process first, or start this one with a different --data-dir. ' +
            'To run several processes on one database, use PostgreSQL (set DATABASE_URL).',
        )
      }
      // A stale lock from a process that has gone: remove it and try once more.
      fs.rmSync(lockPath, { force: true })
    }
  }
  throw new DomainError('data-dir-locked', `Could not lock the data folder ${dataDir}`)
}
