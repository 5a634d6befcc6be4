/**
 * Secrets out of what is printed (issue 18 part 4: "Secrets never appear in logs or output"): one
 * masking rule for every URL a command names, PostgreSQL's and NATS's alike. Its own module, so a
 * caller that masks a NATS URL does not load the PostgreSQL driver.
 */
/**
 * `text` (a URL, or a message quoting one) with every URL password replaced by ***: the userinfo's
 * password runs to the LAST '@' before the host (WHATWG URL: the authority ends at '/', '?' or '#'),
 * so a password holding '@' is masked whole; libpq's `?password=` parameter is masked too.
 */
export function redact(text: string): string {
  return text.replace(/([a-z][a-z0-9+.-]*:\/\/[^:/?#@\s]*):[^/?#\s]*@/gi, '$1:***@').replace(/([?&]password=)[^&#\s]*/gi, '$1***');
}
