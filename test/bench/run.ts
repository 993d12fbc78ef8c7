// `npm run bench [-- SECTION ...]`: runs the named benchmark sections (all when none is named). Each section is a
// script that prints human-readable figures and ends with one JSON line of them. Not a test: nothing here fails on
// a slow machine; the figures are read and quoted.
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const here = path.dirname(fileURLToPath(import.meta.url))
const ORDER = ['classify', 'store', 'slack', 'load']
const available = ORDER.filter((s) => fs.existsSync(path.join(here, `${s}.ts`)))
const asked = process.argv.slice(2).filter((a) => !a.startsWith('-'))
const unknown = asked.filter((s) => !available.includes(s))
if (unknown.length) {
  console.error(`Unknown bench section(s): ${unknown.join(', ')}. Available: ${available.join(', ')}`)
  process.exit(2)
}
for (const section of asked.length ? asked : available) {
  console.log(`\n=== bench: ${section} ===`)
  const mod = (await import(`./${section}.ts`)) as { run(): Promise<void> }
  await mod.run()
}
