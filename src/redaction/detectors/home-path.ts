// User names inside home-directory paths: /Users/alice/, /home/alice/, C:\Users\alice\ (also C:/Users, escaped
// C:\\Users\\ in JSON), /mnt/c/Users/alice (WSL) and \\wsl$\Ubuntu\home\alice. The path stays, the name becomes [user].
import type { Detector, DetectorMatch } from '../types.js'
import { groupRange, placeholder } from '../util.js'

const NAME = `[^\\s/\\\\:*?"'<>|\`\\[\\](){},;]{1,64}`
const POSIX = new RegExp(`/(?:Users|home)/(${NAME})`, 'dg')
// Windows names may hold spaces ("C:\Users\Jane Doe\AppData"): allowed when a backslash follows.
const WINDOWS = new RegExp(`\\\\{1,4}(?:Users|home)\\\\{1,4}(?:([^\\\\/:*?"<>|\\r\\n\\t\\[\\]]{1,64}?)(?=\\\\)|(${NAME}))`, 'dgi')
const GENERIC_NAMES = new Set(['shared', 'public', 'default', 'default user', 'all users', 'user', 'username', 'you', 'yourname', 'your-name', 'me', 'name'])

function keepName(name: string): boolean {
  return GENERIC_NAMES.has(name.toLowerCase()) || /^[$%~{<.]/.test(name) || name.startsWith('[')
}

function find(text: string): DetectorMatch[] {
  const hits: DetectorMatch[] = []
  for (const m of text.matchAll(POSIX)) {
    // "/Users/" must start a path: after a delimiter, a drive ("C:/Users"), /mnt/<drive>, /var or /Volumes/Data
    const before = text[m.index - 1]
    const okStart =
      before === undefined ||
      !/[A-Za-z0-9._-]/.test(before) ||
      /\/mnt\/[A-Za-z]$/i.test(text.slice(Math.max(0, m.index - 6), m.index)) ||
      /(?:\/var|\/Data|\/System\/Volumes\/Data)$/.test(text.slice(Math.max(0, m.index - 24), m.index))
    if (!okStart || keepName(m[1]!)) continue
    const [start, end] = groupRange(m, 1)!
    hits.push({ start, end, kind: 'user', replacement: placeholder('user') })
  }
  for (const m of text.matchAll(WINDOWS)) {
    const group = m[1] !== undefined ? 1 : 2
    const name = m[group]!
    if (keepName(name.trim()) || !name.trim()) continue
    const [start, end] = groupRange(m, group)!
    hits.push({ start, end, kind: 'user', replacement: placeholder('user') })
  }
  if (hits.length < 2) return hits
  hits.sort((a, b) => a.start - b.start)
  const out: DetectorMatch[] = []
  let lastEnd = 0
  for (const h of hits) if (h.start >= lastEnd) (out.push(h), (lastEnd = h.end))
  return out
}

export const homePathUser: Detector = {
  id: 'home-path-user',
  kind: 'user',
  secret: false,
  description: 'the user name inside a home-directory path',
  keywords: ['/users/', '/home/', '\\users\\', '\\home\\'],
  find,
  truePositives: [
    { text: 'Error: EACCES: permission denied, open /Users/alice/.claude/.credentials.json', secret: 'alice' },
    { text: 'at /home/bob-dev/project/index.js:12', secret: 'bob-dev' },
    { text: 'C:\\Users\\Jane Doe\\AppData\\Roaming\\npm\\claude.cmd', secret: 'Jane Doe' },
    { text: '"path":"C:\\\\Users\\\\carol\\\\.claude.json"', secret: 'carol' },
    { text: 'cd /mnt/c/Users/dave/src', secret: 'dave' },
    { text: '\\\\wsl$\\Ubuntu\\home\\erin\\.bashrc', secret: 'erin' },
    { text: 'PATH=/opt/bin:/home/frank', secret: 'frank' },
  ],
  falsePositives: [
    'https://example.com/home/welcome',
    'see https://api.github.com/users/octocat',
    '/Users/Shared/tools',
    'C:\\Users\\Public\\Desktop',
    'echo /home/$USER/.bashrc',
    'C:\\Users\\%USERNAME%\\.claude',
    '~/.claude/.credentials.json',
  ],
}
