import { describe, expect, it } from 'vitest'
import { inFieldOrder } from './page.ts'

const form = '<input id="name"><input id="email"><div id="school"></div>'

describe('the error summary follows the fields', () => {
  it('reorders errors by where their fields are on the page', () => {
    const errors = [
      { text: 'Enter your email address', href: '#email' },
      { text: 'Enter your full name', href: '#name' },
    ]
    expect(inFieldOrder(errors, form)).toEqual([errors[1], errors[0]])
  })

  it('puts a problem with the whole form first and keeps errors already in order', () => {
    const errors = [
      { text: 'Choose a school', href: '#school' },
      { text: 'This application was changed by someone else' },
    ]
    expect(inFieldOrder(errors, form)).toEqual([errors[1], errors[0]])
    expect(inFieldOrder([errors[1], errors[0]], form)).toBeUndefined()
  })

  it('leaves the order alone when a field is not on the page', () => {
    const errors = [
      { text: 'Enter your email address', href: '#email' },
      { text: 'Somewhere else', href: '#elsewhere' },
      { text: 'Enter your full name', href: '#name' },
    ]
    expect(inFieldOrder(errors, form)).toBeUndefined()
    expect(inFieldOrder(undefined, form)).toBeUndefined()
  })
})
