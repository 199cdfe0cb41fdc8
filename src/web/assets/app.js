// Mastery Hub browser script (an ES module, loaded with <script type="module">).
//
// There are no inline scripts anywhere: the Content-Security-Policy only
// allows scripts from this origin. Everything here is progressive
// enhancement: every page works without JavaScript.

import { initAll } from '/assets/govuk-frontend.min.js'

document.body.classList.add('js-enabled', 'govuk-frontend-supported')

initAll()

enhanceFindHubSearch()

/**
 * Turn the "Find your Maths Hub" search box into a type-ahead.
 *
 * Uses accessible-autocomplete, loaded before this module as a classic
 * deferred script that sets `window.accessibleAutocomplete`. Suggestions come
 * from GET /api/v1/find-hub?q=...; choosing one goes straight to that
 * school's result (or, where the attribute names a local address such as an
 * application's school step, that address with the URN appended). Typing and
 * pressing Enter (or the Search button) still submits the plain GET form.
 */
function enhanceFindHubSearch() {
  const input = document.querySelector('input[data-app-find-hub-search]')
  const accessibleAutocomplete = window.accessibleAutocomplete
  if (!(input instanceof HTMLInputElement)) return
  const target = input.getAttribute('data-app-find-hub-search') || ''
  const goTo = /^\/[a-z0-9/_-]*\?q=$/i.test(target) ? target : '/find-your-hub?q='
  if (typeof accessibleAutocomplete !== 'function' || typeof window.fetch !== 'function') return

  const MIN_LENGTH = 2
  const DEBOUNCE_MS = 150
  const id = input.id

  // Keep the GOV.UK hint and any error message associated with the new input.
  const describedBy = (input.getAttribute('aria-describedby') || '').split(/\s+/).filter(Boolean)
  const hasError = input.classList.contains('govuk-input--error')

  const label = document.querySelector(`label[for="${CSS.escape(id)}"]`)
  if (label && !label.id) label.id = `${id}-label`

  const container = document.createElement('div')
  container.className = 'app-autocomplete'
  input.insertAdjacentElement('beforebegin', container)
  const defaultValue = input.value
  input.remove()

  let timer = 0
  let controller = null
  let latest = 0

  /** @param {string} query @param {(results: unknown[]) => void} populateResults */
  function source(query, populateResults) {
    window.clearTimeout(timer)
    const ticket = ++latest
    const trimmed = query.trim()
    if (trimmed.length < MIN_LENGTH) {
      populateResults([])
      return
    }
    timer = window.setTimeout(async () => {
      if (controller) controller.abort()
      controller = new AbortController()
      try {
        const response = await fetch(`/api/v1/find-hub?q=${encodeURIComponent(trimmed)}`, {
          headers: { accept: 'application/json' },
          signal: controller.signal,
        })
        if (!response.ok) return
        const body = await response.json()
        if (ticket !== latest) return // a newer query has been typed since
        populateResults(Array.isArray(body && body.items) ? body.items : [])
      } catch {
        // Network error or aborted: leave the suggestions as they are. The
        // form still works by pressing Search.
      }
    }, DEBOUNCE_MS)
  }

  accessibleAutocomplete({
    element: container,
    id,
    name: input.name,
    defaultValue,
    minLength: MIN_LENGTH,
    autoselect: false,
    confirmOnBlur: false,
    displayMenu: 'overlay',
    source,
    inputClasses: hasError ? 'app-autocomplete__input--error' : null,
    menuAttributes: label ? { 'aria-labelledby': label.id } : {},
    templates: {
      inputValue: (option) => optionText(option),
      suggestion: (option) => escapeHtml(optionText(option)),
    },
    onConfirm: (option) => {
      if (option && typeof option === 'object' && option.urn != null) {
        window.location.assign(`${goTo}${encodeURIComponent(String(option.urn))}`)
      }
    },
    tNoResults: () => 'No schools found',
    tStatusQueryTooShort: (min) => `Type ${min} or more characters for suggestions`,
    tStatusNoResults: () => 'No schools found',
  })

  const newInput = document.getElementById(id)
  if (newInput && describedBy.length > 0) keepDescribedBy(newInput, describedBy)
}

/**
 * accessible-autocomplete manages aria-describedby itself (its own usage
 * hint), which would drop the GOV.UK hint and error message. Put them back
 * whenever it changes the attribute.
 *
 * @param {HTMLElement} element
 * @param {string[]} ids
 */
function keepDescribedBy(element, ids) {
  const apply = () => {
    const current = (element.getAttribute('aria-describedby') || '').split(/\s+/).filter(Boolean)
    const missing = ids.filter((value) => !current.includes(value))
    if (missing.length > 0) element.setAttribute('aria-describedby', [...ids, ...current].join(' '))
  }
  apply()
  new MutationObserver(apply).observe(element, { attributes: true, attributeFilter: ['aria-describedby'] })
}

/**
 * "Name (URN 123456, postcode)" for a result from the find-hub API. The
 * autocomplete may also hand us a plain string (the initial value).
 *
 * @param {unknown} option
 * @returns {string}
 */
function optionText(option) {
  if (option == null) return ''
  if (typeof option === 'string') return option
  const school = /** @type {{ urn?: number, name?: string, postcode?: string | null }} */ (option)
  const details = [`URN ${school.urn}`]
  if (school.postcode) details.push(school.postcode)
  return `${school.name ?? ''} (${details.join(', ')})`
}

/** @param {string} text */
function escapeHtml(text) {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;')
}
