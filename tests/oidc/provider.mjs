// A real OpenID Connect provider (panva/oidc-provider) on loopback for the test suite.
// Usage: node provider.mjs <client_id> <client_secret> <redirect_uri>
// Prints "issuer <url>" once it listens. Its login form (devInteractions) takes an account id
// from ACCOUNTS as the login, any password; "Cancel" (the abort URL) refuses the login.
import http from 'node:http';

import Provider from 'oidc-provider';

const [clientId, clientSecret, redirectUri] = process.argv.slice(2);

const ACCOUNTS = {
  'sub-wim': { email: 'wim@example.org', email_verified: true, name: 'Wim' },
  'sub-anna': { email: 'anna@example.org', email_verified: true, name: 'Anna' },
  'sub-stranger': { email: 'stranger@example.org', email_verified: true, name: 'Stranger' },
  'sub-unverified': { email: 'wim@example.org', email_verified: false, name: 'Not Wim' },
  'sub-new-wim': { email: 'wim@example.org', email_verified: true, name: 'Wim again' },
};

const server = http.createServer();
server.listen(0, '127.0.0.1', () => {
  const issuer = `http://127.0.0.1:${server.address().port}`;
  const provider = new Provider(issuer, {
    clients: [{
      client_id: clientId,
      client_secret: clientSecret,
      redirect_uris: [redirectUri],
      grant_types: ['authorization_code'],
      response_types: ['code'],
    }],
    async findAccount(ctx, id) {
      if (!ACCOUNTS[id]) return undefined;
      return { accountId: id, async claims() { return { sub: id, ...ACCOUNTS[id] }; } };
    },
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
    features: { devInteractions: { enabled: true } },
    cookies: { keys: ['caseload-test-only'] },
    // A first-party client: no consent screen (the recipe from the provider's docs).
    async loadExistingGrant(ctx) {
      const grantId = ctx.oidc.result?.consent?.grantId
        || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
      if (grantId) return ctx.oidc.provider.Grant.find(grantId);
      const grant = new ctx.oidc.provider.Grant({
        clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId,
      });
      grant.addOIDCScope('openid email profile');
      await grant.save();
      return grant;
    },
  });
  server.on('request', provider.callback());
  console.log(`issuer ${issuer}`);
});
