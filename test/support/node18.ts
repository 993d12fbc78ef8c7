// A Node.js 18 to run the one-file doctor with, beside the system's Node 20 and without touching it: Debian
// bookworm's `nodejs` 18 packages are fetched with `apt-get download`, unpacked with `dpkg -x` into a cache, and run
// from there with LD_LIBRARY_PATH. Nothing is installed; the cache is reused by later runs.
//
// Debian builds Node with "externalized builtins": libnode reads five files at start-up from absolute paths under
// /usr/share/nodejs/ (cjs-module-lexer, undici's fetch, acorn, acorn-walk) and aborts when one is missing. Those come
// from the node-cjs-module-lexer, node-undici and node-acorn packages. To use the unpacked copies instead, the
// cached libnode.so has that 18-byte prefix replaced by another of the same length, /tmp/.node18share/, a symlink to
// the unpacked /usr/share/nodejs. Nothing else in the library changes.
//
// When apt cannot fetch the packages this throws with the reason (CI machines reach Debian's archive): the Node 18
// tests fail loudly rather than skip.
import { execFileSync, spawnSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

export type Node18 = {
  /** the node binary */
  node: string
  /** variables the binary needs (LD_LIBRARY_PATH); merge them into the child's environment */
  env: Record<string, string>
  /** process.version of that binary, e.g. v18.20.4 */
  version: string
  /** where the packages were unpacked */
  dir: string
}

const ORIGINAL_PREFIX = '/usr/share/nodejs/'
/** same length as ORIGINAL_PREFIX: the library is patched in place, byte for byte */
export const SHARE_LINK = '/tmp/.node18share'
const PATCHED_PREFIX = `${SHARE_LINK}/`

/** packages always unpacked: the binary, its library, and the files of the externalized builtins */
const BASE_PACKAGES = ['nodejs', 'libnode108', 'libc-ares2', 'node-undici', 'node-acorn', 'node-cjs-module-lexer']
/** shared libraries the binary may find missing on a slim machine, by soname prefix, and the package that has them */
const LIBRARY_PACKAGES: [soname: string, pkg: string][] = [
  ['libuv.so', 'libuv1'],
  ['libcares.so', 'libc-ares2'],
  ['libnghttp2.so', 'libnghttp2-14'],
  ['libbrotli', 'libbrotli1'],
  ['libicu', 'libicu72'],
  ['libssl.so', 'libssl3'],
  ['libcrypto.so', 'libssl3'],
  ['libz.so', 'zlib1g'],
  ['libstdc++.so', 'libstdc++6'],
  ['libgcc_s.so', 'libgcc-s1'],
]

const ARCH_TRIPLETS: Record<string, string> = { x64: 'x86_64-linux-gnu', arm64: 'aarch64-linux-gnu' }

function repoRoot(): string {
  return path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..')
}

/** node_modules/.cache/node18 when node_modules exists (kept with the install), else the OS temp dir */
export function node18CacheDir(): string {
  const nm = path.join(repoRoot(), 'node_modules')
  return fs.existsSync(nm) ? path.join(nm, '.cache', 'node18') : path.join(os.tmpdir(), 'claude-auth-bot-node18')
}

class Node18Unavailable extends Error {
  constructor(what: string) {
    super(
      `Node 18 for the doctor's compatibility test could not be prepared: ${what}\n` +
        'It comes from Debian bookworm\'s packages (apt-get download nodejs libnode108 ...), unpacked into ' +
        `${node18CacheDir()}; the machine needs apt with Debian's archive reachable (run "apt-get update" once).`,
    )
    this.name = 'Node18Unavailable'
  }
}

function run(cmd: string, args: string[], cwd?: string): { ok: boolean; out: string } {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', timeout: 300_000, env: { ...process.env, LC_ALL: 'C' } })
  if (r.error) return { ok: false, out: `${cmd}: ${r.error.message}` }
  return { ok: r.status === 0, out: `${r.stdout ?? ''}${r.stderr ?? ''}` }
}

/** the newest 18.x version apt knows for `pkg` (nodejs has 20.x from another source beside Debian's 18) */
function debian18Version(pkg: string): string | null {
  const r = run('apt-cache', ['madison', pkg])
  if (!r.ok) return null
  const versions = r.out
    .split('\n')
    .map((l) => l.split('|')[1]?.trim())
    .filter((v): v is string => Boolean(v && v.startsWith('18.')))
  return versions[0] ?? null
}

function ensureAptLists(): void {
  if (debian18Version('nodejs')) return
  // a fresh machine may have no package lists yet
  const update = run('apt-get', ['update'])
  if (!update.ok) throw new Node18Unavailable(`"apt-get update" failed:\n${update.out.slice(-2_000)}`)
  if (!debian18Version('nodejs')) throw new Node18Unavailable('apt knows no nodejs 18.x package (is this Debian bookworm?)')
}

function download(pkgs: string[], into: string): void {
  const specs = pkgs.map((p) => {
    if (p === 'nodejs' || p === 'libnode108') {
      const v = debian18Version(p)
      if (!v) throw new Node18Unavailable(`no 18.x version of ${p} in apt's lists`)
      return `${p}=${v}`
    }
    return p
  })
  const r = run('apt-get', ['download', ...specs], into)
  if (!r.ok) throw new Node18Unavailable(`"apt-get download ${specs.join(' ')}" failed:\n${r.out.slice(-2_000)}`)
}

function unpackAll(debDir: string, root: string): void {
  for (const deb of fs.readdirSync(debDir).filter((f) => f.endsWith('.deb'))) {
    const r = run('dpkg', ['-x', path.join(debDir, deb), root])
    if (!r.ok) throw new Node18Unavailable(`dpkg -x ${deb} failed:\n${r.out}`)
  }
}

function missingLibraries(node: string, libDir: string): string[] {
  const r = spawnSync('ldd', [node], { encoding: 'utf8', env: { ...process.env, LD_LIBRARY_PATH: libDir } })
  return (r.stdout ?? '')
    .split('\n')
    .filter((l) => l.includes('not found'))
    .map((l) => l.trim().split(/\s+/)[0]!)
}

/** points SHARE_LINK at `target` (atomically; several test processes may do it at once) */
function linkShare(target: string): void {
  const current = (() => {
    try {
      return fs.readlinkSync(SHARE_LINK)
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null
      if ((e as NodeJS.ErrnoException).code === 'EINVAL') throw new Node18Unavailable(`${SHARE_LINK} exists and is not a symlink; remove it`)
      throw e
    }
  })()
  if (current === target) return
  if (current !== null && fs.existsSync(path.join(current, 'undici', 'undici-fetch.js'))) return // another cache, same files
  const tmp = `${SHARE_LINK}.${process.pid}.${Date.now()}`
  fs.symlinkSync(target, tmp)
  fs.renameSync(tmp, SHARE_LINK)
}

function build(dir: string): void {
  if (process.platform !== 'linux' || !ARCH_TRIPLETS[process.arch]) throw new Node18Unavailable(`only Linux x64/arm64 are supported, this is ${process.platform}/${process.arch}`)
  for (const tool of ['apt-get', 'apt-cache', 'dpkg']) {
    if (!run('sh', ['-c', `command -v ${tool}`]).ok) throw new Node18Unavailable(`${tool} is not available on this machine`)
  }
  ensureAptLists()
  const staging = `${dir}.tmp-${process.pid}-${Date.now()}`
  const debs = path.join(staging, 'debs')
  const root = path.join(staging, 'root')
  fs.mkdirSync(debs, { recursive: true })
  try {
    download(BASE_PACKAGES, debs)
    unpackAll(debs, root)
    const triplet = ARCH_TRIPLETS[process.arch]!
    const libDir = path.join(root, 'usr', 'lib', triplet)
    const node = path.join(root, 'usr', 'bin', 'node')
    // the library with the builtins' directory moved (see the top of this file)
    const libnode = path.join(libDir, 'libnode.so.108')
    const bytes = fs.readFileSync(libnode)
    const from = Buffer.from(ORIGINAL_PREFIX)
    const to = Buffer.from(PATCHED_PREFIX)
    if (from.length !== to.length) throw new Error('the patched prefix must keep the length')
    let patched = 0
    for (let i = bytes.indexOf(from); i !== -1; i = bytes.indexOf(from, i + from.length)) {
      to.copy(bytes, i)
      patched++
    }
    if (patched === 0) throw new Node18Unavailable(`libnode.so.108 names no ${ORIGINAL_PREFIX}: the package changed`)
    fs.writeFileSync(libnode, bytes)
    // shared libraries this machine lacks (a slim image): fetch their packages too
    let missing = missingLibraries(node, libDir)
    if (missing.length) {
      const pkgs = [...new Set(missing.map((so) => LIBRARY_PACKAGES.find(([prefix]) => so.startsWith(prefix))?.[1]).filter((p): p is string => Boolean(p)))]
      if (pkgs.length) {
        for (const f of fs.readdirSync(debs)) fs.rmSync(path.join(debs, f))
        download(pkgs, debs)
        unpackAll(debs, root)
        // unpacking libnode108 again is not needed: only the new packages are in debs
      }
      missing = missingLibraries(node, libDir)
      if (missing.length) throw new Node18Unavailable(`node 18 still misses shared libraries: ${missing.join(', ')}`)
    }
    fs.rmSync(debs, { recursive: true, force: true })
    fs.writeFileSync(path.join(staging, 'ready.json'), JSON.stringify({ packages: BASE_PACKAGES, patched, at: new Date().toISOString() }))
    try {
      fs.renameSync(staging, dir)
    } catch (e) {
      // another process finished first: use its copy
      if (!['ENOTEMPTY', 'EEXIST'].includes((e as NodeJS.ErrnoException).code ?? '')) throw e
      fs.rmSync(staging, { recursive: true, force: true })
    }
  } catch (e) {
    fs.rmSync(staging, { recursive: true, force: true })
    throw e
  }
}

let cached: Node18 | null = null

/** Node 18 from Debian's packages, fetched and unpacked on first use (a few seconds, ~11 MB), then from the cache. */
export function node18(): Node18 {
  if (cached) return cached
  const dir = node18CacheDir()
  fs.mkdirSync(path.dirname(dir), { recursive: true })
  if (!fs.existsSync(path.join(dir, 'ready.json'))) {
    fs.rmSync(dir, { recursive: true, force: true })
    build(dir)
  }
  const root = path.join(dir, 'root')
  linkShare(path.join(root, 'usr', 'share', 'nodejs'))
  const node = path.join(root, 'usr', 'bin', 'node')
  const env = { LD_LIBRARY_PATH: path.join(root, 'usr', 'lib', ARCH_TRIPLETS[process.arch]!) }
  let version: string
  try {
    version = execFileSync(node, ['-p', 'process.version'], { encoding: 'utf8', env: { PATH: '/usr/bin:/bin', ...env }, timeout: 30_000 }).trim()
  } catch (e) {
    const err = e as { stderr?: string; message: string }
    throw new Node18Unavailable(`the unpacked node does not start: ${(err.stderr || err.message).slice(0, 1_000)}`)
  }
  if (!version.startsWith('v18.')) throw new Node18Unavailable(`the unpacked node is ${version}, not 18`)
  cached = { node, env, version, dir }
  return cached
}
