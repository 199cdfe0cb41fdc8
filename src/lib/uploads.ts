// The one check every uploaded document passes before it is kept: its size, and its type three
// ways — the file name's extension, the type the browser declared, and the bytes themselves (the
// "magic bytes": a PDF begins "%PDF-", a PNG with its eight-byte signature, a JPEG FF D8 FF, and
// DOCX, XLSX and PPTX are zip archives whose directory names [Content_Types].xml and word/, xl/ or
// ppt/). All three must agree on one allowed type, so an .exe renamed .pdf is refused. The answer
// is the type found, the size, a SHA-256 and the original name made safe, or errors in the
// ValidationError shape ({code, field, message}) written the GOV.UK way.
import { createHash } from 'node:crypto'
import type { FieldError } from '../errors.ts'

export type UploadKind = 'pdf' | 'docx' | 'xlsx' | 'pptx' | 'png' | 'jpeg'

/** The largest file accepted: 10 MB. */
export const MAX_UPLOAD_BYTES = 10 * 1024 * 1024

interface KindRule {
  /** As people name it: "PDF". */
  name: string
  extensions: readonly string[]
  /** The type stored and served; the first of `contentTypes`. */
  contentTypes: readonly string[]
  matches(bytes: Uint8Array): boolean
}

const startsWith = (bytes: Uint8Array, prefix: readonly number[]) =>
  bytes.length >= prefix.length && prefix.every((b, i) => bytes[i] === b)

const officeDocument = (folder: string) => (bytes: Uint8Array) => {
  const names = zipEntryNames(bytes)
  return (
    names !== undefined && names.includes('[Content_Types].xml') && names.some((n) => n.startsWith(folder))
  )
}

export const UPLOAD_KINDS: Record<UploadKind, KindRule> = {
  pdf: {
    name: 'PDF',
    extensions: ['pdf'],
    contentTypes: ['application/pdf', 'application/x-pdf'],
    matches: (bytes) => startsWith(bytes, [0x25, 0x50, 0x44, 0x46, 0x2d]),
  },
  docx: {
    name: 'DOCX',
    extensions: ['docx'],
    contentTypes: ['application/vnd.openxmlformats-officedocument.wordprocessingml.document'],
    matches: officeDocument('word/'),
  },
  xlsx: {
    name: 'XLSX',
    extensions: ['xlsx'],
    contentTypes: ['application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
    matches: officeDocument('xl/'),
  },
  pptx: {
    name: 'PPTX',
    extensions: ['pptx'],
    contentTypes: ['application/vnd.openxmlformats-officedocument.presentationml.presentation'],
    matches: officeDocument('ppt/'),
  },
  png: {
    name: 'PNG',
    extensions: ['png'],
    contentTypes: ['image/png'],
    matches: (bytes) => startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  },
  jpeg: {
    name: 'JPEG',
    extensions: ['jpg', 'jpeg'],
    contentTypes: ['image/jpeg', 'image/jpg', 'image/pjpeg'],
    matches: (bytes) => startsWith(bytes, [0xff, 0xd8, 0xff]),
  },
}

export const ALL_UPLOAD_KINDS = Object.keys(UPLOAD_KINDS) as UploadKind[]

/**
 * Declared types that say only "some bytes": browsers send these when the computer knows no type
 * for the extension (a .docx on a machine without Office). They name no other type, so the
 * extension and the contents decide; any other declared type must be the file's own.
 */
const UNDECLARED_TYPES = ['', 'application/octet-stream', 'binary/octet-stream']

export interface UploadedFile {
  filename: string
  contentType: string
  bytes: Uint8Array
}

export interface CheckUploadOptions {
  /** The field the errors name; 'file' unless told. */
  field?: string
  maxBytes?: number
  allowed?: readonly UploadKind[]
}

export type UploadCheck =
  | {
      ok: true
      kind: UploadKind
      /** The type stored and sent back on download, from the kind found (never the declared one). */
      contentType: string
      sizeBytes: number
      sha256: string
      /** The original name made safe to store and to send in a Content-Disposition header. */
      filename: string
    }
  | { ok: false; errors: FieldError[] }

/** "PDF, DOCX, XLSX, PPTX, PNG or JPEG". */
export function kindList(kinds: readonly UploadKind[]): string {
  const names = kinds.map((k) => UPLOAD_KINDS[k].name)
  return names.length <= 1 ? names.join('') : `${names.slice(0, -1).join(', ')} or ${names.at(-1)}`
}

function sizeText(bytes: number): string {
  const mb = bytes / (1024 * 1024)
  return Number.isInteger(mb) ? `${mb} MB` : `${Math.round(bytes / 1024)} KB`
}

export function checkUpload(file: UploadedFile, options: CheckUploadOptions = {}): UploadCheck {
  const field = options.field ?? 'file'
  const maxBytes = options.maxBytes ?? MAX_UPLOAD_BYTES
  const allowed = options.allowed ?? ALL_UPLOAD_KINDS
  const refuse = (code: string, message: string): UploadCheck => ({
    ok: false,
    errors: [{ code, field, message }],
  })
  const mustBe = `The selected file must be a ${kindList(allowed)}`
  if (!(file.bytes instanceof Uint8Array) || (file.bytes.length === 0 && file.filename.trim() === '')) {
    return refuse('required', 'Select a file')
  }
  if (file.bytes.length === 0) return refuse('empty', 'The selected file is empty')
  if (file.bytes.length > maxBytes) {
    return refuse('too-large', `The selected file must be smaller than ${sizeText(maxBytes)}`)
  }
  const extension = extensionOf(file.filename)
  const kind = allowed.find((k) => UPLOAD_KINDS[k].extensions.includes(extension))
  if (!kind) return refuse('wrong-type', mustBe)
  const rule = UPLOAD_KINDS[kind]
  const declared = (file.contentType.split(';')[0] ?? '').trim().toLowerCase()
  if (!UNDECLARED_TYPES.includes(declared) && !rule.contentTypes.includes(declared)) {
    return refuse('wrong-type', `${mustBe}: this one is not a ${rule.name}`)
  }
  if (!rule.matches(file.bytes)) {
    return refuse('wrong-contents', `${mustBe}: this one is not a ${rule.name}`)
  }
  return {
    ok: true,
    kind,
    contentType: rule.contentTypes[0]!,
    sizeBytes: file.bytes.length,
    sha256: createHash('sha256').update(file.bytes).digest('hex'),
    filename: sanitiseFilename(file.filename, rule.extensions[0]!),
  }
}

/** The last extension, lower case, without its dot: "report.final.PDF" is "pdf". */
function extensionOf(filename: string): string {
  const base = baseName(filename)
  const dot = base.lastIndexOf('.')
  return dot <= 0 ? '' : base.slice(dot + 1).toLowerCase()
}

function baseName(filename: string): string {
  return filename.split(/[\\/]/).at(-1) ?? ''
}

const MAX_NAME = 200

/**
 * The name without any folder, control characters, or characters that mean something to a shell,
 * a file system or a header (quotes, slashes, angle brackets, colons): letters and numbers in any
 * language, spaces, dots, hyphens, underscores and brackets. At most 200 characters, keeping the
 * extension; "evidence.<ext>" when nothing is left.
 */
export function sanitiseFilename(filename: string, fallbackExtension: string): string {
  const cleaned = baseName(filename.normalize('NFC'))
    .replace(/[^\p{L}\p{N} ._()-]/gu, '_')
    .replace(/\s+/g, ' ')
    .replace(/^[ .]+|[ .]+$/g, '')
  const dot = cleaned.lastIndexOf('.')
  const stem = dot > 0 ? cleaned.slice(0, dot) : cleaned
  const extension = dot > 0 ? cleaned.slice(dot) : ''
  if (stem.replace(/[_ ]/g, '') === '') return `evidence.${fallbackExtension}`
  const room = MAX_NAME - extension.length
  return [...stem].slice(0, room).join('').trimEnd() + extension
}

/**
 * The names in a zip archive's central directory, read from the end-of-central-directory record;
 * undefined when the bytes are not a well-formed zip archive.
 */
export function zipEntryNames(bytes: Uint8Array): string[] | undefined {
  if (!startsWith(bytes, [0x50, 0x4b, 0x03, 0x04]) || bytes.length < 22) return undefined
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  // The end record is 22 bytes plus a comment of up to 65,535.
  let end = -1
  for (let i = bytes.length - 22; i >= Math.max(0, bytes.length - 22 - 0xffff); i--) {
    if (view.getUint32(i, true) === 0x06054b50) {
      end = i
      break
    }
  }
  if (end < 0) return undefined
  const count = view.getUint16(end + 10, true)
  const size = view.getUint32(end + 12, true)
  let at = view.getUint32(end + 16, true)
  if (at + size > end) return undefined
  const names: string[] = []
  const decoder = new TextDecoder()
  for (let i = 0; i < count; i++) {
    if (at + 46 > end || view.getUint32(at, true) !== 0x02014b50) return undefined
    const nameLength = view.getUint16(at + 28, true)
    const extraLength = view.getUint16(at + 30, true)
    const commentLength = view.getUint16(at + 32, true)
    if (at + 46 + nameLength > end) return undefined
    names.push(decoder.decode(bytes.subarray(at + 46, at + 46 + nameLength)))
    at += 46 + nameLength + extraLength + commentLength
  }
  return names
}
