// A stand-in for Microsoft Entra ID (v2.0 endpoints) and the one Microsoft Graph call Casedesk
// makes, on loopback, for the tests. Built on oauth2-mock-server@8 (a real OAuth 2.0 / OIDC
// server: authorisation code with PKCE, RS256-signed tokens, JWKS).
//
// Every directory (Entra tenant id) in a path gets its own issuer and signing keys, so tests
// that use their own directory id never see each other's key rotations.
//   GET  /{tid}/v2.0/.well-known/openid-configuration
//   GET  /{tid}/oauth2/v2.0/authorize      auto-approves; login_hint picks the user
//   POST /{tid}/oauth2/v2.0/token          authorization_code (+PKCE), client_credentials
//   GET  /{tid}/discovery/v2.0/keys        JWKS (every key the directory has had)
//   POST /graph/v1.0/users/{oid}/getMemberObjects   Graph stand-in for group overage
// Test-only controls (a login seen before keeps its object id):
//   POST /test/users   {"login","oid","name","email","email_verified","groups":[…],"roles":[…],"overage":bool}
//   POST /test/mint    {"tid","user","aud","expires_in","claims":{…}} -> {"access_token"}
//   POST /test/rotate  {"tid"} -> {"kid"}: sign with a new key from now on (the old stays published)
//   GET  /healthz
import http from 'node:http';
import { randomUUID } from 'node:crypto';
import { OAuth2Issuer, OAuth2Service } from 'oauth2-mock-server';

const HOST = process.env.HOST || '127.0.0.1';
const PORT = Number(process.env.PORT || 18081);
const BASE = `http://${HOST}:${PORT}`;
const GUID = '[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}';

const users = new Map();
function putUser(u) {
  const user = {
    login: u.login, oid: u.oid || users.get(String(u.login).toLowerCase())?.oid || randomUUID(), name: u.name || u.login, email: u.email,
    groups: u.groups || [], roles: u.roles || [], overage: !!u.overage,
    emailVerified: u.email_verified !== false,
  };
  users.set(user.login.toLowerCase(), user);
  return user;
}
putUser({ login: 'alice', oid: '00000000-0000-0000-0000-0000000000a1', name: 'Alice Case-Worker',
  email: 'alice@contoso.test', groups: ['8a9b1c2d-0000-4000-8000-000000000001', '8a9b1c2d-0000-4000-8000-000000000002'],
  roles: ['Case.Read', 'Case.Write'] });
putUser({ login: 'bob', oid: '00000000-0000-0000-0000-0000000000b2', name: 'Bob Overage', email: 'bob@contoso.test',
  groups: ['8a9b1c2d-0000-4000-8000-000000000003'], roles: ['Case.Read'], overage: true });

// login_hint may be the login name or the email address.
function userByHint(hint) {
  const h = String(hint || 'alice').toLowerCase();
  return users.get(h) || [...users.values()].find(u => (u.email || '').toLowerCase() === h) || users.get('alice');
}

function userClaims(u, tid) {
  const c = { tid, oid: u.oid, sub: `pairwise-${u.oid}`, ver: '2.0', name: u.name, preferred_username: u.email || u.login, roles: u.roles };
  if (u.email) { c.email = u.email; c.xms_edov = u.emailVerified; } // optional claim: domain owner verified
  if (u.overage) { // Entra drops "groups" past 200 and points at Graph instead
    c._claim_names = { groups: 'src1' };
    c._claim_sources = { src1: { endpoint: `https://graph.microsoft.com/v1.0/users/${u.oid}/getMemberObjects` } };
  } else {
    c.groups = u.groups;
  }
  return c;
}

const directories = new Map();
async function directory(tid) {
  if (directories.has(tid)) return directories.get(tid);
  const issuer = new OAuth2Issuer();
  issuer.url = `${BASE}/${tid}/v2.0`;
  const dir = { tid, issuer, kid: (await issuer.keys.generate('RS256')).kid, codes: new Map() };
  // The library signs round-robin over its keys; Entra signs with the current key and keeps
  // publishing the previous one for a while, so pin the signing key.
  const build = issuer.buildToken.bind(issuer);
  issuer.buildToken = (opts) => build({ ...opts, kid: dir.kid });
  const service = new OAuth2Service(issuer);
  service.on('beforeAuthorizeRedirect', (redirect, req) => {
    const q = new URL(req.url, BASE).searchParams;
    dir.codes.set(redirect.url.searchParams.get('code'), userByHint(q.get('login_hint')).login);
  });
  service.on('beforeTokenSigning', (token, req) => {
    const body = req.body || {};
    const p = token.payload;
    if (body.grant_type === 'client_credentials') { // app-only token (e.g. for Graph)
      delete p.scope;
      Object.assign(p, { tid, oid: '00000000-0000-0000-0000-00000000a991', sub: '00000000-0000-0000-0000-00000000a991',
        aud: 'https://graph.microsoft.com', azp: body.client_id, idtyp: 'app', roles: ['GroupMember.Read.All'], ver: '2.0' });
      return;
    }
    const user = users.get(dir.codes.get(body.code) || 'alice');
    if ('scope' in p) { // the access token of an authorisation-code exchange
      delete p.scope;
      Object.assign(p, userClaims(user, tid), { aud: body.client_id, azp: body.client_id, scp: 'access_as_user' });
    } else { // the ID token (the library already set aud and nonce)
      Object.assign(p, userClaims(user, tid));
    }
  });
  // Entra refuses a wrong client secret; the stand-in refuses one still in the form the server
  // stores it in (sealed under the tenant's key), which only a server that forgot to open it
  // would send.
  service.on('beforeResponse', (response, req) => {
    const basic = (req.headers.authorization || '').match(/^Basic (.+)$/i);
    const fromBasic = basic ? Buffer.from(basic[1], 'base64').toString().split(':').slice(1).join(':') : '';
    const secret = (req.body && req.body.client_secret) || decodeURIComponent(fromBasic.replace(/\+/g, ' '));
    if (String(secret).startsWith('sealed:')) {
      response.statusCode = 401;
      response.body = { error: 'invalid_client', error_description: 'AADSTS7000215: Invalid client secret provided.' };
    }
  });
  dir.service = service;
  directories.set(tid, dir);
  return dir;
}

const discovery = (tid) => ({
  issuer: `${BASE}/${tid}/v2.0`,
  authorization_endpoint: `${BASE}/${tid}/oauth2/v2.0/authorize`,
  token_endpoint: `${BASE}/${tid}/oauth2/v2.0/token`,
  jwks_uri: `${BASE}/${tid}/discovery/v2.0/keys`,
  end_session_endpoint: `${BASE}/${tid}/oauth2/v2.0/logout`,
  response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
  response_modes_supported: ['query', 'fragment', 'form_post'],
  subject_types_supported: ['pairwise'],
  id_token_signing_alg_values_supported: ['RS256'],
  token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
  scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
  claims_supported: ['sub', 'iss', 'aud', 'exp', 'iat', 'nbf', 'nonce', 'name', 'preferred_username', 'email', 'oid', 'tid', 'ver', 'groups', 'roles'],
  code_challenge_methods_supported: ['S256'],
});

const ROUTES = [
  [new RegExp(`^/(${GUID})/v2\\.0/\\.well-known/openid-configuration$`), 'discovery'],
  [new RegExp(`^/(${GUID})/oauth2/v2\\.0/authorize$`), '/authorize'],
  [new RegExp(`^/(${GUID})/oauth2/v2\\.0/token$`), '/token'],
  [new RegExp(`^/(${GUID})/discovery/v2\\.0/keys$`), '/jwks'],
];
const MEMBER_OBJECTS = new RegExp(`^/graph/v1\\.0/users/(${GUID})/getMemberObjects$`);

async function body(req) {
  let raw = '';
  for await (const chunk of req) raw += chunk;
  return raw ? JSON.parse(raw) : {};
}
function json(res, status, value) {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(value));
}
// Only an app-only token this server issued gets Graph's answer (as only an app with
// GroupMember.Read.All would from Microsoft Graph).
async function graphCaller(req) {
  const token = (req.headers.authorization || '').replace(/^Bearer /i, '');
  const [, payload] = token.split('.');
  if (!payload) return undefined;
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
  const dir = directories.get(claims.tid);
  if (!dir || claims.idtyp !== 'app') return undefined;
  const { jwtVerify, createLocalJWKSet } = await import('jose');
  try {
    await jwtVerify(token, createLocalJWKSet({ keys: dir.issuer.keys.toJSON() }), { issuer: dir.issuer.url });
    return claims;
  } catch { return undefined; }
}

const server = http.createServer(async (req, res) => {
  try {
    const url = new URL(req.url, BASE);
    if (url.pathname === '/healthz') { res.writeHead(200); return res.end('ok'); }
    if (req.method === 'POST' && url.pathname === '/test/users') return json(res, 200, putUser(await body(req)));
    if (req.method === 'POST' && url.pathname === '/test/rotate') {
      const dir = await directory((await body(req)).tid);
      dir.kid = (await dir.issuer.keys.generate('RS256')).kid;
      return json(res, 200, { kid: dir.kid });
    }
    if (req.method === 'POST' && url.pathname === '/test/mint') {
      const o = await body(req);
      const dir = await directory(o.tid);
      const user = userByHint(o.user);
      const token = await dir.issuer.buildToken({ expiresIn: o.expires_in ?? 3600, scopesOrTransform: (_h, p) => {
        Object.assign(p, userClaims(user, o.tid), { aud: o.aud, azp: o.azp || o.aud, scp: 'access_as_user' }, o.claims || {});
      } });
      return json(res, 200, { access_token: token, token_type: 'Bearer' });
    }
    const member = url.pathname.match(MEMBER_OBJECTS);
    if (req.method === 'POST' && member) {
      if (!(await graphCaller(req))) return json(res, 401, { error: { code: 'InvalidAuthenticationToken' } });
      const user = [...users.values()].find(u => u.oid === member[1]);
      if (!user) return json(res, 404, { error: { code: 'Request_ResourceNotFound' } });
      return json(res, 200, { value: user.groups });
    }
    for (const [pattern, target] of ROUTES) {
      const m = url.pathname.match(pattern);
      if (!m) continue;
      if (target === 'discovery') return json(res, 200, discovery(m[1]));
      const dir = await directory(m[1]);
      req.url = target + url.search;
      return dir.service.requestHandler(req, res);
    }
    json(res, 404, { error: 'not_found' });
  } catch (e) {
    json(res, 500, { error: String(e) });
  }
});
server.listen(PORT, HOST, () => console.log(`entra-mock ready on ${BASE}`));
for (const s of ['SIGTERM', 'SIGINT']) process.on(s, () => server.close(() => process.exit(0)));
