// Every use-case that changes state writes its audit row in the same transaction as the change:
// the audit row records its transaction id, which must equal the changed row's xmin. And a change
// that rolls back leaves neither the change, its audit row nor its email.
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { actorForPerson } from '../src/domain/access/actors.repository.ts'
import type { Actor } from '../src/domain/access/actor.ts'
import { rowTransactionId } from '../src/domain/audit/audit.ts'
import { createApiToken, revokeApiToken } from '../src/domain/auth/api-tokens.ts'
import { requestSignInLink, useSignInLink } from '../src/domain/auth/sign-in-link.ts'
import { assignHubArea, removeHubArea, updateHubDetails } from '../src/domain/hubs/manage-hubs.ts'
import { grantRole } from '../src/domain/people/grant-role.ts'
import { revokeGrant } from '../src/domain/people/revoke-grant.ts'
import type { UseCaseContext } from '../src/domain/use-case.ts'
import { createTestApp, type TestApp } from './app.ts'

let t: TestApp
let admin: Actor

beforeAll(async () => {
  t = await createTestApp()
  const nadia = await t.database.db
    .selectFrom('people')
    .select('id')
    .where('email', '=', 'nadia.khan@ncetm.example')
    .executeTakeFirstOrThrow()
  admin = (await actorForPerson(t.database.db, nadia.id))!
})
afterAll(async () => {
  await t?.close()
})

function context(actor: Actor = admin): UseCaseContext {
  return {
    db: t.database.db,
    actor,
    clock: t.clock,
    requestId: 'test-request',
    baseUrl: 'http://localhost:3000',
  }
}

async function lastAudit() {
  return t.database.db.selectFrom('audit_events').selectAll().orderBy('id', 'desc').executeTakeFirstOrThrow()
}

async function expectSameTransaction(table: string, column: string, value: unknown, action: string) {
  const audit = await lastAudit()
  expect(audit.action).toBe(action)
  expect(audit.request_id).toBe('test-request')
  const xmin = await rowTransactionId(t.database.db, table, { column, value })
  expect(xmin, `${action}: the ${table} row's transaction`).toBe(Number(audit.transaction_id))
}

describe('each use-case audits in the same transaction as its change', () => {
  it('grantRole, revokeGrant', async () => {
    const { grantId, personId } = await grantRole(context(), {
      email: 'audit.person@school.example',
      name: 'Audit Person',
      role: 'reviewer',
      hubId: 'northvale-maths-hub',
    })
    await expectSameTransaction('grants', 'id', grantId, 'grant.create')
    const created = await t.database.db
      .selectFrom('audit_events')
      .select(['action', 'transaction_id'])
      .where('record_type', '=', 'person')
      .where('record_id', '=', String(personId))
      .execute()
    expect(created.map((a) => a.action)).toEqual(['person.create'])
    const outbox = await t.database.db
      .selectFrom('outbox')
      .select('id')
      .where('to_address', '=', 'audit.person@school.example')
      .executeTakeFirstOrThrow()
    expect(await rowTransactionId(t.database.db, 'outbox', { column: 'id', value: outbox.id })).toBe(
      Number((await lastAudit()).transaction_id),
    )

    await revokeGrant(context(), grantId)
    await expectSameTransaction('grants', 'id', grantId, 'grant.revoke')
  })

  it('updateHubDetails, assignHubArea, removeHubArea', async () => {
    await updateHubDetails(context(), 'eastmoor-maths-hub', {
      name: 'Eastmoor Maths Hub',
      contactEmail: 'hello@eastmoor.example',
    })
    await expectSameTransaction('hubs', 'id', 'eastmoor-maths-hub', 'hub.update')
    await assignHubArea(context(), 'eastmoor-maths-hub', { laCode: '958' })
    await expectSameTransaction('hub_areas', 'la_code', '958', 'hub-area.assign')
    await removeHubArea(context(), 'eastmoor-maths-hub', '958')
    const audit = await lastAudit()
    expect(audit).toMatchObject({ action: 'hub-area.remove', record_id: '958' })
    expect(
      await t.database.db.selectFrom('hub_areas').select('la_code').where('la_code', '=', '958').execute(),
    ).toEqual([])
  })

  it('createApiToken, revokeApiToken', async () => {
    const { id } = await createApiToken(context(), {
      name: 'Reporting',
      grantId: admin.kind === 'person' ? admin.grants[0]!.id : 0,
    })
    await expectSameTransaction('api_tokens', 'id', id, 'api-token.create')
    await revokeApiToken(context(), id)
    await expectSameTransaction('api_tokens', 'id', id, 'api-token.revoke')
  })

  it('requestSignInLink, useSignInLink', async () => {
    await requestSignInLink(
      context({ kind: 'anonymous' }),
      { email: 'nadia.khan@ncetm.example' },
      { ip: '192.0.2.9' },
    )
    const token = await t.database.db
      .selectFrom('sign_in_tokens')
      .select('token_hash')
      .orderBy('created_at', 'desc')
      .executeTakeFirstOrThrow()
    await expectSameTransaction('sign_in_tokens', 'token_hash', token.token_hash, 'sign-in-link.create')
    const email = await t.database.db
      .selectFrom('outbox')
      .select('body_text')
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow()
    const link = /\/sign-in\/link\/([A-Za-z0-9_-]+)/.exec(email.body_text)![1]!
    expect(await useSignInLink(context({ kind: 'anonymous' }), link)).toBeGreaterThan(0)
    await expectSameTransaction('sign_in_tokens', 'token_hash', token.token_hash, 'sign-in-link.use')
  })
})

describe('a change that rolls back', () => {
  it('leaves no change, no audit row and no email', async () => {
    const before = {
      audit: (
        await t.database.db
          .selectFrom('audit_events')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
      outbox: (
        await t.database.db
          .selectFrom('outbox')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    }
    // A fault after the person and its audit row are written: the grant insert fails.
    await sql`CREATE FUNCTION refuse_advocates() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN IF NEW.role = 'mastery-advocate' THEN RAISE EXCEPTION 'simulated fault'; END IF; RETURN NEW; END $$`.execute(
      t.database.db,
    )
    await sql`CREATE TRIGGER refuse_advocates BEFORE INSERT ON grants FOR EACH ROW EXECUTE FUNCTION refuse_advocates()`.execute(
      t.database.db,
    )
    try {
      await expect(
        grantRole(context(), {
          email: 'rolled.back@school.example',
          name: 'Rolled Back',
          role: 'mastery-advocate',
        }),
      ).rejects.toThrow(/simulated fault/)
    } finally {
      await sql`DROP TRIGGER refuse_advocates ON grants`.execute(t.database.db)
      await sql`DROP FUNCTION refuse_advocates()`.execute(t.database.db)
    }
    const after = {
      audit: (
        await t.database.db
          .selectFrom('audit_events')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
      outbox: (
        await t.database.db
          .selectFrom('outbox')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    }
    expect(after).toEqual(before)
    expect(
      await t.database.db
        .selectFrom('people')
        .select('id')
        .where('email', '=', 'rolled.back@school.example')
        .execute(),
    ).toEqual([])
  })

  it('cannot be edited or deleted from the audit trail', async () => {
    await expect(t.database.db.deleteFrom('audit_events').execute()).rejects.toThrow(/append-only/)
    await expect(t.database.db.updateTable('audit_events').set({ action: 'x' }).execute()).rejects.toThrow(
      /append-only/,
    )
  })
})
