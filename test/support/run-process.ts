// Runs a program to completion and collects its output: for tests that run the doctor bundle like a user would.
import { spawn } from 'node:child_process'

export type Run = { code: number | null; stdout: string; stderr: string }

/** `command args` with exactly `env`, stdin closed; killed after `timeoutMs` (the run then ends with code null) */
export function runProcess(command: string, args: string[], options: { cwd: string; env: Record<string, string | undefined>; timeoutMs?: number }): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d) => (stdout += d))
    child.stderr.on('data', (d) => (stderr += d))
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000)
    child.on('error', reject)
    child.on('close', (code) => {
      clearTimeout(timer)
      resolve({ code, stdout, stderr })
    })
  })
}
