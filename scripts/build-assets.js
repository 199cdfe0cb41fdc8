#!/usr/bin/env node
// Builds the browser assets into public/assets/ (generated, not committed):
// - app.css compiled from src/web/assets/app.scss
// - GOV.UK Frontend's JavaScript, accessible-autocomplete's JavaScript and CSS
// - our own app.js and favicon.svg
//
// Run with `node scripts/build-assets.js` (also run by `npm run prepare`).

import { copyFile, mkdir, writeFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import * as sass from 'sass'

const started = Date.now()
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const require = createRequire(import.meta.url)
const outDir = path.join(root, 'public', 'assets')
const webAssets = path.join(root, 'src', 'web', 'assets')

/** Directory of an installed package, found through Node's own resolution. */
function packageDir(name) {
  return path.dirname(require.resolve(`${name}/package.json`))
}

const govukDist = path.join(packageDir('govuk-frontend'), 'dist', 'govuk')
const autocompleteDist = path.join(packageDir('accessible-autocomplete'), 'dist')

async function main() {
  await mkdir(outDir, { recursive: true })

  const result = sass.compile(path.join(webAssets, 'app.scss'), {
    style: 'compressed',
    loadPaths: [path.join(root, 'node_modules')],
    quietDeps: true,
  })
  if (/GDS Transport/i.test(result.css) || /\.woff2?\b/.test(result.css)) {
    throw new Error('app.css must not use the GDS Transport font or font files')
  }

  const copies = [
    [path.join(govukDist, 'govuk-frontend.min.js'), 'govuk-frontend.min.js'],
    [path.join(govukDist, 'govuk-frontend.min.js.map'), 'govuk-frontend.min.js.map'],
    [path.join(autocompleteDist, 'accessible-autocomplete.min.js'), 'accessible-autocomplete.min.js'],
    [path.join(autocompleteDist, 'accessible-autocomplete.min.js.map'), 'accessible-autocomplete.min.js.map'],
    [path.join(autocompleteDist, 'accessible-autocomplete.min.css'), 'accessible-autocomplete.min.css'],
    [
      path.join(autocompleteDist, 'accessible-autocomplete.min.css.map'),
      'accessible-autocomplete.min.css.map',
    ],
    [path.join(webAssets, 'app.js'), 'app.js'],
    [path.join(webAssets, 'favicon.svg'), 'favicon.svg'],
  ]

  await Promise.all([
    writeFile(path.join(outDir, 'app.css'), result.css + '\n'),
    ...copies.map(([from, to]) => copyFile(from, path.join(outDir, to))),
  ])

  const kb = Math.round(Buffer.byteLength(result.css) / 1024)
  console.log(
    `assets: built public/assets (app.css ${kb} kB + ${copies.length} files) in ${Date.now() - started} ms`,
  )
}

main().catch((error) => {
  console.error(`assets: build failed: ${error instanceof Error ? error.message : error}`)
  process.exitCode = 1
})
