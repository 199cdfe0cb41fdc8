// Use-case: download a file handed in as evidence, with its checked type, size, SHA-256 and safe
// name (the route sends it as an attachment). Seen by the specialist, their hub's lead and
// administrators, and NCETM's national administrators; anyone else is told it is not there.
import { NotFoundError } from '../../../errors.ts'
import type { UseCaseContext } from '../../use-case.ts'
import { canSeeParticipationTasks } from './tasks.policy.ts'
import { evidenceFile, findSubmission, participationRows, type EvidenceFile } from './tasks.repository.ts'

export async function downloadEvidence(context: UseCaseContext, submissionId: number): Promise<EvidenceFile> {
  const submission = await findSubmission(context.db, submissionId)
  const [participation] = submission ? await participationRows(context.db, [submission.participationId]) : []
  if (
    !submission ||
    submission.evidence.kind !== 'file' ||
    !participation ||
    !canSeeParticipationTasks(context.actor, participation)
  ) {
    throw new NotFoundError('Evidence')
  }
  const file = await evidenceFile(context.db, submission.evidence.fileId)
  if (!file) throw new NotFoundError('Evidence')
  return file
}
