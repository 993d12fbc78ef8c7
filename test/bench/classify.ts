// `npm run bench -- classify`: speed of the pure classifier on one core. A realistic mix of generated ~4 KB pastes
// (log noise around one error, several wrappers) and short chat messages, plus 1 MB adversarial inputs.
// Prints human-readable figures, then one JSON line with them. Targets: p99 <= 1 ms per 4 KB paste,
// >= 20,000 pastes/s, >= 200,000 chatter messages/s, 1 MB adversarial <= 200 ms.
import { execFileSync } from 'node:child_process'
import os from 'node:os'
import { classify } from '../../src/diagnosis/index.js'

/** small deterministic PRNG (mulberry32) so runs are comparable */
export function rng(seed: number) {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const ERRORS = [
  'API Error: 401 {"type":"error","error":{"type":"authentication_error","message":"OAuth token has expired. Please obtain a new token or refresh your existing token."},"request_id":"req_0{ID}"} · Please run /login',
  'Invalid API key · Please run /login',
  'anthropic.AuthenticationError: Error code: 401 - {"type": "error", "error": {"type": "authentication_error", "message": "invalid x-api-key"}}',
  'Error: ANTHROPIC_API_KEY environment variable is missing or empty',
  'Claude configuration file at /home/u{ID}/.claude.json is corrupted: Unexpected end of JSON input',
  'API Error (Connection error.) · Retrying in 4 seconds… (attempt 4/10)\n  ⎿  TypeError (fetch failed)',
  'Error (self signed certificate in certificate chain) (SELF_SIGNED_CERT_IN_CHAIN)',
  ' Warning: Multiple installations found\n └ npm-global at /usr/local/bin/claude\n └ native at /home/u{ID}/.local/bin/claude',
  '{"type":"error","error":{"type":"invalid_request_error","message":"Your credit balance is too low to access the Anthropic API."}}',
  '⚠ Auth conflict: Both a token (claude.ai) and an API key (ANTHROPIC_API_KEY) are set.',
  'ExpiredTokenException: The security token included in the request is expired',
  'API Error (529 {"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}) · Retrying in 8 seconds…',
  'API Error: 400 {"type":"error","error":{"type":"invalid_request_error","message":"prompt is too long: 2{ID} tokens > 200000 maximum"}}',
  '[DEBUG] MCP server "db": Connection failed: MCP error -32000: Connection closed',
]

const NOISE = [
  '{TS} INFO  [worker-{ID}] processed batch {ID} in {ID}ms',
  '{TS} DEBUG http GET /v1/models 200 {ID}ms',
  '    at Object.run (/app/node_modules/some-lib/dist/index.js:{ID}:{ID})',
  '    at process.processTicksAndRejections (node:internal/process/task_queues:95:5)',
  '{TS} WARN  cache miss for key user:{ID}:profile',
  '> npm run build\n> tsc -p tsconfig.json',
  '{"level":30,"time":{ID},"pid":{ID},"msg":"request completed","responseTime":{ID}}',
  '  ⎿  Read(src/index.ts)\n  ⎿  Read {ID} lines',
  '$ git status\nOn branch main\nnothing to commit, working tree clean',
]

const CHATTER = [
  'thanks, that fixed it!',
  'standup in 5, running late',
  'did anyone try the new model yet?',
  'LGTM, merging',
  '+1',
  'can someone review my PR when you have a minute?',
  'I think the login flow changed in the last release, not sure',
  'we should rotate the staging API key next sprint',
  'works now after reinstalling, thank you all',
  'lunch?',
  'is the wiki page about the proxy settings up to date?',
  'try claude auth logout and login again, that usually helps',
  'where do I put the API key for the CI job?',
  'ok, restarting the terminal did it',
  'the error went away after the VPN reconnected',
  'nice, the dashboard looks great',
]

function fillTemplate(t: string, r: () => number): string {
  return t.replace(/\{ID\}/g, () => String(Math.floor(r() * 1e6))).replace(/\{TS\}/g, () => new Date(1.7e12 + Math.floor(r() * 1e9)).toISOString())
}

const WRAPPERS: ((s: string) => string)[] = [
  (s) => s,
  (s) => '```\n' + s + '\n```',
  (s) => s.replace(/"/g, '\\"'),
  (s) => `\u001b[31m${s}\u001b[0m`,
  (s) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;'),
]

export function makePaste(r: () => number, size = 4096): string {
  const lines: string[] = []
  let len = 0
  const errorAt = Math.floor(r() * 30)
  let i = 0
  while (len < size) {
    const line = i === errorAt ? fillTemplate(ERRORS[Math.floor(r() * ERRORS.length)]!, r) : fillTemplate(NOISE[Math.floor(r() * NOISE.length)]!, r)
    lines.push(line)
    len += line.length + 1
    i++
  }
  const wrap = WRAPPERS[Math.floor(r() * WRAPPERS.length)]!
  return wrap(lines.join('\n')).slice(0, size)
}

export function makeChatter(r: () => number): string {
  const a = CHATTER[Math.floor(r() * CHATTER.length)]!
  return r() < 0.3 ? `${a} ${CHATTER[Math.floor(r() * CHATTER.length)]!}` : a
}

const MB = 1 << 20
const fill = (unit: string) => unit.repeat(Math.ceil(MB / unit.length)).slice(0, MB)
const ADVERSARIAL: [string, string][] = [
  ['spaces', fill(' ')],
  ['sk-ant- repeated', fill('sk-ant-')],
  ['{"error": repeated', fill('{"error":')],
  ['nested JSON', '{"error":'.repeat(50_000) + '"x"' + '}'.repeat(50_000)],
  ['newlines', fill('\n')],
  ['one long line', fill('abcdefghij')],
  ['error keywords', fill('error failed invalid api key token expired 401 403 ')],
  ['many anchors', fill('econnrefused oauth callback wsl docker vscode extension keychain .claude.json mcp server 529 ')],
  ['escapes and entities', fill('&amp;\\\\\\"\\n&#')],
]

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!
}

/** CPU time of this process in ms (user + system): what the work cost, whatever else runs on the machine */
function cpuMs(): number {
  const u = process.cpuUsage()
  return (u.user + u.system) / 1000
}

/**
 * A reference loop (one dependent table lookup per character, the shape of the anchor scan) in ns per character of
 * CPU time: about 0.7-1 ns on an idle modern core. Read the other figures against it on a busy or slow machine. It
 * runs in a fresh node process: inside this one, after the timings, the same loop read up to 1.8 times slower.
 */
const REFERENCE_LOOP = `(() => {
  const cpuMs = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000 }
  const table = new Int32Array(65536)
  const text = JSON.parse(JSON.stringify('x'.repeat(1 << 16)))
  let state = 0
  let best = Infinity
  for (let rep = 0; rep < 5; rep++) {
    const c0 = cpuMs()
    for (let k = 0; k < 40; k++) for (let i = 0; i < text.length; i++) state = table[(state + text.charCodeAt(i)) & 0xffff]
    best = Math.min(best, ((cpuMs() - c0) * 1e6) / (40 * text.length))
  }
  process.stdout.write(String(state === -1 ? 0 : best))
})()`

function referenceNsPerChar(): number {
  return Number(execFileSync(process.execPath, ['-e', REFERENCE_LOOP], { encoding: 'utf8' }))
}

/**
 * A text as classify receives it in the service: out of JSON.parse (HTTP bodies, Slack events, Discord gateway
 * frames) or a file read, so a flat string. The generators end with slice(), and V8 keeps a slice as a view into the
 * larger string, which costs about a tenth more per character read and which no request produces.
 */
export function asReceived(text: string): string {
  return (JSON.parse(JSON.stringify({ text })) as { text: string }).text
}

export async function run(): Promise<void> {
  // the machine's speed before and after the timings: a shared VM's core can slow down by half for minutes
  const refBefore = referenceNsPerChar()
  const r = rng(42)
  const pastes = Array.from({ length: 2000 }, () => asReceived(makePaste(r)))
  const chatter = Array.from({ length: 5000 }, () => asReceived(makeChatter(r)))
  let sink = 0

  // warm up the JIT
  for (let k = 0; k < 3; k++) {
    for (const p of pastes) sink += classify(p).confidence
    for (const c of chatter) sink += classify(c).confidence
  }

  // latency per 4 KB paste: every call timed (wall clock), and per paste the best of 3 (filters out preemption
  // by other processes on a shared machine)
  const lat: number[] = []
  const best: number[] = []
  for (const p of pastes) {
    let b = Infinity
    for (let k = 0; k < 3; k++) {
      const t0 = process.hrtime.bigint()
      sink += classify(p).confidence
      const ms = Number(process.hrtime.bigint() - t0) / 1e6
      lat.push(ms)
      b = Math.min(b, ms)
    }
    best.push(b)
  }
  lat.sort((a, b) => a - b)
  best.sort((a, b) => a - b)
  const medianMs = percentile(lat, 0.5)
  const p99Ms = percentile(lat, 0.99)
  const bestMedianMs = percentile(best, 0.5)
  const bestP99Ms = percentile(best, 0.99)

  // throughput: per wall-clock second and per CPU second, the median of eight half-second windows (a shared VM's
  // core slows down for seconds at a time; the range shows it, the median is not moved by one slow window)
  const throughput = (items: string[]) => {
    const wall: number[] = []
    const cpu: number[] = []
    for (let w = 0; w < 8; w++) {
      const w0 = performance.now()
      const c0 = cpuMs()
      let n = 0
      while (performance.now() - w0 < 500) for (const x of items) (sink += classify(x).confidence), n++
      wall.push(n / ((performance.now() - w0) / 1000))
      cpu.push(n / ((cpuMs() - c0) / 1000))
    }
    wall.sort((a, b) => a - b)
    cpu.sort((a, b) => a - b)
    // the lower median of eight
    return { wall: wall[3]!, cpu: cpu[3]!, slowest: wall[0]!, fastest: wall[7]! }
  }
  const pastesPerSec = throughput(pastes)
  const chatterPerSec = throughput(chatter)

  // 1 MB adversarial: worst of the inputs, best of three runs each (warm)
  let advWorst = 0
  let advName = ''
  for (const [name, sliced] of ADVERSARIAL) {
    const text = asReceived(sliced)
    let b = Infinity
    for (let k = 0; k < 3; k++) {
      const a = performance.now()
      sink += classify(text).confidence
      b = Math.min(b, performance.now() - a)
    }
    console.log(`  1 MB ${name.padEnd(22)} ${b.toFixed(1)} ms`)
    if (b > advWorst) {
      advWorst = b
      advName = name
    }
  }

  const verdicts = new Map<string, number>()
  for (const p of pastes.slice(0, 500)) {
    const c = classify(p).cause
    verdicts.set(c, (verdicts.get(c) ?? 0) + 1)
  }
  const load = os.loadavg()[0]!
  const refAfter = referenceNsPerChar()
  const refNs = Math.max(refBefore, refAfter)
  const us = (ms: number) => `${(ms * 1000).toFixed(0)} µs`
  const k = (x: number) => Math.round(x).toLocaleString('en')
  console.log(`machine: ${os.cpus().length} cores, load average ${load.toFixed(1)} (figures per wall second suffer when it exceeds the cores)`)
  console.log(
    `reference loop: ${refBefore.toFixed(2)} ns/char of CPU before the timings, ${refAfter.toFixed(2)} after (about 0.7-1 on an idle modern core; higher means a slower or contended machine)`,
  )
  console.log(`4 KB pastes: median ${us(medianMs)}, p99 ${us(p99Ms)}; best of 3 per paste: median ${us(bestMedianMs)}, p99 ${us(bestP99Ms)} (target p99 <= 1000 µs)`)
  const range = (t: { slowest: number; fastest: number }) => `windows ${k(t.slowest)}-${k(t.fastest)}`
  console.log(`pastes/s: ${k(pastesPerSec.wall)} per wall second, ${k(pastesPerSec.cpu)} per CPU second (${range(pastesPerSec)}; target >= 20,000)`)
  console.log(`chatter messages/s: ${k(chatterPerSec.wall)} per wall second, ${k(chatterPerSec.cpu)} per CPU second (${range(chatterPerSec)}; target >= 200,000)`)
  console.log(`1 MB adversarial, worst: ${advWorst.toFixed(1)} ms (${advName}) (target <= 200 ms)`)
  console.log(`verdicts on 500 generated pastes: ${[...verdicts].map(([c, v]) => `${c}=${v}`).join(' ')}`)
  if (sink === -1) console.log('')
  console.log(
    JSON.stringify({
      section: 'classify',
      loadAverage: +load.toFixed(2),
      referenceNsPerChar: +refNs.toFixed(2),
      referenceNsPerCharBefore: +refBefore.toFixed(2),
      paste4kMedianMs: +medianMs.toFixed(4),
      paste4kP99Ms: +p99Ms.toFixed(4),
      paste4kBestOf3MedianMs: +bestMedianMs.toFixed(4),
      paste4kBestOf3P99Ms: +bestP99Ms.toFixed(4),
      pastesPerSec: Math.round(pastesPerSec.wall),
      pastesPerSecSlowestWindow: Math.round(pastesPerSec.slowest),
      pastesPerCpuSec: Math.round(pastesPerSec.cpu),
      chatterPerSec: Math.round(chatterPerSec.wall),
      chatterPerCpuSec: Math.round(chatterPerSec.cpu),
      adversarial1MbWorstMs: +advWorst.toFixed(1),
      adversarialWorstInput: advName,
    }),
  )
}
