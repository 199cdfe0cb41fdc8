// COPY ... FROM STDIN over node-postgres without the pg-copy-streams package: a minimal
// "submittable" query object that speaks the COPY-in sub-protocol on the client's connection
// (the same messages pg-copy-streams sends). Used only as the bench's baseline for bulk loading.
import type pg from 'pg'

/** The connection methods node-postgres has for COPY, which its type definitions do not list. */
interface CopyConnection extends pg.Connection {
  sendCopyFromChunk(chunk: Buffer): void
  endCopyFrom(): void
  sendCopyFail(message: string): void
}

const CHUNK_BYTES = 64 * 1024

class CopyFromStdin implements pg.Submittable {
  private rowCount = 0
  private settled = false

  constructor(
    private readonly text: string,
    private readonly data: Buffer,
    private readonly resolve: (rows: number) => void,
    private readonly reject: (error: Error) => void,
  ) {}

  submit(connection: pg.Connection): void {
    connection.query(this.text)
  }

  handleCopyInResponse(connection: CopyConnection): void {
    for (let start = 0; start < this.data.length; start += CHUNK_BYTES) {
      connection.sendCopyFromChunk(this.data.subarray(start, start + CHUNK_BYTES))
    }
    connection.endCopyFrom()
  }

  handleCommandComplete(message: { text?: string }): void {
    const count = Number((message.text ?? '').split(' ').pop())
    if (Number.isFinite(count)) this.rowCount = count
  }

  handleReadyForQuery(): void {
    if (this.settled) return
    this.settled = true
    this.resolve(this.rowCount)
  }

  handleError(error: Error): void {
    if (this.settled) return
    this.settled = true
    this.reject(error)
  }

  // Messages a COPY FROM never carries; present because the client may call them on any query.
  handleRowDescription(): void {}
  handleDataRow(): void {}
  handleEmptyQuery(): void {}
  handlePortalSuspended(): void {}
  handleCopyData(): void {}
}

/** Runs `COPY ... FROM STDIN ...` on the client, sending data; resolves with the rows copied. */
export function copyFromStdin(client: pg.ClientBase, copySql: string, data: Buffer): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    client.query(new CopyFromStdin(copySql, data, resolve, reject))
  })
}
