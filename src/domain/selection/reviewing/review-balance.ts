// Automatic assignment as a pure plan: every application gets up to `wanted` reviewers from those
// it may have, with the load spread evenly. It works in passes, so every application gets its
// first reviewer before any gets its second; within a pass the application with the fewest
// reviewers left to choose from goes first, and takes the least-loaded of them. Greedy choices can
// still leave one reviewer two or more ahead of another, so the plan is then evened out: a new
// assignment moves from the busiest reviewer along a chain of reviewers who may take it to one at
// least two behind, until no such chain is left (with no conflicts, loads end within one).
// Ties go to the lower id, so the same facts always give the same plan.

export interface ApplicationToCover {
  applicationId: number
  /** Reviewers already assigned (live). */
  assigned: readonly number[]
  /** Reviewers who may still be given it: eligible, without a conflict, not already assigned. */
  candidates: readonly number[]
}

export interface AssignmentPlan {
  /** New assignments, by application and then reviewer. */
  assignments: { applicationId: number; reviewerId: number }[]
  /** Applications left with fewer than `wanted` reviewers: how many they have. */
  short: { applicationId: number; assigned: number }[]
  /** Each reviewer's load afterwards (the starting load plus the new assignments). */
  load: Map<number, number>
}

interface Cover {
  applicationId: number
  existing: ReadonlySet<number>
  candidates: readonly number[]
  added: Set<number>
}

const byNumber = (a: number, b: number) => a - b

function has(cover: Cover, reviewerId: number): boolean {
  return cover.existing.has(reviewerId) || cover.added.has(reviewerId)
}

/** Moves one new assignment along a chain from `from` to a reviewer at least two behind; false if none. */
function evenOut(covers: readonly Cover[], load: Map<number, number>, from: number): boolean {
  const limit = load.get(from)! - 2
  const via = new Map<number, { reviewer: number; cover: Cover }>()
  const queue = [from]
  const seen = new Set([from])
  while (queue.length > 0) {
    const reviewer = queue.shift()!
    for (const cover of covers) {
      if (!cover.added.has(reviewer)) continue
      for (const next of cover.candidates) {
        if (seen.has(next) || has(cover, next)) continue
        seen.add(next)
        via.set(next, { reviewer, cover })
        if (load.get(next)! <= limit) {
          // Walk back from the reviewer with room, moving one assignment along each link.
          let to = next
          while (to !== from) {
            const link = via.get(to)!
            link.cover.added.delete(link.reviewer)
            link.cover.added.add(to)
            to = link.reviewer
          }
          load.set(from, load.get(from)! - 1)
          load.set(next, load.get(next)! + 1)
          return true
        }
        queue.push(next)
      }
    }
  }
  return false
}

export function planAssignments(
  applications: readonly ApplicationToCover[],
  reviewers: readonly { reviewerId: number; load: number }[],
  wanted: number,
): AssignmentPlan {
  const load = new Map(reviewers.map((r) => [r.reviewerId, r.load]))
  const covers: Cover[] = [...applications]
    .sort((a, b) => a.applicationId - b.applicationId)
    .map((a) => ({
      applicationId: a.applicationId,
      existing: new Set(a.assigned),
      candidates: [...new Set(a.candidates)]
        .filter((id) => load.has(id) && !a.assigned.includes(id))
        .sort(byNumber),
      added: new Set<number>(),
    }))
  const count = (c: Cover) => c.existing.size + c.added.size
  const options = (c: Cover) => c.candidates.filter((id) => !c.added.has(id))

  for (let pass = 1; pass <= wanted; pass++) {
    const pending = new Set(covers.filter((c) => count(c) < pass && options(c).length > 0))
    while (pending.size > 0) {
      let next: Cover | undefined
      for (const c of pending) {
        const size = options(c).length
        if (!next || size < options(next).length) next = c
      }
      pending.delete(next!)
      let reviewerId: number | undefined
      for (const id of options(next!)) {
        if (reviewerId === undefined || load.get(id)! < load.get(reviewerId)!) reviewerId = id
      }
      if (reviewerId === undefined) continue
      next!.added.add(reviewerId)
      load.set(reviewerId, load.get(reviewerId)! + 1)
    }
  }

  // Even out: from the busiest reviewer down, while some chain can move an assignment on.
  for (;;) {
    const busiest = [...load.keys()].sort((a, b) => load.get(b)! - load.get(a)! || a - b)
    if (!busiest.some((reviewerId) => evenOut(covers, load, reviewerId))) break
  }

  return {
    assignments: covers.flatMap((c) =>
      [...c.added].sort(byNumber).map((reviewerId) => ({ applicationId: c.applicationId, reviewerId })),
    ),
    short: covers
      .filter((c) => count(c) < wanted)
      .map((c) => ({ applicationId: c.applicationId, assigned: count(c) })),
    load,
  }
}
