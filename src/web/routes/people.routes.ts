// Pages for signed-in people: their account, API tokens and the download of their own data, hub
// teams, people and roles (with a person's data download and erasure), a school's people, hub
// administration and the audit trail. Every page calls a use-case, which
// decides access; a record the actor may not see is "page not found".
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import {
  canEditPerson,
  canManageAnyGrant,
  canManageHubs,
  canManageOwnApiTokens,
  hubRolesGrantableBy,
  hubsAdministered,
  isNational,
  isNationalAdmin,
  schoolUrnsContacted,
} from '../../domain/access/access.policy.ts'
import { ROLE_NAMES, ROLES } from '../../domain/access/actor.ts'
import { hubsSeeingApplications } from '../../domain/applications/applications.policy.ts'
import { searchAuditTrail, AUDIT_RECORD_TYPES } from '../../domain/audit/search-audit-trail.ts'
import { createApiToken, listOwnApiTokens, revokeApiToken } from '../../domain/auth/api-tokens.ts'
import { findHub, listHubs } from '../../domain/hubs/hubs.repository.ts'
import { assignHubArea, removeHubArea, updateHubDetails } from '../../domain/hubs/manage-hubs.ts'
import { editPerson, viewPersonToEdit } from '../../domain/people/edit-person.ts'
import { grantRole, scopeText } from '../../domain/people/grant-role.ts'
import { liveGrantsOf } from '../../domain/people/people.repository.ts'
import { canManageCohorts } from '../../domain/programmes/programmes.policy.ts'
import { revokeGrant } from '../../domain/people/revoke-grant.ts'
import { erasePerson } from '../../domain/privacy/erase-person.ts'
import { erasedAtOf } from '../../domain/privacy/erasure.repository.ts'
import { exportPersonalData, type PersonalDataFile } from '../../domain/privacy/export-personal-data.ts'
import { canErasePersonalData, canExportPersonalData } from '../../domain/privacy/privacy.policy.ts'
import { viewErasure } from '../../domain/privacy/view-erasure.ts'
import { hubsReviewedBy } from '../../domain/selection/reviewing/reviews.policy.ts'
import {
  PEOPLE_PAGE_SIZE,
  viewHubTeam,
  viewPeople,
  viewPerson,
  viewSchoolStaff,
} from '../../domain/people/view-people.ts'
import type { UseCaseContext } from '../../domain/use-case.ts'
import { NotFoundError } from '../../errors.ts'
import { firstValues } from '../forms.ts'
import { guarded, idParam, notFound, slugParam as hubParam } from '../route-params.ts'
import { orShowAgain } from '../page.ts'
import { canSeeSelection, isSpecialist } from '../navigation.ts'
import { cohortsWithSpecialists } from '../../domain/participants/roster/roster.ts'
import { pageRequest, pagingFor } from '../paging.ts'

export interface PeopleRouteDeps {
  context(request: FastifyRequest): UseCaseContext
}

function body(request: FastifyRequest): Record<string, string> {
  return firstValues(request.body)
}

/** A subject access export as a download: never cached, never shown inline. */
function sendPersonalData(reply: FastifyReply, file: PersonalDataFile) {
  return reply
    .header('content-type', file.contentType)
    .header('content-disposition', `attachment; filename="${file.fileName}"`)
    .header('cache-control', 'no-store')
    .send(file.body)
}

/** A local path to go back to after a form, never another site. */
function safeNext(next: string | undefined, fallback: string): string {
  return next && /^\/[a-z0-9/_-]*$/i.test(next) && !next.startsWith('//') ? next : fallback
}

export function peopleRoutes(app: FastifyInstance, deps: PeopleRouteDeps): void {
  app.get(
    '/account',
    guarded(async (request, reply) => {
      const actor = request.actor
      if (actor.kind !== 'person') return notFound(reply)
      const grants = await liveGrantsOf(deps.context(request).db, actor.personId)
      const links: { text: string; href: string }[] = [{ text: 'Your applications', href: '/applications' }]
      // Everyone has the page; a Mastery Specialist's shows their programme.
      links.push({
        text: isSpecialist(actor) ? 'Your programme: events, attendance and your calendar' : 'Your programme',
        href: '/my-programme',
      })
      if (hubsReviewedBy(actor).length > 0)
        links.push({ text: 'Applications for you to review', href: '/reviews' })
      if (isNational(actor)) links.push({ text: 'People and roles', href: '/admin/people' })
      if (isNational(actor)) links.push({ text: 'Every hub’s applications', href: '/admin/applications' })
      if (canSeeSelection(actor)) links.push({ text: 'Selection of Mastery Specialists', href: '/selection' })
      if (canManageCohorts(actor))
        links.push({ text: 'Programmes and cohorts (set up, change and close cohorts)', href: '/programmes' })
      if (isNational(actor)) {
        for (const c of await cohortsWithSpecialists(deps.context(request).db)) {
          links.push({
            text: `Mastery Specialists: ${c.programmeName}, Cohort ${c.number}`,
            href: `/cohorts/${c.id}/specialists`,
          })
        }
      }
      if (isNationalAdmin(actor)) links.push({ text: 'Audit trail', href: '/admin/audit' })
      if (isNationalAdmin(actor))
        links.push({ text: 'End-of-year questionnaire: questions', href: '/evaluation/questions' })
      if (isNational(actor))
        links.push({ text: 'Work Group questionnaire answers, every hub', href: '/evaluation/results' })
      if (canManageHubs(actor)) links.push({ text: 'Hubs (edit names, contacts and areas)', href: '/hubs' })
      for (const grant of grants) {
        if (grant.hubId && hubsAdministered(actor).includes(grant.hubId)) {
          links.push({ text: `${grant.hubName} team`, href: `/hubs/${grant.hubId}/team` })
        }
        if (grant.hubId && hubsAdministered(actor).includes(grant.hubId)) {
          links.push({ text: `${grant.hubName} events`, href: `/hubs/${grant.hubId}/events` })
          links.push({ text: `${grant.hubName} Work Groups`, href: `/hubs/${grant.hubId}/work-groups` })
          links.push({
            text: `${grant.hubName} Work Group questionnaire answers`,
            href: `/hubs/${grant.hubId}/evaluation`,
          })
        }
        if (grant.hubId && hubsSeeingApplications(actor).includes(grant.hubId)) {
          links.push({ text: `Applications to ${grant.hubName}`, href: `/hubs/${grant.hubId}/applications` })
        }
        if (grant.schoolUrn && schoolUrnsContacted(actor).includes(grant.schoolUrn)) {
          links.push({
            text: `Applications from ${grant.schoolName}`,
            href: `/schools/${grant.schoolUrn}/applications`,
          })
          links.push({ text: `People at ${grant.schoolName}`, href: `/schools/${grant.schoolUrn}/people` })
          links.push({
            text: `${grant.schoolName}: teaching for mastery journey`,
            href: `/schools/${grant.schoolUrn}/journey`,
          })
          links.push({
            text: `${grant.schoolName}: Work Groups`,
            href: `/schools/${grant.schoolUrn}/work-groups`,
          })
        }
      }
      return reply.view('account.njk', {
        pageTitle: 'Your account',
        person: { name: actor.name, email: actor.email },
        editHref: `/people/${actor.personId}/edit`,
        recordHref: `/people/${actor.personId}`,
        grants: grants.map((g) => ({ ...g, roleName: ROLE_NAMES[g.role], scope: scopeText(g) })),
        links: [...new Map(links.map((l) => [l.href, l])).values()],
        canUseApiTokens: canManageOwnApiTokens(actor),
      })
    }),
  )

  async function tokensPage(
    request: FastifyRequest,
    reply: FastifyReply,
    extra: Record<string, unknown> = {},
  ) {
    const context = deps.context(request)
    const actor = context.actor
    if (actor.kind !== 'person' || !canManageOwnApiTokens(actor)) throw new NotFoundError('API tokens')
    const tokens = await listOwnApiTokens(context)
    const grants = await liveGrantsOf(context.db, actor.personId)
    return reply.view('api-tokens.njk', {
      pageTitle: 'API tokens',
      tokens: tokens.map((t) => ({
        id: t.id,
        name: t.name,
        tokenPrefix: t.token_prefix,
        roleName: ROLE_NAMES[t.role],
        scope: scopeText({ role: t.role, hubName: t.hub_name, schoolName: t.school_name }),
        createdAt: t.created_at,
        lastUsedAt: t.last_used_at,
        revokedAt: t.revoked_at,
      })),
      grantOptions: grants.map((g) => ({
        value: String(g.id),
        text: `${ROLE_NAMES[g.role]}: ${scopeText(g)}`,
      })),
      values: {},
      ...extra,
    })
  }

  app.get(
    '/account/api-tokens',
    guarded((request, reply) => tokensPage(request, reply)),
  )

  // No HEAD for the downloads: a HEAD request would build the file and audit an export nobody received.
  const getOnly = { exposeHeadRoute: false }

  app.get(
    '/account/personal-data',
    getOnly,
    guarded(async (request, reply) => {
      const actor = request.actor
      if (actor.kind !== 'person') return notFound(reply)
      return sendPersonalData(reply, await exportPersonalData(deps.context(request), actor.personId))
    }),
  )

  app.post(
    '/account/api-tokens',
    guarded(async (request, reply) => {
      return orShowAgain(
        async () => {
          const { token } = await createApiToken(deps.context(request), body(request))
          return tokensPage(request, reply.code(201), { newToken: token })
        },
        (errors) => tokensPage(request, reply.code(422), { errors, values: body(request) }),
      )
    }),
  )

  app.post(
    '/account/api-tokens/:id/revoke',
    guarded(async (request, reply) => {
      const parsed = idParam.safeParse(request.params)
      if (!parsed.success) return notFound(reply)
      await revokeApiToken(deps.context(request), parsed.data.id)
      return reply.redirect('/account/api-tokens', 303)
    }),
  )

  async function teamPage(
    request: FastifyRequest,
    reply: FastifyReply,
    hubId: string,
    extra: Record<string, unknown> = {},
  ) {
    // After adding someone: the grant just made, named in the success banner (any other id shows none).
    const added = /^\d{1,10}$/.exec(firstValues(request.query).added ?? '')?.[0]
    const team = await viewHubTeam(
      deps.context(request),
      hubId,
      pageRequest(request.query, PEOPLE_PAGE_SIZE),
      added === undefined ? undefined : Number(added),
    )
    const teamPath = `/hubs/${encodeURIComponent(team.hub.id)}/team`
    return reply.view('hub-team.njk', {
      added: team.added && { name: team.added.name, roleName: ROLE_NAMES[team.added.role] },
      pageTitle: `${team.hub.name} team`,
      hub: team.hub,
      members: team.members.items.map((m) => ({
        ...m,
        editHref: m.editable ? `/people/${m.id}/edit` : null,
        grants: m.grants.map((g) => ({ ...g, roleName: ROLE_NAMES[g.role] })),
      })),
      paging: pagingFor(team.members, teamPath, {}, { one: 'person', many: 'people' }),
      grantableRoles: team.grantableRoles.map((role) => ({ value: role, text: ROLE_NAMES[role] })),
      values: {},
      ...extra,
    })
  }

  app.get(
    '/hubs/:id/team',
    guarded(async (request, reply) => {
      const parsed = hubParam.safeParse(request.params)
      if (!parsed.success) return notFound(reply)
      return teamPage(request, reply, parsed.data.id)
    }),
  )

  app.post(
    '/hubs/:id/team',
    guarded(async (request, reply) => {
      const parsed = hubParam.safeParse(request.params)
      if (!parsed.success) return notFound(reply)
      const values = body(request)
      return orShowAgain(
        async () => {
          const { grantId } = await grantRole(deps.context(request), {
            ...values,
            hubId: parsed.data.id,
            name: values.name || undefined,
            workplaceUrn: values.workplaceUrn?.trim() || undefined,
          })
          return reply.redirect(`/hubs/${parsed.data.id}/team?added=${grantId}`, 303)
        },
        (errors) => teamPage(request, reply.code(422), parsed.data.id, { errors, values }),
      )
    }),
  )

  app.post(
    '/grants/:id/revoke',
    guarded(async (request, reply) => {
      const parsed = idParam.safeParse(request.params)
      if (!parsed.success) return notFound(reply)
      await revokeGrant(deps.context(request), parsed.data.id)
      return reply.redirect(safeNext(body(request).next, '/account'), 303)
    }),
  )

  app.get(
    '/admin/people',
    guarded(async (request, reply) => {
      const q = firstValues(request.query).q?.trim().slice(0, 100)
      const people = await viewPeople(deps.context(request), {
        q,
        ...pageRequest(request.query, PEOPLE_PAGE_SIZE),
      })
      return reply.view('people.njk', {
        pageTitle: 'People',
        q: q ?? '',
        people: people.items.map((p) => ({
          ...p,
          grants: p.grants.map((g) => ({ roleName: ROLE_NAMES[g.role], scope: scopeText(g) })),
        })),
        paging: pagingFor(people, '/admin/people', { q }, { one: 'person', many: 'people' }),
        canManage: canManageAnyGrant(request.actor),
      })
    }),
  )

  async function roleForm(request: FastifyRequest) {
    const hubs = await listHubs(deps.context(request).db)
    return {
      roleOptions: ROLES.map((role) => ({ value: role, text: ROLE_NAMES[role] })),
      hubOptions: hubs.map((h) => ({ value: h.id, text: h.name })),
    }
  }

  app.get(
    '/admin/people/new',
    guarded(async (request, reply) => {
      if (!canManageAnyGrant(request.actor)) return notFound(reply)
      return reply.view('person-new.njk', {
        pageTitle: 'Add a person or role',
        ...(await roleForm(request)),
        values: {},
      })
    }),
  )

  app.post(
    '/admin/people/new',
    guarded(async (request, reply) => {
      if (!canManageAnyGrant(request.actor)) return notFound(reply)
      const values = body(request)
      return orShowAgain(
        async () => {
          const { personId } = await grantRole(
            deps.context(request),
            withoutBlanks(values, NEW_PERSON_FIELDS),
          )
          return reply.redirect(`/people/${personId}`, 303)
        },
        async (errors) =>
          reply.code(422).view('person-new.njk', {
            pageTitle: 'Add a person or role',
            ...(await roleForm(request)),
            values,
            errors,
          }),
      )
    }),
  )

  async function personPage(
    request: FastifyRequest,
    reply: FastifyReply,
    personId: number,
    extra: Record<string, unknown> = {},
  ) {
    const person = await viewPerson(deps.context(request), personId)
    const actor = request.actor
    const erasedAt = await erasedAtOf(deps.context(request).db, person.id)
    return reply.view('person.njk', {
      pageTitle: person.name,
      person: {
        ...person,
        grants: person.grants.map((g) => ({
          ...g,
          roleName: ROLE_NAMES[g.role],
          scope: scopeText(g),
          canRevoke: g.hubId
            ? hubRolesGrantableBy(actor, g.hubId).includes(g.role)
            : canManageAnyGrant(actor),
        })),
      },
      canGrant: canManageAnyGrant(actor) && erasedAt === null,
      canEdit: erasedAt === null && canEditPerson(actor, person),
      dataProtection: {
        canExport: canExportPersonalData(actor, person.id),
        canErase: canErasePersonalData(actor) && actor.kind === 'person' && actor.personId !== person.id,
        erasedAt,
      },
      ...(await roleForm(request)),
      values: {},
      ...extra,
    })
  }

  app.get(
    '/people/:id/personal-data',
    getOnly,
    guarded(async (request, reply) => {
      const parsed = idParam.safeParse(request.params)
      if (!parsed.success) return notFound(reply)
      return sendPersonalData(reply, await exportPersonalData(deps.context(request), parsed.data.id))
    }),
  )

  async function erasePage(
    request: FastifyRequest,
    reply: FastifyReply,
    personId: number,
    extra: Record<string, unknown> = {},
  ) {
    const view = await viewErasure(deps.context(request), personId)
    return reply.view('person-erase.njk', {
      pageTitle: `Erase ${view.person.name}’s personal data`,
      ...view,
      values: {},
      ...extra,
    })
  }

  app.get(
    '/people/:id/erase',
    guarded(async (request, reply) => {
      const parsed = idParam.safeParse(request.params)
      if (!parsed.success) return notFound(reply)
      return erasePage(request, reply, parsed.data.id)
    }),
  )

  app.post(
    '/people/:id/erase',
    guarded(async (request, reply) => {
      const parsed = idParam.safeParse(request.params)
      if (!parsed.success) return notFound(reply)
      const values = body(request)
      return orShowAgain(
        async () => {
          await erasePerson(deps.context(request), parsed.data.id, { confirm: values.confirm })
          return reply.redirect(`/people/${parsed.data.id}`, 303)
        },
        (errors) => erasePage(request, reply.code(422), parsed.data.id, { errors, values }),
      )
    }),
  )

  app.get(
    '/people/:id',
    guarded(async (request, reply) => {
      const parsed = idParam.safeParse(request.params)
      if (!parsed.success) return notFound(reply)
      return personPage(request, reply, parsed.data.id)
    }),
  )

  async function editPage(
    request: FastifyRequest,
    reply: FastifyReply,
    personId: number,
    extra: Record<string, unknown> = {},
  ) {
    const person = await viewPersonToEdit(deps.context(request), personId)
    const own = request.actor.kind === 'person' && request.actor.personId === person.id
    return reply.view('person-edit.njk', {
      pageTitle: own ? 'Change your details' : `Change ${person.name}’s details`,
      person,
      own,
      backHref: own ? '/account' : `/people/${person.id}`,
      ...extra,
    })
  }

  app.get(
    '/people/:id/edit',
    guarded(async (request, reply) => {
      const parsed = idParam.safeParse(request.params)
      if (!parsed.success) return notFound(reply)
      return editPage(request, reply, parsed.data.id)
    }),
  )

  app.post(
    '/people/:id/edit',
    guarded(async (request, reply) => {
      const parsed = idParam.safeParse(request.params)
      if (!parsed.success) return notFound(reply)
      const values = body(request)
      return orShowAgain(
        async () => {
          const person = await editPerson(deps.context(request), parsed.data.id, editPersonForm(values))
          const own = request.actor.kind === 'person' && request.actor.personId === person.id
          return reply.redirect(own ? '/account' : `/people/${person.id}`, 303)
        },
        (errors) => editPage(request, reply.code(422), parsed.data.id, { errors, values }),
      )
    }),
  )

  app.post(
    '/people/:id/grants',
    guarded(async (request, reply) => {
      const parsed = idParam.safeParse(request.params)
      // Only those shown the form may send it: anyone else is refused before their input is read.
      if (!parsed.success || !canManageAnyGrant(request.actor)) return notFound(reply)
      const person = await viewPerson(deps.context(request), parsed.data.id)
      const values = body(request)
      return orShowAgain(
        async () => {
          await grantRole(deps.context(request), {
            ...withoutBlanks(values, PERSON_ROLE_FIELDS),
            email: person.email,
          })
          return reply.redirect(`/people/${person.id}`, 303)
        },
        (errors) => personPage(request, reply.code(422), person.id, { errors, values }),
      )
    }),
  )

  app.get(
    '/schools/:urn/people',
    guarded(async (request, reply) => {
      const urn = Number((request.params as { urn: string }).urn)
      if (!Number.isInteger(urn) || urn <= 0 || urn > 99_999_999) return notFound(reply)
      const { school, staff } = await viewSchoolStaff(
        deps.context(request),
        urn,
        pageRequest(request.query, PEOPLE_PAGE_SIZE),
      )
      return reply.view('school-staff.njk', {
        pageTitle: `${school.name}: people`,
        school,
        staff: staff.items.map((s) => ({
          ...s,
          grants: s.grants.map((g) => ({ roleName: ROLE_NAMES[g.role] })),
        })),
        paging: pagingFor(staff, `/schools/${urn}/people`, {}, { one: 'person', many: 'people' }),
      })
    }),
  )

  async function hubEditPage(
    request: FastifyRequest,
    reply: FastifyReply,
    hubId: string,
    extra: Record<string, unknown> = {},
  ) {
    if (!canManageHubs(request.actor)) throw new NotFoundError('Hub')
    const hub = await findHub(deps.context(request).db, hubId)
    if (!hub) throw new NotFoundError('Hub')
    return reply.view('hub-edit.njk', {
      pageTitle: `Edit ${hub.name}`,
      hub,
      values: {
        name: hub.name,
        contactEmail: hub.contactEmail,
        contactPhone: hub.contactPhone,
        website: hub.website,
      },
      areaValue: '',
      ...extra,
    })
  }

  app.get(
    '/admin/hubs/:id',
    guarded(async (request, reply) => {
      const parsed = hubParam.safeParse(request.params)
      if (!parsed.success) return notFound(reply)
      return hubEditPage(request, reply, parsed.data.id)
    }),
  )

  app.post(
    '/admin/hubs/:id',
    guarded(async (request, reply) => {
      const parsed = hubParam.safeParse(request.params)
      if (!parsed.success) return notFound(reply)
      const values = body(request)
      return orShowAgain(
        async () => {
          await updateHubDetails(deps.context(request), parsed.data.id, values)
          return reply.redirect(`/admin/hubs/${parsed.data.id}`, 303)
        },
        (errors) => hubEditPage(request, reply.code(422), parsed.data.id, { errors, values }),
      )
    }),
  )

  app.post(
    '/admin/hubs/:id/areas',
    guarded(async (request, reply) => {
      const parsed = hubParam.safeParse(request.params)
      if (!parsed.success) return notFound(reply)
      const values = body(request)
      return orShowAgain(
        async () => {
          await assignHubArea(deps.context(request), parsed.data.id, values)
          return reply.redirect(`/admin/hubs/${parsed.data.id}`, 303)
        },
        (errors) =>
          hubEditPage(request, reply.code(422), parsed.data.id, {
            errors,
            areaValue: values.laCode ?? '',
          }),
      )
    }),
  )

  app.post(
    '/admin/hubs/:id/areas/:laCode/remove',
    guarded(async (request, reply) => {
      const params = request.params as { id: string; laCode: string }
      const parsed = hubParam.safeParse({ id: params.id })
      if (!parsed.success || !/^\d{3}$/.test(params.laCode)) return notFound(reply)
      await removeHubArea(deps.context(request), parsed.data.id, params.laCode)
      return reply.redirect(`/admin/hubs/${parsed.data.id}`, 303)
    }),
  )

  app.get(
    '/admin/audit',
    guarded(async (request, reply) => {
      const values = firstValues(request.query)
      return orShowAgain(
        async () => {
          // The page's own page size: only the API lets a caller choose one.
          const search: Record<string, string | undefined> = { ...values, pageSize: undefined }
          // Before and after, written out as indented JSON for the page to show as it is.
          const asText = (value: unknown) => (value === null ? null : JSON.stringify(value, null, 2))
          const found = await searchAuditTrail(deps.context(request), search)
          const events = {
            ...found,
            items: found.items.map((e) => ({ ...e, before: asText(e.before), after: asText(e.after) })),
          }
          const { person, recordType, recordId, from, to } = search
          return reply.view('audit.njk', {
            pageTitle: 'Audit trail',
            values,
            events: events.items,
            paging: pagingFor(
              events,
              '/admin/audit',
              { person, recordType, recordId, from, to },
              {
                one: 'change',
                many: 'changes',
              },
            ),
            recordTypes: AUDIT_RECORD_TYPES,
          })
        },
        (errors) =>
          reply.code(422).view('audit.njk', {
            pageTitle: 'Audit trail',
            values,
            events: [],
            recordTypes: AUDIT_RECORD_TYPES,
            errors,
          }),
      )
    }),
  )
}

/** The edit form's answers as the use-case reads them: an empty box clears the workplace or TRN. */
function editPersonForm(values: Record<string, string>): Record<string, unknown> {
  const urn = values.workplaceUrn?.trim() ?? ''
  const trn = values.trn?.replace(/\s+/g, '') ?? ''
  return {
    name: values.name ?? '',
    workplaceUrn: urn === '' ? null : /^\d{1,9}$/.test(urn) ? Number(urn) : urn,
    trn: trn === '' ? null : trn,
  }
}

/** The fields each role form has: a field not on the form is not read (its error could link nowhere). */
const NEW_PERSON_FIELDS = ['email', 'name', 'role', 'hubId', 'schoolUrn']
const PERSON_ROLE_FIELDS = ['role', 'hubId', 'schoolUrn']

function withoutBlanks(values: Record<string, string>, fields: string[]): Record<string, string> {
  return Object.fromEntries(
    Object.entries(values).filter(([key, value]) => fields.includes(key) && value.trim() !== ''),
  )
}
