// The service side of the doctor: GET /doctor.mjs serves the one-file program (with this service's URL built in),
// POST /api/doctor takes a redacted report uploaded with a one-time code and answers it in the thread where the
// code was issued.
import { z } from 'zod'
import type { IncomingMessage } from 'node:http'
import type { AppContext } from '../app-context.js'
import { AppError } from '../errors.js'
import { CAUSE_IDS, type Diagnosis } from '../diagnosis/types.js'
import { containsSecret, describeRemarks, isSecretKind, redactDeep } from '../redaction/index.js'
import { buildReply } from '../replies/index.js'
import type { Reply } from '../replies/types.js'
import { REPORT_SCHEMA, type DoctorReport } from '../doctor/types.js'
import { readJson, sendError, sendJson, sendText, type Route } from './http.js'
import { FixedWindowLimiter } from './rate-limit.js'

const short = (max: number) => z.string().max(max)
const fix = z.object({ text: short(2_000), commands: z.array(short(1_000)).max(20) }).nullable()
const state = z.enum(['ok', 'warning', 'error', 'crashed', 'skipped'])

/** The upload body (UploadPayload in src/doctor/types.ts), bounded in every direction. */
export const uploadSchema = z.object({
  code: z.string().trim().min(4).max(64),
  report: z.object({
    schema: z.literal(REPORT_SCHEMA, { error: `report.schema must be "${REPORT_SCHEMA}": update the doctor (fetch /doctor.mjs again)` }),
    doctorVersion: short(40),
    generatedAt: short(40),
    system: z.object({ platform: short(40), release: short(200), arch: short(40), node: short(40) }),
    options: z.object({ checkKey: z.boolean(), showKeySuffix: z.boolean(), apiHost: short(200) }),
    checks: z
      .array(
        z.object({
          id: short(80),
          title: short(200),
          state,
          summary: short(1_000),
          details: z.array(short(2_000)).max(100),
          fix,
          facts: z.record(z.string(), z.unknown()),
          findings: z.array(z.object({ code: short(80), severity: z.enum(['info', 'warning', 'error']) })).max(50),
          durationMs: z.number().nonnegative(),
        }),
      )
      .max(100),
    verdict: z.object({
      cause: z.enum([...CAUSE_IDS, 'none']),
      headline: short(1_000),
      because: z.array(short(80)).max(50),
      fix,
      alternatives: z.array(z.enum(CAUSE_IDS)).max(20),
    }),
    summary: z.object({ ok: z.number(), warning: z.number(), error: z.number(), crashed: z.number(), skipped: z.number() }),
  }),
})

type BuildDoctor = (options: { defaultServer?: string }) => Promise<string>

/** The reply posted in the thread: the doctor's verdict with the checks that failed as its evidence. */
export function doctorReportReply(report: DoctorReport, now: Date): Reply {
  const cause = report.verdict.cause
  const diagnosis: Diagnosis = {
    cause,
    symptom: null,
    confidence: cause === 'none' ? 0 : 0.9,
    evidence: [],
    alternatives: report.verdict.alternatives.map((c, i) => ({ cause: c, confidence: Math.max(0.1, 0.5 - i * 0.1) })),
    platform: null,
    notAuthKind: null,
    fingerprint: null,
  }
  const platform =
    report.system.platform === 'darwin' ? 'macos' : report.system.platform === 'win32' ? 'windows' : report.system.platform === 'linux' ? 'linux' : null
  const reply = buildReply(diagnosis, { text: '', platform, now })
  const flagged = report.checks.filter((c) => c.state === 'error' || c.state === 'crashed' || c.state === 'warning')
  return {
    ...reply,
    title: `Doctor report: ${reply.title}`,
    verdict: report.verdict.headline || reply.verdict,
    why: flagged.slice(0, 8).map((c) => ({ rule: `doctor:${c.id}`, quote: `${c.state}: ${c.title}: ${c.summary}` })),
  }
}

function clientAddress(req: IncomingMessage): string {
  return req.socket.remoteAddress ?? 'unknown'
}

/** how long the upload waits for the thread answer before it answers the doctor anyway (its own timeout is 30 s) */
export const POST_WAIT_MS = 10_000

/** metrics outcome of a body that could not be read */
const READ_OUTCOMES: Record<string, string> = {
  BODY_TOO_LARGE: 'too_large',
  UNSUPPORTED_MEDIA_TYPE: 'wrong_content_type',
  MALFORMED_JSON: 'malformed_json',
}

/**
 * Outcomes counted in claude_auth_doctor_uploads_total, one per request: accepted (stored; posted or not),
 * rate_limited, too_large, wrong_content_type, malformed_json, aborted, invalid, secret_refused, code_unknown,
 * code_expired, code_used, store_failed.
 */
export function doctorRoutes(ctx: AppContext, deps: { buildDoctor: BuildDoctor }): Route[] {
  const { config, store, log, metrics } = ctx
  const limiter = new FixedWindowLimiter(config.DOCTOR_UPLOADS_PER_MINUTE, 60_000, () => ctx.clock().getTime())
  let bundle: Promise<string> | null = null
  const program = () => (bundle ??= deps.buildDoctor({ defaultServer: config.publicUrl }).catch((err) => {
    bundle = null
    throw err
  }))

  const fail = (outcome: string, err: AppError): never => {
    metrics.doctorUploads.inc({ outcome })
    throw err
  }

  return [
    {
      method: 'GET',
      path: '/doctor.mjs',
      handler: async (_req, res) => {
        sendText(res, 200, await program(), 'text/javascript; charset=utf-8', { 'cache-control': 'no-cache' })
      },
    },
    {
      method: 'POST',
      path: '/api/doctor',
      handler: async (req, res) => {
        // Order matters: cheap refusals first, and nothing is stored or consumed until the report is known to be
        // clean. The code is consumed last, so a refused upload can be fixed and sent again with the same code.
        const address = clientAddress(req)
        if (!limiter.take(address)) {
          metrics.doctorUploads.inc({ outcome: 'rate_limited' })
          const wait = Math.max(1, limiter.retryAfterSeconds(address))
          sendError(res, 429, 'RATE_LIMITED', `Too many uploads from this address; wait ${wait} s and try again.`, { 'retry-after': String(wait) })
          return
        }
        const body = await readJson(req, config.DOCTOR_MAX_BYTES).catch((err: unknown) => {
          if (err instanceof AppError) return fail(READ_OUTCOMES[err.code] ?? 'invalid', err)
          // the client went away mid-body (ECONNRESET, aborted): nobody is left to read an answer
          return fail('aborted', new AppError('BODY_ABORTED', 'The upload was interrupted before the whole report arrived.', 400))
        })
        const parsed = uploadSchema.safeParse(body)
        if (!parsed.success) {
          const issue = parsed.error.issues[0]!
          return fail('invalid', new AppError('INVALID_REPORT', `The upload is not a doctor report: ${issue.path.join('.') || 'body'}: ${issue.message}`, 400))
        }
        const { code, report } = parsed.data
        // Redacted again with the bot's own detectors. The doctor redacts before sending, so anything secret still
        // found here means that copy of the doctor leaks: the report is refused outright (not cleaned up and kept),
        // before the code is touched, so the person can fetch the doctor again and re-send with the same code.
        // Personal data (an email address in a login line) is only masked. Every string is checked on its own (a
        // check on the whole JSON text misses secrets inside quoted JSON, where the quotes arrive escaped).
        const redacted = redactDeep(report)
        const secrets = redacted.remarks.filter((r) => isSecretKind(r.kind))
        if (secrets.length > 0 || containsSecret(JSON.stringify(report))) {
          const what = describeRemarks(secrets) || 'something that looks like a secret'
          return fail(
            'secret_refused',
            new AppError('REPORT_CONTAINS_SECRET', `The report still contains ${what}, so it was refused and nothing was stored. Fetch the doctor again (${config.publicUrl.replace(/\/+$/, '')}/doctor.mjs) and re-run it with the same code.`, 422),
          )
        }
        const consumed = await store.consumeDoctorToken(code)
        if (!consumed.ok) {
          const errors = {
            unknown: new AppError('CODE_UNKNOWN', 'That upload code does not exist. Run /claude-auth doctor in your thread to get a new one.', 404),
            expired: new AppError('CODE_EXPIRED', 'That upload code has expired. Run /claude-auth doctor again for a fresh one.', 410),
            used: new AppError('CODE_USED', 'That upload code was already used. Each code works once: run /claude-auth doctor for a new one.', 409),
          }
          return fail(`code_${consumed.reason}`, errors[consumed.reason])
        }
        const clean = redacted.value as DoctorReport
        const target = consumed.target
        try {
          await store.saveDoctorReport({
            tokenId: consumed.tokenId,
            workspace: target.workspace,
            userId: target.userId ?? null,
            cause: clean.verdict.cause,
            report: clean,
            findings: clean.checks.flatMap((c) => c.findings.map((f) => ({ check: c.id, ...f }))),
          })
        } catch (err) {
          // The code is spent (consumed above) but nothing was kept: say so, rather than a bare 500.
          metrics.doctorUploads.inc({ outcome: 'store_failed' })
          metrics.dbErrors.inc({ operation: 'save_doctor_report' })
          log.error({ err: (err as Error).message }, 'doctor report could not be stored')
          sendError(res, 503, 'REPORT_NOT_STORED', 'The report could not be stored just now, and the code is used up. Run /claude-auth doctor again in a few minutes for a new code.')
          return
        }
        const reply = doctorReportReply(clean, ctx.clock())
        // 'none' (nothing wrong found on the machine) is not an incident; the answer is still posted.
        if (clean.verdict.cause !== 'none') {
          ctx.triage.recordDoctorIncident({
            workspace: target.workspace,
            channelId: target.channelId,
            threadId: target.threadId ?? null,
            userId: target.userId ?? null,
            cause: clean.verdict.cause,
            excerpt: reply.why.map((w) => w.quote).join('\n') || clean.verdict.headline,
            os: reply.platform,
          })
        }
        const poster = ctx.threadPosters[target.workspace.platform]
        let posted: 'yes' | 'no' | 'pending' = 'no'
        if (poster) {
          const delivery = poster(target, reply).then(
            () => 'yes' as const,
            (err: unknown) => {
              log.error({ err: (err as Error).message, platform: target.workspace.platform }, 'doctor reply could not be posted to the thread')
              return 'no' as const
            },
          )
          let timer: NodeJS.Timeout | undefined
          posted = await Promise.race([delivery, new Promise<'pending'>((resolve) => (timer = setTimeout(() => resolve('pending'), POST_WAIT_MS)))])
          clearTimeout(timer)
        }
        metrics.doctorUploads.inc({ outcome: 'accepted' })
        sendJson(res, 200, {
          ok: true,
          cause: clean.verdict.cause,
          posted: posted === 'yes',
          message:
            posted === 'yes'
              ? 'Thanks: the verdict is posted in your thread.'
              : posted === 'pending'
                ? 'Report received; the verdict is on its way to your thread.'
                : 'Report received; the chat thread could not be reached, an admin can see it on the dashboard.',
        })
      },
    },
  ]
}
