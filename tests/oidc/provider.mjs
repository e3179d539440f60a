// A real OpenID Connect provider on loopback for the single sign-on tests (oidc-provider).
// Usage: node provider.mjs PORT REDIRECT_URI
// Its development sign-in page accepts any login: the login typed becomes the subject and
// the e-mail claim, so a test signs in as whoever it needs. Never for production.
import Provider from "oidc-provider";

const port = Number(process.argv[2] || 4499);
const redirect = process.argv[3] || "http://127.0.0.1:8057/sso/callback";
const issuer = `http://127.0.0.1:${port}`;

const provider = new Provider(issuer, {
  clients: [{
    client_id: "r57-ledger",
    client_secret: "r57-test-secret-not-for-production",
    redirect_uris: [redirect],
    response_types: ["code"],
    grant_types: ["authorization_code"],
    token_endpoint_auth_method: "client_secret_basic",
  }],
  pkce: { required: () => true },
  claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name"] },
  features: { devInteractions: { enabled: true } },
  conformIdTokenClaims: false, // the e-mail in the ID token itself
  async findAccount(ctx, id) {
    return {
      accountId: id,
      async claims() {
        return { sub: `sub-${id}`, email: id, email_verified: true, name: id };
      },
    };
  },
});
provider.proxy = false;
provider.listen(port, "127.0.0.1", () => {
  console.log(`ready ${issuer}`);
});
