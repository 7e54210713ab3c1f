// @ts-check
import { SignJWT } from 'jose';

/** How long a token is good for: it is only read when the element signs in, so minutes are plenty. */
const TOKEN_LIFETIME = '10m';

/**
 * Signs the token that tells the chat who the logged-in user is: HS256 with the chat server's `IDENTITY_SECRET`,
 * `sub` = this app's user id, and a short `exp`. The page hands it to `<ai-chat user-token="…">`.
 * @param {string} userId
 * @param {string} secret
 * @returns {Promise<string>}
 */
export function signChatToken(userId, secret) {
  return new SignJWT({})
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(userId)
    .setIssuedAt()
    .setExpirationTime(TOKEN_LIFETIME)
    .sign(new TextEncoder().encode(secret));
}
