// The shared upload check: each allowed type passes when its name, declared type and contents
// agree; a renamed program, a type the name does not match, a disguised zip, an empty or oversized
// file are each refused with a plain message; names are made safe.
import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { tableToXlsx } from './table-file.ts'
import { checkUpload, MAX_UPLOAD_BYTES, sanitiseFilename, zipEntryNames } from './uploads.ts'

/** A zip archive with the named entries, stored (not compressed), as Office writes its folders. */
function zipOf(names: string[]): Uint8Array {
  const encoder = new TextEncoder()
  const locals: Uint8Array[] = []
  const centrals: Uint8Array[] = []
  let offset = 0
  for (const name of names) {
    const nameBytes = encoder.encode(name)
    const data = encoder.encode('<x/>')
    const local = new Uint8Array(30 + nameBytes.length + data.length)
    const lv = new DataView(local.buffer)
    lv.setUint32(0, 0x04034b50, true)
    lv.setUint32(18, data.length, true)
    lv.setUint32(22, data.length, true)
    lv.setUint16(26, nameBytes.length, true)
    local.set(nameBytes, 30)
    local.set(data, 30 + nameBytes.length)
    const central = new Uint8Array(46 + nameBytes.length)
    const cv = new DataView(central.buffer)
    cv.setUint32(0, 0x02014b50, true)
    cv.setUint32(20, data.length, true)
    cv.setUint32(24, data.length, true)
    cv.setUint16(28, nameBytes.length, true)
    cv.setUint32(42, offset, true)
    central.set(nameBytes, 46)
    locals.push(local)
    centrals.push(central)
    offset += local.length
  }
  const centralSize = centrals.reduce((n, c) => n + c.length, 0)
  const end = new Uint8Array(22)
  const ev = new DataView(end.buffer)
  ev.setUint32(0, 0x06054b50, true)
  ev.setUint16(8, names.length, true)
  ev.setUint16(10, names.length, true)
  ev.setUint32(12, centralSize, true)
  ev.setUint32(16, offset, true)
  return Buffer.concat([...locals, ...centrals, end])
}

const PDF_BYTES = new TextEncoder().encode('%PDF-1.7\n1 0 obj\n<<>>\nendobj\n%%EOF\n')
const PNG_BYTES = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13])
const JPEG_BYTES = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 16, 0x4a, 0x46, 0x49, 0x46])
/** The start of a Windows program: "MZ". */
const EXE_BYTES = new Uint8Array([0x4d, 0x5a, 0x90, 0, 3, 0, 0, 0, 4, 0, 0, 0, 0xff, 0xff])

const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'
const PPTX = 'application/vnd.openxmlformats-officedocument.presentationml.presentation'

describe('checkUpload', () => {
  it('accepts each allowed type when its name, declared type and contents agree', async () => {
    const xlsx = await tableToXlsx(
      { sheetName: 'Evidence', columns: [{ header: 'Lesson', kind: 'text' }], rows: [['Fractions']] },
      new Date('2026-03-01T10:00:00Z'),
    )
    const cases = [
      { filename: 'plan.pdf', contentType: 'application/pdf', bytes: PDF_BYTES, kind: 'pdf' },
      {
        filename: 'plan.docx',
        contentType: DOCX,
        bytes: zipOf(['[Content_Types].xml', '_rels/.rels', 'word/document.xml']),
        kind: 'docx',
      },
      { filename: 'register.XLSX', contentType: XLSX, bytes: xlsx, kind: 'xlsx' },
      {
        filename: 'slides.pptx',
        contentType: PPTX,
        bytes: zipOf(['[Content_Types].xml', 'ppt/presentation.xml']),
        kind: 'pptx',
      },
      { filename: 'board.png', contentType: 'image/png', bytes: PNG_BYTES, kind: 'png' },
      { filename: 'photo.jpg', contentType: 'image/jpeg', bytes: JPEG_BYTES, kind: 'jpeg' },
      { filename: 'photo.jpeg', contentType: 'image/jpeg; charset=binary', bytes: JPEG_BYTES, kind: 'jpeg' },
    ] as const
    for (const c of cases) {
      const result = checkUpload(c)
      expect(result, c.filename).toMatchObject({ ok: true, kind: c.kind, sizeBytes: c.bytes.length })
    }
    expect(checkUpload(cases[0])).toEqual({
      ok: true,
      kind: 'pdf',
      contentType: 'application/pdf',
      sizeBytes: PDF_BYTES.length,
      sha256: createHash('sha256').update(PDF_BYTES).digest('hex'),
      filename: 'plan.pdf',
    })
  })

  it('lets the contents decide when the browser declared no type, but never a conflicting one', () => {
    const docx = zipOf(['[Content_Types].xml', 'word/document.xml'])
    expect(
      checkUpload({ filename: 'plan.docx', contentType: 'application/octet-stream', bytes: docx }),
    ).toMatchObject({ ok: true, kind: 'docx', contentType: DOCX })
    expect(checkUpload({ filename: 'plan.pdf', contentType: 'image/png', bytes: PDF_BYTES })).toEqual({
      ok: false,
      errors: [
        {
          code: 'wrong-type',
          field: 'file',
          message: 'The selected file must be a PDF, DOCX, XLSX, PPTX, PNG or JPEG: this one is not a PDF',
        },
      ],
    })
  })

  it('refuses a program renamed .pdf, and a PNG named as a JPEG', () => {
    const exe = checkUpload({ filename: 'plan.pdf', contentType: 'application/pdf', bytes: EXE_BYTES })
    expect(exe).toEqual({
      ok: false,
      errors: [
        {
          code: 'wrong-contents',
          field: 'file',
          message: 'The selected file must be a PDF, DOCX, XLSX, PPTX, PNG or JPEG: this one is not a PDF',
        },
      ],
    })
    expect(checkUpload({ filename: 'a.jpg', contentType: 'image/jpeg', bytes: PNG_BYTES })).toMatchObject({
      ok: false,
      errors: [{ code: 'wrong-contents' }],
    })
  })

  it('refuses a zip that is not the Office document its name says', () => {
    const plainZip = zipOf(['notes.txt'])
    expect(checkUpload({ filename: 'plan.docx', contentType: DOCX, bytes: plainZip })).toMatchObject({
      ok: false,
      errors: [{ code: 'wrong-contents', message: expect.stringContaining('this one is not a DOCX') }],
    })
    // A workbook renamed as a document.
    const xlsxInside = zipOf(['[Content_Types].xml', 'xl/workbook.xml'])
    expect(checkUpload({ filename: 'plan.docx', contentType: DOCX, bytes: xlsxInside }).ok).toBe(false)
    // "PK" and nothing after it is no archive.
    const cut = new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0, 0, 0, 0])
    expect(checkUpload({ filename: 'plan.docx', contentType: DOCX, bytes: cut }).ok).toBe(false)
  })

  it('refuses names with other extensions or none', () => {
    for (const filename of ['setup.exe', 'plan', 'plan.pdf.exe', 'notes.txt', '.pdf']) {
      expect(checkUpload({ filename, contentType: 'application/pdf', bytes: PDF_BYTES })).toEqual({
        ok: false,
        errors: [
          {
            code: 'wrong-type',
            field: 'file',
            message: 'The selected file must be a PDF, DOCX, XLSX, PPTX, PNG or JPEG',
          },
        ],
      })
    }
  })

  it('refuses an empty file, no file, and one over the limit, naming the limit', () => {
    expect(checkUpload({ filename: '', contentType: '', bytes: new Uint8Array() })).toMatchObject({
      ok: false,
      errors: [{ code: 'required', message: 'Select a file' }],
    })
    expect(
      checkUpload({ filename: 'a.pdf', contentType: 'application/pdf', bytes: new Uint8Array() }),
    ).toMatchObject({
      ok: false,
      errors: [{ code: 'empty', message: 'The selected file is empty' }],
    })
    const big = new Uint8Array(MAX_UPLOAD_BYTES + 1)
    big.set(PDF_BYTES)
    expect(checkUpload({ filename: 'a.pdf', contentType: 'application/pdf', bytes: big })).toEqual({
      ok: false,
      errors: [{ code: 'too-large', field: 'file', message: 'The selected file must be smaller than 10 MB' }],
    })
    const exactly = new Uint8Array(MAX_UPLOAD_BYTES)
    exactly.set(PDF_BYTES)
    expect(checkUpload({ filename: 'a.pdf', contentType: 'application/pdf', bytes: exactly }).ok).toBe(true)
  })

  it('takes a limit, a field and the allowed types from the caller', () => {
    expect(
      checkUpload(
        { filename: 'a.pdf', contentType: 'application/pdf', bytes: PDF_BYTES },
        { field: 'evidence', allowed: ['png', 'jpeg'], maxBytes: 1024 * 1024 },
      ),
    ).toEqual({
      ok: false,
      errors: [{ code: 'wrong-type', field: 'evidence', message: 'The selected file must be a PNG or JPEG' }],
    })
    const result = checkUpload(
      { filename: 'a.png', contentType: 'image/png', bytes: new Uint8Array(2048).fill(1) },
      { maxBytes: 1024 },
    )
    expect(result).toMatchObject({
      ok: false,
      errors: [{ message: 'The selected file must be smaller than 1 KB' }],
    })
  })
})

describe('sanitiseFilename', () => {
  it('keeps the name and its extension, without folders or unsafe characters', () => {
    expect(sanitiseFilename('C:\\Users\\tess\\Lesson plan (v2).pdf', 'pdf')).toBe('Lesson plan (v2).pdf')
    expect(sanitiseFilename('../../etc/passwd.pdf', 'pdf')).toBe('passwd.pdf')
    expect(sanitiseFilename('a"b<c>d;e\u0000f\r\n.pdf', 'pdf')).toBe('a_b_c_d_e_f__.pdf')
    expect(sanitiseFilename('Évaluation leçon.docx', 'docx')).toBe('Évaluation leçon.docx')
    expect(sanitiseFilename('???.pdf', 'pdf')).toBe('evidence.pdf')
    expect(sanitiseFilename('  ...hidden.png  ', 'png')).toBe('hidden.png')
    const long = sanitiseFilename(`${'x'.repeat(300)}.pdf`, 'pdf')
    expect(long).toHaveLength(200)
    expect(long.endsWith('.pdf')).toBe(true)
  })
})

describe('zipEntryNames', () => {
  it('lists an archive’s names and refuses what is not one', () => {
    expect(zipEntryNames(zipOf(['a.xml', 'b/c.xml']))).toEqual(['a.xml', 'b/c.xml'])
    expect(zipEntryNames(PDF_BYTES)).toBeUndefined()
    const broken = zipOf(['a.xml'])
    broken[broken.length - 6] = 0xff // the central directory's offset now points past the end
    expect(zipEntryNames(broken)).toBeUndefined()
  })
})
