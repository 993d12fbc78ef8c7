// A small Prometheus registry: counters, gauges and histograms with labels, rendered in the text exposition format.
// Kept dependency-free; the process has one registry, passed in through the app context.

type Labels = Record<string, string>

const escapeLabel = (v: string) => v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"')
const labelKey = (names: readonly string[], labels: Labels) => names.map((n) => `${n}="${escapeLabel(labels[n] ?? '')}"`).join(',')

abstract class Metric {
  constructor(
    readonly name: string,
    readonly help: string,
    readonly labelNames: readonly string[],
  ) {}
  abstract render(): string
  protected header(type: string) {
    return `# HELP ${this.name} ${this.help}\n# TYPE ${this.name} ${type}\n`
  }
}

export class Counter extends Metric {
  private values = new Map<string, number>()
  inc(labels: Labels = {}, by = 1) {
    const key = labelKey(this.labelNames, labels)
    this.values.set(key, (this.values.get(key) ?? 0) + by)
  }
  get(labels: Labels = {}) {
    return this.values.get(labelKey(this.labelNames, labels)) ?? 0
  }
  render() {
    let out = this.header('counter')
    if (this.values.size === 0 && this.labelNames.length === 0) out += `${this.name} 0\n`
    for (const [k, v] of this.values) out += `${this.name}${k ? `{${k}}` : ''} ${v}\n`
    return out
  }
}

export class Gauge extends Metric {
  private values = new Map<string, number>()
  set(labels: Labels, value: number) {
    this.values.set(labelKey(this.labelNames, labels), value)
  }
  render() {
    let out = this.header('gauge')
    for (const [k, v] of this.values) out += `${this.name}${k ? `{${k}}` : ''} ${v}\n`
    return out
  }
}

export class Histogram extends Metric {
  private series = new Map<string, { buckets: number[]; sum: number; count: number }>()
  constructor(
    name: string,
    help: string,
    labelNames: readonly string[],
    readonly bounds: readonly number[],
  ) {
    super(name, help, labelNames)
  }
  observe(labels: Labels, value: number) {
    const key = labelKey(this.labelNames, labels)
    let s = this.series.get(key)
    if (!s) this.series.set(key, (s = { buckets: this.bounds.map(() => 0), sum: 0, count: 0 }))
    for (let i = 0; i < this.bounds.length; i++) if (value <= this.bounds[i]!) s.buckets[i]!++
    s.sum += value
    s.count++
  }
  render() {
    let out = this.header('histogram')
    for (const [k, s] of this.series) {
      const pre = k ? `${k},` : ''
      this.bounds.forEach((b, i) => (out += `${this.name}_bucket{${pre}le="${b}"} ${s.buckets[i]}\n`))
      out += `${this.name}_bucket{${pre}le="+Inf"} ${s.count}\n`
      out += `${this.name}_sum${k ? `{${k}}` : ''} ${s.sum}\n${this.name}_count${k ? `{${k}}` : ''} ${s.count}\n`
    }
    return out
  }
}

/** The process's own figures, read when scraped (the names prom-client's defaults use, so existing dashboards work). */
class ProcessMetrics extends Metric {
  private readonly startSeconds = Math.round(Date.now() / 1000 - process.uptime())
  constructor() {
    super('process', 'Process memory and CPU.', [])
  }
  render() {
    const mem = process.memoryUsage()
    const cpu = process.cpuUsage()
    const line = (name: string, type: string, help: string, value: number) => `# HELP ${name} ${help}\n# TYPE ${name} ${type}\n${name} ${value}\n`
    return (
      line('process_resident_memory_bytes', 'gauge', 'Resident memory size in bytes.', mem.rss) +
      line('nodejs_heap_size_used_bytes', 'gauge', 'JavaScript heap in use, in bytes.', mem.heapUsed) +
      line('nodejs_heap_size_total_bytes', 'gauge', 'JavaScript heap reserved, in bytes.', mem.heapTotal) +
      line('nodejs_external_memory_bytes', 'gauge', 'Memory of C++ objects bound to JavaScript (buffers, WebAssembly), in bytes.', mem.external) +
      line('process_cpu_seconds_total', 'counter', 'User and system CPU time, in seconds.', (cpu.user + cpu.system) / 1e6) +
      line('process_start_time_seconds', 'gauge', 'Start time of the process since the Unix epoch, in seconds.', this.startSeconds)
    )
  }
}

export class Metrics {
  private all: Metric[] = []
  private add<M extends Metric>(m: M): M {
    this.all.push(m)
    return m
  }
  readonly diagnoses = this.add(new Counter('claude_auth_diagnoses_total', 'Diagnoses made, by cause and entry point.', ['cause', 'source', 'platform']))
  readonly replyLatency = this.add(
    new Histogram('claude_auth_reply_latency_seconds', 'Time from receiving a message to the reply being accepted by the chat platform.', ['platform', 'source'], [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]),
  )
  readonly duplicatesDropped = this.add(new Counter('claude_auth_event_duplicates_dropped_total', 'Platform events dropped because another delivery was already handled.', ['platform']))
  readonly doctorUploads = this.add(new Counter('claude_auth_doctor_uploads_total', 'Doctor uploads, by outcome.', ['outcome']))
  readonly dbErrors = this.add(new Counter('claude_auth_db_errors_total', 'Database operations that failed, by operation.', ['operation']))
  readonly pendingWrites = this.add(new Gauge('claude_auth_pending_writes', 'Incident writes waiting for the database.', []))
  readonly replyErrors = this.add(new Counter('claude_auth_reply_errors_total', 'Replies that could not be delivered.', ['platform']))
  readonly feedback = this.add(new Counter('claude_auth_feedback_total', 'Feedback button clicks.', ['value']))
  readonly spikeAlerts = this.add(new Counter('claude_auth_spike_alerts_total', 'Spike alerts posted to admin channels.', ['platform']))

  readonly process = this.add(new ProcessMetrics())

  register<M extends Metric>(metric: M): M {
    return this.add(metric)
  }
  render(): string {
    return this.all.map((m) => m.render()).join('')
  }
}
