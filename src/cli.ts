// Command-line entry: one dispatcher, each command in its own module (loaded only when used, so `classify` stays
// fast and needs no database).
const commands: Record<string, { describe: string; load: () => Promise<{ run(args: string[]): Promise<number> }> }> = {
  classify: { describe: 'classify a pasted error (FILE or stdin; --json, --batch)', load: () => import('./cli/classify.js') },
  db: { describe: 'database migrations: migrate | status | new NAME | check', load: () => import('./store/migrate-cli.js') },
  'register-commands': { describe: 'register the Discord slash and context-menu commands', load: () => import('./chat/discord/register-commands.js') },
  'slack-manifest': { describe: 'print the Slack app manifest: slack-manifest [socket|http] [PUBLIC_URL]', load: () => import('./chat/slack/manifest.js') },
  build: { describe: 'bundle the service into dist/main.js (what `npm start` and the Docker image run)', load: () => import('./server-bundle.js') },
  'assemble-wasm': { describe: 'development: assemble src/diagnosis/*.wat into the modules that embed them', load: () => import('./cli/assemble-wasm.js') },
  'build-doctor': { describe: 'bundle the doctor program into one file', load: () => import('./doctor/build.js') },
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv
  const command = name ? commands[name] : undefined
  if (!command) {
    const width = Math.max(...Object.keys(commands).map((k) => k.length))
    process.stderr.write(
      `${name ? `Unknown command "${name}".\n` : ''}Usage: tsx src/cli.ts <command>\n\n` +
        Object.entries(commands)
          .map(([k, c]) => `  ${k.padEnd(width)}  ${c.describe}`)
          .join('\n') +
        '\n',
    )
    return 2
  }
  return (await command.load()).run(rest)
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code
  },
  (err: unknown) => {
    const e = err as { code?: string; message?: string }
    process.stderr.write(`${e.code ? `[${e.code}] ` : ''}${e.message ?? String(err)}\n`)
    process.exitCode = 1
  },
)
