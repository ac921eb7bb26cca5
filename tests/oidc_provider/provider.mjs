// A real OpenID Connect provider for the single sign-on tests (tests/accounts/test_sso.py):
// the `oidc-provider` package with one static client and static accounts. Not a mock: the
// tests go through its authorization, token, userinfo and JWKS endpoints as a browser and
// our server would against the college's identity server.
//
//   node provider.mjs PORT REDIRECT_URI
//
// The login page (/interaction/<uid>) is a plain form: which account logs in, and which
// authentication methods (`amr`) and level (`acr`) the provider asserts for it, so that a
// test chooses "logged in with a second factor" or not.
import { generateKeyPairSync, randomUUID } from "node:crypto";
import http from "node:http";

import Provider from "oidc-provider";

const port = Number(process.argv[2]);
const redirectUri = process.argv[3];
const issuer = `http://127.0.0.1:${port}`;

// The identities the tests log in as; any other login name is a valid identity the
// provider knows but the college does not (its claims are its subject alone).
const ACCOUNTS = {
  "staff-0001": { email: "teacher.sso@example.edu.vn", email_verified: true, name: "Nguyễn Văn A" },
  "learner-0001": { email: "learner.sso@example.edu.vn", email_verified: true, name: "Trần Thị B" },
  "unverified-0001": { email: "learner.sso@example.edu.vn", email_verified: false, name: "Trần Thị B" },
  "citizen-0001": { personal_id: "001204012345", name: "Lê Văn C" },
};

const signingKey = {
  ...generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({ format: "jwk" }),
  kid: randomUUID(),
  alg: "RS256",
  use: "sig",
};

const provider = new Provider(issuer, {
  clients: [{
    client_id: "vetschool-test",
    client_secret: "vetschool-test-secret-which-is-long-enough",
    redirect_uris: [redirectUri],
    grant_types: ["authorization_code"],
    response_types: ["code"],
    token_endpoint_auth_method: "client_secret_post",
  }],
  jwks: { keys: [signingKey] },
  cookies: { keys: ["test-cookie-key-not-a-secret"] },
  claims: {
    // The authentication claims travel in the ID token: the tests assert on amr and acr.
    openid: ["sub", "acr", "amr", "auth_time"],
    email: ["email", "email_verified"],
    profile: ["name"],
    personal_id: ["personal_id"],
  },
  acrValues: ["urn:example:loa:1", "urn:example:loa:2", "urn:example:loa:3"],
  features: { devInteractions: { enabled: false } },
  interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
  // First-party client: no consent screen, every requested scope is granted.
  async loadExistingGrant(ctx) {
    const grant = new ctx.oidc.provider.Grant({
      clientId: ctx.oidc.client.clientId,
      accountId: ctx.oidc.session.accountId,
    });
    grant.addOIDCScope("openid email profile personal_id");
    await grant.save();
    return grant;
  },
  async findAccount(ctx, id) {
    const claims = ACCOUNTS[id] || {};
    return { accountId: id, async claims() { return { sub: id, ...claims }; } };
  },
});

function loginPage(uid) {
  return `<!doctype html><html><body><h1>Test identity provider</h1>
<form method="post" action="/interaction/${uid}/login">
  <label>Login <input name="login"></label>
  <label>amr <input name="amr"></label>
  <label>acr <input name="acr"></label>
  <button type="submit">Sign in</button>
</form></body></html>`;
}

function formOf(req) {
  return new Promise((resolve, reject) => {
    let body = "";
    req.on("data", (chunk) => { body += chunk; });
    req.on("end", () => resolve(new URLSearchParams(body)));
    req.on("error", reject);
  });
}

const providerCallback = provider.callback();

const server = http.createServer(async (req, res) => {
  const match = req.url.match(/^\/interaction\/([^/?]+)(\/login)?/);
  if (!match) return providerCallback(req, res);
  try {
    await provider.interactionDetails(req, res);
    if (req.method === "GET" && !match[2]) {
      res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
      return res.end(loginPage(match[1]));
    }
    const form = await formOf(req);
    const login = { accountId: form.get("login") };
    const amr = (form.get("amr") || "").split(",").map((s) => s.trim()).filter(Boolean);
    if (amr.length) login.amr = amr;
    if (form.get("acr")) login.acr = form.get("acr");
    return await provider.interactionFinished(req, res, { login }, { mergeWithLastSubmission: false });
  } catch (err) {
    res.writeHead(400, { "content-type": "text/plain" });
    return res.end(String(err));
  }
});

server.listen(port, "127.0.0.1", () => console.log(`oidc-provider listening on ${issuer}`));
for (const signal of ["SIGTERM", "SIGINT"]) process.on(signal, () => server.close(() => process.exit(0)));
