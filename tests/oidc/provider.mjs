// A real OpenID provider (oidc-provider, a certified implementation) for tests/test_sso.py:
// node provider.mjs PORT REDIRECT_URI. Its development login form takes any password;
// each account's email comes from ACCOUNTS (JSON: {login: {email, email_verified}}).
import Provider from 'oidc-provider'

const [port, redirect] = process.argv.slice(2)
const accounts = JSON.parse(process.env.ACCOUNTS || '{}')
const provider = new Provider(`http://127.0.0.1:${port}`, {
  clients: [{
    client_id: 'penholder',
    client_secret: 'penholder-test-secret',
    redirect_uris: [redirect],
    grant_types: ['authorization_code'],
    response_types: ['code'],
    token_endpoint_auth_method: 'client_secret_basic'
  }],
  pkce: { required: () => true },
  claims: { openid: ['sub'], email: ['email', 'email_verified'] },
  async findAccount (ctx, id) {
    const account = accounts[id] || { email: `${id}@unknown.example`, email_verified: false }
    return { accountId: id, async claims () { return { sub: id, ...account } } }
  },
  features: { devInteractions: { enabled: true } },
  // the ID token carries the claims, not only the userinfo endpoint
  conformIdTokenClaims: false
})
provider.listen(Number(port), '127.0.0.1', () => console.log(`oidc provider listening on ${port}`))
