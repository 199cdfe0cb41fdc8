// What `npm test` needs on the machine, made ready before it runs anything: Debian's Chromium for
// the browser journeys (installed with apt-get when missing, as root or through `sudo -n`) and a
// PostgreSQL server for the second engine (the local cluster started with pg_ctlcluster; Debian's
// postgresql installed first when there is none). Sets CHROMIUM_PATH and TEST_DATABASE_URL for the
// runs that follow, and says plainly what could not be had, so that a run without it is reported
// as not run, never as passed.
//
// TEST_DATABASE_URL set: that server is used as it is. Set but empty: PostgreSQL is left out on
// purpose. `node scripts/test-setup.js` (or `npm test -- setup`) runs this step alone.
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import pg from 'pg'

export const DEFAULT_TEST_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/postgres'

const say = (line) => console.log(`set-up: ${line}`)

/** An address to print: any password in it hidden. */
function shown(url) {
  try {
    const parsed = new URL(url)
    if (parsed.password) parsed.password = '***'
    return parsed.href
  } catch {
    return 'an address that cannot be read'
  }
}

function isRoot() {
  return typeof process.getuid === 'function' && process.getuid() === 0
}

function hasCommand(name) {
  return spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).status === 0
}

function which(name) {
  const result = spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' })
  return result.status === 0 ? result.stdout.trim() : undefined
}

/** Runs a command as root: directly when root, through `sudo -n` (never asking for a password) otherwise. */
function asRoot(command, args, options = {}) {
  const [file, list] = isRoot() ? [command, args] : ['sudo', ['-n', command, ...args]]
  if (!isRoot() && !hasCommand('sudo')) return { status: 1, stdout: '', stderr: 'not root, and no sudo' }
  return spawnSync(file, list, {
    encoding: 'utf8',
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    ...options,
  })
}

let aptUpdated = false
/** apt-get install, after one apt-get update; true when it worked. */
function aptInstall(packages) {
  if (!hasCommand('apt-get')) {
    say('apt-get is not on this machine, so nothing can be installed')
    return false
  }
  if (!aptUpdated) {
    asRoot('apt-get', ['update', '-qq'], { stdio: 'inherit' })
    aptUpdated = true
  }
  const result = asRoot('apt-get', ['install', '-y', '-qq', ...packages], { stdio: 'inherit' })
  if (result.status !== 0)
    say(`apt-get install ${packages.join(' ')} failed${result.stderr ? `: ${result.stderr.trim()}` : ''}`)
  return result.status === 0
}

/** Chromium for the browser journeys: CHROMIUM_PATH, or Debian's chromium (installed when missing). */
export function prepareChromium() {
  const given = process.env.CHROMIUM_PATH
  if (given) {
    if (fs.existsSync(given)) return { ok: true, path: given }
    return { ok: false, why: `CHROMIUM_PATH is ${given}, and there is nothing there` }
  }
  let found = which('chromium')
  if (!found) {
    say('Chromium is missing: installing Debian’s chromium package')
    if (aptInstall(['chromium'])) found = which('chromium')
  }
  if (!found) return { ok: false, why: 'Chromium is not installed and could not be installed' }
  process.env.CHROMIUM_PATH = found
  return { ok: true, path: found }
}

function pgReady() {
  if (!hasCommand('pg_isready')) return false
  return spawnSync('pg_isready', ['-h', '127.0.0.1', '-p', '5432', '-q']).status === 0
}

async function canConnect(url) {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 })
  try {
    await client.connect()
    await client.query('SELECT 1')
    return { ok: true }
  } catch (error) {
    return { ok: false, why: error instanceof Error ? error.message : String(error) }
  } finally {
    await client.end().catch(() => {})
  }
}

/** The local clusters as pg_lsclusters lists them: version, name and status. */
function clusters() {
  const result = spawnSync('pg_lsclusters', ['-h'], { encoding: 'utf8' })
  if (result.status !== 0) return []
  return result.stdout
    .split('\n')
    .map((line) => line.trim().split(/\s+/))
    .filter((cols) => cols.length >= 4)
    .map(([version, name, , status]) => ({ version, name, status }))
}

/** The local PostgreSQL server, started (and installed, when Debian's packages can be had). */
function startLocalPostgres() {
  if (!hasCommand('pg_lsclusters')) {
    say('PostgreSQL is missing: installing Debian’s postgresql package')
    if (!aptInstall(['postgresql'])) return
  }
  if (!hasCommand('pg_lsclusters')) return
  let main = clusters().find((c) => c.name === 'main')
  if (!main) {
    const versions = fs.existsSync('/usr/lib/postgresql')
      ? fs.readdirSync('/usr/lib/postgresql').sort((a, b) => Number(a) - Number(b))
      : []
    const version = versions.at(-1)
    if (!version) return
    say(`creating the PostgreSQL ${version} cluster "main"`)
    asRoot('pg_createcluster', [version, 'main'], { stdio: 'inherit' })
    main = clusters().find((c) => c.name === 'main')
  }
  if (!main) return
  if (main.status !== 'online') {
    say(`starting PostgreSQL ${main.version} (cluster main)`)
    asRoot('pg_ctlcluster', ['--skip-systemctl-redirect', main.version, 'main', 'start'], {
      stdio: 'inherit',
    })
  }
}

async function waitFor(check, seconds) {
  for (let i = 0; i < seconds; i++) {
    if (await check()) return true
    await new Promise((resolve) => setTimeout(resolve, 1000))
  }
  return check()
}

/**
 * PostgreSQL for the second engine: TEST_DATABASE_URL as given, or the local server (started when
 * it is not running). { ok: false, why } when it cannot be had.
 */
export async function preparePostgres() {
  if (process.env.TEST_DATABASE_URL !== undefined && process.env.TEST_DATABASE_URL === '') {
    return { ok: false, why: 'TEST_DATABASE_URL is set and empty, so PostgreSQL is left out' }
  }
  const url = process.env.TEST_DATABASE_URL || DEFAULT_TEST_DATABASE_URL
  let connected = await canConnect(url)
  if (!connected.ok && !process.env.TEST_DATABASE_URL) {
    if (!pgReady()) {
      startLocalPostgres()
      await waitFor(() => pgReady(), 30)
    }
    connected = await canConnect(url)
  }
  if (!connected.ok) {
    return {
      ok: false,
      why: `PostgreSQL could not be had at ${shown(url)}: ${connected.why}`,
    }
  }
  process.env.TEST_DATABASE_URL = url
  return { ok: true, url }
}

/** Both, with a line each saying what was found; the outcome of each for the caller to count. */
export async function prepareTestMachine() {
  const chromium = prepareChromium()
  say(chromium.ok ? `Chromium: ${chromium.path}` : `Chromium: NOT AVAILABLE (${chromium.why})`)
  const postgres = await preparePostgres()
  say(postgres.ok ? `PostgreSQL: ${shown(postgres.url)}` : `PostgreSQL: NOT AVAILABLE (${postgres.why})`)
  return { chromium, postgres }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { chromium, postgres } = await prepareTestMachine()
  process.exit(chromium.ok && postgres.ok ? 0 : 1)
}
