#!/usr/bin/env node
// `npm test`: makes the machine ready (Chromium, PostgreSQL: scripts/test-setup.js), then lint,
// format check, typecheck, the dependency audit, unit tests, integration tests on PGlite and on
// PostgreSQL, the browser journeys on each, then the crash test. Ends with one line:
// "N passed, N failed" (", N skipped" when something was not run, PostgreSQL say).
// `npm test -- setup` (or static, audit, unit, integration, e2e, chaos) runs one part.
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { assertSupportedNode } from './node-version.js'
import { prepareTestMachine } from './test-setup.js'

assertSupportedNode()
console.log(`Node.js ${process.version} (${process.execPath})`)
const only = process.argv[2]
const machine = await prepareTestMachine()
if (only === 'setup') process.exit(machine.chromium.ok && machine.postgres.ok ? 0 : 1)
const pgUrl = machine.postgres.ok ? machine.postgres.url : ''
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'masteryhub-test-'))
let passed = 0
let failed = 0
let skipped = 0
const failures = []
/** Each failed test by name, repeated at the end so the last lines of a long run say what broke. */
const failedTests = []

function run(label, command, args, env = {}) {
  console.log(`\n=== ${label} ===`)
  const result = spawnSync(command, args, { stdio: 'inherit', env: { ...process.env, ...env } })
  return result.status === 0
}

function check(label, command, args) {
  if (run(label, command, args)) passed++
  else {
    failed++
    failures.push(label)
  }
}

function vitest(label, project, env) {
  const output = path.join(tmp, `${label.replace(/\W+/g, '-')}.json`)
  const ok = run(
    label,
    'npx',
    [
      'vitest',
      'run',
      '--project',
      project,
      '--reporter=default',
      '--reporter=json',
      `--outputFile=${output}`,
    ],
    env,
  )
  let counted = false
  if (fs.existsSync(output)) {
    const report = JSON.parse(fs.readFileSync(output, 'utf8'))
    passed += report.numPassedTests
    failed += report.numFailedTests
    skipped += report.numPendingTests + report.numTodoTests
    counted = report.numTotalTests > 0
    if (report.numFailedTests > 0 || (!ok && report.numFailedTests === 0)) failures.push(label)
    for (const file of report.testResults ?? []) {
      for (const test of file.assertionResults ?? []) {
        if (test.status === 'failed')
          failedTests.push(`${label}: ${path.relative(process.cwd(), file.name)} > ${test.fullName}`)
      }
    }
    if (!ok && report.numFailedTests === 0) failed++
  }
  if (!counted && !ok) {
    failed++
    failures.push(label)
  }
}

/**
 * `npm audit`: no high or critical advisory in any dependency. Where the advisory service cannot be
 * reached the check is reported as not done (skipped), never as passed.
 */
function audit() {
  console.log('\n=== dependency audit ===')
  const result = spawnSync('npm', ['audit', '--json'], { encoding: 'utf8', env: process.env })
  let report
  try {
    report = JSON.parse(result.stdout)
  } catch {
    report = undefined
  }
  const counts = report?.metadata?.vulnerabilities
  if (!counts) {
    const why = report?.statusCode ? `it answered ${report.statusCode}` : 'it could not be reached'
    console.log(`npm audit could not check the dependencies: ${why}. Not checked this run.`)
    skipped++
    return
  }
  const serious = (counts.high ?? 0) + (counts.critical ?? 0)
  console.log(
    `npm audit: ${counts.critical ?? 0} critical, ${counts.high ?? 0} high, ` +
      `${counts.moderate ?? 0} moderate, ${counts.low ?? 0} low`,
  )
  if (serious === 0) passed++
  else {
    spawnSync('npm', ['audit', '--audit-level=high'], { stdio: 'inherit', env: process.env })
    failed++
    failures.push('dependency audit (high or critical advisories)')
  }
}

const engines = [['PGlite', { TEST_DATABASE_URL: '' }]]
if (pgUrl) engines.push(['PostgreSQL', { TEST_DATABASE_URL: pgUrl }])

const notRunParts = []
/** A run that could not happen: said plainly, counted as not run (skipped), never as passed. */
function notRun(label, why) {
  console.log(`\n=== ${label} ===\nNOT RUN: ${why}`)
  skipped++
  notRunParts.push(label)
}

if (!only || only === 'static') {
  check('lint', 'npx', ['eslint', '.'])
  check('format', 'npx', ['prettier', '--check', '.'])
  check('typecheck', 'npx', ['tsc', '--noEmit'])
}
if (!only || only === 'static' || only === 'audit') audit()
if (!only || only === 'unit') vitest('unit tests', 'unit', {})
for (const [engine, env] of engines) {
  if (!only || only === 'integration') vitest(`integration tests on ${engine}`, 'integration', env)
}
if (!pgUrl && (!only || only === 'integration'))
  notRun('integration tests on PostgreSQL', machine.postgres.why)
for (const [engine, env] of engines) {
  if (!only || only === 'e2e') {
    if (machine.chromium.ok) vitest(`browser journeys on ${engine}`, 'e2e', env)
    else {
      // The browser journeys are part of the gate: without a browser the gate has failed.
      console.log(`\n=== browser journeys on ${engine} ===\nFAILED: ${machine.chromium.why}`)
      failed++
      failures.push(`browser journeys on ${engine} (no Chromium)`)
    }
  }
}
if (!pgUrl && (!only || only === 'e2e')) notRun('browser journeys on PostgreSQL', machine.postgres.why)

// The crash test: app processes killed with SIGKILL mid-surge, on PostgreSQL and on PGlite.
if (!only || only === 'chaos') {
  if (pgUrl) check('crash test', 'npm', ['run', '--silent', 'test:chaos'])
  else {
    check('crash test on PGlite', 'npm', ['run', '--silent', 'test:chaos', '--', 'pglite'])
    notRun('crash test on PostgreSQL', machine.postgres.why)
  }
}

fs.rmSync(tmp, { recursive: true, force: true })
console.log('')
for (const name of failedTests) console.log(`FAILED TEST ${name}`)
if (failures.length > 0) console.log(`Failed: ${failures.join('; ')}`)
if (notRunParts.length > 0) console.log(`Not run: ${notRunParts.join('; ')} (${machine.postgres.why})`)
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`)
process.exit(failed > 0 ? 1 : 0)
