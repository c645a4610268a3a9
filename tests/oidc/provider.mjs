// The real OpenID Connect provider of the integration tests: panva's oidc-provider (OpenID certified), run on
// 127.0.0.1 with the clients and signing keys a test writes into a JSON file. Sign-in needs no human: every
// interaction approves at once as account "alice" with all requested scopes, so a test "browser" only follows
// redirects (and submits the device flow's plain forms); only prompt=login shows a sign-in form (any password). Test-only endpoints under /test/ rotate the signing
// keys, tamper with the next ID token and count requests. Never meant for anything but loopback tests.
//
// Test endpoints: GET /test/stats, POST /test/rotate-keys {"keys"}, POST /test/tamper {"id_token": what},
// POST /test/revoke-next-access-token, POST /test/slow-down-next.
//
//   node provider.mjs --config FILE [--port N]      prints "listening <issuer>" once it accepts requests
//
// Config (every PEM is a string):
//   { "keys": [{"kid": "...", "pem": "<RSA private key>"}],            first one signs
//     "clients": [<oidc-provider client metadata>, ...],                 plus "jwks_pem": [{"kid","pem"}] for public keys
//     "ttl": {"AccessToken": 600, ...},                                  optional
//     "device_interval": 1 }                                             the device grant's polling interval (s)
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import process from 'node:process';

import Provider from 'oidc-provider';

function argument(name, fallback) {
    const index = process.argv.indexOf(name);
    return index > 0 && index + 1 < process.argv.length ? process.argv[index + 1] : fallback;
}

const configPath = argument('--config');
if (!configPath) {
    process.stderr.write('usage: node provider.mjs --config FILE [--port N]\n');
    process.exit(2);
}
const config = JSON.parse(fs.readFileSync(configPath, 'utf8'));
const port = Number(argument('--port', '0'));

const b64url = (buffer) => Buffer.from(buffer).toString('base64url');
const fromB64url = (text) => Buffer.from(text, 'base64url');

function privateJwk({ kid, pem }) {
    const jwk = crypto.createPrivateKey(pem).export({ format: 'jwk' });
    return { ...jwk, kid, use: 'sig', alg: jwk.kty === 'EC' ? 'ES256' : 'RS256' };
}

function publicJwk({ kid, pem }) {
    const jwk = crypto.createPublicKey(pem).export({ format: 'jwk' });
    return { ...jwk, kid, use: 'sig' };
}

function clientMetadata(client) {
    const { jwks_pem: jwksPem, ...metadata } = client;
    if (jwksPem) {
        metadata.jwks = { keys: jwksPem.map(publicJwk) };
    }
    return metadata;
}

const clients = (config.clients || []).map(clientMetadata);
let signingKeys = (config.keys || []).map(privateJwk);
const cookieKeys = [b64url(crypto.randomBytes(32))];

// Counters a test reads at /test/stats (for example: the JWKS was fetched again after a key rotation).
const stats = { jwks: 0, token: 0, discovery: 0, introspection: 0, revocation: 0 };
let tamper = null; // one-shot: changes the next token reply's id_token
let revokeNextAccessToken = false; // one-shot: the next access token issued is revoked at once (an admin's doing)
let slowDownNext = false; // one-shot: the next "authorization_pending" of the device grant is "slow_down" instead
const devicePolls = []; // when the device grant was polled (ms since the epoch)
const DEVICE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';

function sign(header, claims, jwk) {
    const input = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(claims))}`;
    const key = crypto.createPrivateKey({ key: jwk, format: 'jwk' });
    const signature = jwk.kty === 'EC'
        ? crypto.sign('sha256', Buffer.from(input), { key, dsaEncoding: 'ieee-p1363' })
        : crypto.sign('sha256', Buffer.from(input), key);
    return `${input}.${b64url(signature)}`;
}

// Re-signs an ID token after changing one thing, as a forger or a broken provider would.
function tampered(idToken, what) {
    const [h, p] = idToken.split('.');
    const header = JSON.parse(fromB64url(h));
    const claims = JSON.parse(fromB64url(p));
    const now = Math.floor(Date.now() / 1000);
    let key = signingKeys.find((k) => k.kid === header.kid) || signingKeys[0];
    switch (what) {
    case 'signature': // same kid, a key the provider never published
        key = { ...privateJwk({ kid: header.kid, pem: crypto.generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }) }) };
        break;
    case 'aud': claims.aud = 'someone-else'; break;
    case 'iss': claims.iss = 'http://127.0.0.1:9/not-this-issuer'; break;
    case 'exp': claims.iat = now - 7200; claims.exp = now - 3600; break;
    case 'nonce': claims.nonce = 'a-nonce-from-another-sign-in'; break;
    case 'unknown_kid': // signed with a key nobody publishes, under a kid nobody knows
        key = privateJwk({ kid: 'kid-nobody-published', pem: crypto.generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }) });
        header.kid = key.kid;
        break;
    default: break;
    }
    return sign(header, claims, key);
}

const accounts = {
    alice: { sub: 'alice', name: 'Alice Example', email: 'alice@example.test', email_verified: true },
};

function buildProvider(issuer) {
    const provider = new Provider(issuer, {
        clients,
        jwks: { keys: signingKeys },
        cookies: { keys: cookieKeys },
        findAccount: async (ctx, id) => (accounts[id] ? { accountId: id, claims: async () => accounts[id] } : undefined),
        claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
        scopes: ['openid', 'offline_access', 'email', 'profile', 'api:read', 'api:write'],
        conformIdTokenClaims: false,
        interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
        // A refresh token whenever the client may use one (not only with offline_access + prompt=consent).
        issueRefreshToken: async (ctx, client) => client.grantTypeAllowed('refresh_token'),
        rotateRefreshToken: () => false,
        ttl: {
            AccessToken: 600, AuthorizationCode: 120, ClientCredentials: 600, DeviceCode: 300,
            IdToken: 600, RefreshToken: 86400, Interaction: 300, Session: 3600, Grant: 86400,
            ...(config.ttl || {}),
        },
        features: {
            devInteractions: { enabled: false },
            clientCredentials: { enabled: true },
            introspection: { enabled: true },
            revocation: { enabled: true },
            resourceIndicators: { enabled: false },
            deviceFlow: {
                enabled: true,
                successSource: async (ctx) => {
                    ctx.body = '<!DOCTYPE html><html><body><h1>Device approved</h1></body></html>';
                },
            },
        },
        renderError: async (ctx, out) => {
            ctx.type = 'html';
            ctx.body = `<!DOCTYPE html><html><body><h1>oops</h1><p id="error">${String(out.error)}</p></body></html>`;
        },
    });
    provider.on('server_error', (ctx, error) => process.stderr.write(`server_error: ${error && error.message}\n`));

    // Count what a test may assert on, and tamper with the next ID token when a test asked for it.
    provider.use(async (ctx, next) => {
        if (ctx.path === '/jwks') stats.jwks += 1;
        if (ctx.path === '/.well-known/openid-configuration') stats.discovery += 1;
        if (ctx.path === '/token/introspection') stats.introspection += 1;
        if (ctx.path === '/token/revocation') stats.revocation += 1;
        if (ctx.path === '/token') stats.token += 1;
        await next();
        if (ctx.path === '/token' && tamper && ctx.body && typeof ctx.body === 'object' && ctx.body.id_token) {
            ctx.body = { ...ctx.body, id_token: tampered(ctx.body.id_token, tamper) };
            tamper = null;
        }
        if (ctx.path === '/device/auth' && ctx.body && typeof ctx.body === 'object' && ctx.body.device_code) {
            // RFC 8628 lets the server name its polling interval; a short one keeps the tests quick.
            ctx.body = { ...ctx.body, interval: config.device_interval || 1 };
        }
        if (ctx.path === '/token' && ctx.oidc && ctx.oidc.params && ctx.oidc.params.grant_type === DEVICE_GRANT) {
            devicePolls.push(Date.now());
            if (slowDownNext && ctx.body && ctx.body.error === 'authorization_pending') {
                ctx.body = { error: 'slow_down', error_description: 'you are polling too quickly and should back off' };
                slowDownNext = false;
            }
        }
        if (ctx.path === '/token' && revokeNextAccessToken && ctx.body && typeof ctx.body === 'object' && ctx.body.access_token) {
            const value = ctx.body.access_token;
            const token = (await provider.AccessToken.find(value)) || (await provider.ClientCredentials.find(value));
            if (token) await token.destroy();
            revokeNextAccessToken = false;
        }
    });
    return provider;
}

// The sign-in page shown only when the client asked for prompt=login (a user must see one then; conform
// checks it): any username and password sign in as alice, decision=deny refuses.
function loginPage(res, uid) {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(`<!DOCTYPE html><html><body><h1>Sign in</h1>
<form method="post" action="/interaction/${uid}">
<input type="hidden" name="uid" value="${uid}"/>
<input type="text" name="username" autocomplete="username"/>
<input type="password" name="password" autocomplete="current-password"/>
<button type="submit" name="decision" value="approve">Sign in</button>
</form></body></html>`);
}

// The headless user: signs in as alice (or keeps the session's account) and grants whatever is asked.
async function interact(provider, req, res) {
    const details = await provider.interactionDetails(req, res);
    const { prompt, params, session } = details;
    if (prompt.name === 'login') {
        const asked = String(params.prompt || '').split(' ').includes('login');
        if (asked && req.method !== 'POST') {
            loginPage(res, details.uid);
            return;
        }
        const form = req.method === 'POST' ? new URLSearchParams(await readBody(req)) : new URLSearchParams();
        const result = form.get('decision') === 'deny'
            ? { error: 'access_denied', error_description: 'The user refused the sign-in.' }
            : { login: { accountId: 'alice' } };
        await provider.interactionFinished(req, res, result, { mergeWithLastSubmission: false });
        return;
    }
    const accountId = session ? session.accountId : 'alice';
    const grant = details.grantId
        ? await provider.Grant.find(details.grantId)
        : new provider.Grant({ accountId, clientId: params.client_id });
    const missing = prompt.details || {};
    if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(' '));
    if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
    for (const [indicator, scopes] of Object.entries(missing.missingResourceScopes || {})) {
        grant.addResourceScope(indicator, scopes.join(' '));
    }
    const grantId = await grant.save();
    await provider.interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true });
}

// A protected resource, as an API behind this provider would be: 200 with who the token is for, else 401.
async function whoami(provider, req, res) {
    const match = /^Bearer (.+)$/.exec(req.headers.authorization || '');
    const value = match ? match[1] : '';
    const token = value ? (await provider.AccessToken.find(value)) || (await provider.ClientCredentials.find(value)) : undefined;
    if (!token || token.isExpired) {
        res.writeHead(401, { 'content-type': 'application/json', 'www-authenticate': 'Bearer error="invalid_token"' });
        res.end(JSON.stringify({ error: 'invalid_token' }));
        return;
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ client_id: token.clientId, sub: token.accountId || null, scope: token.scope || '' }));
}

function readBody(req) {
    return new Promise((resolve, reject) => {
        const chunks = [];
        req.on('data', (chunk) => chunks.push(chunk));
        req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
        req.on('error', reject);
    });
}

function json(res, status, body) {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
}

let provider;
let issuer;
let providerCallback;

async function testEndpoint(req, res, path) {
    const body = req.method === 'POST' ? await readBody(req) : '';
    const input = body ? JSON.parse(body) : {};
    switch (path) {
    case '/test/stats':
        return json(res, 200, { ...stats, device_polls: devicePolls });
    case '/test/slow-down-next':
        slowDownNext = true;
        return json(res, 200, { slowDownNext });
    case '/test/rotate-keys': // {"keys": [{kid, pem}, ...]}: the first one signs from now on
        signingKeys = input.keys.map(privateJwk);
        provider = buildProvider(issuer); // tokens and grants live in the shared memory adapter
        providerCallback = provider.callback();
        return json(res, 200, { kids: signingKeys.map((k) => k.kid) });
    case '/test/revoke-next-access-token':
        revokeNextAccessToken = true;
        return json(res, 200, { revokeNextAccessToken });
    case '/test/tamper': // {"id_token": "signature" | "aud" | "iss" | "exp" | "nonce" | "unknown_kid"}
        tamper = input.id_token;
        return json(res, 200, { tamper });
    default:
        return json(res, 404, { error: 'unknown test endpoint' });
    }
}

const server = http.createServer((req, res) => {
    const path = new URL(req.url, issuer).pathname;
    const handle = async () => {
        if (path.startsWith('/test/')) return testEndpoint(req, res, path);
        if (path.startsWith('/interaction/')) return interact(provider, req, res);
        if (path === '/api/whoami') return whoami(provider, req, res);
        return providerCallback(req, res);
    };
    handle().catch((error) => {
        process.stderr.write(`request failed: ${error && error.message}\n`);
        if (!res.headersSent) json(res, 500, { error: 'server_error' });
        else res.end();
    });
});

server.listen(port, '127.0.0.1', () => {
    issuer = `http://127.0.0.1:${server.address().port}`;
    provider = buildProvider(issuer);
    providerCallback = provider.callback();
    process.stdout.write(`listening ${issuer}\n`);
});

// Started by a test (stdin a pipe): when the test process dies, even by SIGKILL, the pipe closes and the
// provider goes with it instead of lingering on its port.
if (!process.stdin.isTTY) {
    process.stdin.on('end', () => process.exit(0));
    process.stdin.on('error', () => process.exit(0));
    process.stdin.resume();
}

for (const signal of ['SIGTERM', 'SIGINT']) {
    process.on(signal, () => process.exit(0));
}
