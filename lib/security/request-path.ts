/**
 * A request path no route can serve: a segment whose percent-encoding is not UTF-8 (`%FF`,
 * `%C0%AF`, an encoded lone surrogate `%ED%A0%80`), or one that decodes to a NUL or another
 * control character. Pure, for the proxy to answer such a path with 400 before Next routes it:
 * Next 16.4's production server fails to decode such a dynamic segment and answers a bare 500
 * (its own DecodeError is not recognised across bundles), and a NUL reaching PostgreSQL is a 500.
 */
export function isMalformedPath(pathname: string): boolean {
  for (const segment of pathname.split("/")) {
    let decoded: string;
    try {
      decoded = decodeURIComponent(segment);
    } catch {
      return true;
    }
    if (/[\u0000-\u001f\u007f]/.test(decoded)) return true;
  }
  return false;
}
