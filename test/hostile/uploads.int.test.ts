// Hostile files sent to every form that takes one (the attendance upload and a task's evidence), as
// a browser sends them, in multipart/form-data: random bytes under any name and declared type, a
// program renamed as a PDF, a spreadsheet with a formula or a broken row, an empty file, a file over
// the limit, two files, a body cut short, and no file at all. No answer is a 5xx; a refusal shows
// the error summary, linking to a field that is on the page, and changes nothing.
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEMO_DEVELOPMENT_COHORT } from '../../src/domain/participants/participants.demo.ts'
import { UPLOAD_LIMIT_BYTES } from '../../src/web/uploads.ts'
import { freshTask, participationOf } from '../event-fixtures.ts'
import { freshSession } from '../work-group-session-fixtures.ts'
import { hostileString } from '../hostile-arbitraries.ts'
import {
  asyncProperty,
  countInputs,
  exchange,
  expectPage,
  finishShare,
  openHostileApp,
  personas,
  t,
  type Person,
  type Reply,
} from './harness.ts'
import type { PersonaName } from '../personas.ts'

const TIMEOUT = 300_000
const RUNS = 40
const BOUNDARY = '----masteryhubhostile'

let people: Record<PersonaName, Person>
let attendanceUrl = ''
let taskUrl = ''
let sessionUploadUrl = ''

beforeAll(async () => {
  await openHostileApp()
  people = await personas()
  const second = await t.database.db
    .selectFrom('events')
    .select('id')
    .where('cohort_id', '=', DEMO_DEVELOPMENT_COHORT)
    .where('title', '=', 'Second residential')
    .executeTakeFirstOrThrow()
  attendanceUrl = `/events/${second.id}/attendance/upload`
  const sam = await participationOf(t, 'sam.carter@school.example')
  taskUrl = `/participations/${sam}/tasks/${await freshTask(t)}`
  sessionUploadUrl = `/work-group-sessions/${await freshSession(t)}/attendance/upload`
}, TIMEOUT)

afterAll(async () => {
  await finishShare('uploads')
  await t?.close()
})

interface Part {
  name: string
  value: string | Buffer
  filename?: string
  contentType?: string
}

function multipart(parts: Part[], { cut = false } = {}): Buffer {
  const chunks = parts.map((p) => {
    const disposition =
      p.filename === undefined
        ? `form-data; name="${p.name}"`
        : `form-data; name="${p.name}"; filename="${p.filename.replace(/["\r\n]/g, '_')}"`
    const type =
      p.contentType === undefined ? '' : `Content-Type: ${p.contentType.replace(/[\r\n]/g, '')}\r\n`
    return Buffer.concat([
      Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: ${disposition}\r\n${type}\r\n`),
      Buffer.isBuffer(p.value) ? p.value : Buffer.from(p.value),
      Buffer.from('\r\n'),
    ])
  })
  const body = Buffer.concat([...chunks, Buffer.from(`--${BOUNDARY}--\r\n`)])
  return cut ? body.subarray(0, Math.floor(body.length / 2)) : body
}

function send(who: Person, url: string, payload: Buffer): Promise<Reply> {
  return t.app.inject({
    method: 'POST',
    url,
    headers: {
      cookie: `mh_session=${who.cookie}`,
      'content-type': `multipart/form-data; boundary=${BOUNDARY}`,
    },
    payload,
  })
}

const PROGRAM = Buffer.concat([Buffer.from('MZ'), Buffer.alloc(200, 0x90)])
const CONTENT_TYPES = [
  'text/csv',
  'application/pdf',
  'application/octet-stream',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'image/png',
  'text/html',
  '',
]

/** A file as a browser might send it: random, hostile or nearly right bytes under any name and type. */
const hostileFile = fc.record({
  filename: fc.oneof(
    fc.constantFrom(
      'a.csv',
      'a.xlsx',
      'evidence.pdf',
      'photo.png',
      'setup.exe',
      '../../etc/passwd',
      '',
      'a.pdf.exe',
    ),
    hostileString,
  ),
  contentType: fc.constantFrom(...CONTENT_TYPES),
  bytes: fc.oneof(
    fc.uint8Array({ maxLength: 2000 }).map((a) => Buffer.from(a)),
    fc.constantFrom(
      PROGRAM,
      Buffer.from(''),
      Buffer.from('%PDF-1.4\n%%EOF\n'),
      Buffer.from('Email,Day,Status\r\n=HYPERLINK("http://x"),1,present\r\n'),
      Buffer.from('Email,Day,Status\r\nsam.carter@school.example,1\r\n'),
      Buffer.from('PK\u0003\u0004 not really a workbook'),
    ),
    hostileString.map((s) => Buffer.from(`Email,Day,Status,Absence reason\r\n${s},1,absent,${s}\r\n`)),
  ),
})

describe('hostile files to every upload', () => {
  for (const [label, who, url, fields] of [
    ['the attendance upload', 'nationalAdmin', () => attendanceUrl, {}],
    ['a task’s evidence', 'specialist', () => taskUrl, { kind: 'file' }],
    ['a Work Group session’s attendance upload', 'hubLead', () => sessionUploadUrl, {}],
  ] as const) {
    it(
      `${label}: never a 5xx, a refusal says why and changes nothing`,
      async () => {
        const person = people[who]
        await fc.assert(
          asyncProperty(
            fc.record({ file: hostileFile, twice: fc.boolean(), cut: fc.boolean() }),
            async ({ file, twice, cut }) => {
              const parts: Part[] = [
                { name: '_csrf', value: person.csrf },
                ...Object.entries(fields).map(([name, value]) => ({ name, value })),
                { name: 'file', value: file.bytes, filename: file.filename, contentType: file.contentType },
                ...(twice
                  ? [{ name: 'file', value: file.bytes, filename: 'second.csv', contentType: 'text/csv' }]
                  : []),
              ]
              await exchange(
                () => send(person, url(), multipart(parts, { cut })),
                (reply) => expectPage(reply),
              )
            },
          ),
          { numRuns: RUNS },
        )
      },
      TIMEOUT,
    )

    it(`${label}: a file over the limit and a form with no file are refused, saying why`, async () => {
      const person = people[who]
      const base: Part[] = [
        { name: '_csrf', value: person.csrf },
        ...Object.entries(fields).map(([name, value]) => ({ name, value })),
      ]
      const big = Buffer.alloc(UPLOAD_LIMIT_BYTES + 10, 0x41)
      for (const parts of [
        [...base, { name: 'file', value: big, filename: 'big.csv', contentType: 'text/csv' }],
        base,
      ]) {
        const reply = await exchange(
          () => send(person, url(), multipart(parts)),
          (r) => expectPage(r),
        )
        expect(reply.statusCode).toBe(422)
        expect(reply.body).toContain('href="#file"')
      }
      countInputs(2)
    })
  }
})
