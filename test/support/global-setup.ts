// Runs once before the test files: the bot process the proofs start is the bundle `npm start` runs (dist/main.js),
// so it is rebuilt from the current sources first.
import { bundleServer } from '../../src/server-bundle.js'

export default async function setup(): Promise<void> {
  await bundleServer()
}
