// The attendance endpoints every kind of meeting has, built once for events' days and Work Group
// sessions (the rules they share are in domain/attendance/attendance.ts): marks sent as JSON, a
// CSV or XLSX file sent as base64 (each every row good, or nothing saved and the problems said),
// both answering how many marks were saved, and a new code to show at the meeting. Each area gives
// its paths, its schemas (which also document it in the OpenAPI document) and its use-cases.
import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { z } from 'zod'
import type { UseCaseContext } from '../../domain/use-case.ts'
import { ValidationError } from '../../errors.ts'
import { bearer, requireApiToken } from './authenticate.ts'
import { errorBody } from './presenters.ts'

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/
const errors = { 401: errorBody, 404: errorBody, 422: errorBody }

/** The file's bytes; refused, naming the field, unless it is base64. */
export function fileBytes(file: string): Uint8Array {
  const compact = file.replace(/\s+/g, '')
  if (compact.length === 0 || compact.length % 4 === 1 || !BASE64.test(compact)) {
    throw new ValidationError([
      { code: 'invalid', field: 'file', message: 'Send the file’s contents encoded as base64' },
    ])
  }
  return new Uint8Array(Buffer.from(compact, 'base64'))
}

type IdParams = z.ZodType<{ id: number }>

export interface AttendanceApiArea<
  Marks extends z.ZodType,
  Code extends z.ZodType<{ id: number }>,
  Shown extends z.ZodType,
> {
  tags: string[]
  context(request: FastifyRequest): UseCaseContext
  /** The meeting's path: marks are POSTed to `${path}/attendance`, a file to `.../import`. */
  path: string
  params: IdParams
  /** The answer to marks and files: how many marks were saved. */
  recorded: z.ZodType<{ recorded: number }>
  marks: {
    summary: string
    body: Marks
    record(context: UseCaseContext, id: number, body: z.infer<Marks>): Promise<number>
  }
  upload: {
    summary: string
    body: z.ZodType<{ file: string }>
    record(context: UseCaseContext, id: number, bytes: Uint8Array): Promise<number>
  }
  /** A new code to show at the meeting, at its own path. */
  code: {
    path: string
    summary: string
    params: Code
    response: Shown
    show(context: UseCaseContext, params: z.infer<Code>): Promise<z.infer<Shown>>
  }
}

export function attendanceApi<
  Marks extends z.ZodType,
  Code extends z.ZodType<{ id: number }>,
  Shown extends z.ZodType,
>(app: FastifyInstance, area: AttendanceApiArea<Marks, Code, Shown>): void {
  // The schemas validate and document each endpoint as on any API route; their types are the area's.
  const { tags, params, recorded } = area
  const idOf = (request: FastifyRequest) => (request.params as { id: number }).id

  app.post(
    `${area.path}/attendance`,
    {
      onRequest: requireApiToken,
      schema: {
        tags,
        summary: area.marks.summary,
        security: bearer,
        params,
        body: area.marks.body,
        response: { 200: recorded, ...errors },
      },
    },
    async (request) => ({
      recorded: await area.marks.record(area.context(request), idOf(request), request.body as z.infer<Marks>),
    }),
  )

  app.post(
    `${area.path}/attendance/import`,
    {
      onRequest: requireApiToken,
      schema: {
        tags,
        summary: area.upload.summary,
        security: bearer,
        params,
        body: area.upload.body,
        response: { 200: recorded, ...errors },
      },
    },
    async (request) => {
      const bytes = fileBytes((request.body as { file: string }).file)
      return { recorded: await area.upload.record(area.context(request), idOf(request), bytes) }
    },
  )

  app.post(
    area.code.path,
    {
      onRequest: requireApiToken,
      schema: {
        tags,
        summary: area.code.summary,
        security: bearer,
        params: area.code.params,
        response: { 200: area.code.response, ...errors },
      },
    },
    async (request) => area.code.show(area.context(request), request.params as z.infer<Code>),
  )
}
