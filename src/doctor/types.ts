// The doctor program's contracts: the injected environment every check reads through, the check interface, and the
// report (printed, emitted with --json, and uploaded with --upload). Types only, apart from the version constant.
import type { CauseId } from '../diagnosis/types.js'

/** Bumped when the report's shape changes incompatibly; the service validates uploads against it. */
export const REPORT_SCHEMA = 'claude-auth-doctor/1' as const

export type CheckState = 'ok' | 'warning' | 'error' | 'crashed' | 'skipped'

/** What a check noticed, by stable code; src/doctor/verdict.ts maps codes to causes. */
export type FindingSeverity = 'info' | 'warning' | 'error'
export type Finding = { code: string; severity: FindingSeverity }

export type Fix = {
  /** one or two sentences: what to do and why */
  text: string
  /** exact commands for this machine's shell, in order; may be empty */
  commands: string[]
}

export type CheckResult = {
  state: CheckState
  /** one line: shown after the check's title */
  summary: string
  /** indented lines under the summary; masked, never a secret */
  details?: string[]
  fix?: Fix
  /** machine-readable, non-secret facts (versions, kinds, lengths, booleans) */
  facts?: Record<string, unknown>
  findings?: Finding[]
}

export type DoctorOptions = {
  /** where the network checks go; https://api.anthropic.com unless a test points it elsewhere */
  apiUrl: string
  /** --check-key: one free request (GET /v1/models) with ANTHROPIC_API_KEY */
  checkKey: boolean
  /** --show-key-suffix: print the key's last four characters, as the Anthropic Console shows them */
  showKeySuffix: boolean
}

export type CheckContext = {
  options: DoctorOptions
  /** aborted when the check's time box runs out; pass it to exec and network calls */
  signal: AbortSignal
}

export interface Check {
  id: string
  title: string
  timeoutMs: number
  run(env: DoctorEnv, ctx: CheckContext): Promise<CheckResult>
}

export type FileStat = { isFile: boolean; isDirectory: boolean; mode: number; size: number; mtimeMs: number }

export type ExecResult = {
  /** null when the process was killed (time box) or could not start */
  code: number | null
  stdout: string
  stderr: string
  timedOut: boolean
  /** set when the program could not be started (ENOENT, EACCES, ...) */
  error?: string
}

export type ExecOptions = { timeoutMs: number; signal?: AbortSignal }

export type TcpResult = { address: string; port: number; ms: number }

export type CertInfo = { subject: string; issuer: string; validFrom?: string; validTo?: string; selfSigned: boolean }

export type TlsProbeResult = {
  /** the chain verified against this Node's trust store (including NODE_EXTRA_CA_CERTS) */
  authorized: boolean
  /** OpenSSL/Node code when not authorized, e.g. SELF_SIGNED_CERT_IN_CHAIN, ERR_TLS_CERT_ALTNAME_INVALID */
  errorCode: string | null
  protocol: string | null
  /** leaf first, root (or last sent) last */
  chain: CertInfo[]
  ms: number
  /** the proxy the tunnel went through, credentials masked; null when direct */
  via: string | null
}

export type HttpRequest = {
  method: 'GET' | 'POST' | 'HEAD'
  url: string
  headers?: Record<string, string>
  body?: string
  timeoutMs: number
  signal?: AbortSignal
}

export type HttpResponse = { status: number; headers: Record<string, string>; body: string; ms: number }

/** Everything the doctor reads from the machine. Checks never touch process, fs, child_process or the network directly. */
export interface DoctorEnv {
  /** environment variables of this process */
  env: Readonly<Record<string, string | undefined>>
  homedir: string
  cwd: string
  platform: NodeJS.Platform
  arch: string
  /** os.release() */
  osRelease: string
  /** process.version of the Node running the doctor, e.g. v20.11.0 */
  nodeVersion: string
  /** milliseconds since the epoch */
  now(): number
  fs: {
    /** utf8 text; rejects with ENOENT etc. */
    readFile(path: string): Promise<string>
    /** null when the path does not exist */
    stat(path: string): Promise<FileStat | null>
    /** lstat-free realpath; rejects when missing */
    realpath(path: string): Promise<string>
    /** true when the path is a file this user may execute */
    isExecutable(path: string): Promise<boolean>
    readdir(path: string): Promise<string[]>
  }
  /** runs a program without a shell (except Windows .cmd shims), stdin closed, output capped, killed at the time box */
  exec(file: string, args: string[], options: ExecOptions): Promise<ExecResult>
  net: {
    lookup(host: string, options: { timeoutMs: number; signal?: AbortSignal }): Promise<{ address: string; family: number }[]>
    tcpConnect(host: string, port: number, options: { timeoutMs: number; signal?: AbortSignal }): Promise<TcpResult>
    /** TLS handshake that never sends data; through an HTTP(S) CONNECT proxy when `proxy` is given */
    tlsProbe(
      host: string,
      port: number,
      options: { timeoutMs: number; signal?: AbortSignal; proxy?: string | null },
    ): Promise<TlsProbeResult>
    /** HTTP request through the proxy settings of `env` (HTTPS_PROXY/HTTP_PROXY/NO_PROXY, undici EnvHttpProxyAgent) */
    request(req: HttpRequest): Promise<HttpResponse>
  }
}

export type CheckReport = {
  id: string
  title: string
  state: CheckState
  summary: string
  details: string[]
  fix: Fix | null
  facts: Record<string, unknown>
  findings: Finding[]
  durationMs: number
}

export type VerdictReport = {
  /** the likely cause, 'none' when nothing local looks wrong */
  cause: CauseId | 'none'
  /** one sentence for people */
  headline: string
  /** finding codes that point at the cause, strongest first */
  because: string[]
  fix: Fix | null
  /** other causes the findings also point at, strongest first */
  alternatives: CauseId[]
}

export type DoctorReport = {
  schema: typeof REPORT_SCHEMA
  doctorVersion: string
  generatedAt: string
  system: { platform: string; release: string; arch: string; node: string }
  options: { checkKey: boolean; showKeySuffix: boolean; apiHost: string }
  checks: CheckReport[]
  verdict: VerdictReport
  summary: { ok: number; warning: number; error: number; crashed: number; skipped: number }
}

/** The body of POST <server>/api/doctor. */
export type UploadPayload = { code: string; report: DoctorReport }
