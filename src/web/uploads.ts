// Files sent by page forms (multipart/form-data): the one mechanism every upload uses. A form's
// text fields become the request body, as an ordinary form's do (so the CSRF check and the
// page's own validation read them the same way); its files wait on request.uploads, read into
// memory up to UPLOAD_LIMIT_BYTES. A file over the limit is not refused here: it arrives marked
// tooLarge, so the page can say so in its error summary and keep the rest of the form.
import fastifyMultipart from '@fastify/multipart'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { isApiRequest } from '../http/request-kind.ts'

/** The largest file any form accepts; each use-case may set a lower limit of its own. */
export const UPLOAD_LIMIT_BYTES = 10 * 1024 * 1024

export interface UploadedFile {
  filename: string
  contentType: string
  bytes: Buffer
  /** The file was larger than UPLOAD_LIMIT_BYTES: bytes holds only its beginning. */
  tooLarge: boolean
}

declare module 'fastify' {
  interface FastifyRequest {
    uploads: Record<string, UploadedFile>
  }
}

const MAX_FIELDS = 50
const MAX_FIELD_BYTES = 100_000

export async function registerUploads(app: FastifyInstance): Promise<void> {
  await app.register(fastifyMultipart, {
    limits: {
      fileSize: UPLOAD_LIMIT_BYTES,
      files: 1,
      fields: MAX_FIELDS,
      fieldSize: MAX_FIELD_BYTES,
      parts: MAX_FIELDS + 1,
    },
    throwFileSizeLimit: false,
  })
  app.decorateRequest('uploads', null as unknown as Record<string, UploadedFile>)
  app.addHook('onRequest', async (request) => {
    request.uploads = {}
  })
  app.addHook('preValidation', async (request) => {
    if (!request.isMultipart()) return
    // The API takes JSON only (a file comes as base64): multipart is refused as any other type is.
    if (isApiRequest(request)) throw unreadable(415, 'FST_ERR_CTP_INVALID_MEDIA_TYPE')
    try {
      request.body = await readParts(request)
    } catch {
      // A body cut short or malformed, or over the parser's limits (two files, too many fields),
      // cannot be read: the sender is told so, as for any form the framework cannot read.
      throw unreadable(400, 'FST_ERR_CTP_UNREADABLE_FORM')
    }
  })
}

function unreadable(statusCode: number, code: string): Error {
  return Object.assign(new Error('The form could not be read'), { statusCode, code })
}

async function readParts(request: FastifyRequest): Promise<Record<string, string>> {
  const body: Record<string, string> = {}
  for await (const part of request.parts()) {
    if (part.type === 'file') {
      const bytes = await part.toBuffer()
      // A form with no file chosen sends an empty part with no name: that is no file at all.
      if (bytes.length === 0 && part.filename === '') continue
      request.uploads[part.fieldname] = {
        filename: part.filename,
        contentType: part.mimetype,
        bytes,
        tooLarge: part.file.truncated,
      }
    } else if (typeof part.value === 'string' && !(part.fieldname in body)) {
      body[part.fieldname] = part.value
    }
  }
  return body
}
