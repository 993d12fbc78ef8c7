// The WebAssembly build of normaliseCore's hot loop (plain-run.wat), set up once per anchor scanner: its memory holds
// the scanner's tables, the input, the lower-cased output and the hits of a run. Computation only: the module imports
// nothing. Where WebAssembly or Node's Buffer is missing, plainRunnerFor() returns null and the JavaScript loop runs.
import { PLAIN_RUN_WASM_BASE64 } from './plain-run-bytes.js'
import type { AnchorScanner } from './scan.js'
import { utf16View } from './utf16.js'

export type PlainRunner = {
  /** the most input units a load can take */
  readonly capacity: number
  /** the lower-cased normalised text, a view of the module's memory (normaliseCore writes its other units here) */
  readonly low: Uint16Array
  /** (state, position) pairs of the output states the last run entered */
  readonly hits: Int32Array
  /** of the last run: the DFA state after it, then the number of hits */
  readonly result: Int32Array
  /** puts `text` (at most `capacity` units) where run() reads it */
  load(text: string): void
  /** copies the plain run that starts at input[i] to low[o...] from DFA state `st`; returns the index after it */
  run(i: number, n: number, o: number, st: number): number
  /** low[0, length) as a string */
  decode(length: number): string
}

// the parts of the WebAssembly API used here (the project's TypeScript libs do not declare it)
type WasmModule = object
type WasmApi = { Module: new (bytes: Uint8Array) => WasmModule; Instance: new (mod: WasmModule) => { exports: unknown } }
const Wasm = (globalThis as { WebAssembly?: WasmApi }).WebAssembly

type Exports = {
  memory: { buffer: ArrayBuffer; grow(pages: number): number }
  init(delta: number, input: number, low: number, hits: number, out: number, space: number): void
  run(i: number, n: number, o: number, st: number): number
}

let compiled: WasmModule | null | undefined
function module(): WasmModule | null {
  if (compiled === undefined) {
    try {
      compiled = Wasm ? new Wasm.Module(Uint8Array.from(atob(PLAIN_RUN_WASM_BASE64), (ch) => ch.charCodeAt(0))) : null
    } catch {
      compiled = null
    }
  }
  return compiled
}

/** runners by plain-class table (normalise.ts keeps one table per scanner) */
const runners = new WeakMap<Uint16Array, PlainRunner | null>()

/**
 * The runner for scanner `sc` with the plain-class table `plainClass` (per UTF-16 unit: 0 when not plain, else the
 * DFA column), for inputs of up to `capacity` units. Built on first use; null where WebAssembly or Buffer is missing.
 */
export function plainRunnerFor(sc: AnchorScanner, plainClass: Uint16Array, capacity: number): PlainRunner | null {
  let runner = runners.get(plainClass)
  if (runner === undefined) {
    runner = build(sc, plainClass, capacity)
    runners.set(plainClass, runner)
  }
  return runner
}

function build(sc: AnchorScanner, plainClass: Uint16Array, capacity: number): PlainRunner | null {
  const mod = module()
  if (!mod || !Wasm) return null
  const ex = new Wasm.Instance(mod).exports as Exports
  // layout (bytes): plain classes, DFA table, input, output, hits, results; see plain-run.wat
  const delta = 65536 * 2
  const input = delta + sc.delta.length * 4
  const low = input + capacity * 2
  const hits = low + capacity * 2
  const out = hits + capacity * 8
  const pages = Math.ceil((out + 8) / 65536)
  ex.memory.grow(pages - ex.memory.buffer.byteLength / 65536)
  // the memory never grows again, so these views stay valid
  const mem = ex.memory.buffer
  new Uint16Array(mem, 0, 65536).set(plainClass)
  new Int32Array(mem, delta, sc.delta.length).set(sc.delta)
  const inputText = utf16View(mem, input, capacity)
  const lowText = utf16View(mem, low, capacity)
  if (!inputText || !lowText) return null
  ex.init(delta, input, low, hits, out, sc.classOf[0x20]!)
  const run = ex.run
  return {
    capacity,
    low: new Uint16Array(mem, low, capacity),
    hits: new Int32Array(mem, hits, capacity * 2),
    result: new Int32Array(mem, out, 2),
    load(text) {
      if (text.length > capacity) throw new Error(`plain run: ${text.length} units exceed the capacity of ${capacity}`)
      inputText.write(text, 0)
    },
    run,
    decode: (length) => (length === 0 ? '' : lowText.read(0, length)),
  }
}
