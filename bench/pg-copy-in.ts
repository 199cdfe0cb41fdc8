// COPY ... FROM STDIN through pg-copy-streams: the bench's baseline for bulk loading.
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import type pg from 'pg'
import { from as copyFrom } from 'pg-copy-streams'

/** Runs `COPY ... FROM STDIN ...` on the client, sending data; resolves with the rows copied. */
export async function copyFromStdin(client: pg.ClientBase, copySql: string, data: Buffer): Promise<number> {
  const stream = client.query(copyFrom(copySql))
  await pipeline(Readable.from([data]), stream)
  return stream.rowCount ?? 0
}
