// PGlite does not lock its folder: a second process on the same data folder must be refused.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { openDatabase } from '../src/db/database.ts'
import { runCli } from './cli.ts'

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'masteryhub-lock-'))
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }))

describe('the embedded database folder', () => {
  it('refuses a second process with a clear message while the first holds it', async () => {
    const first = await openDatabase({ dataDir })
    try {
      const second = await runCli('migrate', '--data-dir', dataDir)
      expect(second.status).toBe(1)
      expect(second.stderr).toContain(
        `The data folder ${dataDir} is in use by another Mastery Hub process (pid ${process.pid})`,
      )
      await expect(openDatabase({ dataDir })).rejects.toThrow(/is in use by another Mastery Hub process/)
    } finally {
      await first.close()
    }
  })

  it('is free again once the first process closes, and takes over a lock left by a dead process', async () => {
    fs.writeFileSync(path.join(dataDir, 'masteryhub.lock'), '999999999\n')
    const after = await runCli('migrate', '--data-dir', dataDir)
    expect(after.stderr).toBe('')
    expect(after.stdout).toMatch(/Applied 0001_register|up to date/)
    expect(after.status).toBe(0)
    expect(fs.existsSync(path.join(dataDir, 'masteryhub.lock'))).toBe(false)
  })
})
