// Signing in with an organisation's OpenID Connect provider: the authorisation code flow with
// PKCE, state and nonce (openid-client). The provider's metadata is discovered on first use and
// then kept. Nothing here logs: tokens, claims and addresses stay out of the logs.
import * as client from 'openid-client'

export interface OidcSettings {
  issuer: string
  clientId: string
  clientSecret: string
  /** This service's callback address, registered with the provider. */
  redirectUri: string
}

export interface OidcOptions {
  /** Allow plain http to the provider: only for a local test provider. */
  allowHttp?: boolean
}

/** What a sign-in must remember between start and finish (kept in the visitor's browser, signed). */
export interface OidcState {
  codeVerifier: string
  state: string
  nonce: string
}

export interface OidcIdentity {
  email: string
  emailVerified: boolean
  name?: string
  subject: string
}

export interface OidcSignIn {
  /** The provider's sign-in address to send the visitor to, and the state to keep until they return. */
  start(): Promise<{ url: string; state: OidcState }>
  /** Checks the provider's answer at the callback address and returns who signed in; throws if anything is wrong. */
  finish(callbackUrl: URL, state: OidcState): Promise<OidcIdentity>
}

export const OIDC_SCOPE = 'openid email profile'

/** The provider answered without what this service needs (an ID token, a subject or an email address). */
export class OidcSignInError extends Error {
  override name = 'OidcSignInError'
}

/** True for http addresses on this machine (localhost, 127.x.x.x, ::1), where http is safe to allow. */
export function isLoopbackUrl(url: string): boolean {
  const { hostname } = new URL(url)
  return hostname === 'localhost' || hostname === '[::1]' || /^127(\.\d{1,3}){3}$/.test(hostname)
}

/**
 * A short, log-safe name for why a sign-in failed: an error code and the provider's OAuth error
 * code, never a message (messages and causes can carry claims or response bodies).
 */
export function oidcFailureReason(error: unknown): string {
  if (!(error instanceof Error)) return 'unknown'
  const code = 'code' in error && typeof error.code === 'string' ? error.code : error.name
  const oauthError = 'error' in error && typeof error.error === 'string' ? error.error : undefined
  const safe = (text: string) => (/^[A-Za-z0-9_.-]{1,60}$/.test(text) ? text : 'other')
  return oauthError === undefined ? safe(code) : `${safe(code)}:${safe(oauthError)}`
}

export function createOidcSignIn(settings: OidcSettings, options: OidcOptions = {}): OidcSignIn {
  let discovered: Promise<client.Configuration> | undefined

  function configuration(): Promise<client.Configuration> {
    if (discovered) return discovered
    const attempt = client.discovery(
      new URL(settings.issuer),
      settings.clientId,
      { client_secret: settings.clientSecret },
      client.ClientSecretBasic(settings.clientSecret),
      options.allowHttp ? { execute: [client.allowInsecureRequests] } : undefined,
    )
    discovered = attempt
    // Keep only a success: after a failure the next sign-in tries discovery again.
    attempt.catch(() => {
      if (discovered === attempt) discovered = undefined
    })
    return attempt
  }

  return {
    async start() {
      const config = await configuration()
      const state: OidcState = {
        codeVerifier: client.randomPKCECodeVerifier(),
        state: client.randomState(),
        nonce: client.randomNonce(),
      }
      const url = client.buildAuthorizationUrl(config, {
        redirect_uri: settings.redirectUri,
        scope: OIDC_SCOPE,
        code_challenge: await client.calculatePKCECodeChallenge(state.codeVerifier),
        code_challenge_method: 'S256',
        state: state.state,
        nonce: state.nonce,
      })
      return { url: url.href, state }
    },

    async finish(callbackUrl, state) {
      const config = await configuration()
      // The provider's answer, on the registered callback address (whatever host a proxy passed on).
      const current = new URL(settings.redirectUri)
      current.search = callbackUrl.search
      const tokens = await client.authorizationCodeGrant(config, current, {
        pkceCodeVerifier: state.codeVerifier,
        expectedState: state.state,
        expectedNonce: state.nonce,
        idTokenExpected: true,
      })
      const idToken = tokens.claims()
      if (!idToken?.sub) throw new OidcSignInError('The provider gave no ID token subject')
      // Providers that put only the subject in the ID token give the rest at the userinfo endpoint.
      const claims: Record<string, unknown> =
        typeof idToken.email === 'string'
          ? idToken
          : await client.fetchUserInfo(config, tokens.access_token, idToken.sub)
      if (typeof claims.email !== 'string' || claims.email.trim() === '') {
        throw new OidcSignInError('The provider gave no email address')
      }
      return {
        email: claims.email.trim(),
        emailVerified: claims.email_verified === true,
        ...(typeof claims.name === 'string' && claims.name !== '' ? { name: claims.name } : {}),
        subject: idToken.sub,
      }
    },
  }
}
