// A real OpenID Connect provider (panva/oidc-provider) for Upstream's sign-in tests.
//
// Env: PORT (listen on 127.0.0.1), REDIRECT_URI (the client's callback), USERS_FILE (a JSON map
// login → {email, given_name, family_name, groups}; read on every sign-in, so a test can change a
// person's groups between sign-ins). The dev interactions accept any password for a known login.
// Prints "ready <issuer>" on stdout once listening.
import fs from 'node:fs';
import Provider from 'oidc-provider';

const port = Number(process.env.PORT);
const issuer = `http://127.0.0.1:${port}`;
const users = () => JSON.parse(fs.readFileSync(process.env.USERS_FILE, 'utf8'));

const provider = new Provider(issuer, {
  clients: [{
    client_id: 'upstream',
    client_secret: 'upstream-test-client-secret',
    redirect_uris: [process.env.REDIRECT_URI],
    grant_types: ['authorization_code'],
    response_types: ['code'],
    token_endpoint_auth_method: 'client_secret_post',
  }],
  pkce: { required: () => true },
  claims: {
    openid: ['sub'],
    email: ['email', 'email_verified'],
    profile: ['given_name', 'family_name', 'preferred_username'],
    groups: ['groups'],
  },
  // Claims go into the ID token too (as Entra ID does), not only to userinfo.
  conformIdTokenClaims: false,
  cookies: { keys: ['upstream-oidc-test-cookie-key'] },
  features: { devInteractions: { enabled: true } },
  async findAccount(ctx, id) {
    const user = users()[id];
    if (!user) return undefined;
    return {
      accountId: id,
      async claims() {
        return { sub: id, preferred_username: id, email_verified: true, ...user };
      },
    };
  },
  // Grant what the client asks for without a consent screen (an admin-approved enterprise app).
  async loadExistingGrant(ctx) {
    const grant = new ctx.oidc.provider.Grant({
      clientId: ctx.oidc.client.clientId,
      accountId: ctx.oidc.session.accountId,
    });
    grant.addOIDCScope('openid email profile groups');
    await grant.save();
    return grant;
  },
});

provider.listen(port, '127.0.0.1', () => {
  console.log(`ready ${issuer}`);
});
