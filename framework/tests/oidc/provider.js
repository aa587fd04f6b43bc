// The authorization server of the OAuth interop tests: oidc-provider (npm), configured here.
//
// Usage: node provider.js <port> <folder holding node_modules/oidc-provider>
//
// Serves http://127.0.0.1:<port> until its standard input closes (the test that started it
// holds the other end), then exits. When ready it prints one JSON line on stdout: the issuer,
// and the private keys (PKCS#8 PEM) that the tests sign with, generated afresh; the provider
// only keeps their public halves, and verifies every signature with its own JOSE library.
//
// Clients (every secret is random per start and printed in the ready line):
// - code-client: authorization code + PKCE (S256 required) + refresh tokens, rotated on use,
//   client_secret_post; short-code-client: the same, with authorization codes that live 1 s;
// - basic-client / post-client: client credentials with client_secret_basic / _post, allowed
//   scopes `api:read api:write`;
// - hs-client: client_secret_jwt (HS256); rs-client / es-client: private_key_jwt (RS256 /
//   ES256): a JWT the SDK signs is the client's authentication;
// - sa-client: the JWT-bearer grant (RFC 7523 §2.1) of a service account: the assertion is
//   verified with the service account's public key (iss = the account, aud = the token
//   endpoint, sub = the user it acts for).
// GET /test/whois with `Authorization: Bearer <access token>` answers who the token is for.
import crypto from 'node:crypto';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const [portText, dir] = process.argv.slice(2);
if (!portText || !dir) {
  console.error('usage: node provider.js <port> <oidc-provider folder>');
  process.exit(2);
}
const load = (pkg, file) => import(pathToFileURL(path.join(dir, 'node_modules', pkg, file)).href);
const { default: Provider, errors } = await load('oidc-provider', 'lib/index.js');
const jose = await load('jose', 'dist/webapi/index.js');

const issuer = `http://127.0.0.1:${portText}`;
const tokenEndpoint = `${issuer}/token`;
const secret = () => crypto.randomBytes(24).toString('base64url');
const secrets = {
  code: secret(), short: secret(), basic: secret(), post: secret(), hs: secret() + secret(),
};
const pair = (type, options) => crypto.generateKeyPairSync(type, options);
const rsa = pair('rsa', { modulusLength: 2048 });
const ec = pair('ec', { namedCurve: 'P-256' });
const sa = pair('rsa', { modulusLength: 2048 });
const jwk = (key, alg) => ({ ...key.export({ format: 'jwk' }), alg, use: 'sig', kid: alg });
const pem = (key) => key.export({ format: 'pem', type: 'pkcs8' });
const SA_EMAIL = 'robot@sa.example.com';

const JWT_BEARER = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
const whois = new Map();
const codeClient = (id, clientSecret) => ({
  client_id: id,
  client_secret: clientSecret,
  grant_types: ['authorization_code', 'refresh_token'],
  response_types: ['code'],
  redirect_uris: ['https://app.example.com/oauth/callback'],
  token_endpoint_auth_method: 'client_secret_post',
  scope: 'openid offline_access api:read api:write',
});
const ccClient = (id, method, extra) => ({
  client_id: id,
  grant_types: ['client_credentials'],
  response_types: [],
  redirect_uris: [],
  token_endpoint_auth_method: method,
  scope: 'api:read api:write',
  ...extra,
});

const provider = new Provider(issuer, {
  clients: [
    codeClient('code-client', secrets.code),
    codeClient('short-code-client', secrets.short),
    ccClient('basic-client', 'client_secret_basic', { client_secret: secrets.basic }),
    ccClient('post-client', 'client_secret_post', { client_secret: secrets.post }),
    ccClient('hs-client', 'client_secret_jwt', {
      client_secret: secrets.hs, token_endpoint_auth_signing_alg: 'HS256',
    }),
    ccClient('rs-client', 'private_key_jwt', {
      jwks: { keys: [jwk(rsa.publicKey, 'RS256')] }, token_endpoint_auth_signing_alg: 'RS256',
    }),
    ccClient('es-client', 'private_key_jwt', {
      jwks: { keys: [jwk(ec.publicKey, 'ES256')] }, token_endpoint_auth_signing_alg: 'ES256',
    }),
    {
      client_id: 'sa-client',
      grant_types: [JWT_BEARER],
      response_types: [],
      redirect_uris: [],
      token_endpoint_auth_method: 'none',
      scope: 'api:read api:write',
    },
  ],
  scopes: ['openid', 'offline_access', 'api:read', 'api:write', 'api:admin'],
  pkce: { required: () => true },
  features: {
    clientCredentials: { enabled: true },
    devInteractions: { enabled: true },
  },
  clientAuthMethods: [
    'none', 'client_secret_basic', 'client_secret_post', 'client_secret_jwt', 'private_key_jwt',
  ],
  issueRefreshToken: async (ctx, client) => client.grantTypeAllowed('refresh_token'),
  rotateRefreshToken: true,
  ttl: {
    AuthorizationCode: (ctx, token, client) => (client.clientId === 'short-code-client' ? 1 : 60),
  },
  cookies: { keys: [secret()] },
  findAccount: async (ctx, sub) => ({ accountId: sub, claims: async () => ({ sub }) }),
});
provider.proxy = false;

// RFC 7523 §2.1: the service account's signed assertion is the grant.
provider.registerGrantType(JWT_BEARER, async (ctx) => {
  const { assertion, scope } = ctx.oidc.params;
  let payload;
  try {
    ({ payload } = await jose.jwtVerify(assertion, sa.publicKey, {
      issuer: SA_EMAIL, audience: tokenEndpoint, algorithms: ['RS256'], maxTokenAge: '5m',
    }));
  } catch (error) {
    const refused = new errors.InvalidGrant();
    refused.error_description = `assertion rejected: ${error.code || error.message}`;
    throw refused;
  }
  const granted = String(payload.scope || scope || '').split(' ').filter(Boolean);
  const allowed = new Set(ctx.oidc.client.scope.split(' '));
  if (granted.some((s) => !allowed.has(s))) {
    throw new errors.InvalidScope('requested scope is not allowed', granted.join(' '));
  }
  const token = new provider.ClientCredentials({ client: ctx.oidc.client, scope: granted.join(' ') });
  const value = await token.save();
  whois.set(value, { sub: payload.sub, iss: payload.iss, scope: granted.join(' ') });
  ctx.body = {
    access_token: value, token_type: 'Bearer', expires_in: token.expiration, scope: token.scope,
  };
}, new Set(['assertion', 'scope']));

provider.use(async (ctx, next) => {
  if (ctx.path !== '/test/whois') {
    await next();
    return;
  }
  const bearer = (ctx.get('authorization').match(/^Bearer (.+)$/) || [])[1];
  const known = bearer && whois.get(bearer);
  const token = bearer && (await provider.ClientCredentials.find(bearer));
  if (!token) {
    ctx.status = 401;
    ctx.body = { error: 'invalid_token' };
    return;
  }
  ctx.body = { client_id: token.clientId, scope: token.scope || '', ...(known || {}) };
});

const server = provider.listen(Number(portText), '127.0.0.1', () => {
  process.stdout.write(`${JSON.stringify({
    issuer,
    secrets,
    rs256_private_key: pem(rsa.privateKey),
    es256_private_key: pem(ec.privateKey),
    service_account: {
      type: 'service_account',
      client_id: 'sa-client',
      client_email: SA_EMAIL,
      private_key_id: 'sa-key-1',
      private_key: pem(sa.privateKey),
      token_uri: tokenEndpoint,
    },
  })}\n`);
});
server.on('error', (error) => {
  console.error(`oidc-provider cannot listen on ${issuer}: ${error.message}`);
  process.exit(1);
});
process.stdin.on('data', () => {});
process.stdin.on('end', () => process.exit(0));
process.stdin.on('error', () => process.exit(0));
