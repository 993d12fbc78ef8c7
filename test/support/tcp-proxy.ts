// A TCP proxy on 127.0.0.1 that a test can "unplug": put it between the bot and PostgreSQL, then
//   stop()  = close the listener and destroy every live connection (the database is gone: new connections are
//             refused, open ones break mid-query);
//   start() = listen again on the same port (the database is back).
// The machine's PostgreSQL itself is never touched.
import net from 'node:net'

export type TcpProxyOptions = {
  /** where connections are forwarded */
  target: { host: string; port: number }
  /** the port to listen on; default: a free one chosen on the first start() and kept for later starts */
  port?: number
}

export class TcpProxy {
  private server: net.Server | null = null
  private readonly live = new Set<net.Socket>()
  private _port: number
  /** connections accepted since construction (how many times the client (re)connected) */
  accepted = 0

  constructor(private readonly options: TcpProxyOptions) {
    this._port = options.port ?? 0
  }

  get port(): number {
    return this._port
  }

  get listening(): boolean {
    return this.server !== null
  }

  /** connections currently open through the proxy */
  get connections(): number {
    return this.live.size / 2
  }

  /** starts (or restarts) listening; resolves with the port */
  async start(): Promise<number> {
    if (this.server) return this._port
    const server = net.createServer((client) => this.pipe(client))
    // The port was ours a moment ago; after a stop() another process could in theory take it: retry briefly.
    for (let attempt = 0; ; attempt++) {
      try {
        await new Promise<void>((resolve, reject) => {
          server.once('error', reject)
          server.listen({ port: this._port, host: '127.0.0.1', exclusive: true }, () => {
            server.off('error', reject)
            resolve()
          })
        })
        break
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EADDRINUSE' || attempt >= 50) throw err
        await new Promise((r) => setTimeout(r, 100))
      }
    }
    this._port = (server.address() as net.AddressInfo).port
    this.server = server
    return this._port
  }

  /** closes the listener and destroys every live connection; resolves when the listener is closed */
  async stop(): Promise<void> {
    const server = this.server
    this.server = null
    for (const s of this.live) s.destroy()
    this.live.clear()
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()))
  }

  private pipe(client: net.Socket) {
    this.accepted++
    const upstream = net.connect(this.options.target.port, this.options.target.host)
    this.live.add(client)
    this.live.add(upstream)
    const drop = () => {
      client.destroy()
      upstream.destroy()
      this.live.delete(client)
      this.live.delete(upstream)
    }
    client.on('error', drop).on('close', drop)
    upstream.on('error', drop).on('close', drop)
    client.pipe(upstream)
    upstream.pipe(client)
  }
}

/** host and port of a postgresql:// URL */
export function hostPortOf(url: string): { host: string; port: number } {
  const u = new URL(url)
  return { host: u.hostname || '127.0.0.1', port: Number(u.port || 5432) }
}

/** the same URL pointed at 127.0.0.1:`port` (through the proxy) */
export function viaProxy(url: string, port: number): string {
  const u = new URL(url)
  u.hostname = '127.0.0.1'
  u.port = String(port)
  return u.toString()
}
