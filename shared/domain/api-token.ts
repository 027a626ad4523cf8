/** Personal API token secrets look like `fl_` + 43 base64url characters (256 random bits). */
const API_TOKEN_PATTERN = /^fl_[A-Za-z0-9_-]{43}$/;
const API_TOKEN_PREFIX_LENGTH = 7;

export const looksLikeApiToken = (value: string): boolean => API_TOKEN_PATTERN.test(value);
/** What we keep in clear to let people recognise a token in a list. */
export const apiTokenPrefix = (secret: string): string => secret.slice(0, API_TOKEN_PREFIX_LENGTH);

/** Reads `Authorization: Bearer <token>`; null when absent or another scheme. */
export function bearerToken(authorization: string | undefined): string | null {
  if (!authorization) return null;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
  return match ? match[1] : null;
}

export function isExpired(expiresAt: Date | undefined, now: Date): boolean {
  return expiresAt !== undefined && expiresAt.getTime() <= now.getTime();
}
