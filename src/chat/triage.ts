// The one path from "someone posted text" to "here is the reply", shared by Slack, Discord and the doctor upload.
// Classifies (pure), decides whether a passive message deserves an answer, looks up the team's recent credential
// events for correlation (time-boxed: a slow or failing database never delays a reply), builds the neutral Reply
// and queues the incident write behind it.
import { randomUUID } from 'node:crypto'
import { classify } from '../diagnosis/index.js'
import type { Diagnosis, Platform } from '../diagnosis/types.js'
import { redact } from '../redaction/index.js'
import { buildReply } from '../replies/index.js'
import type { RelatedEvent, Reply } from '../replies/types.js'
import type { Logger } from '../log.js'
import type { Metrics } from '../metrics.js'
import type { FeedbackValue, IncidentSource, NewIncident, Store, WorkspaceRef } from '../store/types.js'
import type { IncidentRecorder } from './incident-recorder.js'

export type TriageInput = {
  text: string
  source: IncidentSource
  /** explicit: someone asked (/claude-auth, mention, shortcut): always answer. passive: a message in a channel. */
  mode: 'explicit' | 'passive'
  workspace: WorkspaceRef
  channelId?: string | null
  threadId?: string | null
  messageId?: string | null
  userId?: string | null
  /** a platform the person picked; otherwise the one detected in the text */
  platform?: Platform | null
}

export type TriageResult = {
  diagnosis: Diagnosis
  reply: Reply
  /** null when nothing was recorded (chatter, or a passive message below the threshold) */
  incidentId: string | null
  /** false: stay silent (passive mode and not confidently an error) */
  answer: boolean
}

export type RecordedIncident = NewIncident & { id: string }

export type TriageDeps = {
  store: Store
  recorder: IncidentRecorder
  log: Logger
  metrics: Metrics
  clock: () => Date
  passiveThreshold: number
  eventLookbackDays: number
  /** how long correlation may wait for the database before replying without it */
  eventLookupTimeoutMs?: number
}

/** Longest excerpt kept with an incident: enough to recognise the error, not a whole log. */
const EXCERPT_CHARS = 2_000

export class Triage {
  private listeners: ((incident: RecordedIncident) => void)[] = []

  constructor(private readonly deps: TriageDeps) {}

  /** called after each incident is queued (spike detection, metrics) */
  onIncident(listener: (incident: RecordedIncident) => void) {
    this.listeners.push(listener)
  }

  async diagnose(input: TriageInput): Promise<TriageResult> {
    const diagnosis = classify(input.text)
    const answer =
      input.mode === 'explicit' ||
      (diagnosis.cause !== 'none' && diagnosis.confidence >= this.deps.passiveThreshold)
    const platform = input.platform ?? diagnosis.platform
    if (!answer) {
      return { diagnosis, reply: buildReply(diagnosis, { text: input.text, platform, now: this.deps.clock() }), incidentId: null, answer }
    }
    const events = diagnosis.cause === 'none' ? [] : await this.recentEvents(input.workspace)
    const reply = buildReply(diagnosis, { text: input.text, platform, events, now: this.deps.clock() })
    let incidentId: string | null = null
    if (diagnosis.cause !== 'none') {
      incidentId = randomUUID()
      const incident: RecordedIncident = {
        id: incidentId,
        workspace: input.workspace,
        channelId: input.channelId ?? null,
        threadId: input.threadId ?? null,
        messageId: input.messageId ?? null,
        userId: input.userId ?? null,
        cause: diagnosis.cause,
        symptom: diagnosis.symptom,
        confidence: diagnosis.confidence,
        fingerprint: diagnosis.fingerprint,
        excerpt: redact(input.text.slice(0, EXCERPT_CHARS * 2)).text.slice(0, EXCERPT_CHARS),
        os: platform,
        source: input.source,
        createdAt: this.deps.clock(),
      }
      this.queueIncident(incident)
    }
    this.deps.metrics.diagnoses.inc({ cause: diagnosis.cause, source: input.source, platform: input.workspace.platform })
    return { diagnosis, reply, incidentId, answer }
  }

  /**
   * The reply again for another platform (platform picker) or for the next most likely cause ("still failing").
   * Re-reads the stored, redacted excerpt; when the database cannot answer, falls back to the cause alone.
   */
  async rebuild(args: {
    incidentId: string | null
    cause: Diagnosis['cause']
    platform: Platform | null
    workspace: WorkspaceRef
    nextCause?: boolean
  }): Promise<{ diagnosis: Diagnosis; reply: Reply }> {
    let text = ''
    if (args.incidentId) {
      const incident = await withTimeout(this.deps.store.getIncident(args.incidentId), 500).catch(() => null)
      text = incident?.excerpt ?? ''
    }
    let diagnosis = text ? classify(text) : bareDiagnosis(args.cause)
    if (diagnosis.cause !== args.cause && !args.nextCause) diagnosis = { ...diagnosis, cause: args.cause }
    if (args.nextCause) {
      const next = diagnosis.alternatives.find((a) => a.cause !== args.cause)
      diagnosis = next
        ? { ...diagnosis, cause: next.cause, confidence: next.confidence, alternatives: diagnosis.alternatives.filter((a) => a.cause !== next.cause) }
        : diagnosis
    }
    const events = await this.recentEvents(args.workspace)
    const reply = buildReply(diagnosis, { text, platform: args.platform ?? diagnosis.platform, events, now: this.deps.clock() })
    return { diagnosis, reply }
  }

  /** an incident found by the doctor program (its verdict), recorded like any other so it counts in stats */
  recordDoctorIncident(args: {
    workspace: WorkspaceRef
    channelId: string | null
    threadId: string | null
    userId: string | null
    cause: Diagnosis['cause']
    excerpt: string
    os: Platform | null
  }): string {
    const id = randomUUID()
    this.queueIncident({
      id,
      ...args,
      messageId: null,
      symptom: null,
      confidence: 0.9,
      fingerprint: null,
      excerpt: redact(args.excerpt).text.slice(0, EXCERPT_CHARS),
      source: 'doctor',
      createdAt: this.deps.clock(),
    })
    this.deps.metrics.diagnoses.inc({ cause: args.cause, source: 'doctor', platform: args.workspace.platform })
    return id
  }

  private queueIncident(incident: RecordedIncident) {
    this.deps.recorder.recordIncident(incident)
    for (const l of this.listeners) {
      try {
        l(incident)
      } catch (err) {
        this.deps.log.error({ err }, 'incident listener failed')
      }
    }
  }

  feedback(incidentId: string, value: FeedbackValue, userId: string | null) {
    this.deps.metrics.feedback.inc({ value })
    this.deps.recorder.recordFeedback(incidentId, value, userId)
  }

  private async recentEvents(workspace: WorkspaceRef): Promise<RelatedEvent[]> {
    const since = new Date(this.deps.clock().getTime() - this.deps.eventLookbackDays * 86_400_000)
    try {
      const events = await withTimeout(this.deps.store.listCredentialEvents(workspace, { since, limit: 50 }), this.deps.eventLookupTimeoutMs ?? 300)
      return events.map((e) => ({ kind: e.kind, subject: e.subject ?? null, occurredAt: e.occurredAt }))
    } catch (err) {
      this.deps.metrics.dbErrors.inc({ operation: 'list_events' })
      this.deps.log.warn({ err: (err as Error).message }, 'credential events unavailable; replying without correlation')
      return []
    }
  }
}

function bareDiagnosis(cause: Diagnosis['cause']): Diagnosis {
  return { cause, symptom: null, confidence: 1, evidence: [], alternatives: [], platform: null, notAuthKind: null, fingerprint: null }
}

export function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise<T>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms)
    }),
  ])
}
