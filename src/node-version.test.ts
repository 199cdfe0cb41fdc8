// The project runs on a supported Node.js: every npm script and npx puts the project's own Node.js
// (installed by `npm ci`) first, so the test workers run on it, and an older Node.js is refused
// with one clear line.
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { requiredNodeMajor, unsupportedNodeMessage } from '../scripts/node-version.js'

const ROOT = path.resolve(import.meta.dirname, '..')

describe('the Node.js the project runs on', () => {
  it('is a supported LTS: engines asks for 24 or later, and the project installs Node.js 24', () => {
    expect(requiredNodeMajor()).toBeGreaterThanOrEqual(24)
    const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>
    }
    expect(manifest.dependencies.node).toMatch(/^\^24\./)
  })

  it('is the Node.js these tests run on', () => {
    expect(Number(process.versions.node.split('.')[0])).toBeGreaterThanOrEqual(requiredNodeMajor())
  })

  it('is the Node.js on the PATH npm gives its scripts, so tsx, vitest and the command line use it', () => {
    const found = spawnSync('node', ['-p', 'process.versions.node'], { encoding: 'utf8' })
    expect(Number(found.stdout.split('.')[0])).toBeGreaterThanOrEqual(requiredNodeMajor())
  })

  it('refuses an older Node.js with one line that says what to do', () => {
    const message = unsupportedNodeMessage('v20.20.2', 24)
    expect(message).toContain('needs Node.js 24 or later')
    expect(message).toContain('v20.20.2')
    expect(message).not.toContain('\n')
    expect(unsupportedNodeMessage('v24.21.0', 24)).toBeUndefined()
    expect(unsupportedNodeMessage('v26.1.0', 24)).toBeUndefined()
  })

  it('is refused by the command line when older: one line, exit 1', () => {
    const system = ['/usr/bin/node', '/usr/local/bin/node']
      .map((file) => ({
        file,
        version: spawnSync(file, ['-p', 'process.versions.node'], { encoding: 'utf8' }),
      }))
      .find(
        ({ version }) => version.status === 0 && Number(version.stdout.split('.')[0]) < requiredNodeMajor(),
      )
    if (!system) return // this machine has no older Node.js to try
    const result = spawnSync(system.file, [path.join(ROOT, 'bin', 'masteryhub.js'), 'help'], {
      encoding: 'utf8',
    })
    expect(result.status).toBe(1)
    expect(result.stderr.trim().split('\n')).toHaveLength(1)
    expect(result.stderr).toContain('needs Node.js')
    expect(result.stdout).toBe('')
  })
})
