// Spike alerts: when several distinct people hit the same cause within SPIKE_WINDOW_MINUTES, post once to the
// admin channel with the counts and the most likely related credential-change event.
//
// How "once" is kept, across replicas and restarts, with nothing but the database:
//   - people are counted over the sliding window (t - W, t] ending at the incident;
//   - the alert is claimed for the window bucket holding t (floor(t / W) * W): claimSpikeAlert is an insert on a
//     unique key, so of any number of checks in that bucket exactly one posts;
//   - a spike that simply goes on is not announced again in the next bucket: when the previous bucket on its own
//     already held SPIKE_MIN_PEOPLE people, its N-th person crossed the threshold inside that bucket, so the alert
//     was made there (or the spike was already continuing before it).
// Runs after the reply: each check is asynchronous, coalesced per (workspace, cause), and only logs its errors.
import type { Config } from '../config.js'
import type { Logger } from '../log.js'
import type { Metrics } from '../metrics.js'
import type { ThreadPoster } from '../app-context.js'
import type { RecordedIncident } from '../chat/triage.js'
import type { CredentialEvent, Store, WorkspaceRef } from '../store/types.js'
import type { Reply } from '../replies/types.js'
import type { Verdict } from '../diagnosis/types.js'
import { causeLabel, eventLabel } from './causes.js'
import { formatAgo, plural } from './format.js'
import { mostLikelyEvent } from './correlation.js'
import { dashboardUrl } from './commands.js'

export type SpikeConfig = Pick<
  Config,
  'SPIKE_MIN_PEOPLE' | 'SPIKE_WINDOW_MINUTES' | 'SLACK_ADMIN_CHANNEL' | 'DISCORD_ADMIN_CHANNEL' | 'EVENT_LOOKBACK_DAYS' | 'publicUrl'
>

export type SpikeDetectorDeps = {
  store: Store
  log: Logger
  metrics: Metrics
  clock: () => Date
  config: SpikeConfig
  /** the app's poster registry (filled in once the chat integrations are up); read at alert time */
  posters: Partial<Record<WorkspaceRef['platform'], ThreadPoster>>
  /** resolves once queued incident writes reached the database (the write-behind recorder's flush) */
  settled?: () => Promise<unknown>
}

export type SpikeAlert = {
  workspace: WorkspaceRef
  cause: string
  people: number
  incidents: number
  windowStart: Date
  windowMinutes: number
  event: CredentialEvent | null
  reply: Reply
}

export type SpikeOutcome =
  | { alerted: true; alert: SpikeAlert }
  | { alerted: false; reason: 'ignored' | 'no_channel' | 'below_threshold' | 'continuing' | 'already_alerted' }

/** Causes that never make a spike: chatter, and real errors that are not about authentication. */
const NOT_COUNTED = new Set(['none', 'not_auth'])

export class SpikeDetector {
  private readonly running = new Map<string, Promise<void>>()
  private readonly pending = new Map<string, RecordedIncident>()

  constructor(private readonly deps: SpikeDetectorDeps) {}

  /** The Triage listener: never throws, never waits. */
  readonly onIncident = (incident: RecordedIncident): void => {
    if (NOT_COUNTED.has(incident.cause) || !incident.userId) return
    if (!this.channelFor(incident.workspace.platform)) return
    const key = `${incident.workspace.platform}\u0000${incident.workspace.externalId}\u0000${incident.cause}`
    if (this.running.has(key)) {
      // a check for this cause is in flight: run once more after it, for the newest incident
      this.pending.set(key, incident)
      return
    }
    const loop = async () => {
      let next: RecordedIncident | undefined = incident
      while (next) {
        this.pending.delete(key)
        try {
          await this.deps.settled?.()
          await this.check(next)
        } catch (err) {
          this.deps.log.error({ err, cause: next.cause, platform: next.workspace.platform }, 'spike check failed')
        }
        next = this.pending.get(key)
      }
    }
    const p = loop().finally(() => this.running.delete(key))
    this.running.set(key, p)
  }

  /** resolves when every check in flight is done (tests, shutdown) */
  async idle(): Promise<void> {
    while (this.running.size) await Promise.allSettled([...this.running.values()])
  }

  private channelFor(platform: WorkspaceRef['platform']): string | null {
    return platform === 'slack' ? this.deps.config.SLACK_ADMIN_CHANNEL : this.deps.config.DISCORD_ADMIN_CHANNEL
  }

  /** One check for the incident's (workspace, cause); posts the alert when this call wins the claim. */
  async check(incident: Pick<RecordedIncident, 'workspace' | 'cause' | 'userId' | 'createdAt'>): Promise<SpikeOutcome> {
    const { store, config } = this.deps
    if (NOT_COUNTED.has(incident.cause) || !incident.userId) return { alerted: false, reason: 'ignored' }
    const channel = this.channelFor(incident.workspace.platform)
    if (!channel) return { alerted: false, reason: 'no_channel' }
    const t = (incident.createdAt ?? this.deps.clock()).getTime()
    const W = config.SPIKE_WINDOW_MINUTES * 60_000
    const min = config.SPIKE_MIN_PEOPLE
    // `until` is exclusive in the store: +1 ms keeps the incident itself in
    const window = { since: new Date(t - W + 1), until: new Date(t + 1) }
    const people = await store.peopleWithCause(incident.workspace, incident.cause, window)
    if (people < min) return { alerted: false, reason: 'below_threshold' }
    const bucket = Math.floor(t / W) * W
    const before = await store.peopleWithCause(incident.workspace, incident.cause, { since: new Date(bucket - W), until: new Date(bucket) })
    if (before >= min) return { alerted: false, reason: 'continuing' }
    const poster = this.deps.posters[incident.workspace.platform]
    if (!poster) {
      this.deps.log.warn({ platform: incident.workspace.platform, cause: incident.cause, people }, 'spike detected but the chat integration cannot post yet')
      return { alerted: false, reason: 'no_channel' }
    }
    const windowStart = new Date(bucket)
    if (!(await store.claimSpikeAlert(incident.workspace, incident.cause, windowStart, people))) return { alerted: false, reason: 'already_alerted' }

    const now = new Date(t)
    const [summary, events] = await Promise.all([
      store.recurring(incident.workspace, window, { cause: incident.cause, limit: 1 }).catch(() => null),
      store
        .listCredentialEvents(incident.workspace, { since: new Date(t - config.EVENT_LOOKBACK_DAYS * 86_400_000), limit: 100 })
        .catch((err: Error) => {
          this.deps.log.warn({ err: err.message }, 'spike alert without events: the database did not answer')
          return [] as CredentialEvent[]
        }),
    ])
    const event = mostLikelyEvent(incident.cause, events, now)
    const incidents = summary?.total ?? people
    const alert: SpikeAlert = {
      workspace: incident.workspace,
      cause: incident.cause,
      people,
      incidents,
      windowStart,
      windowMinutes: config.SPIKE_WINDOW_MINUTES,
      event,
      reply: spikeReply({ cause: incident.cause, people, incidents, windowMinutes: config.SPIKE_WINDOW_MINUTES, event, now, dashboardUrl: dashboardUrl(config.publicUrl), lookbackDays: config.EVENT_LOOKBACK_DAYS }),
    }
    await poster({ workspace: incident.workspace, channelId: channel, threadId: null, userId: null }, alert.reply)
    this.deps.metrics.spikeAlerts.inc({ platform: incident.workspace.platform })
    this.deps.log.info({ platform: incident.workspace.platform, cause: incident.cause, people, windowStart }, 'spike alert posted')
    return { alerted: true, alert }
  }
}

export type SpikeReplyInput = {
  cause: string
  people: number
  incidents: number
  windowMinutes: number
  event: CredentialEvent | null
  now: Date
  dashboardUrl: string
  lookbackDays: number
}

/** The alert as a Reply, so every chat renderer can post it unchanged (no steps' commands, no buttons). */
export function spikeReply(input: SpikeReplyInput): Reply {
  const label = causeLabel(input.cause)
  const span = formatWindow(input.windowMinutes)
  const eventNote = input.event
    ? `Most likely related: ${eventLabel(input.event.kind)}${input.event.subject ? ` (${input.event.subject})` : ''}, ${formatAgo(input.event.occurredAt, input.now)}${input.event.note ? `: ${input.event.note}` : ''}.`
    : `No related credential change recorded in the last ${plural(input.lookbackDays, 'day')}. If something changed, record it with /claude-auth event <kind>.`
  return {
    cause: input.cause as Verdict,
    symptom: null,
    confidence: 1,
    platform: null,
    title: `Spike: ${label}`,
    verdict: `${plural(input.people, 'person', 'people')} hit "${label}" in the last ${span} (${plural(input.incidents, 'incident')}).`,
    why: [],
    steps: [
      {
        title: 'Check what changed',
        detail: input.event
          ? 'A recent credential change matches this cause: if it was intended, tell the team what to do (new key, sign in again).'
          : 'Look for a rotation, a removal, a billing or policy change that could explain it.',
        commands: [],
      },
      { title: 'See who is affected', detail: `Dashboard: ${input.dashboardUrl} (sign in with /claude-auth admin).`, commands: [] },
    ],
    ifStillFailing: [],
    alternatives: [],
    eventNote,
    redactionNote: null,
    actions: [],
  }
}

/** "hour", "2 hours", "day", "90 minutes": reads as "in the last …" */
function formatWindow(minutes: number): string {
  if (minutes === 1440) return 'day'
  if (minutes === 60) return 'hour'
  if (minutes % 1440 === 0) return plural(minutes / 1440, 'day')
  if (minutes % 60 === 0) return plural(minutes / 60, 'hour')
  return plural(minutes, 'minute')
}
