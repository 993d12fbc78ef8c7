// `npm run assemble-wasm`: assembles the WebAssembly text sources of the pure core into the TypeScript modules that
// embed their bytes, so the service needs no assembler (wabt is a development dependency only). A test assembles
// them again and fails when a checked-in module no longer matches its source.
import fs from 'node:fs'
import path from 'node:path'
import { PROJECT_ROOT } from '../project-root.js'

/** each WebAssembly text source and the module that embeds it (paths from the project root) */
export const WASM_SOURCES = [{ source: 'src/diagnosis/plain-run.wat', module: 'src/diagnosis/plain-run-bytes.ts', exportName: 'PLAIN_RUN_WASM_BASE64' }]

/** the binary of a WebAssembly text source */
export async function assemble(watText: string, name: string): Promise<Uint8Array> {
  const wabt = await (await import('wabt')).default()
  const parsed = wabt.parseWat(name, watText)
  try {
    parsed.validate()
    return Uint8Array.from(parsed.toBinary({}).buffer)
  } finally {
    parsed.destroy()
  }
}

/** the TypeScript module that embeds `bytes` (base64, wrapped at 112 characters) */
export function embeddingModule(bytes: Uint8Array, source: string, exportName: string): string {
  const b64 = Buffer.from(bytes).toString('base64')
  const lines = b64.match(/.{1,112}/g) ?? ['']
  return (
    `// Generated from ${path.basename(source)} by \`npm run assemble-wasm\`: edit the source, not this file.\n` +
    `export const ${exportName} =\n${lines.map((l) => `  '${l}'`).join(' +\n')}\n`
  )
}

export async function run(args: string[]): Promise<number> {
  if (args.length) {
    process.stderr.write('Usage: npm run assemble-wasm (no arguments)\n')
    return 2
  }
  const root = PROJECT_ROOT
  for (const { source, module, exportName } of WASM_SOURCES) {
    const bytes = await assemble(fs.readFileSync(path.join(root, source), 'utf8'), source)
    fs.writeFileSync(path.join(root, module), embeddingModule(bytes, source, exportName))
    process.stdout.write(`${source} -> ${module} (${bytes.length} bytes)\n`)
  }
  return 0
}
