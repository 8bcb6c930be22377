/**
 * The response headers of every family page and its files, locally (infra/local/static-site.ts)
 * and from CloudFront (infra/constructs/edge.ts), written once. The page's address carries a
 * credential (the token, in the fragment), so: nothing but this origin may load or be contacted
 * (`connect-src 'self'`: the API is on the same address), no page may frame it, and no Referer
 * ever leaves it.
 */
export const FAMILY_PAGE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "connect-src 'self'",
  "img-src 'self' data:",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

export const FAMILY_PAGE_HEADERS = {
  'content-security-policy': FAMILY_PAGE_CSP,
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
} as const;
