// The Node.js the project runs on: the lowest major version in package.json's "engines", checked
// by every entry point (the command line, `npm test`, the test runner, the bench and the crash
// test) before it does anything. npm puts the project's own Node (the `node` package, installed
// by `npm ci`) first on the PATH of every npm script, so a machine whose own Node is older still
// runs the project on a supported one (docs/adr/0016-node-lts.md).
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')

/** The lowest Node.js major version package.json's "engines" allows (">=24" gives 24). */
export function requiredNodeMajor() {
  const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'))
  const range = String(manifest.engines?.node ?? '')
  const match = /^>=\s*(\d+)/.exec(range)
  if (!match) throw new Error(`package.json "engines.node" must read ">=N", not "${range}"`)
  return Number(match[1])
}

/** The one line to print when `version` ("v20.20.2") is older than the project needs; else undefined. */
export function unsupportedNodeMessage(version, required = requiredNodeMajor()) {
  const major = Number(/^v?(\d+)/.exec(version)?.[1] ?? 0)
  if (major >= required) return undefined
  return (
    `Mastery Hub needs Node.js ${required} or later, and this is Node.js ${version}. ` +
    'Run it through npm (npm start, npm test, npx masteryhub), which uses the Node.js that ' +
    '"npm ci" installs, or install Node.js ' +
    `${required}.`
  )
}

/** Stops the process with that line (exit code 1) when this Node.js is too old. */
export function assertSupportedNode() {
  const message = unsupportedNodeMessage(process.version)
  if (message) {
    console.error(message)
    process.exit(1)
  }
}
