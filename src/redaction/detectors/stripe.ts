// Stripe secret and restricted keys (live and test). Publishable pk_ keys are public and stay.
import type { Detector } from '../types.js'
import { regexFinder } from '../util.js'

export const stripeKey: Detector = {
  id: 'stripe-key',
  kind: 'stripe-key',
  secret: true,
  description: 'Stripe secret or restricted key (sk_live_, rk_live_, sk_test_, rk_test_)',
  keywords: ['sk_live_', 'rk_live_', 'sk_test_', 'rk_test_'],
  find: regexFinder(/[sr]k_(?:live|test)_[A-Za-z0-9]{16,}/g, 'stripe-key'),
  truePositives: [{ text: 'STRIPE_KEY=sk_live_EXAMPLE0123456789abcdefXYZ', secret: 'EXAMPLE0123456789abcdefXYZ' }],
  falsePositives: ['pk_live_EXAMPLE0123456789abcdef', 'sk_live_ keys', 'sk_test_short'],
}
