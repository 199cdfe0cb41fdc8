import { describe, expect, it } from 'vitest'
import { parseInput, ValidationError } from '../../../errors.ts'
import {
  offerResponseFromForm,
  offerResponseInput,
  placesFromForm,
  placesInput,
  proposalFromForm,
  proposalInput,
} from './decisions-input.ts'

function refused(work: () => unknown): Record<string, string> {
  try {
    work()
  } catch (error) {
    if (error instanceof ValidationError)
      return Object.fromEntries(error.errors.map((e) => [e.field, e.message]))
    throw error
  }
  throw new Error('expected a refusal')
}

describe('a proposal', () => {
  it('gives selected and reserve their one reason, and keeps feedback private unless shared', () => {
    expect(parseInput(proposalInput, proposalFromForm({ decision: 'selected' }))).toEqual({
      decision: 'selected',
      reasonCode: 'meets-criteria-and-plan',
      feedback: '',
      shareFeedback: false,
      reserveRank: null,
    })
    expect(
      parseInput(
        proposalInput,
        proposalFromForm({
          decision: 'reserve',
          reserveRank: ' 2 ',
          feedback: ' Strong. ',
          shareFeedback: 'yes',
        }),
      ),
    ).toEqual({
      decision: 'reserve',
      reasonCode: 'meets-criteria-place-limit',
      feedback: 'Strong.',
      shareFeedback: true,
      reserveRank: 2,
    })
  })

  it('names each missing or wrong answer', () => {
    expect(refused(() => parseInput(proposalInput, proposalFromForm({})))).toEqual({
      decision: 'Select a decision: selected, reserve or not selected',
    })
    expect(refused(() => parseInput(proposalInput, proposalFromForm({ decision: 'not-selected' })))).toEqual({
      reasonCode: 'Select why the application is not selected',
    })
    expect(
      refused(() =>
        parseInput(proposalInput, proposalFromForm({ decision: 'not-selected', reasonCode: 'other' })),
      ),
    ).toEqual({ feedback: 'Give the reason in the feedback, as you chose “Another reason”' })
    expect(
      refused(() =>
        parseInput(proposalInput, proposalFromForm({ decision: 'reserve', reserveRank: 'first' })),
      ),
    ).toEqual({ reserveRank: 'Enter the reserve’s place in the reserve list as a whole number, like 1' })
    expect(refused(() => parseInput(proposalInput, proposalFromForm({ decision: 'reserve' })))).toEqual({
      reserveRank:
        'Enter the reserve’s place in the reserve list, like 1 for the first to be offered a place',
    })
    expect(
      refused(() =>
        parseInput(proposalInput, proposalFromForm({ decision: 'selected', feedback: 'Well done' })),
      ),
    ).toEqual({ shareFeedback: 'Select whether to share the feedback with the teacher' })
    expect(
      refused(() =>
        parseInput(proposalInput, {
          decision: 'selected',
          reasonCode: 'strategic-fit',
          shareFeedback: false,
        }),
      ),
    ).toEqual({ reasonCode: 'That reason does not go with “Selected”' })
    expect(
      refused(() =>
        parseInput(
          proposalInput,
          proposalFromForm({ decision: 'selected', feedback: 'x'.repeat(2001), shareFeedback: 'no' }),
        ),
      ),
    ).toEqual({ feedback: 'Feedback must be 2,000 characters or fewer' })
  })
})

describe('places and answers to an offer', () => {
  it('takes a whole number of places from 0 to 1,000', () => {
    expect(parseInput(placesInput, placesFromForm({ places: '0' }))).toEqual({ places: 0 })
    expect(refused(() => parseInput(placesInput, placesFromForm({ places: '' })))).toEqual({
      places: 'Enter the number of places',
    })
    expect(refused(() => parseInput(placesInput, placesFromForm({ places: '-1' })))).toEqual({
      places: 'Enter the number of places as a whole number, like 12',
    })
    expect(refused(() => parseInput(placesInput, placesFromForm({ places: '1001' })))).toEqual({
      places: 'The number of places must be 1,000 or less',
    })
  })

  it('needs a reason to decline', () => {
    expect(
      parseInput(offerResponseInput, offerResponseFromForm({ decision: 'accept', reason: 'ignored' })),
    ).toEqual({
      decision: 'accept',
    })
    expect(
      refused(() => parseInput(offerResponseInput, offerResponseFromForm({ decision: 'decline' }))),
    ).toEqual({
      reason: 'Enter why you are declining the place',
    })
  })
})
