<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US">
<context>
    <name>keyway::ConformanceRun</name>
    <message>
        <source>HTTP %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot run: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot run: the sign-in did not reach the browser: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the redirect carried a different state; its code was not exchanged</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the first sign-in ended with a state mismatch</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot run: the sign-in failed: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the first sign-in failed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the provider returned the state unchanged and Keyway verified it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the code exchange failed: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the code exchange failed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the token reply carries access_token, refresh_token, expires_in and user_id</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the token reply lacks %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot run: the second sign-in failed: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot run: a token reply has no user_id (nor an ID token with sub)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>user_id changed between two sign-ins of the same account: &quot;%1&quot; then &quot;%2&quot;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the same user_id &quot;%1&quot; on both sign-ins</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot run: no refresh token to test with</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the refresh failed: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the refresh did not issue a new access token</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the previous, unexpired access token was refused after the refresh (%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a new access token was issued and the previous one still works</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the new access token was refused (%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>concurrent_refresh sends two refreshes with the same refresh token at once; a server that rotates refresh tokens may revoke the whole grant. Run conform against a test account.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n of two concurrent refreshes failed: %1</source>
        <translation>
            <numerusform>%n of two concurrent refreshes failed: %1</numerusform>
            <numerusform>%n of two concurrent refreshes failed: %1</numerusform>
        </translation>
    </message>
    <message>
        <source>both concurrent refreshes succeeded and the refresh token still works</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>both concurrent refreshes succeeded, but then the refresh token was refused: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the refresh token stopped working although the provider never rotated it: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the current refresh token was refused: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the same refresh token worked for repeated refreshes</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>the refresh token kept working; the provider rotated it %n time(s) and Keyway used the newest</source>
        <translation>
            <numerusform>the refresh token kept working; the provider rotated it once and Keyway used the newest</numerusform>
            <numerusform>the refresh token kept working; the provider rotated it %n times and Keyway used the newest</numerusform>
        </translation>
    </message>
    <message>
        <source>cannot run: the provider&apos;s profile has no check request to call the API with</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot run: set %1 to an API call that needs the token</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>“%1” uses %2, which does not sign in through a browser with refresh tokens. The provider checks apply to authorization-code providers that issue refresh tokens.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not run: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the first sign-in did not finish: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the second sign-in did not finish: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the checks were cancelled</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the revocation endpoint did not accept the refresh token: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the revocation endpoint answered, but the revoked refresh token still refreshes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the refresh token was revoked and a refresh with it was refused (%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the refresh after the revocation failed: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the provider advertises ID tokens, but the token reply has none</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot run: the provider advertises ID tokens; add openid to scope to test them</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the ID token&apos;s signature, iss, aud, exp, iat and nonce validated</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the ID token could not be checked: the issuer&apos;s keys are unknown</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the ID token&apos;s signature (key %1), iss, aud, exp, iat and nonce validated</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>keyway::ConnectionSettings</name>
    <message>
        <source>cannot read %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 holds no certificate (expected PEM: -----BEGIN CERTIFICATE-----)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>CA file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>PEM file of CA certificates this environment trusts in addition to the system&apos;s.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Client certificate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>PEM file with the client certificate (chain) for servers that require mutual TLS.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Client private key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The PEM private key of the client certificate; kept in the keychain only.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Proxy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>http://[user@]host:port for this environment, or none to ignore the proxy variables.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Proxy password</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The proxy user&apos;s password; keychain only.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the proxy address carries a password; give it as the secret proxy_password instead</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the private key is encrypted; store it decrypted (the keychain protects it), or import a PKCS#12 file with its password</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not a PEM private key Keyway can use (RSA, EC or DSA, -----BEGIN PRIVATE KEY-----)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the file is not a PKCS#12 bundle, or the password is wrong</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the PKCS#12 bundle holds no certificate with its private key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The proxy setting cannot be used: %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The CA file (tls.ca_file) cannot be used: %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The client certificate (tls.client_cert) cannot be used: %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The client certificate is set but its private key tls.client_key is not in the keychain; store it with the environment&apos;s Connection settings.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The private key tls.client_key cannot be used: %1.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>keyway::CredentialPaste</name>
    <message>
        <source>%1 → %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nothing matched a field of this provider.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Filled %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ignored: %1.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>keyway::EnvSecretStore</name>
    <message>
        <source>no environment owns this secret</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the variable %1 is not set</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>KEYWAY_SECRETS=env reads secrets from environment variables and never stores them.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>KEYWAY_SECRETS=env reads secrets from environment variables and never stores them: set %1 instead.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>keyway::EnvironmentBundle</name>
    <message>
        <source>the file is not JSON: a bundle starts with {&quot;keyway_bundle&quot;: 1, ...}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>/keyway_bundle: expected 1 (this Keyway reads bundles of format 1).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>/%1: unknown key; a bundle holds only keyway_bundle and environments.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>/environments: expected a list of environments.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: expected an object.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1/%2: unknown key; an environment holds only %3.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1/name: expected the environment&apos;s name.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1/name: &apos;%2&apos; appears twice in the bundle.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1/provider: expected a provider id.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1/provider: unknown provider &apos;%2&apos;. Known providers: %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1/base_url: expected a URL.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1/base_url: &apos;%2&apos; is not an http:// or https:// URL.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1/values: expected an object of KEY: value.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1/values/%2: provider &apos;%3&apos; has no key &apos;%2&apos;. Valid keys: %4</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1/values/%2: the bundle carries the value of the secret &apos;%2&apos; of environment &apos;%3&apos;. Bundles never hold secrets: remove the value from the file and give it when importing.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1/values/%2: expected a text value.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1/secrets/%2: the bundle carries the value of the secret &apos;%2&apos; of environment &apos;%3&apos;. Bundles never hold secrets: list only the key&apos;s name (&quot;secrets&quot;: [&quot;%2&quot;]) and give the value when importing.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1/secrets: expected a list of secret key names.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1/secrets/%2: expected the name of a secret key.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1/secrets/%2: &apos;%3&apos; is not a secret key of provider &apos;%4&apos;. Secret keys: %5</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1/samples: expected a list of {name, method, path, body} objects.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>environment &apos;%1&apos;: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no environment named &apos;%1&apos;. Environments: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the environment(s) %1 already exist; nothing was imported. Import with --replace to update them, or remove them first.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>keyway::EnvironmentService</name>
    <message>
        <source>Another Keyway process is changing %1; try again in a moment.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>An environment needs a name.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>There is no provider profile &apos;%1&apos;; known: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>An environment needs an id.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>An environment named &apos;%1&apos; already exists.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The secrets could not be stored, so &apos;%1&apos; was not created.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The environment &apos;%1&apos; does not exist any more.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The secrets could not be stored, so nothing was changed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A secret could not be removed from the keychain; the environment file was not changed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The environment to duplicate does not exist any more.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The secrets to copy could not be read, so no copy was made.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The environment does not exist any more.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The keychain entries of &apos;%1&apos; could not be removed, so the environment is kept.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keyway: %1 — refresh token</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keyway: %1 — refresh token (%2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keyway: %1 — %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (%2): %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>tls.client_key: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>keyway::EnvironmentStore</name>
    <message>
        <source>expected an object</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>expected a non-empty string</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>expected an object of strings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>expected a string</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot read %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not valid JSON (empty or cut off?)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>/environments: expected an array</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>/version: expected a format version up to %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>duplicate environment &apos;%1&apos;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The environments file %1 is damaged (%2). It was moved to %3; Keyway starts with an empty list.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The environments file %1 is damaged (%2) and could not be moved aside.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot create the directory of %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot write %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>An environment needs an id and a name.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>An environment named &apos;%1&apos; already exists.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>An environment with id %1 already exists.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No environment with id %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the disk is full or the file size limit was reached</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot write %1: %2. The previous file was kept; free some space and try again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>expected a list of {name, method, path, body} objects</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot write in %1 (permission denied or a read-only file system), so %2 cannot be saved. Make the directory writable for your user; nothing was changed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot write %1: the disk is full. Nothing was changed; free some space and try again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>expected a list of strings</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>keyway::FlowEngine</name>
    <message>
        <source>step %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no reply</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Check the environment&apos;s base URL and that the provider is reachable.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the reply has no %1 at %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The provider&apos;s reply does not match the profile: check the base URL.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>could not listen on 127.0.0.1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>state mismatch</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The redirect did not carry the state Keyway sent (a forged or stale redirect); its code was not used. Start the sign-in again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the provider answered error=%1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the redirect names another issuer (%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The authorization reply came from a server other than the one Keyway asked; its code was not used.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nothing answered at %1, the value of the field “%2” (%3). Correct that field, or make it relative to the base URL (for example /oauth/token) so that it follows the base URL.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No sign-in is waiting for a redirect.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n min</source>
        <translation>
            <numerusform>%n min</numerusform>
            <numerusform>%n min</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n s</source>
        <translation>
            <numerusform>%n s</numerusform>
            <numerusform>%n s</numerusform>
        </translation>
    </message>
    <message>
        <source>Keyway needs a free port on 127.0.0.1 for the sign-in redirect: check that no security policy forbids local ports, then start the sign-in again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no sign-in arrived within %1; Keyway stopped waiting for it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Start the sign-in again and finish it in the browser before the time runs out.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This sign-in already received its redirect.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This is not the redirect of the sign-in: after signing in, the browser&apos;s address bar shows an address that starts with %1 and carries code= and state=. Paste that whole address.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cancelled</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The sign-in was cancelled. Start it again when you are ready.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>null</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a boolean</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a number</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>an object</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>an array</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a string</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a value of another kind</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The endpoint did not answer the way the provider profile expects: check that the URL points at the provider&apos;s API (not a web page or a gateway), or report the reply to the provider.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the reply is empty where JSON was expected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the reply is a web page (%1), not JSON</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the reply is not valid JSON (malformed or cut short)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the reply is %1, not a JSON object</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is not a string: the reply has an empty string at %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is not a string: the reply has %2 at %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>there is no %1 to wait for</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Run the step that asks for the code first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the code expired before the sign-in was approved</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Start the sign-in again and approve the new code before it expires.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Set the missing value in the environment.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no endpoint: %1 is empty; set it, or set issuer to discover it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no endpoint: %1 is empty; set it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Check the issuer value and that the provider is reachable.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keyway stopped before sending anything to the endpoints this document names. Check that issuer is exactly the provider&apos;s issuer identifier.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Check the issuer value, or set the endpoints by hand.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Fix the client authentication of the environment (client_auth and its key or secret).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The ID token could not be checked because the issuer&apos;s keys could not be fetched.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ID token refused: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keyway did not use the tokens of this reply. Sign in again; if it persists, the provider or something between it and Keyway alters its tokens.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>keyway::HealthCheck</name>
    <message>
        <source>pass</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>fail</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unreachable</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>sign-in needed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>keychain locked</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>expired</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 d %2 h</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 h %2 min</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 min %2 s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>provider &apos;%1&apos; has no profile; install its profile or remove the environment.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the keychain could not give the secrets (%1): unlock it and check again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the secret %1 is missing: store it in the environment and check again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the required value %1 is not set: set it in the environment and check again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>sign-in needed: this provider signs in through a browser and issues no refresh token.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the keychain could not give the stored sign-in (%1): unlock it and check again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>sign-in needed: no stored sign-in; sign in once from the flow walkthrough.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a token was issued (the provider names no check request)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>sign-in needed: the stored sign-in was refused; sign in again from the flow walkthrough.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>authentication failed: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 %2 answered %3</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>keyway::HistoryStore</name>
    <message>
        <source>Cannot create the history directory %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot write the history file %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot rewrite the history file: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>keyway::KeychainSecretStore</name>
    <message>
        <source>The keychain is locked; the entry was not removed. Unlock it and try again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The keychain is locked; unlock it and try again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The keychain entry is still there after removing it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No such secret in the keychain.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Access to the keychain was denied.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No keychain is available (a Secret Service such as gnome-keyring or KWallet is needed): %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The keychain cannot be reached (no D-Bus session or no Secret Service): %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The keychain reported an error: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The keychain did not answer within %1 seconds; it may be waiting to be unlocked.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The system&apos;s D-Bus policy does not let Keyway talk to the keychain (the Secret Service).</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>keyway::LoopbackReceiver</name>
    <message>
        <source>Not found</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sign-in rejected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Signed in</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>You can close this tab and return to Keyway.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The sign-in was refused, so Keyway has no access. Close this tab, return to Keyway and start the sign-in again, approving the access this time or using another account.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Close this tab, return to Keyway and start the sign-in again; if it happens again, check the environment&apos;s settings with the provider.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sign-in refused</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The provider answered: %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This reply does not belong to the sign-in Keyway started (its state does not match), so Keyway did not use it. Return to Keyway and start the sign-in again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This address is not part of the sign-in. Keyway is still waiting: finish the sign-in in the tab that Keyway opened.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sign-in already finished</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keyway already received the answer to this sign-in, so this one was not used. You can close this tab; to sign in again, start a new sign-in in Keyway.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>keyway::NetworkDiagnosis</name>
    <message>
        <source>the environment&apos;s proxy setting</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the variable %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unreachable: host name not found (DNS)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unreachable: connection refused</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unreachable: TLS handshake failed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unreachable: the proxy refused</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unreachable: the proxy requires authentication</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unreachable: no reply in time</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unreachable: the deadline passed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unreachable: the connection settings cannot be used</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unreachable</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The proxy %1 (from %2) could not be reached: %3. Check the proxy address, or set proxy to none for this environment if it needs no proxy.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The proxy %1 (from %2) refused the tunnel to %3 with HTTP %4. Ask its operator to allow that host and port, or set proxy to none for this environment if it needs no proxy.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the host name %1 could not be resolved (DNS)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 refused the connection (nothing listens there)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The proxy %1 (from %2) refused the user name or password (HTTP 407). Check the user in the proxy address and the secret proxy_password.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The proxy %1 (from %2) requires authentication (HTTP 407). Set the proxy as http://user@host:port and store the password as the secret proxy_password.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The proxy %1 (from %2) could not be used: %3. Check the proxy address, or set proxy to none for this environment if it needs no proxy.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 sent nothing for too long (%2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The proxy %1 (from %2) could not be used: %3.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>keyway::PostmanImport</name>
    <message>
        <source>the file is not a JSON object.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>/info/schema: only Postman collections v2.1 are imported (export the collection as &quot;Collection v2.1&quot;).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>/info/name: the collection has no name.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the collection uses no oauth2 authorization (on the collection, a folder or a request); Keyway imports collections whose auth type is OAuth 2.0.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the collection&apos;s OAuth 2.0 grant &apos;%1&apos; is not supported; Keyway imports client credentials and authorization code (with or without PKCE).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the provider &apos;%1&apos; is not installed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: Keyway signs in with PKCE (S256) even where the collection did not; servers that support PKCE accept it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: the value of %2 names a variable the collection does not define (%3); define it in the collection&apos;s variables, or set %2 after importing.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a secret</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>/name: the Postman environment has no name.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>/values: expected the list of the environment&apos;s variables.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the variables of &apos;%1&apos; match no provider&apos;s keys; name them as a provider does (keyway-cli providers lists them), e.g. token_url, client_id and client_secret.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: ignored variables that provider &apos;%2&apos; has no key for: %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: no base URL could be found; add a baseUrl variable.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>keyway::ProfileLoader</name>
    <message>
        <source>unknown key &quot;%1&quot;; expected one of: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>expected an object, found %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>missing required string</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>expected a string, found %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>must not be empty</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>expected true or false, found %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>expected a positive whole number of seconds</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>expected an array of HTTP status codes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>expected an HTTP status code between 100 and 599</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>expected an array of strings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>expected a string</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>expected a JSON pointer starting with &quot;/&quot;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>expected a string value (templates like {{clientId}} are strings)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not valid JSON (byte %1): %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>expected lowercase letters, digits and dashes, e.g. &quot;my-provider&quot;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>expected letters, digits and underscores, e.g. &quot;client_id&quot;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>must be one of the choices</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a secret field cannot have a default value</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>duplicate field key &quot;%1&quot;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>expected exactly one of &quot;fields&quot; or &quot;credentialSets&quot;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>expected a non-empty array of credential fields</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>expected a non-empty array of credential sets</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>duplicate credential set &quot;%1&quot;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>only one credential set can be the default</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&quot;codePointer&quot; and &quot;codeEquals&quot; go together</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the refresh step must have kind &quot;refresh&quot;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a refresh step belongs under &quot;refresh&quot;, not in &quot;flow&quot;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>expected one of GET, POST, PUT, PATCH, DELETE</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>expected at most one of &quot;query&quot;, &quot;form&quot; or &quot;json&quot;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&quot;clientAuth&quot; needs &quot;clientId&quot; (and usually &quot;clientSecret&quot;)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a browser step needs the authorization URL&apos;s parameters</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>only browser steps have &quot;authorize&quot;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>expected an array of captures</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>expected a non-empty array of flow steps</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>duplicate step id &quot;%1&quot;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{{%1}} names no credential field, earlier capture or flow variable</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>missing: how the access token is sent (header, prefix, capture)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no flow step captures &quot;%1&quot;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>expected an array of hints</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a hint needs at least one of &quot;code&quot;, &quot;status&quot; or &quot;when&quot;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>expected &quot;empty:&lt;JSON pointer&gt;&quot;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>expected an array of {&quot;method&quot;, &quot;path&quot;} rules</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>expected a path starting with &quot;/&quot;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>expected an array of sample requests</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>envelope codes need &quot;apiSuccess&quot; with a &quot;codePointer&quot;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{{%1}} names no credential field</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>expected a non-empty array of &quot;hex&quot; and/or &quot;base64&quot;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>expected &quot;hex&quot; or &quot;base64&quot;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>names no credential field; expected one of: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>field &quot;%1&quot; must be declared &quot;secret&quot;: true (it signs webhooks)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>expected an HTTP header name, e.g. &quot;X-Signature&quot;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>only device steps have &quot;device&quot;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>only poll steps have &quot;poll&quot;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&quot;%1&quot; names no capture of an earlier step</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>expected &quot;exchange&quot;, &quot;browser&quot;, &quot;device&quot;, &quot;poll&quot;, &quot;refresh&quot; or &quot;discovery&quot;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a discovery step sends nothing: no client authentication, no parameters</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>keyway::ProfileRegistry</name>
    <message>
        <source>cannot be read: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>provider id &quot;%1&quot; is already defined by %2</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>keyway::ProviderProfile</name>
    <message>
        <source>Client credentials grant with two credential sets per environment: API credentials for backend operations (subaccounts, webhooks, transactions, cards) and SDK credentials limited to card enrollment. Both POST JSON to /oauth/token for a 5-minute JWT; there is no refresh token.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>API client ID</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>API client secret</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>SDK client ID</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>SDK client secret</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>API credentials</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Backend API operations: subaccounts, webhooks, transactions, cards.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>SDK credentials</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Card enrollment through the Web SDK only; refused on backend endpoints.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Obtain an access token</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>JSON POST to /oauth/token with grant_type=client_credentials; the JWT lives 5 minutes.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Astrada refused the client credentials: check client_id and client_secret of this credential set.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The 5-minute token expired or is invalid; Keyway requests a new one once.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>List transactions</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>List subaccounts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Client credentials grant. POST client_id, client_secret and grant_type as a form to /token (the secret only ever in the POST body, never in a URL) and send the access_token as Authorization: Bearer. Tokens last one hour and are not to be persisted; after that calls answer 401 until you re-authenticate. Credentials are unique per environment.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Client ID</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Public identifier from onboarding, unique per environment.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Client secret</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Never share it; only ever sent in the POST body of /token.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Get an access token</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Form-encoded POST to /token with grant_type=client_credentials.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The token endpoint refused the client credentials: check client_id and client_secret, and that they belong to this environment&apos;s URL (credentials are unique per environment).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The token endpoint rejected the request: it takes a form-encoded body with client_id, client_secret and grant_type=client_credentials.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The access token expired (they last one hour) or belongs to another environment. Keyway renews it once; if this persists, check the credentials for this environment.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>List accounts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The accounts the credentials can see.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Client credentials grant. POST client_id, client_secret and grant_type as JSON to /api/reporting/v1/auth/token; the reply is a JSON:API document whose data.attributes.access_token is a JWT (typically 24 hours) with scopes. Send it as Authorization: Bearer to /api/transaction/v1/…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Your application&apos;s public identifier.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Your application&apos;s private key.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Request an access token</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>JSON POST to /api/reporting/v1/auth/token with grant_type=client_credentials.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Malformed token request (400): check client_id, client_secret and grant_type=client_credentials.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>eCard refused the client credentials: check client_id and client_secret for this environment.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The access token is invalid or expired; Keyway requests a new one once.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The token is valid but lacks the scope this endpoint needs; ask eCard to grant it to your client.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Needs the read:transactions scope.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>List reports</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Needs the read:reports scope.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>List settlements</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Needs the read:settlements scope, which a client may not have (403).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Any OAuth 2.0 client-credentials provider: a form POST with grant_type=client_credentials to the token URL, client authentication in the body or as HTTP Basic (RFC 6749 §2.3.1), and the access token sent as Authorization: Bearer.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Token URL</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Scope</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Space-separated scopes.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Client authentication</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Form POST grant_type=client_credentials to the token URL.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The provider refused the client credentials (invalid_client): check client_id, client_secret and client_auth (body or basic).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The provider refused the requested scope (invalid_scope): check the scope field.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This client may not use the client credentials grant (unauthorized_client).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The access token was refused; Keyway renews it once.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Who am I</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The sandbox&apos;s protected resource; a real provider has its own API paths.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Any OAuth 2.0 authorization-code provider, such as the ones Seam connects to: the user signs in in the system browser (PKCE S256, random state, loopback redirect to http://127.0.0.1/callback on any port), the code is exchanged for an access token, a refresh token and a stable user_id, and the refresh token renews the access token. Register http://127.0.0.1/callback as a redirect URI once.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Authorization URL</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Confidential clients only; public clients have none and rely on PKCE.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Space-separated scopes, e.g. &quot;openid offline_access&quot;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Prompt</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sent on sign-ins: login forces re-authentication; OpenID Connect servers grant offline_access only with consent.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Probe path</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>An API call that proves the access token works, e.g. /api/me. Needed by conform.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sign in in the browser</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Opens the authorization URL with PKCE and state; the provider redirects back to Keyway&apos;s loopback listener with a code.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Exchange the code for tokens</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Form POST to the token URL with the code, the redirect URI and the PKCE verifier.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Refresh the access token</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Form POST grant_type=refresh_token to the token URL; a new refresh token in the reply replaces the old one at once.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The provider refused the code (invalid_grant): it was already used, expired, or the redirect URI / PKCE verifier does not match. Sign in again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The sign-in was denied in the browser (access_denied).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The provider does not accept the loopback redirect: register http://127.0.0.1/callback as a redirect URI.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Probe</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The protected resource named in the probe_path field.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Card issuing. Two-step authorization code grant: GET /v1/oauth/authorize with your clientId returns a single-use code (10 minutes), which POST /v1/oauth/access-token exchanges with your clientSecret for a 24-hour access token sent as the x-access-token header. Every reply is a {&quot;code&quot;, &quot;msg&quot;, &quot;data&quot;} envelope where &quot;000000&quot; means success, errors included.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Identifies your program. Sent as a query parameter to /v1/oauth/authorize.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Signs OAuth token requests. Treat like a password.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Parent account ID</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>UUID of your top-level partner account. Required when creating user sub-accounts.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Merchant ID</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>UUID of your master merchant account. Used to fund user budgets via inter-account transfers.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Default BIN ID</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>UUID of the BIN your program issues from. See GET /v1/card/bins.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Webhook secret</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Verifies HMAC-SHA256 signatures on incoming webhooks.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Get an authorization code</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>GET /v1/oauth/authorize with your clientId returns a single-use code that expires in 10 minutes.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Exchange the code for an access token</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>POST clientId, clientSecret and the code to /v1/oauth/access-token; the access token lasts 24 hours.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Seismic refused the clientId (40001 Invalid parameter): check the credential string and that the base URL is this environment&apos;s.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The authorization code was already used or has expired (codes are single-use and live 10 minutes): run step 1 again for a fresh code.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Seismic refused the client credentials at the token step (40399 permission denied): check clientSecret (and clientId) for this environment. Running the flow again will not help until they are right.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Seismic answered 40399 permission denied on an API call: the access token expired, was revoked, or belongs to another environment. Keyway renews it once; if this persists, run the flow again against this environment&apos;s base URL.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Seismic answered 40001 Invalid parameter: a required field is missing or malformed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>List BINs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The BINs your program may issue from; every program has at least one.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Create a cardholder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Create a budget</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>SDK credentials are limited to card enrollment. Use the API credential set (api) for backend endpoints.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The provider refused the refresh token (invalid_grant): it was revoked, rotated or expired. Sign in again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Introspection URL</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The token introspection endpoint (RFC 7662), for Introspect. Absolute, or relative to the base URL.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Revocation URL</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The token revocation endpoint (RFC 7009), for Revoke (and the revocation check of conform). Absolute, or relative to the base URL.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Any OAuth 2.0 provider with the device authorization grant (RFC 8628), for sign-ins on something without a convenient browser: Keyway asks for a device code, shows the user code and the verification address (and a QR code), and asks the token endpoint again at the provider&apos;s interval until someone approves the code in a browser on any device, denies it, or the code expires.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Device authorization URL</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Confidential clients only; a device client is often public and has none.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The token revocation endpoint (RFC 7009), for Revoke. Absolute, or relative to the base URL.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ask for a device code</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Form POST to the device authorization URL; the reply holds the code a person enters at the verification address.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Wait for the approval</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Form POST grant_type=urn:ietf:params:oauth:grant-type:device_code to the token URL, repeated at the provider&apos;s interval (5 s more after each slow_down) while it answers authorization_pending, until the code expires.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The sign-in was denied on the verification page (access_denied). Start it again if that was a mistake.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The device code expired before anyone approved it (expired_token). Start the sign-in again and approve the new code in time.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This client may not use the device authorization grant (unauthorized_client): enable the grant for the client at the provider.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Issuer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>An OpenID Connect or RFC 8414 issuer, e.g. https://login.example.com/realms/main: the endpoints are discovered from it and ID tokens are verified against its keys.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The token endpoint. Absolute, or relative to the base URL. Discovered from the issuer when empty.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Needed by body, basic and client_secret_jwt; private_key_jwt signs with client_key instead.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>body: client_id and client_secret in the form; basic: HTTP Basic (RFC 6749 §2.3.1); none: a public client (client_id only); client_secret_jwt: an RFC 7523 assertion signed HS256 with client_secret; private_key_jwt: an RFC 7523 assertion signed with client_key.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>JWKS URL</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Where the issuer publishes its signing keys (ID tokens are verified against them). Discovered from the issuer when empty.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Assertion signing key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>private_key_jwt only: the PEM private key (RSA, 2048 bits or more, or EC P-256) that signs the client assertion.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Key ID</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>private_key_jwt only: the kid under which the provider knows the client&apos;s public key.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Discover the provider&apos;s endpoints</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Only when an issuer is set: reads its OpenID configuration (else its RFC 8414 metadata), checks that the document names the same issuer, and fills the endpoints not set by hand.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Where the browser signs in. Absolute, or relative to the base URL. Discovered from the issuer when empty.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The token endpoint (code exchange and refresh). Absolute, or relative to the base URL. Discovered from the issuer when empty.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The device authorization endpoint. Absolute, or relative to the base URL. Discovered from the issuer when empty.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The token endpoint (polled until the code is approved, and refresh). Absolute, or relative to the base URL. Discovered from the issuer when empty.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>body: client_id and client_secret in the form; basic: HTTP Basic (RFC 6749 §2.3.1); none: client_id only (a public client); client_secret_jwt / private_key_jwt: a signed client assertion (RFC 7523).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The issuer&apos;s signing keys, to verify ID tokens. Discovered from the issuer when empty.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>private_key_jwt only: the client&apos;s private key in PEM (RSA or EC P-256).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>private_key_jwt only: the kid of the client&apos;s key as registered at the provider.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The provider refused the client credentials (invalid_client): check client_id, client_secret (or client_key) and client_auth.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Astrada</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Banking API</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>eCard Systems</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>granted scope</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>OAuth 2.0 client credentials</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>OAuth 2.0 authorization code</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>user ID</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>OAuth 2.0 device authorization</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Seismic</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>keyway::ProxyResolver</name>
    <message>
        <source>&apos;%1&apos; is not a proxy address; write it as http://host:port</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>proxies of the kind %1:// are not supported; use an http:// or socks5:// proxy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the proxy in %1 cannot be used: %2</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>keyway::ReplyJudge</name>
    <message>
        <source>HTTP %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>, code %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no %1 in the reply</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>code %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is empty or missing in the reply</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The provider answered with the OAuth error &quot;%1&quot;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The provider answered with error code %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The provider refused the request (HTTP %1).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The provider refused the credentials or the token.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The provider understood the request but refused it: the credentials lack the permission or scope this endpoint needs.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The provider had an internal error; try again later.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A gateway in front of the provider got no good answer from it; try again later.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The provider is unavailable or overloaded; try again later.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>keyway::RequestExecutor</name>
    <message>
        <source>no complete reply within %1 s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cancelled</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>too many redirects</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>refused a redirect from HTTPS to %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>refused to resend the request body to another origin (%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the reply is larger than the limit of %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the compressed reply could not be unpacked safely (it unpacks to far more than was sent, a decompression bomb, or it is corrupt); it was refused</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the connection broke after %1 bytes of the reply (%2); the reply is incomplete</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the connection broke after %1 of %2 bytes of the reply; the reply is incomplete</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no complete reply within %1 s from %2 (the deadline)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the reply could not be written out</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>keyway::SecretStore</name>
    <message>
        <source>The secret is not in the keychain: set it in the Credentials tab.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The keychain is locked or waits to be unlocked: unlock it, then try again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No keychain is available: start your desktop&apos;s keyring, then try again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The keychain refused access: allow Keyway, then try again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The keychain reported an error: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>keyway::Session</name>
    <message>
        <source>%1 is not on this environment&apos;s origin (%2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tokens of an environment are only ever sent to its own base URL.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No reply from the provider: check the base URL and the network.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keyway refused this reply; check the request&apos;s path and the environment&apos;s base URL.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>keyway::SessionRegistry</name>
    <message>
        <source>This environment or its provider profile no longer exists.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>keyway::SignInPageProbe</name>
    <message>
        <source>with a code</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>with error=%1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>without a code</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the server sent the browser straight back to the redirect URI %1, without a sign-in page: prompt=login must force the user to sign in again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>too many redirects from %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no reply from %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a sign-in page with a password field at %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the authorization URL answered HTTP %1 at %2: check client_id and that http://127.0.0.1/callback is a registered redirect URI</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>HTTP %1 at %2 has no form with a password field (a page drawn by JavaScript cannot be seen by this check)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>keyway::SingleInstance</name>
    <message>
        <source>Cannot create the directory of %1.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>keyway::TlsDiagnosis</name>
    <message>
        <source>no name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>subject %1; issuer %2; valid %3 to %4; SHA-256 %5</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the certificate is self-signed (no authority this environment trusts vouches for it)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>certificate signed by an unknown authority</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the CA file %1 (tls.ca_file) does not hold the CA that signed it: point tls.ca_file at the right PEM file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>if you trust its issuer, set tls.ca_file to a PEM file with that CA certificate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the certificate expired on %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the server&apos;s operator must renew it (check this computer&apos;s clock too)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the certificate is not valid before %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>check this computer&apos;s clock</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>name mismatch: the certificate is for %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>use a host name the certificate names in the environment&apos;s base URL</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>TLS handshake with %1 failed: %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Presented certificate: %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>TLS handshake with %1 failed: the server requires a client certificate (mutual TLS). Set tls.client_cert to its PEM file and store its private key as the secret tls.client_key.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>TLS handshake with %1 failed: the server refused the client certificate (%2). Check that tls.client_cert is the certificate the partner issued for you and tls.client_key its key.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>TLS handshake with %1 failed: the server closed the connection during the handshake, as a server does that refuses the client certificate. Check that tls.client_cert is the certificate the partner issued for you and tls.client_key its key.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>TLS handshake with %1 failed: the server closed the connection during the handshake, as a server does that requires a client certificate (mutual TLS). Set tls.client_cert to its PEM file and store its private key as the secret tls.client_key.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>keyway::TokenLifecycle</name>
    <message>
        <source>Introspect the %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Revoke the %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>There is no refresh token to introspect: sign in first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>There is no token to revoke: no refresh token is stored and no access token is in use.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This environment has no introspection endpoint: set its introspection_url (the provider&apos;s RFC 7662 endpoint, absolute or relative to the base URL), or its issuer to discover it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This environment has no revocation endpoint: set its revocation_url (the provider&apos;s RFC 7009 endpoint, absolute or relative to the base URL), or its issuer to discover it.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>keyway::WebhookVerifier</name>
    <message>
        <source>without the trailing newline</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>with a trailing newline</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>with LF instead of CRLF line endings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>as compact JSON (no whitespace)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>as indented JSON</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>with surrounding whitespace removed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Valid: the %1 signature matches HMAC-SHA256 of the body with this environment&apos;s secret.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The signature matches the body %1, not the bytes given: verify the raw request body exactly as received, before any parsing or reformatting.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>with surrounding whitespace removed from the secret</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>hex-decoded</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>base64-decoded</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The signature matches when the secret is %1: store the secret in that form.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>signature header</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>64 hex characters</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>44 base64 characters</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The signature is not an HMAC-SHA256 value: expected %1%2. Copy the whole value of the %3 header.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> or </source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> (optionally &quot;%1&quot; first)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The signature is written in %1, but this provider sends %2 in the %3 header: copy the header&apos;s value unchanged.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The signature does not match: the secret is not the one that signed this webhook, or the body was changed after it was signed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The signature does not match: the secret is not the one that signed this webhook (check the environment&apos;s %1), or the body was changed after it was signed.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>keyway::app</name>
    <message>
        <source>Keyway: prove that a provider&apos;s credentials work, with the secrets kept in the keychain.
Starts the desktop app; a second launch raises the running window instead.
For scripts and terminals use keyway-cli.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Select the environment NAME.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>NAME</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>keyway::cli::BrowserOpener</name>
    <message>
        <source>Open this URL in a browser to sign in, then come back here:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>keyway-cli: could not open a browser (xdg-open failed); open this URL in a browser to sign in, keyway-cli keeps waiting (--no-browser skips this attempt):</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>To sign in, open %1 in a browser on any device and enter the code:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(or open %1, which carries the code)</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Waiting for the approval; the code expires in %n minute(s). Ctrl+C stops waiting.</source>
        <translation>
            <numerusform>Waiting for the approval; the code expires in %n minute. Ctrl+C stops waiting.</numerusform>
            <numerusform>Waiting for the approval; the code expires in %n minutes. Ctrl+C stops waiting.</numerusform>
        </translation>
    </message>
    <message>
        <source>Waiting for the approval. Ctrl+C stops waiting.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n minute(s)</source>
        <translation>
            <numerusform>%n minute</numerusform>
            <numerusform>%n minutes</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n second(s)</source>
        <translation>
            <numerusform>%n second</numerusform>
            <numerusform>%n seconds</numerusform>
        </translation>
    </message>
    <message>
        <source>Waiting up to %1 for the sign-in in your browser; Ctrl+C stops waiting.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Waiting up to %1 for the sign-in; Ctrl+C stops waiting.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>keyway::cli::BundleCommands</name>
    <message>
        <source>Writes environments (all, or the named ones) as a bundle without a single secret value.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Write the bundle to FILE instead of standard output.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>keyway-cli env export: cannot write %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>keyway-cli: wrote %n environment(s) to %1 (no secret values).</source>
        <translation>
            <numerusform>keyway-cli: wrote %n environment to %1 (no secret values).</numerusform>
            <numerusform>keyway-cli: wrote %n environments to %1 (no secret values).</numerusform>
        </translation>
    </message>
    <message>
        <source>Creates the environments of a Keyway bundle, a Postman environment or a Postman collection.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A secret of an imported environment, read from standard input (one line each, in order).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A secret whose value is the whole content of FILE (- for standard input).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Update environments that already exist instead of refusing.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>env import takes exactly one FILE.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot read %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is neither a Keyway bundle ({&quot;keyway_bundle&quot;: 1, ...}) nor a Postman environment or collection v2.1 file.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Imported %n environment(s): %1</source>
        <translation>
            <numerusform>Imported %n environment: %1</numerusform>
            <numerusform>Imported %n environments: %1</numerusform>
        </translation>
    </message>
    <message>
        <source>Missing secret %1.%2: set the variable %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Missing secret %1.%2: keyway-cli env set %1 --secret %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&apos;%1&apos; names no environment of the file; expected NAME.KEY with NAME one of: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&apos;%1&apos; is not a secret key of environment &apos;%2&apos;. Secret keys: %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&apos;%1&apos; is given twice.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>expected the value of &apos;%1&apos; on standard input (one line per --secret, in order), but the input ended.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the value of &apos;%1&apos; is empty.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>--secret-file expects NAME.KEY=FILE.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the file for &apos;%1&apos; is empty.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>keyway::cli::CheckAllCommand</name>
    <message>
        <source>; token valid for %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>check --all takes no NAME; use --provider ID to check one provider&apos;s.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>--jobs must be a whole number from 1 to 64, not &apos;%1&apos;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>keyway-cli: cannot read the environments: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unknown provider &apos;%1&apos;. Valid providers: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>keyway-cli: no environments to check. Add one with keyway-cli env add, or import a bundle with keyway-cli env import FILE.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>keyway-cli: no environment uses provider &apos;%1&apos;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>keyway-cli: cannot write the JUnit report %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>keyway-cli: %1 of %n environment(s) passed.</source>
        <translation>
            <numerusform>keyway-cli: %1 of %n environment passed.</numerusform>
            <numerusform>keyway-cli: %1 of %n environments passed.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>keyway::cli::CliApp</name>
    <message>
        <source>Usage:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>  keyway-cli COMMAND --help | keyway-cli help COMMAND   (a command&apos;s options)
  keyway-cli --version

Exit codes: 0 ok, 1 the provider refused the call, 2 usage or bad input (also: standard
output could not be written), 3 the auth flow failed, 4 keychain unavailable or locked,
5 the server could not be reached (connection, TLS, timeout, --max-time deadline).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>keyway-cli: no command &apos;%1&apos;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>keyway-cli %1: missing sub-command.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>keyway-cli %1: unknown sub-command &apos;%2&apos;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>keyway-cli: unknown command &apos;%1&apos;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>keyway-cli: could not write to standard output (%1).</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>keyway::cli::CliCommand</name>
    <message>
        <source>Usage: keyway-cli %1 %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show this help and exit.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Options:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unknown option &apos;%1&apos;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Valid options: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>keyway::cli::CompletionCommand</name>
    <message>
        <source>%1 commands</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show the usage of a command</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Prints the shell completion script for SHELL: bash, zsh or fish.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>name one shell: bash, zsh or fish</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no completion for &apos;%1&apos;; choose bash, zsh or fish</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>keyway::cli::ConformCommand</name>
    <message>
        <source>Runs the seven provider conformance checks against an authorization-code environment.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Print the sign-in URLs instead of opening a browser, then wait for the redirects.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>JSON Lines: the events, one check object per check, then the result.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unexpected argument &apos;%1&apos;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>missing the environment NAME</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>keyway-cli: warning: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 of %2 checks passed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>keyway-cli conform: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>keyway-cli: the server could not be reached: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>keyway::cli::EnvCommand</name>
    <message>
        <source>required</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>secret</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>env add takes exactly one NAME.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>--provider ID is required. Valid providers: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unknown provider &apos;%1&apos;. Valid providers: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>provider &apos;%1&apos; has no default base URL: pass --base-url URL.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&apos;%1&apos; is not an http:// or https:// URL.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>--set expects KEY=VALUE.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unknown key &apos;%1&apos; for provider &apos;%2&apos;. Valid keys: %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&apos;%1&apos; is a secret and is never accepted on the command line: use --secret %1 and give the value on standard input.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&apos;%1&apos; is set twice.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&apos;%1&apos; must be one of: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&apos;%1&apos; is not a secret: use --set %1=VALUE. Secret keys: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&apos;%1&apos; is given twice.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>missing required key(s) for provider &apos;%1&apos;: %2. Valid keys: %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>an environment named &apos;%1&apos; already exists (existing: %2). Remove it first with: keyway-cli env rm %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (%2): </source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>expected the value of &apos;%1&apos; on standard input (one line per --secret, in order), but the input ended.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the value of &apos;%1&apos; is empty.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Added environment &apos;%1&apos; (%2, %3); %n secret(s) stored in the keychain.</source>
        <translation>
            <numerusform>Added environment &apos;%1&apos; (%2, %3); %n secret stored in the keychain.</numerusform>
            <numerusform>Added environment &apos;%1&apos; (%2, %3); %n secrets stored in the keychain.</numerusform>
        </translation>
    </message>
    <message>
        <source>env list takes no NAME.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>env show takes exactly one NAME.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no environment named &apos;%1&apos;. Environments: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>id</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>provider</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>base URL</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>created</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>env rm takes exactly one NAME.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Removed environment &apos;%1&apos; and its keychain entries.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>keyway-cli: no environments yet. Add one with: keyway-cli env add NAME --provider ID</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>keyway-cli: warning: provider &apos;%1&apos; is not known any more; secret fields cannot be listed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>One JSON object per environment and line.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Adds an environment: non-secret values on the command line, secrets into the keychain.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The provider (keyway-cli providers lists them).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The API&apos;s base URL (default: the provider&apos;s).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A non-secret value; repeat for each key.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A secret read from standard input (one line each, in order) or a no-echo prompt.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Lists the environments: name, provider, base URL.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Shows one environment; secrets only as set or missing, never their values.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Removes an environment and its keychain entries.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>env set takes exactly one NAME.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>environment &apos;%1&apos; uses provider &apos;%2&apos;, which has no profile</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&apos;%1&apos; is both set and unset.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&apos;%1&apos; is required and cannot be unset.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Updated environment &apos;%1&apos;; %n secret(s) changed in the keychain.</source>
        <translation>
            <numerusform>Updated environment &apos;%1&apos;; %n secret changed in the keychain.</numerusform>
            <numerusform>Updated environment &apos;%1&apos;; %n secrets changed in the keychain.</numerusform>
        </translation>
    </message>
    <message>
        <source>Changes an environment in place; a failed keychain write changes nothing.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A new base URL.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Removes a value (a secret is deleted from the keychain).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>--secret-file expects KEY=FILE (- for standard input).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot read %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the file for &apos;%1&apos; is empty.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A secret that is a whole file&apos;s content, e.g. tls.client_key (- for standard input).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>missing: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>keyway-cli: warning: missing secrets are not shown: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>keyway::cli::EnvironmentContext</name>
    <message>
        <source>keyway-cli: cannot read the environments: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>keyway-cli: unknown environment &apos;%1&apos;; known: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>none (create one with keyway-cli env add)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>keyway-cli: environment &apos;%1&apos; uses provider &apos;%2&apos;, which has no profile</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>keyway-cli: provider &apos;%1&apos; has no credential sets; drop --credentials</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>keyway-cli: unknown credential set &apos;%1&apos; for %2; valid: %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>keyway-cli: environment &apos;%1&apos; has no value for the required key %2; set it with keyway-cli env add %1 --set %2=VALUE</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>keyway-cli: the keychain could not give the secrets of &apos;%1&apos; (%2): %3. Unlock the keychain and try again; nothing was changed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>keyway-cli: the secret %1 of environment &apos;%2&apos; is not in the keychain; store it with keyway-cli env set %2 --secret %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>keyway-cli: environment &apos;%1&apos;: %2 Change it with keyway-cli env set %1.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>keyway::cli::FlowCommands</name>
    <message>
        <source>The credential set to use (a provider with several, e.g. astrada&apos;s sdk).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Print the sign-in URL instead of opening a browser, then wait for the redirect.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>JSON Lines: the flow&apos;s events as they happen, then the result.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>--credentials needs a credential set name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>keyway-cli: could not keep the refresh token in the keychain (%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>keyway-cli: the server could not be reached: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>keyway-cli: authentication failed: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Authenticated %1 (%2).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>received</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>, expires %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>, single-use, consumed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>, single-use</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> (after renewing the token once)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ok: %1 issued a token (the profile has no check request)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ok: %1 %2 answered %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Runs the provider&apos;s whole sign-in flow and shows what it received (never a secret).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sends one authenticated request and writes the reply body to standard output, byte for byte.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Proves the credentials work: obtains a token and sends the profile&apos;s check request.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The request body: text, @FILE for a file&apos;s bytes, @- for standard input.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>An extra request header; repeat for more.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Print the status line and the response headers before the body.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>missing arguments</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>too many arguments</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unknown HTTP method %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>expected a header as &quot;Name: value&quot;, got &quot;%1&quot;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>keyway-cli: cannot read %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Check every environment, several at once; browser sign-ins are never started.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>With --all: only this provider&apos;s.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>With --all: at most N at once (4).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>With --all: a JUnit XML report.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>--%1 goes with --all (check NAME checks one environment).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>keyway-cli: could not delete the revoked refresh token from the keychain (%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>keyway-cli: the provider says the token is not active</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Revoked the %1 of %2 at the provider.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The stored refresh token is deleted: the next call signs in again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Asks the provider whether the current access token is active (RFC 7662) and prints its reply; exit 0 when active, 1 when not.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Revokes the refresh token and the access token at the provider (RFC 7009) and deletes the stored refresh token.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>keyway::cli::NetworkOptions</name>
    <message>
        <source>Overall deadline of each request (default 30); past it the server counts as unreachable (exit 5).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Print each request and response line with headers on standard error, secrets redacted.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>--max-time must be a number of seconds above 0 (1.5 is allowed), not &apos;%1&apos;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>How long a browser sign-in waits for its redirect (default %1); past it the sign-in fails (exit 3).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>--sign-in-timeout must be a number of seconds above 0 and at most 86400, not &apos;%1&apos;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>keyway-cli: run the command again and finish the sign-in in the browser in time; --sign-in-timeout SECONDS gives it longer.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>keyway::cli::ProvidersCommand</name>
    <message>
        <source>base URL:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(none, --base-url required)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(default)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>credential sets:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>required</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>optional</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>secret</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>default %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>one of %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Lists the providers Keyway knows, with their credential keys (secret ones marked).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>One JSON object per provider and line (&quot;event&quot;: &quot;provider&quot;).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unexpected argument &apos;%1&apos;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>keyway-cli: warning: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>keyway::cli::SandboxCommand</name>
    <message>
        <source>Keyway sandbox listening on %1 (time scale %2x). Press Ctrl+C to stop.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Demo credentials are throwaway values, public by design.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sign-in page user (oauth2-code): %1 / %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Faults: GET %1/_sandbox/faults lists them; POST {&quot;provider&quot;: ID, &quot;fault&quot;: NAME, &quot;on&quot;: true} switches one.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Serves the provider emulators on 127.0.0.1 with throwaway demo credentials until Ctrl+C.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The port to listen on (default 0: a free one).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Run the emulators&apos; clocks X times faster (60: a 10-minute code lives 10 seconds).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>One JSON object per emulated provider and line.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unexpected argument &apos;%1&apos;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>--port must be a number from 0 to 65535 (0 picks a free port), not &apos;%1&apos;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>--time-scale must be a positive number (60 makes a 10-minute code live 10 seconds), not &apos;%1&apos;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>keyway-cli sandbox: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>keyway-cli sandbox: cannot set up signal handling.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>in %1 (store it with --secret-file %2=%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>HTTPS with a CA made at start; trust it with tls.ca_file: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Port %1 demands the demo client certificate (tls.client_cert and tls.client_key).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Serve HTTPS with a CA made at start; its file is printed and set as tls.ca_file in the demo values.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>With --tls: serve this provider on a second port that demands the demo client certificate.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>--client-cert needs --tls: a client certificate is part of the TLS handshake.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>keyway-cli sandbox: cannot write the demo client key to %1; check its permissions.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>keyway::cli::WebhookCommand</name>
    <message>
        <source>Checks a webhook&apos;s signature with the environment&apos;s webhook secret; the body is read from standard input when --body is not given.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The signature header&apos;s value, as received.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The raw request body, or @FILE for a file&apos;s bytes (default: standard input).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>One result object on one line.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot read %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unexpected argument &apos;%1&apos;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>NAME and --signature are required</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>keyway-cli webhook: provider &apos;%1&apos; declares no webhook rule (a &quot;webhook&quot; block in its profile)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>keyway::crypto::Jws</name>
    <message>
        <source>%1 cannot be made with this key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>libcrypto could not sign with this key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the token is unsigned (alg none), which is never accepted</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the token is signed with %1, a shared-secret algorithm, where the issuer&apos;s public key is expected; it is refused</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the signature algorithm %1 is not supported (RS256, PS256 or ES256)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the key does not fit the algorithm %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the ES256 signature is not 64 bytes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the signature does not match the key (the token was altered or signed by another key)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>keyway::crypto::Key</name>
    <message>
        <source>the private key is encrypted with a passphrase; store it unencrypted (for example with openssl pkey -in key.pem -out plain.pem)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the value is not a PEM private key (expected -----BEGIN PRIVATE KEY----- with an RSA or EC P-256 key)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the private key is neither RSA nor EC on P-256: use RS256 (RSA, 2048 bits or more) or ES256 (P-256) keys</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the RSA key has %1 bits; RS256 needs 2048 or more</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the JWK has no kty</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the RSA JWK lacks n or e</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the EC JWK is not on curve P-256</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the EC JWK&apos;s x or y is not 32 bytes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the JWK&apos;s kty %1 is not supported (RSA or EC)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the JWK does not describe a valid public key</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>keyway::json</name>
    <message>
        <source>the body is empty</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>brackets do not match or the document is cut short</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a string is not closed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the body is not valid UTF-8</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>there is more text after the JSON value</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not valid JSON (%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the document is too large to index (4 GiB or more)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Provider error code %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Provider success code %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Provider error: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>keyway::oidc::ClientAssertion</name>
    <message>
        <source>client_secret_jwt needs the client secret: set client_secret</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>private_key_jwt needs the client&apos;s private key: store the PEM key as client_key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>client_key cannot be used: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is not a client assertion method</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>keyway::oidc::Discovery</name>
    <message>
        <source>the discovery document at %1 could not be fetched: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no discovery document for issuer %1: %2 answered HTTP %3; check the issuer, or set the endpoints by hand</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is not a discovery document (it has no issuer member)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the discovery document names issuer %1, not %2 (a misconfigured or impersonated provider); check the issuer value</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the issuer %1 is not an https:// URL without query or fragment</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no %1 is set and no issuer to discover it from: set %1, or issuer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the discovery document of %1 has no %2: set %3 by hand</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>keyway::oidc::IdTokenValidator</name>
    <message>
        <source>the ID token has no iss claim</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the ID token&apos;s iss is %1, not the issuer %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the ID token&apos;s aud does not contain the client_id %1 (it was issued to another client)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the ID token has no exp claim</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>the ID token expired %n s ago (exp)</source>
        <translation>
            <numerusform>the ID token expired %n s ago (exp)</numerusform>
            <numerusform>the ID token expired %n s ago (exp)</numerusform>
        </translation>
    </message>
    <message>
        <source>the ID token has no iat claim</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the ID token&apos;s iat is in the future; check this computer&apos;s clock</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the ID token has no nonce, but the sign-in sent one</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the ID token&apos;s nonce is not the one this sign-in sent (a replayed or injected token)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the ID token is not a JWT</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the issuer&apos;s keys are unknown (no jwks_uri): set issuer or jwks_uri</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>signature verified with key %1 of %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(no kid)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the issuer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>signature not verified: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>keyway::oidc::Jwks</name>
    <message>
        <source>the token names no key (no kid) and the issuer&apos;s JWKS has no %1 key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the token is signed with key %1, which the issuer&apos;s JWKS does not list</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>the token names no key (no kid) and the issuer&apos;s JWKS has %n keys that fit</source>
        <translation>
            <numerusform>the token names no key (no kid) and the issuer&apos;s JWKS has %n key that fits</numerusform>
            <numerusform>the token names no key (no kid) and the issuer&apos;s JWKS has %n keys that fit</numerusform>
        </translation>
    </message>
    <message>
        <source>the token says %1 but the issuer&apos;s key %2 is for %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the issuer&apos;s key %1 cannot be read: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the issuer&apos;s JWKS at %1 answered HTTP %2 without a key set</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the issuer&apos;s JWKS at %1 could not be fetched: %2</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>keyway::sandbox::SandboxServer</name>
    <message>
        <source>The sandbox is already listening.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot listen on 127.0.0.1:%1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A client certificate can only be demanded over HTTPS.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The sandbox emulates no provider &apos;%1&apos;; choose one of: %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot make the sandbox&apos;s certificates: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot create the directory %1 for the sandbox&apos;s CA certificate; check its permissions.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot write the sandbox&apos;s certificates to %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot listen on 127.0.0.1 for the client-certificate port: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>keyway::ui::AboutDialog</name>
    <message>
        <source>Keyway %1
Qt %2 (built with %3)
QtKeychain %4
License: MIT</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>About Keyway</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;h3&gt;Keyway&lt;/h3&gt;&lt;p&gt;Credential and API explorer for integration engineers.&lt;/p&gt;&lt;p&gt;%1&lt;/p&gt;&lt;p&gt;Secrets stay in your system keychain. Keyway is free software under the MIT license.&lt;/p&gt;&lt;p&gt;&lt;a href=&quot;%2&quot;&gt;%2&lt;/a&gt;&lt;/p&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Co&amp;py versions</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>About &amp;Qt</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>keyway::ui::AppMenus</name>
    <message>
        <source>&amp;Preferences…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;User guide</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;About Keyway</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>About &amp;Qt</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Se&amp;ttings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>keyway::ui::BundleImportDialog</name>
    <message>
        <source>Import environments</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>These environments will be created: %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>leave empty to add it later</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 · %2:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The file names no secret to type.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The secrets the bundle names but never carries; they go to the keychain:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Replace the environments that already exist: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Import</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>keyway::ui::ConformancePage</name>
    <message>
        <source>Sign-in page shown (prompt=login)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>State returned unchanged and verified</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Code exchange: access token, refresh token, expiry, user_id</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Same user_id on two sign-ins</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Refresh keeps the previous access token working</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Two concurrent refreshes both succeed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Refresh token works until it is rotated</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>step: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>← HTTP %1 (%2 ms)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>captured %1 = %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>captured %1, valid until %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>captured %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>used %1 (single use)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 expired</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>step failed: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>sign-in in the browser: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Run checks…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sign in twice, refresh tokens and report each check</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Check</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Result</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Evidence</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Every request and reply of the run appears here, secrets redacted.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Event log (redacted)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Check provider — %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Signs in twice in your browser (each time with prompt=login), exchanges the codes, refreshes the tokens and calls the probe request, then reports each requirement of an authorization-code provider with its evidence.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Press Run checks to start.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Check provider</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The checks sign in to “%1” twice in your browser and refresh its tokens, including two concurrent refreshes with the same refresh token. A server that rotates refresh tokens may revoke the whole grant.

Run the checks against a test account. Start now?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not started.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading the credentials…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Running the checks…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>conformance run of “%1” started</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>warning: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>All %1 checks passed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 of %2 checks passed; %3 failed. Select a failed check to see why.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 of %2 checks passed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cancelled</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancelled.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not run</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>running…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>pass</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>FAIL</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not run yet.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Running the checks… (%1 is not set, so the refresh checks cannot call the API)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the check request</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Conformance checks</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Select an environment that signs in through a browser to check its provider.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>waiting for the browser</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>waiting for the browser, which did not open</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>sign-in %1 of 2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>NOT RUN</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 of %2 checks passed; %3 not run, because a sign-in did not finish. Select one to see why, then run the checks again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n not run, because a sign-in did not finish.</source>
        <translation>
            <numerusform>%n check not run, because a sign-in did not finish.</numerusform>
            <numerusform>%n checks not run, because a sign-in did not finish.</numerusform>
        </translation>
    </message>
    <message>
        <source>waiting for the code %1 to be approved at %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 revoked</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ID token validates (the provider advertises ID tokens)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A revoked refresh token no longer refreshes (the provider revokes tokens)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>keyway::ui::CredentialEditor</name>
    <message>
        <source>&amp;Save to keychain</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(default: %1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>default: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not set</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show or hide %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy %1; the clipboard clears itself in %2 seconds</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>reading from the keychain…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unknown: the keychain could not be read</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Saved. No secret changed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Saved to the keychain.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The keychain is locked. Unlock it (your desktop asks for your login password), then press Retry. Nothing you typed is lost.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No keychain is available: the Secret Service (GNOME Keyring, KWallet) is not running or does not answer. Start it, then press Retry. Nothing you typed is lost.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The keychain refused access. Allow Keyway when it asks, then press Retry. Nothing you typed is lost.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The secret is not in the keychain.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The keychain reported an error: %1. Press Retry to try again; nothing you typed is lost.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unknown error</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Retr&amp;y</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connection</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Import PKCS#12 (.p12, .pfx)…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Takes the client certificate and its key from a PKCS#12 file: the certificate is kept as a file in Keyway&apos;s configuration directory, the key in the keychain.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Read the private key from a PEM file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose a PEM file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Private key (PEM)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Certificate file (PEM)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>PEM files (*.pem *.crt *.key *.cer);;All files (*)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot read %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Client certificate bundle (PKCS#12)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>PKCS#12 files (*.p12 *.pfx);;All files (*)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>PKCS#12 password</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The password of %1 (empty if it has none):</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot write %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Imported: the certificate is kept as %1; the key goes to the keychain when you save.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Paste b&amp;undle…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Fill the fields from what the provider sent: JSON, &quot;key: value&quot; or KEY=value lines, or a two-column table.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Paste a credential bundle</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Paste the credentials as the provider sent them. Fields are matched by name; secrets go to the keychain when you save.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Credential bundle</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Fill fields</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>waiting for the keychain…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Still waiting for the keychain: if your desktop asks to unlock it, unlock it; the secrets appear here when it answers. Nothing is saved until then.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not a PEM private key Keyway can sign with</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>keyway::ui::DemoEnvironments</name>
    <message>
        <source>Sandbox %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sandbox %1 %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The sandbox environments could not be created: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>keyway::ui::DeviceCodeView</name>
    <message>
        <source>Copy code</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy address</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open in browser</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy the code to type it on the verification page</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Verification address</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy the verification address, to open it on another device</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open the verification page in this computer&apos;s browser</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Scan with a phone to open the verification page with the code filled in</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>On any device, open the address below and enter this code:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The code is on the clipboard.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The verification address is on the clipboard.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The verification page was opened in the browser.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The browser did not open: copy the address and open it yourself.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>User code %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>keyway::ui::Duration</name>
    <message>
        <source>%1 d %2 h</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 h %2 min</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>expires in %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>expired %1 s ago</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>expired %1 min ago</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>expired %1 ago</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>keyway::ui::EnvironmentDialog</name>
    <message>
        <source>New environment</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Edit environment</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Duplicate environment</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>e.g. Seismic staging</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Request paths are appended to this URL, keeping its path prefix.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Provider:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Base URL:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Credentials (secret fields are stored in the keychain only)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (copy)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>https://api.example.com</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Provider documentation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Fields</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>required</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>secret, kept in the keychain</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pick a provider.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Give the environment a name.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>An environment named “%1” already exists. Choose another name.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The base URL must be an http:// or https:// address, e.g. https://api.example.com/v2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Fill in the required fields: %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Provider summary</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No browser opened for %1. The address is on the clipboard: paste it into a browser.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Discover endpoints</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reads the issuer&apos;s OpenID configuration and fills the endpoint fields that are still empty.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Fills the empty endpoint fields from the issuer&apos;s discovery document.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Enter the issuer first, for example https://login.example.com/realms/main.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading the discovery document of %1…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>filled</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>kept as set</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>used when needed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Discovered from %1:</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>keyway::ui::EnvironmentList</name>
    <message>
        <source>Environments</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Environ&amp;ments</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>keyway::ui::EnvironmentListModel</name>
    <message>
        <source>Environment</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keychain</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unknown provider %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Missing: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>checking…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>all set</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n missing</source>
        <translation>
            <numerusform>%n missing</numerusform>
            <numerusform>%n missing</numerusform>
        </translation>
    </message>
    <message>
        <source>keychain locked</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>keychain unavailable</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>keychain error</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>keyway::ui::FlowWalkthrough</name>
    <message>
        <source>HTTP %1 (%2 ms)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Run every step of the flow (Ctrl+R)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Step</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Run the next step only</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reveal secrets</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show the secrets, codes and tokens in the requests and replies</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The request appears here when the step runs.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The reply appears here.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Request</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reply</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 — %2 flow</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Press Run all (Ctrl+R) to run the whole flow, or Step to run one step at a time.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Flow</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Select an environment to walk through its auth flow.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This environment&apos;s credentials cannot be read.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading the credentials from the keychain…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Running step %1…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Running the flow…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Done: the access token is valid until %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Step %1 done. Press Step for step %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Done.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Step %1 failed: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancelled.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>running</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>done</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>failed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1. %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Step %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This step failed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>What happened: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Run step %1 only</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Run &amp;all</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hide secrets</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Flow steps</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cancelled</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Still waiting for the keychain: if your desktop asks to unlock it, unlock it (the prompt may be behind this window). Cancel stops waiting.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Use a CA file for this environment…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No reply: %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Certificate chain the server presented:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Step %1 — %2: %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Client assertion (signature redacted):</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ID token not verified: set the issuer or the JWKS URL so Keyway can check its signature.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ID token verified: signature against the issuer&apos;s key set; iss, aud, exp, iat and nonce checked.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ID token verified with key %1: signature against the issuer&apos;s key set; iss, aud, exp, iat and nonce checked.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>keyway::ui::HealthBoard</name>
    <message>
        <source>Whether each environment&apos;s credentials work right now. Browser sign-ins are never started here: an environment that needs one uses its stored sign-in.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Health of every environment</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Environment</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Result</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last check</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Token left</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Failing step and hint</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Check &amp;all</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Check every environment, %1 at once.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open wal&amp;kthrough</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show the selected environment&apos;s flow, at the step that failed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%v of %m</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Check</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Check %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>checking…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not checked yet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>step %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>expired</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No environments to check yet: add one first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%1 of %n environment(s) pass.</source>
        <translation>
            <numerusform>%1 of %n environment passes.</numerusform>
            <numerusform>%1 of %n environments pass.</numerusform>
        </translation>
    </message>
    <message>
        <source>Checking…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancelled: %1 of %2 checked.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Refresh token age</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>How long ago the stored refresh token was issued; many providers end refresh tokens after a fixed number of days, used or not.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>just issued</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>keyway::ui::HistoryView</name>
    <message>
        <source>Search method, path, status or body…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Time</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Method</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Path</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Duration</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Open in composer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>—</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 ms</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n request(s)</source>
        <translation>
            <numerusform>%n request</numerusform>
            <numerusform>%n requests</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 of %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Clear history</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Forget every recorded request of this environment?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Search history</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Request history</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Re-sen&amp;d</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Clear h&amp;istory…</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>keyway::ui::JsonTreeModel</name>
    <message>
        <source>(value)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>1 item</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 items</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot read: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{1 key}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{%1 keys}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>[1 item]</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>[%1 items]</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>loading…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>range</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Value</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Type</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>keyway::ui::JwtView</name>
    <message>
        <source>JWT decoder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>JWT header</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>JWT claims</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This value is not a JWT (three base64url parts whose first two are JSON).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Select a token-shaped string in the tree or the body and choose Decode JWT.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>none</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Subject: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Issued: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Expires: %1 (%2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No exp claim: the token does not say when it expires.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Signature not verified: this environment names no issuer or JWKS URL to check it against.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Checking the signature against the issuer&apos;s keys…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Algorithm: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>keyway::ui::KeyValueTable</name>
    <message>
        <source>Added by Keyway when the request is sent; never shown or stored.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>keyway::ui::MainWindow</name>
    <message>
        <source>Keyway</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Flow</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Requests</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Credentials</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Check pro&amp;vider</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Webhooks</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Timeline</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Codes and tokens from issue to expiry. Ctrl+wheel or +/- zooms, F fits.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;New environment…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Edit environment…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>D&amp;uplicate environment…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Delete environment…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Run flow</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Run next &amp;step</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Cancel flow</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Environment</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>F&amp;low</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Embedded sandbox on %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>authorization code</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>access token</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>refresh token</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Select an environment first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Saved “%1”.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delete environment</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delete “%1” and its secrets from the keychain? This cannot be undone.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>“%1” was not deleted. %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Deleted “%1”.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Credentials saved.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This environment no longer exists.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Provider summary</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>All environments</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This environment</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The selected environment&apos;s codes and tokens always come first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Clear</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remove every lane from the timeline (the tokens themselves stay valid).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Crede&amp;ntial set:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sand&amp;box…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sandbox time scale %1×: codes and tokens issued from now on live 1/%1 as long.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>CA certificates %1 trusts (PEM)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>PEM files (*.pem *.crt *.cer);;All files (*)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 now trusts the CA certificates in %2 as well. Run the flow again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Health boar&amp;d</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Import environments…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>E&amp;xport environments…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export environments</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keyway bundles (*.json)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The environments could not be exported to %1: %2. Choose another place and try again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Exported %n environment(s) to %1, without a single secret value.</source>
        <translation>
            <numerusform>Exported %n environment to %1, without a single secret value.</numerusform>
            <numerusform>Exported %n environments to %1, without a single secret value.</numerusform>
        </translation>
    </message>
    <message>
        <source>Import environments</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keyway bundles and Postman exports (*.json)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the file is neither a Keyway bundle nor a Postman environment or collection v2.1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 cannot be imported: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>it holds no environment</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Imported %n environment(s).</source>
        <translation>
            <numerusform>Imported %n environment.</numerusform>
            <numerusform>Imported %n environments.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Imported %n environment(s). Secrets still missing: %1; add them in the Credentials tab.</source>
        <translation>
            <numerusform>Imported %n environment. Secrets still missing: %1; add them in the Credentials tab.</numerusform>
            <numerusform>Imported %n environments. Secrets still missing: %1; add them in the Credentials tab.</numerusform>
        </translation>
    </message>
    <message>
        <source>device code</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Introspect</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ask the provider whether this token is still active</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Revoke</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Revoke this token at the provider; Keyway forgets it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Revoking the %1…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Introspecting the %1…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The %1 was revoked at the provider; Keyway forgot it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The provider says the %1 is active.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The provider says the %1 is not active.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Revocation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Introspection</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The provider&apos;s reply:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ID token (verified)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ID token (not verified)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ID token</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>keyway::ui::PreferencesDialog</name>
    <message>
        <source>Preferences</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> MB</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Start the embedded sandbox with the window</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>System language</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Clear copied secrets from the clip&amp;board after:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Request &amp;timeout (whole exchange):</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>History &amp;entries kept per environment:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>History file si&amp;ze limit per environment:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Timeline &amp;warning before expiry (at least):</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Language:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The request timeout, the language, the history limits and the embedded sandbox take effect when Keyway next starts.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Serve the sandbox over &amp;HTTPS (with a certificate authority made at start)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The sandbox environments trust that certificate authority, so they work at once; use it to try a private certificate authority and the TLS error messages.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>keyway::ui::RequestComposer</name>
    <message>
        <source>The provider&apos;s sample requests, filled from this environment</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>/v1/path relative to the base URL</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Send</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Send the request (Ctrl+Enter)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stop waiting for the reply (Esc)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy as curl</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy the request as a curl command, with the token and secrets as placeholders</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy as curl with secrets…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Parameter</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Value</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Header</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This endpoint needs a unique key per request: sending the same key again repeats nothing on the provider&apos;s side. Regenerate it for a new request.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Regenerate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Request body (JSON or form), sent as is</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Query</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Body</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sample:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose a sample request…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No environment selected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (added at send)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ready: %1 on %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>→ %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This environment&apos;s credentials cannot be read.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sending %1 %2…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>HTTP %1 in %2 ms</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancelled.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copied as curl; the token and secrets are placeholders.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy as curl with secrets</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The command will contain this environment&apos;s live access token in clear. Anyone who sees it can act as you until the token expires. The clipboard is cleared after %1 seconds. Copy it?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nothing copied.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copied as curl with the token; the clipboard clears itself.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Getting a token…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sample requests</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>HTTP method</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Request path</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Query parameters</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Request headers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Idempotency key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Request body</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>He&amp;aders</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New key and send</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Send this request again as a new one, with a fresh idempotency key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>⚠ A %1 request with a body: most servers ignore it or refuse the request. Clear the body or choose POST.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not sent: %1 has no value. Fill it in the request, or set the field in Edit environment.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>HTTP %1: a replay. The provider had seen Idempotency-Key %2 and returned its earlier reply; nothing was done again. Use “New key and send” to send it as a new request.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Signing in before sending: finish the sign-in in the browser.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Still waiting for the keychain: if your desktop asks to unlock it, unlock it (the prompt may be behind this window). Esc stops waiting.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the provider refused the access token, so Keyway renewed it once and sent the request again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the provider refused the access token and renewing it failed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>with a new access token, fetched first</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Certificate chain the server presented:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Signing in before sending: approve the code shown here.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>keyway::ui::RequestWorkspace</name>
    <message>
        <source>Request</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>History</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>History kept only the first part of this %n-byte body.</source>
        <translation>
            <numerusform>History kept only the first part of this %n-byte body.</numerusform>
            <numerusform>History kept only the first part of this %n-byte body.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>keyway::ui::ResponseInspector</name>
    <message>
        <source>Response inspector</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Decode JWT</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Decode the selected token-shaped value</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>JSON tree</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Body, formatted</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Body, raw</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Response headers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Value</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tree</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pretty</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Raw</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Headers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>JWT</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Find in body</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Previous</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Next</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Close</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No reply yet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No HTTP status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 ms</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reply status: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The reply has no body.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading the body…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The text views show the first %1 of %2; the tree shows everything.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This body is not JSON (%1), so there is no tree. It is shown as raw text.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy value</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy JSON pointer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No match</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stop</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stop searching the whole reply</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Searching the whole reply…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Search stopped</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Searching the whole reply… %1 %</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No match in the whole reply</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n match(es) in the whole reply</source>
        <translation>
            <numerusform>%n match in the whole reply</numerusform>
            <numerusform>%n matches in the whole reply</numerusform>
        </translation>
    </message>
    <message>
        <source>%1; the first is at %2</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>keyway::ui::SandboxDialog</name>
    <message>
        <source>Sandbox</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Listening on %1 (port %2, chosen at start)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The embedded sandbox is not running.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> ×</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Lifetimes divided by this: at 60 a 10-minute code lives 10 s and a one-hour token one minute. Applies to codes and tokens issued from now on.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Address:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Time scale:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Faults (the sandbox misbehaves on purpose while one is on):</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>keyway::ui::SignInWait</name>
    <message>
        <source>Cancel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy URL</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Browser did not open?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Continue</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sign-in address</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The address where you sign in; open it in a browser</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stop waiting for this sign-in</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy the sign-in address, to open it in a browser yourself</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open the sign-in address in the browser again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sign in with the address copied from the browser instead</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Or paste the address the browser shows after signing in:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>http://127.0.0.1:…/callback?code=…&amp;state=…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Redirect address from the browser</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Finish the sign-in with the pasted address</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The sign-in address is on the clipboard.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Waiting for the browser</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Waiting for the browser (%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: sign in there and Keyway continues on its own. %2 left.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1, but it did not open. Open the address below in a browser and sign in; Keyway keeps listening for %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The sign-in address was opened in the browser again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The browser did not open: copy the address and open it yourself.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>That is not an address: paste the whole address from the browser&apos;s address bar.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Waiting for someone to approve the code; Keyway continues on its own. The code expires in %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Waiting for someone to approve the code; Keyway continues on its own.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>keyway::ui::TimelineWidget</name>
    <message>
        <source>Token timeline</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>revoked or failed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>✓ used at %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no expiry given</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 — %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Issued: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unknown</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Expires: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Consumed: %1 (single use)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Single use, not consumed yet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Revoked or refused</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No codes or tokens yet.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 · %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No codes or tokens yet. Run a flow step to see them here.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>now</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Expires: not given by the provider</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Expires: %1 (assumed: the provider gave no lifetime, this is the profile&apos;s default)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>revoked</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Revoked at the provider</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>keyway::ui::WebhookPage</name>
    <message>
        <source>Valid: the signature matches this body and the environment&apos;s webhook secret.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not a signature: expected the hex or base64 form of an HMAC-SHA256 (32 bytes).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Body whitespace mismatch: the signature fits this body only once whitespace or line endings are normalised.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Secret encoding mismatch: the signature fits when the secret is decoded first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Mismatch: the signature does not match this body with the environment&apos;s webhook secret.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Paste the webhook body exactly as it was received (raw bytes, not re-formatted).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The signature header&apos;s value, hex or base64</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Verify the signature (Ctrl+Enter)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Body</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Signature</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Webhook signature — %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Paste a webhook body and its signature; Keyway checks the HMAC-SHA256 with this environment&apos;s “%1” from the keychain, without showing it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Webhook signature</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>“%1” uses %2, which declares no webhook secret.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Select an environment whose provider signs webhooks (for example Seismic).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Paste the signature first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading the webhook secret from the keychain…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No keychain.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This environment has no %1: set it on the Credentials tab.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The signature was read as %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The webhook is authentic.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Do not trust this webhook until the signature matches.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The %1 header&apos;s value (%2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ver&amp;ify</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
