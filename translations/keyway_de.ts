<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE">
<context>
    <name>keyway::ConformanceRun</name>
    <message>
        <source>HTTP %1</source>
        <translation>HTTP %1</translation>
    </message>
    <message>
        <source>cannot run: %1</source>
        <translation>kann nicht ausgeführt werden: %1</translation>
    </message>
    <message>
        <source>cannot run: the sign-in did not reach the browser: %1</source>
        <translation>kann nicht ausgeführt werden: die Anmeldung hat den Browser nicht erreicht: %1</translation>
    </message>
    <message>
        <source>the redirect carried a different state; its code was not exchanged</source>
        <translation>die Weiterleitung enthielt einen anderen state; ihr Code wurde nicht eingetauscht</translation>
    </message>
    <message>
        <source>the first sign-in ended with a state mismatch</source>
        <translation>die erste Anmeldung endete mit einem nicht übereinstimmenden state</translation>
    </message>
    <message>
        <source>cannot run: the sign-in failed: %1</source>
        <translation>kann nicht ausgeführt werden: die Anmeldung ist fehlgeschlagen: %1</translation>
    </message>
    <message>
        <source>the first sign-in failed</source>
        <translation>die erste Anmeldung ist fehlgeschlagen</translation>
    </message>
    <message>
        <source>the provider returned the state unchanged and Keyway verified it</source>
        <translation>der Anbieter hat den state unverändert zurückgegeben und Keyway hat ihn geprüft</translation>
    </message>
    <message>
        <source>the code exchange failed: %1</source>
        <translation>der Code-Austausch ist fehlgeschlagen: %1</translation>
    </message>
    <message>
        <source>the code exchange failed</source>
        <translation>der Code-Austausch ist fehlgeschlagen</translation>
    </message>
    <message>
        <source>the token reply carries access_token, refresh_token, expires_in and user_id</source>
        <translation>die Token-Antwort enthält access_token, refresh_token, expires_in und user_id</translation>
    </message>
    <message>
        <source>the token reply lacks %1</source>
        <translation>in der Token-Antwort fehlt %1</translation>
    </message>
    <message>
        <source>cannot run: the second sign-in failed: %1</source>
        <translation>kann nicht ausgeführt werden: die zweite Anmeldung ist fehlgeschlagen: %1</translation>
    </message>
    <message>
        <source>cannot run: a token reply has no user_id (nor an ID token with sub)</source>
        <translation>kann nicht ausgeführt werden: eine Token-Antwort enthält keine user_id (und auch kein ID-Token mit sub)</translation>
    </message>
    <message>
        <source>user_id changed between two sign-ins of the same account: "%1" then "%2"</source>
        <translation>user_id hat sich zwischen zwei Anmeldungen desselben Kontos geändert: erst "%1", dann "%2"</translation>
    </message>
    <message>
        <source>the same user_id "%1" on both sign-ins</source>
        <translation>dieselbe user_id "%1" bei beiden Anmeldungen</translation>
    </message>
    <message>
        <source>cannot run: no refresh token to test with</source>
        <translation>kann nicht ausgeführt werden: kein Refresh-Token zum Testen vorhanden</translation>
    </message>
    <message>
        <source>the refresh failed: %1</source>
        <translation>die Token-Erneuerung ist fehlgeschlagen: %1</translation>
    </message>
    <message>
        <source>the refresh did not issue a new access token</source>
        <translation>die Token-Erneuerung hat kein neues Access-Token ausgestellt</translation>
    </message>
    <message>
        <source>the previous, unexpired access token was refused after the refresh (%1)</source>
        <translation>das vorherige, noch nicht abgelaufene Access-Token wurde nach der Erneuerung abgelehnt (%1)</translation>
    </message>
    <message>
        <source>a new access token was issued and the previous one still works</source>
        <translation>ein neues Access-Token wurde ausgestellt und das vorherige funktioniert weiterhin</translation>
    </message>
    <message>
        <source>the new access token was refused (%1)</source>
        <translation>das neue Access-Token wurde abgelehnt (%1)</translation>
    </message>
    <message>
        <source>concurrent_refresh sends two refreshes with the same refresh token at once; a server that rotates refresh tokens may revoke the whole grant. Run conform against a test account.</source>
        <translation>concurrent_refresh sendet gleichzeitig zwei Erneuerungen mit demselben Refresh-Token; ein Server, der Refresh-Tokens rotiert, widerruft dabei möglicherweise den gesamten Grant. Führen Sie conform mit einem Testkonto aus.</translation>
    </message>
    <message numerus="yes">
        <source>%n of two concurrent refreshes failed: %1</source>
        <translation>
            <numerusform>%n von zwei gleichzeitigen Erneuerungen ist fehlgeschlagen: %1</numerusform>
            <numerusform>%n von zwei gleichzeitigen Erneuerungen sind fehlgeschlagen: %1</numerusform>
        </translation>
    </message>
    <message>
        <source>both concurrent refreshes succeeded and the refresh token still works</source>
        <translation>beide gleichzeitigen Erneuerungen waren erfolgreich und das Refresh-Token funktioniert weiterhin</translation>
    </message>
    <message>
        <source>both concurrent refreshes succeeded, but then the refresh token was refused: %1</source>
        <translation>beide gleichzeitigen Erneuerungen waren erfolgreich, danach wurde das Refresh-Token jedoch abgelehnt: %1</translation>
    </message>
    <message>
        <source>the refresh token stopped working although the provider never rotated it: %1</source>
        <translation>das Refresh-Token funktioniert nicht mehr, obwohl der Anbieter es nie rotiert hat: %1</translation>
    </message>
    <message>
        <source>the current refresh token was refused: %1</source>
        <translation>das aktuelle Refresh-Token wurde abgelehnt: %1</translation>
    </message>
    <message>
        <source>the same refresh token worked for repeated refreshes</source>
        <translation>dasselbe Refresh-Token funktionierte bei wiederholten Erneuerungen</translation>
    </message>
    <message numerus="yes">
        <source>the refresh token kept working; the provider rotated it %n time(s) and Keyway used the newest</source>
        <translation>
            <numerusform>das Refresh-Token funktionierte weiterhin; der Anbieter hat es einmal rotiert und Keyway hat das neueste verwendet</numerusform>
            <numerusform>das Refresh-Token funktionierte weiterhin; der Anbieter hat es %n-mal rotiert und Keyway hat jeweils das neueste verwendet</numerusform>
        </translation>
    </message>
    <message>
        <source>cannot run: the provider's profile has no check request to call the API with</source>
        <translation>kann nicht ausgeführt werden: Das Profil des Anbieters hat keine Prüfanfrage, mit der die API aufgerufen werden kann</translation>
    </message>
    <message>
        <source>cannot run: set %1 to an API call that needs the token</source>
        <translation>kann nicht ausgeführt werden: Setzen Sie %1 auf einen API-Aufruf, der das Token benötigt</translation>
    </message>
    <message>
        <source>“%1” uses %2, which does not sign in through a browser with refresh tokens. The provider checks apply to authorization-code providers that issue refresh tokens.</source>
        <translation>„%1“ verwendet %2 und meldet sich nicht über einen Browser mit Refresh-Tokens an. Die Anbieterprüfungen gelten für Authorization-Code-Anbieter, die Refresh-Tokens ausgeben.</translation>
    </message>
    <message>
        <source>not run: %1</source>
        <translation>nicht ausgeführt: %1</translation>
    </message>
    <message>
        <source>the first sign-in did not finish: %1</source>
        <translation>die erste Anmeldung wurde nicht abgeschlossen: %1</translation>
    </message>
    <message>
        <source>the second sign-in did not finish: %1</source>
        <translation>die zweite Anmeldung wurde nicht abgeschlossen: %1</translation>
    </message>
    <message>
        <source>the checks were cancelled</source>
        <translation>die Prüfungen wurden abgebrochen</translation>
    </message>
    <message>
        <source>the revocation endpoint did not accept the refresh token: %1</source>
        <translation>der Widerrufs-Endpunkt hat das Refresh-Token nicht angenommen: %1</translation>
    </message>
    <message>
        <source>the revocation endpoint answered, but the revoked refresh token still refreshes</source>
        <translation>der Widerrufs-Endpunkt hat geantwortet, aber das widerrufene Refresh-Token erneuert weiterhin</translation>
    </message>
    <message>
        <source>the refresh token was revoked and a refresh with it was refused (%1)</source>
        <translation>das Refresh-Token wurde widerrufen und eine Erneuerung damit abgelehnt (%1)</translation>
    </message>
    <message>
        <source>the refresh after the revocation failed: %1</source>
        <translation>die Erneuerung nach dem Widerruf ist fehlgeschlagen: %1</translation>
    </message>
    <message>
        <source>the provider advertises ID tokens, but the token reply has none</source>
        <translation>der Anbieter bietet ID-Tokens an, aber die Token-Antwort enthält keines</translation>
    </message>
    <message>
        <source>cannot run: the provider advertises ID tokens; add openid to scope to test them</source>
        <translation>nicht ausführbar: der Anbieter bietet ID-Tokens an; nehmen Sie openid in scope auf, um sie zu prüfen</translation>
    </message>
    <message>
        <source>the ID token's signature, iss, aud, exp, iat and nonce validated</source>
        <translation>Signatur, iss, aud, exp, iat und nonce des ID-Tokens sind gültig</translation>
    </message>
    <message>
        <source>the ID token could not be checked: the issuer's keys are unknown</source>
        <translation>das ID-Token konnte nicht geprüft werden: die Schlüssel des Ausstellers sind unbekannt</translation>
    </message>
    <message>
        <source>the ID token's signature (key %1), iss, aud, exp, iat and nonce validated</source>
        <translation>Signatur (Schlüssel %1), iss, aud, exp, iat und nonce des ID-Tokens sind gültig</translation>
    </message>
</context>
<context>
    <name>keyway::ConnectionSettings</name>
    <message>
        <source>cannot read %1: %2</source>
        <translation>%1 kann nicht gelesen werden: %2</translation>
    </message>
    <message>
        <source>%1 holds no certificate (expected PEM: -----BEGIN CERTIFICATE-----)</source>
        <translation>%1 enthält kein Zertifikat (erwartet wird PEM: -----BEGIN CERTIFICATE-----)</translation>
    </message>
    <message>
        <source>CA file</source>
        <translation>CA-Datei</translation>
    </message>
    <message>
        <source>PEM file of CA certificates this environment trusts in addition to the system's.</source>
        <translation>PEM-Datei mit CA-Zertifikaten, denen diese Umgebung zusätzlich zu denen des Systems vertraut.</translation>
    </message>
    <message>
        <source>Client certificate</source>
        <translation>Client-Zertifikat</translation>
    </message>
    <message>
        <source>PEM file with the client certificate (chain) for servers that require mutual TLS.</source>
        <translation>PEM-Datei mit dem Client-Zertifikat (samt Kette) für Server, die gegenseitiges TLS verlangen.</translation>
    </message>
    <message>
        <source>Client private key</source>
        <translation>Privater Client-Schlüssel</translation>
    </message>
    <message>
        <source>The PEM private key of the client certificate; kept in the keychain only.</source>
        <translation>Der private PEM-Schlüssel des Client-Zertifikats; liegt nur im Schlüsselbund.</translation>
    </message>
    <message>
        <source>Proxy</source>
        <translation>Proxy</translation>
    </message>
    <message>
        <source>http://[user@]host:port for this environment, or none to ignore the proxy variables.</source>
        <translation>http://[benutzer@]host:port für diese Umgebung, oder none, um die Proxy-Variablen zu übergehen.</translation>
    </message>
    <message>
        <source>Proxy password</source>
        <translation>Proxy-Passwort</translation>
    </message>
    <message>
        <source>The proxy user's password; keychain only.</source>
        <translation>Das Passwort des Proxy-Benutzers; nur im Schlüsselbund.</translation>
    </message>
    <message>
        <source>the proxy address carries a password; give it as the secret proxy_password instead</source>
        <translation>die Proxy-Adresse enthält ein Passwort; geben Sie es stattdessen als Geheimnis proxy_password an</translation>
    </message>
    <message>
        <source>the private key is encrypted; store it decrypted (the keychain protects it), or import a PKCS#12 file with its password</source>
        <translation>der private Schlüssel ist verschlüsselt; speichern Sie ihn entschlüsselt (der Schlüsselbund schützt ihn) oder importieren Sie eine PKCS#12-Datei mit ihrem Passwort</translation>
    </message>
    <message>
        <source>not a PEM private key Keyway can use (RSA, EC or DSA, -----BEGIN PRIVATE KEY-----)</source>
        <translation>kein privater PEM-Schlüssel, den Keyway verwenden kann (RSA, EC oder DSA, -----BEGIN PRIVATE KEY-----)</translation>
    </message>
    <message>
        <source>the file is not a PKCS#12 bundle, or the password is wrong</source>
        <translation>die Datei ist kein PKCS#12-Bündel, oder das Passwort ist falsch</translation>
    </message>
    <message>
        <source>the PKCS#12 bundle holds no certificate with its private key</source>
        <translation>das PKCS#12-Bündel enthält kein Zertifikat mit seinem privaten Schlüssel</translation>
    </message>
    <message>
        <source>The proxy setting cannot be used: %1.</source>
        <translation>Die Proxy-Einstellung kann nicht verwendet werden: %1.</translation>
    </message>
    <message>
        <source>The CA file (tls.ca_file) cannot be used: %1.</source>
        <translation>Die CA-Datei (tls.ca_file) kann nicht verwendet werden: %1.</translation>
    </message>
    <message>
        <source>The client certificate (tls.client_cert) cannot be used: %1.</source>
        <translation>Das Client-Zertifikat (tls.client_cert) kann nicht verwendet werden: %1.</translation>
    </message>
    <message>
        <source>The client certificate is set but its private key tls.client_key is not in the keychain; store it with the environment's Connection settings.</source>
        <translation>Das Client-Zertifikat ist gesetzt, aber sein privater Schlüssel tls.client_key ist nicht im Schlüsselbund; speichern Sie ihn in den Verbindungseinstellungen der Umgebung.</translation>
    </message>
    <message>
        <source>The private key tls.client_key cannot be used: %1.</source>
        <translation>Der private Schlüssel tls.client_key kann nicht verwendet werden: %1.</translation>
    </message>
</context>
<context>
    <name>keyway::CredentialPaste</name>
    <message>
        <source>%1 → %2</source>
        <translation>%1 → %2</translation>
    </message>
    <message>
        <source>Nothing matched a field of this provider.</source>
        <translation>Nichts passte zu einem Feld dieses Anbieters.</translation>
    </message>
    <message>
        <source>Filled %1.</source>
        <translation>Ausgefüllt: %1.</translation>
    </message>
    <message>
        <source>Ignored: %1.</source>
        <translation>Ignoriert: %1.</translation>
    </message>
</context>
<context>
    <name>keyway::EnvSecretStore</name>
    <message>
        <source>no environment owns this secret</source>
        <translation>keine Umgebung besitzt dieses Geheimnis</translation>
    </message>
    <message>
        <source>the variable %1 is not set</source>
        <translation>die Variable %1 ist nicht gesetzt</translation>
    </message>
    <message>
        <source>KEYWAY_SECRETS=env reads secrets from environment variables and never stores them.</source>
        <translation>KEYWAY_SECRETS=env liest Geheimnisse aus Umgebungsvariablen und speichert sie nie.</translation>
    </message>
    <message>
        <source>KEYWAY_SECRETS=env reads secrets from environment variables and never stores them: set %1 instead.</source>
        <translation>KEYWAY_SECRETS=env liest Geheimnisse aus Umgebungsvariablen und speichert sie nie: Setzen Sie stattdessen %1.</translation>
    </message>
</context>
<context>
    <name>keyway::EnvironmentBundle</name>
    <message>
        <source>the file is not JSON: a bundle starts with {"keyway_bundle": 1, ...}.</source>
        <translation>die Datei ist kein JSON: Ein Bündel beginnt mit {"keyway_bundle": 1, ...}.</translation>
    </message>
    <message>
        <source>/keyway_bundle: expected 1 (this Keyway reads bundles of format 1).</source>
        <translation>/keyway_bundle: 1 erwartet (dieses Keyway liest Bündel im Format 1).</translation>
    </message>
    <message>
        <source>/%1: unknown key; a bundle holds only keyway_bundle and environments.</source>
        <translation>/%1: unbekannter Schlüssel; ein Bündel enthält nur keyway_bundle und environments.</translation>
    </message>
    <message>
        <source>/environments: expected a list of environments.</source>
        <translation>/environments: eine Liste von Umgebungen erwartet.</translation>
    </message>
    <message>
        <source>%1: expected an object.</source>
        <translation>%1: ein Objekt erwartet.</translation>
    </message>
    <message>
        <source>%1/%2: unknown key; an environment holds only %3.</source>
        <translation>%1/%2: unbekannter Schlüssel; eine Umgebung enthält nur %3.</translation>
    </message>
    <message>
        <source>%1/name: expected the environment's name.</source>
        <translation>%1/name: der Name der Umgebung erwartet.</translation>
    </message>
    <message>
        <source>%1/name: '%2' appears twice in the bundle.</source>
        <translation>%1/name: '%2' kommt im Bündel zweimal vor.</translation>
    </message>
    <message>
        <source>%1/provider: expected a provider id.</source>
        <translation>%1/provider: eine Anbieter-ID erwartet.</translation>
    </message>
    <message>
        <source>%1/provider: unknown provider '%2'. Known providers: %3</source>
        <translation>%1/provider: unbekannter Anbieter '%2'. Bekannte Anbieter: %3</translation>
    </message>
    <message>
        <source>%1/base_url: expected a URL.</source>
        <translation>%1/base_url: eine URL erwartet.</translation>
    </message>
    <message>
        <source>%1/base_url: '%2' is not an http:// or https:// URL.</source>
        <translation>%1/base_url: '%2' ist keine http://- oder https://-URL.</translation>
    </message>
    <message>
        <source>%1/values: expected an object of KEY: value.</source>
        <translation>%1/values: ein Objekt aus SCHLÜSSEL: Wert erwartet.</translation>
    </message>
    <message>
        <source>%1/values/%2: provider '%3' has no key '%2'. Valid keys: %4</source>
        <translation>%1/values/%2: Anbieter '%3' hat keinen Schlüssel '%2'. Gültige Schlüssel: %4</translation>
    </message>
    <message>
        <source>%1/values/%2: the bundle carries the value of the secret '%2' of environment '%3'. Bundles never hold secrets: remove the value from the file and give it when importing.</source>
        <translation>%1/values/%2: das Bündel enthält den Wert des Geheimnisses '%2' der Umgebung '%3'. Bündel enthalten nie Geheimnisse: Entfernen Sie den Wert aus der Datei und geben Sie ihn beim Import an.</translation>
    </message>
    <message>
        <source>%1/values/%2: expected a text value.</source>
        <translation>%1/values/%2: ein Textwert erwartet.</translation>
    </message>
    <message>
        <source>%1/secrets/%2: the bundle carries the value of the secret '%2' of environment '%3'. Bundles never hold secrets: list only the key's name ("secrets": ["%2"]) and give the value when importing.</source>
        <translation>%1/secrets/%2: das Bündel enthält den Wert des Geheimnisses '%2' der Umgebung '%3'. Bündel enthalten nie Geheimnisse: Führen Sie nur den Namen des Schlüssels auf ("secrets": ["%2"]) und geben Sie den Wert beim Import an.</translation>
    </message>
    <message>
        <source>%1/secrets: expected a list of secret key names.</source>
        <translation>%1/secrets: eine Liste von Namen geheimer Schlüssel erwartet.</translation>
    </message>
    <message>
        <source>%1/secrets/%2: expected the name of a secret key.</source>
        <translation>%1/secrets/%2: der Name eines geheimen Schlüssels erwartet.</translation>
    </message>
    <message>
        <source>%1/secrets/%2: '%3' is not a secret key of provider '%4'. Secret keys: %5</source>
        <translation>%1/secrets/%2: '%3' ist kein geheimer Schlüssel des Anbieters '%4'. Geheime Schlüssel: %5</translation>
    </message>
    <message>
        <source>%1/samples: expected a list of {name, method, path, body} objects.</source>
        <translation>%1/samples: eine Liste von {name, method, path, body}-Objekten erwartet.</translation>
    </message>
    <message>
        <source>environment '%1': %2</source>
        <translation>Umgebung '%1': %2</translation>
    </message>
    <message>
        <source>no environment named '%1'. Environments: %2</source>
        <translation>keine Umgebung namens '%1'. Umgebungen: %2</translation>
    </message>
    <message>
        <source>the environment(s) %1 already exist; nothing was imported. Import with --replace to update them, or remove them first.</source>
        <translation>die Umgebung(en) %1 gibt es schon; nichts wurde importiert. Importieren Sie mit --replace, um sie zu aktualisieren, oder entfernen Sie sie zuerst.</translation>
    </message>
</context>
<context>
    <name>keyway::EnvironmentService</name>
    <message>
        <source>Another Keyway process is changing %1; try again in a moment.</source>
        <translation>Ein anderer Keyway-Prozess ändert gerade %1; versuchen Sie es gleich noch einmal.</translation>
    </message>
    <message>
        <source>An environment needs a name.</source>
        <translation>Eine Umgebung braucht einen Namen.</translation>
    </message>
    <message>
        <source>There is no provider profile '%1'; known: %2</source>
        <translation>Es gibt kein Anbieterprofil '%1'; bekannt: %2</translation>
    </message>
    <message>
        <source>An environment needs an id.</source>
        <translation>Eine Umgebung braucht eine ID.</translation>
    </message>
    <message>
        <source>An environment named '%1' already exists.</source>
        <translation>Eine Umgebung namens '%1' existiert bereits.</translation>
    </message>
    <message>
        <source>The secrets could not be stored, so '%1' was not created.</source>
        <translation>Die Secrets konnten nicht gespeichert werden, daher wurde '%1' nicht angelegt.</translation>
    </message>
    <message>
        <source>The environment '%1' does not exist any more.</source>
        <translation>Die Umgebung '%1' existiert nicht mehr.</translation>
    </message>
    <message>
        <source>The secrets could not be stored, so nothing was changed.</source>
        <translation>Die Secrets konnten nicht gespeichert werden, daher wurde nichts geändert.</translation>
    </message>
    <message>
        <source>A secret could not be removed from the keychain; the environment file was not changed.</source>
        <translation>Ein Secret konnte nicht aus dem Schlüsselbund entfernt werden; die Umgebungsdatei wurde nicht geändert.</translation>
    </message>
    <message>
        <source>The environment to duplicate does not exist any more.</source>
        <translation>Die zu duplizierende Umgebung existiert nicht mehr.</translation>
    </message>
    <message>
        <source>The secrets to copy could not be read, so no copy was made.</source>
        <translation>Die zu kopierenden Secrets konnten nicht gelesen werden, daher wurde keine Kopie angelegt.</translation>
    </message>
    <message>
        <source>The environment does not exist any more.</source>
        <translation>Die Umgebung existiert nicht mehr.</translation>
    </message>
    <message>
        <source>The keychain entries of '%1' could not be removed, so the environment is kept.</source>
        <translation>Die Schlüsselbundeinträge von '%1' konnten nicht entfernt werden, daher bleibt die Umgebung erhalten.</translation>
    </message>
    <message>
        <source>Keyway: %1 — refresh token</source>
        <translation>Keyway: %1 — Refresh-Token</translation>
    </message>
    <message>
        <source>Keyway: %1 — refresh token (%2)</source>
        <translation>Keyway: %1 — Refresh-Token (%2)</translation>
    </message>
    <message>
        <source>Keyway: %1 — %2</source>
        <translation>Keyway: %1 — %2</translation>
    </message>
    <message>
        <source>%1 (%2): %3</source>
        <translation>%1 (%2): %3</translation>
    </message>
    <message>
        <source>tls.client_key: %1</source>
        <translation>tls.client_key: %1</translation>
    </message>
</context>
<context>
    <name>keyway::EnvironmentStore</name>
    <message>
        <source>expected an object</source>
        <translation>Objekt erwartet</translation>
    </message>
    <message>
        <source>expected a non-empty string</source>
        <translation>nicht leere Zeichenkette erwartet</translation>
    </message>
    <message>
        <source>expected an object of strings</source>
        <translation>Objekt mit Zeichenketten erwartet</translation>
    </message>
    <message>
        <source>expected a string</source>
        <translation>Zeichenkette erwartet</translation>
    </message>
    <message>
        <source>Cannot read %1: %2</source>
        <translation>%1 kann nicht gelesen werden: %2</translation>
    </message>
    <message>
        <source>not valid JSON (empty or cut off?)</source>
        <translation>kein gültiges JSON (leer oder abgeschnitten?)</translation>
    </message>
    <message>
        <source>/environments: expected an array</source>
        <translation>/environments: Array erwartet</translation>
    </message>
    <message>
        <source>/version: expected a format version up to %1</source>
        <translation>/version: Formatversion bis höchstens %1 erwartet</translation>
    </message>
    <message>
        <source>duplicate environment '%1'</source>
        <translation>doppelte Umgebung '%1'</translation>
    </message>
    <message>
        <source>The environments file %1 is damaged (%2). It was moved to %3; Keyway starts with an empty list.</source>
        <translation>Die Umgebungsdatei %1 ist beschädigt (%2). Sie wurde nach %3 verschoben; Keyway startet mit einer leeren Liste.</translation>
    </message>
    <message>
        <source>The environments file %1 is damaged (%2) and could not be moved aside.</source>
        <translation>Die Umgebungsdatei %1 ist beschädigt (%2) und konnte nicht beiseitegelegt werden.</translation>
    </message>
    <message>
        <source>Cannot create the directory of %1.</source>
        <translation>Das Verzeichnis für %1 kann nicht angelegt werden.</translation>
    </message>
    <message>
        <source>Cannot write %1: %2</source>
        <translation>%1 kann nicht geschrieben werden: %2</translation>
    </message>
    <message>
        <source>An environment needs an id and a name.</source>
        <translation>Eine Umgebung benötigt eine ID und einen Namen.</translation>
    </message>
    <message>
        <source>An environment named '%1' already exists.</source>
        <translation>Eine Umgebung namens '%1' existiert bereits.</translation>
    </message>
    <message>
        <source>An environment with id %1 already exists.</source>
        <translation>Eine Umgebung mit der ID %1 existiert bereits.</translation>
    </message>
    <message>
        <source>No environment with id %1.</source>
        <translation>Keine Umgebung mit der ID %1.</translation>
    </message>
    <message>
        <source>the disk is full or the file size limit was reached</source>
        <translation>der Datenträger ist voll oder die Grenze für die Dateigröße ist erreicht</translation>
    </message>
    <message>
        <source>Cannot write %1: %2. The previous file was kept; free some space and try again.</source>
        <translation>%1 kann nicht geschrieben werden: %2. Die bisherige Datei wurde beibehalten; schaffen Sie Platz und versuchen Sie es erneut.</translation>
    </message>
    <message>
        <source>expected a list of {name, method, path, body} objects</source>
        <translation>eine Liste von {name, method, path, body}-Objekten erwartet</translation>
    </message>
    <message>
        <source>Cannot write in %1 (permission denied or a read-only file system), so %2 cannot be saved. Make the directory writable for your user; nothing was changed.</source>
        <translation>In %1 kann nicht geschrieben werden (keine Berechtigung oder ein schreibgeschütztes Dateisystem), daher kann %2 nicht gespeichert werden. Machen Sie das Verzeichnis für Ihren Benutzer beschreibbar; nichts wurde geändert.</translation>
    </message>
    <message>
        <source>Cannot write %1: the disk is full. Nothing was changed; free some space and try again.</source>
        <translation>%1 kann nicht geschrieben werden: Der Datenträger ist voll. Es wurde nichts geändert; schaffen Sie Platz und versuchen Sie es erneut.</translation>
    </message>
    <message>
        <source>expected a list of strings</source>
        <translation>Liste von Zeichenketten erwartet</translation>
    </message>
</context>
<context>
    <name>keyway::FlowEngine</name>
    <message>
        <source>step %1: %2</source>
        <translation>Schritt %1: %2</translation>
    </message>
    <message>
        <source>no reply</source>
        <translation>keine Antwort</translation>
    </message>
    <message>
        <source>Check the environment's base URL and that the provider is reachable.</source>
        <translation>Prüfen Sie die Basis-URL der Umgebung und ob der Anbieter erreichbar ist.</translation>
    </message>
    <message>
        <source>the reply has no %1 at %2</source>
        <translation>die Antwort enthält unter %2 kein %1</translation>
    </message>
    <message>
        <source>The provider's reply does not match the profile: check the base URL.</source>
        <translation>Die Antwort des Anbieters passt nicht zum Profil: Prüfen Sie die Basis-URL.</translation>
    </message>
    <message>
        <source>could not listen on 127.0.0.1</source>
        <translation>konnte nicht auf 127.0.0.1 lauschen</translation>
    </message>
    <message>
        <source>state mismatch</source>
        <translation>state stimmt nicht überein</translation>
    </message>
    <message>
        <source>The redirect did not carry the state Keyway sent (a forged or stale redirect); its code was not used. Start the sign-in again.</source>
        <translation>Die Weiterleitung enthielt nicht den state, den Keyway gesendet hat (gefälschte oder veraltete Weiterleitung); ihr Code wurde nicht verwendet. Starten Sie die Anmeldung erneut.</translation>
    </message>
    <message>
        <source>the provider answered error=%1</source>
        <translation>der Anbieter antwortete mit error=%1</translation>
    </message>
    <message>
        <source>the redirect names another issuer (%1)</source>
        <translation>die Weiterleitung nennt einen anderen Issuer (%1)</translation>
    </message>
    <message>
        <source>The authorization reply came from a server other than the one Keyway asked; its code was not used.</source>
        <translation>Die Autorisierungsantwort kam von einem anderen Server als dem, den Keyway angefragt hat; ihr Code wurde nicht verwendet.</translation>
    </message>
    <message>
        <source>Nothing answered at %1, the value of the field “%2” (%3). Correct that field, or make it relative to the base URL (for example /oauth/token) so that it follows the base URL.</source>
        <translation>Unter %1, dem Wert des Felds „%2“ (%3), hat nichts geantwortet. Korrigieren Sie das Feld oder machen Sie es relativ zur Basis-URL (zum Beispiel /oauth/token), damit es der Basis-URL folgt.</translation>
    </message>
    <message>
        <source>No sign-in is waiting for a redirect.</source>
        <translation>Keine Anmeldung wartet auf eine Weiterleitung.</translation>
    </message>
    <message numerus="yes">
        <source>%n min</source>
        <translation>
            <numerusform>%n Min.</numerusform>
            <numerusform>%n Min.</numerusform>
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
        <translation>Keyway braucht für die Weiterleitung der Anmeldung einen freien Port auf 127.0.0.1: Prüfen Sie, dass keine Sicherheitsrichtlinie lokale Ports verbietet, und starten Sie die Anmeldung dann erneut.</translation>
    </message>
    <message>
        <source>no sign-in arrived within %1; Keyway stopped waiting for it</source>
        <translation>innerhalb von %1 kam keine Anmeldung an; Keyway wartet nicht mehr darauf</translation>
    </message>
    <message>
        <source>Start the sign-in again and finish it in the browser before the time runs out.</source>
        <translation>Starten Sie die Anmeldung erneut und schließen Sie sie im Browser ab, bevor die Zeit abläuft.</translation>
    </message>
    <message>
        <source>This sign-in already received its redirect.</source>
        <translation>Diese Anmeldung hat ihre Weiterleitung bereits erhalten.</translation>
    </message>
    <message>
        <source>This is not the redirect of the sign-in: after signing in, the browser's address bar shows an address that starts with %1 and carries code= and state=. Paste that whole address.</source>
        <translation>Das ist nicht die Weiterleitung der Anmeldung: Nach der Anmeldung zeigt die Adressleiste des Browsers eine Adresse, die mit %1 beginnt und code= und state= enthält. Fügen Sie diese ganze Adresse ein.</translation>
    </message>
    <message>
        <source>cancelled</source>
        <translation>abgebrochen</translation>
    </message>
    <message>
        <source>The sign-in was cancelled. Start it again when you are ready.</source>
        <translation>Die Anmeldung wurde abgebrochen. Starten Sie sie erneut, wenn Sie bereit sind.</translation>
    </message>
    <message>
        <source>null</source>
        <translation>null</translation>
    </message>
    <message>
        <source>a boolean</source>
        <translation>ein Wahrheitswert</translation>
    </message>
    <message>
        <source>a number</source>
        <translation>eine Zahl</translation>
    </message>
    <message>
        <source>an object</source>
        <translation>ein Objekt</translation>
    </message>
    <message>
        <source>an array</source>
        <translation>ein Array</translation>
    </message>
    <message>
        <source>a string</source>
        <translation>eine Zeichenkette</translation>
    </message>
    <message>
        <source>a value of another kind</source>
        <translation>ein Wert anderer Art</translation>
    </message>
    <message>
        <source>The endpoint did not answer the way the provider profile expects: check that the URL points at the provider's API (not a web page or a gateway), or report the reply to the provider.</source>
        <translation>Der Endpunkt hat nicht so geantwortet, wie das Anbieterprofil es erwartet: Prüfen Sie, ob die URL auf die API des Anbieters zeigt (nicht auf eine Webseite oder ein Gateway), oder melden Sie die Antwort dem Anbieter.</translation>
    </message>
    <message>
        <source>the reply is empty where JSON was expected</source>
        <translation>die Antwort ist leer, obwohl JSON erwartet wurde</translation>
    </message>
    <message>
        <source>the reply is a web page (%1), not JSON</source>
        <translation>die Antwort ist eine Webseite (%1), kein JSON</translation>
    </message>
    <message>
        <source>the reply is not valid JSON (malformed or cut short)</source>
        <translation>die Antwort ist kein gültiges JSON (fehlerhaft oder abgeschnitten)</translation>
    </message>
    <message>
        <source>the reply is %1, not a JSON object</source>
        <translation>die Antwort ist %1, kein JSON-Objekt</translation>
    </message>
    <message>
        <source>%1 is not a string: the reply has an empty string at %2</source>
        <translation>%1 ist keine Zeichenkette: die Antwort enthält unter %2 eine leere Zeichenkette</translation>
    </message>
    <message>
        <source>%1 is not a string: the reply has %2 at %3</source>
        <translation>%1 ist keine Zeichenkette: die Antwort enthält unter %3 %2</translation>
    </message>
    <message>
        <source>there is no %1 to wait for</source>
        <translation>es gibt kein %1, auf das gewartet werden kann</translation>
    </message>
    <message>
        <source>Run the step that asks for the code first.</source>
        <translation>Führen Sie zuerst den Schritt aus, der den Code anfordert.</translation>
    </message>
    <message>
        <source>the code expired before the sign-in was approved</source>
        <translation>der Code ist abgelaufen, bevor die Anmeldung bestätigt wurde</translation>
    </message>
    <message>
        <source>Start the sign-in again and approve the new code before it expires.</source>
        <translation>Starten Sie die Anmeldung erneut und bestätigen Sie den neuen Code, bevor er abläuft.</translation>
    </message>
    <message>
        <source>Set the missing value in the environment.</source>
        <translation>Tragen Sie den fehlenden Wert in der Umgebung ein.</translation>
    </message>
    <message>
        <source>no endpoint: %1 is empty; set it, or set issuer to discover it</source>
        <translation>kein Endpunkt: %1 ist leer; tragen Sie ihn ein oder setzen Sie issuer, damit er ermittelt wird</translation>
    </message>
    <message>
        <source>no endpoint: %1 is empty; set it</source>
        <translation>kein Endpunkt: %1 ist leer; tragen Sie ihn ein</translation>
    </message>
    <message>
        <source>Check the issuer value and that the provider is reachable.</source>
        <translation>Prüfen Sie den Wert von issuer und ob der Anbieter erreichbar ist.</translation>
    </message>
    <message>
        <source>Keyway stopped before sending anything to the endpoints this document names. Check that issuer is exactly the provider's issuer identifier.</source>
        <translation>Keyway hat angehalten, bevor etwas an die Endpunkte dieses Dokuments gesendet wurde. Prüfen Sie, ob issuer genau die Aussteller-Kennung des Anbieters ist.</translation>
    </message>
    <message>
        <source>Check the issuer value, or set the endpoints by hand.</source>
        <translation>Prüfen Sie den Wert von issuer oder tragen Sie die Endpunkte von Hand ein.</translation>
    </message>
    <message>
        <source>Fix the client authentication of the environment (client_auth and its key or secret).</source>
        <translation>Korrigieren Sie die Client-Authentifizierung der Umgebung (client_auth und den zugehörigen Schlüssel oder das Geheimnis).</translation>
    </message>
    <message>
        <source>The ID token could not be checked because the issuer's keys could not be fetched.</source>
        <translation>Das ID-Token konnte nicht geprüft werden, weil die Schlüssel des Ausstellers nicht abgerufen werden konnten.</translation>
    </message>
    <message>
        <source>ID token refused: %1</source>
        <translation>ID-Token abgelehnt: %1</translation>
    </message>
    <message>
        <source>Keyway did not use the tokens of this reply. Sign in again; if it persists, the provider or something between it and Keyway alters its tokens.</source>
        <translation>Keyway hat die Tokens dieser Antwort nicht verwendet. Melden Sie sich erneut an; bleibt der Fehler, verändert der Anbieter oder etwas zwischen ihm und Keyway seine Tokens.</translation>
    </message>
</context>
<context>
    <name>keyway::HealthCheck</name>
    <message>
        <source>pass</source>
        <translation>bestanden</translation>
    </message>
    <message>
        <source>fail</source>
        <translation>fehlgeschlagen</translation>
    </message>
    <message>
        <source>unreachable</source>
        <translation>nicht erreichbar</translation>
    </message>
    <message>
        <source>sign-in needed</source>
        <translation>Anmeldung nötig</translation>
    </message>
    <message>
        <source>keychain locked</source>
        <translation>Schlüsselbund gesperrt</translation>
    </message>
    <message>
        <source>expired</source>
        <translation>abgelaufen</translation>
    </message>
    <message>
        <source>%1 d %2 h</source>
        <translation>%1 T %2 h</translation>
    </message>
    <message>
        <source>%1 h %2 min</source>
        <translation>%1 h %2 min</translation>
    </message>
    <message>
        <source>%1 min %2 s</source>
        <translation>%1 min %2 s</translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation>%1 s</translation>
    </message>
    <message>
        <source>provider '%1' has no profile; install its profile or remove the environment.</source>
        <translation>Anbieter '%1' hat kein Profil; installieren Sie sein Profil oder entfernen Sie die Umgebung.</translation>
    </message>
    <message>
        <source>the keychain could not give the secrets (%1): unlock it and check again.</source>
        <translation>der Schlüsselbund konnte die Geheimnisse nicht liefern (%1): Entsperren Sie ihn und prüfen Sie erneut.</translation>
    </message>
    <message>
        <source>the secret %1 is missing: store it in the environment and check again.</source>
        <translation>das Geheimnis %1 fehlt: Speichern Sie es in der Umgebung und prüfen Sie erneut.</translation>
    </message>
    <message>
        <source>the required value %1 is not set: set it in the environment and check again.</source>
        <translation>der Pflichtwert %1 ist nicht gesetzt: Setzen Sie ihn in der Umgebung und prüfen Sie erneut.</translation>
    </message>
    <message>
        <source>sign-in needed: this provider signs in through a browser and issues no refresh token.</source>
        <translation>Anmeldung nötig: Dieser Anbieter meldet über einen Browser an und gibt kein Refresh-Token aus.</translation>
    </message>
    <message>
        <source>the keychain could not give the stored sign-in (%1): unlock it and check again.</source>
        <translation>der Schlüsselbund konnte die gespeicherte Anmeldung nicht liefern (%1): Entsperren Sie ihn und prüfen Sie erneut.</translation>
    </message>
    <message>
        <source>sign-in needed: no stored sign-in; sign in once from the flow walkthrough.</source>
        <translation>Anmeldung nötig: keine gespeicherte Anmeldung; melden Sie sich einmal im Flow-Ablauf an.</translation>
    </message>
    <message>
        <source>a token was issued (the provider names no check request)</source>
        <translation>ein Token wurde ausgestellt (der Anbieter nennt keine Prüfanfrage)</translation>
    </message>
    <message>
        <source>sign-in needed: the stored sign-in was refused; sign in again from the flow walkthrough.</source>
        <translation>Anmeldung nötig: Die gespeicherte Anmeldung wurde abgelehnt; melden Sie sich im Flow-Ablauf erneut an.</translation>
    </message>
    <message>
        <source>authentication failed: %1</source>
        <translation>Authentifizierung fehlgeschlagen: %1</translation>
    </message>
    <message>
        <source>%1 %2 answered %3</source>
        <translation>%1 %2 antwortete %3</translation>
    </message>
</context>
<context>
    <name>keyway::HistoryStore</name>
    <message>
        <source>Cannot create the history directory %1.</source>
        <translation>Das Verlaufsverzeichnis %1 kann nicht angelegt werden.</translation>
    </message>
    <message>
        <source>Cannot write the history file %1: %2</source>
        <translation>Die Verlaufsdatei %1 kann nicht geschrieben werden: %2</translation>
    </message>
    <message>
        <source>Cannot rewrite the history file: %1</source>
        <translation>Die Verlaufsdatei kann nicht neu geschrieben werden: %1</translation>
    </message>
</context>
<context>
    <name>keyway::KeychainSecretStore</name>
    <message>
        <source>The keychain is locked; the entry was not removed. Unlock it and try again.</source>
        <translation>Der Schlüsselbund ist gesperrt; der Eintrag wurde nicht entfernt. Entsperren Sie ihn und versuchen Sie es erneut.</translation>
    </message>
    <message>
        <source>The keychain is locked; unlock it and try again.</source>
        <translation>Der Schlüsselbund ist gesperrt; entsperren Sie ihn und versuchen Sie es erneut.</translation>
    </message>
    <message>
        <source>The keychain entry is still there after removing it.</source>
        <translation>Der Schlüsselbundeintrag ist nach dem Entfernen noch vorhanden.</translation>
    </message>
    <message>
        <source>No such secret in the keychain.</source>
        <translation>Dieses Secret gibt es im Schlüsselbund nicht.</translation>
    </message>
    <message>
        <source>Access to the keychain was denied.</source>
        <translation>Der Zugriff auf den Schlüsselbund wurde verweigert.</translation>
    </message>
    <message>
        <source>No keychain is available (a Secret Service such as gnome-keyring or KWallet is needed): %1</source>
        <translation>Kein Schlüsselbund verfügbar (ein Secret Service wie gnome-keyring oder KWallet wird benötigt): %1</translation>
    </message>
    <message>
        <source>The keychain cannot be reached (no D-Bus session or no Secret Service): %1</source>
        <translation>Der Schlüsselbund ist nicht erreichbar (keine D-Bus-Sitzung oder kein Secret Service): %1</translation>
    </message>
    <message>
        <source>The keychain reported an error: %1</source>
        <translation>Der Schlüsselbund hat einen Fehler gemeldet: %1</translation>
    </message>
    <message>
        <source>The keychain did not answer within %1 seconds; it may be waiting to be unlocked.</source>
        <translation>Der Schlüsselbund hat nicht innerhalb von %1 Sekunden geantwortet; vielleicht wartet er darauf, entsperrt zu werden.</translation>
    </message>
    <message>
        <source>The system's D-Bus policy does not let Keyway talk to the keychain (the Secret Service).</source>
        <translation>Die D-Bus-Richtlinie des Systems erlaubt Keyway keinen Zugriff auf den Schlüsselbund (den Secret Service).</translation>
    </message>
</context>
<context>
    <name>keyway::LoopbackReceiver</name>
    <message>
        <source>Not found</source>
        <translation>Nicht gefunden</translation>
    </message>
    <message>
        <source>Sign-in rejected</source>
        <translation>Anmeldung abgelehnt</translation>
    </message>
    <message>
        <source>Signed in</source>
        <translation>Angemeldet</translation>
    </message>
    <message>
        <source>You can close this tab and return to Keyway.</source>
        <translation>Sie können diesen Tab schließen und zu Keyway zurückkehren.</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <source>The sign-in was refused, so Keyway has no access. Close this tab, return to Keyway and start the sign-in again, approving the access this time or using another account.</source>
        <translation>Die Anmeldung wurde abgelehnt, Keyway hat also keinen Zugriff. Schließen Sie diesen Tab, kehren Sie zu Keyway zurück und starten Sie die Anmeldung erneut; erlauben Sie diesmal den Zugriff oder verwenden Sie ein anderes Konto.</translation>
    </message>
    <message>
        <source>Close this tab, return to Keyway and start the sign-in again; if it happens again, check the environment's settings with the provider.</source>
        <translation>Schließen Sie diesen Tab, kehren Sie zu Keyway zurück und starten Sie die Anmeldung erneut; passiert es wieder, prüfen Sie die Einstellungen der Umgebung mit dem Anbieter.</translation>
    </message>
    <message>
        <source>Sign-in refused</source>
        <translation>Anmeldung abgelehnt</translation>
    </message>
    <message>
        <source>The provider answered: %1.</source>
        <translation>Der Anbieter antwortete: %1.</translation>
    </message>
    <message>
        <source>This reply does not belong to the sign-in Keyway started (its state does not match), so Keyway did not use it. Return to Keyway and start the sign-in again.</source>
        <translation>Diese Antwort gehört nicht zu der Anmeldung, die Keyway gestartet hat (ihr state passt nicht), daher hat Keyway sie nicht verwendet. Kehren Sie zu Keyway zurück und starten Sie die Anmeldung erneut.</translation>
    </message>
    <message>
        <source>This address is not part of the sign-in. Keyway is still waiting: finish the sign-in in the tab that Keyway opened.</source>
        <translation>Diese Adresse gehört nicht zur Anmeldung. Keyway wartet weiter: Schließen Sie die Anmeldung in dem Tab ab, den Keyway geöffnet hat.</translation>
    </message>
    <message>
        <source>Sign-in already finished</source>
        <translation>Anmeldung bereits abgeschlossen</translation>
    </message>
    <message>
        <source>Keyway already received the answer to this sign-in, so this one was not used. You can close this tab; to sign in again, start a new sign-in in Keyway.</source>
        <translation>Keyway hat die Antwort auf diese Anmeldung bereits erhalten, diese wurde daher nicht verwendet. Sie können diesen Tab schließen; um sich erneut anzumelden, starten Sie in Keyway eine neue Anmeldung.</translation>
    </message>
</context>
<context>
    <name>keyway::NetworkDiagnosis</name>
    <message>
        <source>the environment's proxy setting</source>
        <translation>der Proxy-Einstellung der Umgebung</translation>
    </message>
    <message>
        <source>the variable %1</source>
        <translation>der Variable %1</translation>
    </message>
    <message>
        <source>Unreachable: host name not found (DNS)</source>
        <translation>Nicht erreichbar: Hostname nicht gefunden (DNS)</translation>
    </message>
    <message>
        <source>Unreachable: connection refused</source>
        <translation>Nicht erreichbar: Verbindung abgelehnt</translation>
    </message>
    <message>
        <source>Unreachable: TLS handshake failed</source>
        <translation>Nicht erreichbar: TLS-Handshake fehlgeschlagen</translation>
    </message>
    <message>
        <source>Unreachable: the proxy refused</source>
        <translation>Nicht erreichbar: der Proxy lehnt ab</translation>
    </message>
    <message>
        <source>Unreachable: the proxy requires authentication</source>
        <translation>Nicht erreichbar: der Proxy verlangt eine Anmeldung</translation>
    </message>
    <message>
        <source>Unreachable: no reply in time</source>
        <translation>Nicht erreichbar: keine Antwort in der Zeit</translation>
    </message>
    <message>
        <source>Unreachable: the deadline passed</source>
        <translation>Nicht erreichbar: die Frist ist abgelaufen</translation>
    </message>
    <message>
        <source>Unreachable: the connection settings cannot be used</source>
        <translation>Nicht erreichbar: die Verbindungseinstellungen können nicht verwendet werden</translation>
    </message>
    <message>
        <source>Unreachable</source>
        <translation>Nicht erreichbar</translation>
    </message>
    <message>
        <source>The proxy %1 (from %2) could not be reached: %3. Check the proxy address, or set proxy to none for this environment if it needs no proxy.</source>
        <translation>Der Proxy %1 (aus %2) ist nicht erreichbar: %3. Prüfen Sie die Proxy-Adresse, oder setzen Sie proxy für diese Umgebung auf none, wenn sie keinen Proxy braucht.</translation>
    </message>
    <message>
        <source>The proxy %1 (from %2) refused the tunnel to %3 with HTTP %4. Ask its operator to allow that host and port, or set proxy to none for this environment if it needs no proxy.</source>
        <translation>Der Proxy %1 (aus %2) hat den Tunnel zu %3 mit HTTP %4 abgelehnt. Bitten Sie seinen Betreiber, diesen Host und Port zu erlauben, oder setzen Sie proxy für diese Umgebung auf none, wenn sie keinen Proxy braucht.</translation>
    </message>
    <message>
        <source>the host name %1 could not be resolved (DNS)</source>
        <translation>der Hostname %1 konnte nicht aufgelöst werden (DNS)</translation>
    </message>
    <message>
        <source>%1 refused the connection (nothing listens there)</source>
        <translation>%1 hat die Verbindung abgelehnt (dort lauscht nichts)</translation>
    </message>
    <message>
        <source>The proxy %1 (from %2) refused the user name or password (HTTP 407). Check the user in the proxy address and the secret proxy_password.</source>
        <translation>Der Proxy %1 (aus %2) hat Benutzername oder Passwort abgelehnt (HTTP 407). Prüfen Sie den Benutzer in der Proxy-Adresse und das Geheimnis proxy_password.</translation>
    </message>
    <message>
        <source>The proxy %1 (from %2) requires authentication (HTTP 407). Set the proxy as http://user@host:port and store the password as the secret proxy_password.</source>
        <translation>Der Proxy %1 (aus %2) verlangt eine Anmeldung (HTTP 407). Setzen Sie den Proxy als http://benutzer@host:port und speichern Sie das Passwort als Geheimnis proxy_password.</translation>
    </message>
    <message>
        <source>The proxy %1 (from %2) could not be used: %3. Check the proxy address, or set proxy to none for this environment if it needs no proxy.</source>
        <translation>Der Proxy %1 (aus %2) kann nicht verwendet werden: %3. Prüfen Sie die Proxy-Adresse, oder setzen Sie proxy für diese Umgebung auf none, wenn sie keinen Proxy braucht.</translation>
    </message>
    <message>
        <source>%1 sent nothing for too long (%2)</source>
        <translation>%1 hat zu lange nichts gesendet (%2)</translation>
    </message>
    <message>
        <source>The proxy %1 (from %2) could not be used: %3.</source>
        <translation>Der Proxy %1 (aus %2) kann nicht verwendet werden: %3.</translation>
    </message>
</context>
<context>
    <name>keyway::PostmanImport</name>
    <message>
        <source>the file is not a JSON object.</source>
        <translation>die Datei ist kein JSON-Objekt.</translation>
    </message>
    <message>
        <source>/info/schema: only Postman collections v2.1 are imported (export the collection as "Collection v2.1").</source>
        <translation>/info/schema: nur Postman-Collections v2.1 werden importiert (exportieren Sie die Collection als "Collection v2.1").</translation>
    </message>
    <message>
        <source>/info/name: the collection has no name.</source>
        <translation>/info/name: die Collection hat keinen Namen.</translation>
    </message>
    <message>
        <source>the collection uses no oauth2 authorization (on the collection, a folder or a request); Keyway imports collections whose auth type is OAuth 2.0.</source>
        <translation>die Collection nutzt keine oauth2-Autorisierung (an der Collection, einem Ordner oder einer Anfrage); Keyway importiert Collections mit dem Auth-Typ OAuth 2.0.</translation>
    </message>
    <message>
        <source>the collection's OAuth 2.0 grant '%1' is not supported; Keyway imports client credentials and authorization code (with or without PKCE).</source>
        <translation>der OAuth-2.0-Grant '%1' der Collection wird nicht unterstützt; Keyway importiert Client Credentials und Authorization Code (mit oder ohne PKCE).</translation>
    </message>
    <message>
        <source>the provider '%1' is not installed.</source>
        <translation>der Anbieter '%1' ist nicht installiert.</translation>
    </message>
    <message>
        <source>%1: Keyway signs in with PKCE (S256) even where the collection did not; servers that support PKCE accept it.</source>
        <translation>%1: Keyway meldet sich mit PKCE (S256) an, auch wo die Collection es nicht tat; Server, die PKCE unterstützen, akzeptieren das.</translation>
    </message>
    <message>
        <source>%1: the value of %2 names a variable the collection does not define (%3); define it in the collection's variables, or set %2 after importing.</source>
        <translation>%1: der Wert von %2 nennt eine Variable, die die Collection nicht definiert (%3); definieren Sie sie in den Variablen der Collection oder setzen Sie %2 nach dem Import.</translation>
    </message>
    <message>
        <source>a secret</source>
        <translation>ein Geheimnis</translation>
    </message>
    <message>
        <source>/name: the Postman environment has no name.</source>
        <translation>/name: die Postman-Umgebung hat keinen Namen.</translation>
    </message>
    <message>
        <source>/values: expected the list of the environment's variables.</source>
        <translation>/values: die Liste der Variablen der Umgebung erwartet.</translation>
    </message>
    <message>
        <source>the variables of '%1' match no provider's keys; name them as a provider does (keyway-cli providers lists them), e.g. token_url, client_id and client_secret.</source>
        <translation>die Variablen von '%1' passen zu keinen Schlüsseln eines Anbieters; benennen Sie sie wie ein Anbieter (keyway-cli providers listet sie auf), z. B. token_url, client_id und client_secret.</translation>
    </message>
    <message>
        <source>%1: ignored variables that provider '%2' has no key for: %3</source>
        <translation>%1: ignorierte Variablen, für die Anbieter '%2' keinen Schlüssel hat: %3</translation>
    </message>
    <message>
        <source>%1: no base URL could be found; add a baseUrl variable.</source>
        <translation>%1: keine Basis-URL gefunden; fügen Sie eine Variable baseUrl hinzu.</translation>
    </message>
</context>
<context>
    <name>keyway::ProfileLoader</name>
    <message>
        <source>unknown key "%1"; expected one of: %2</source>
        <translation>unbekannter Schlüssel "%1"; erwartet wird einer von: %2</translation>
    </message>
    <message>
        <source>expected an object, found %1</source>
        <translation>Objekt erwartet, %1 gefunden</translation>
    </message>
    <message>
        <source>missing required string</source>
        <translation>erforderliche Zeichenkette fehlt</translation>
    </message>
    <message>
        <source>expected a string, found %1</source>
        <translation>Zeichenkette erwartet, %1 gefunden</translation>
    </message>
    <message>
        <source>must not be empty</source>
        <translation>darf nicht leer sein</translation>
    </message>
    <message>
        <source>expected true or false, found %1</source>
        <translation>true oder false erwartet, %1 gefunden</translation>
    </message>
    <message>
        <source>expected a positive whole number of seconds</source>
        <translation>positive ganze Zahl von Sekunden erwartet</translation>
    </message>
    <message>
        <source>expected an array of HTTP status codes</source>
        <translation>Array von HTTP-Statuscodes erwartet</translation>
    </message>
    <message>
        <source>expected an HTTP status code between 100 and 599</source>
        <translation>HTTP-Statuscode zwischen 100 und 599 erwartet</translation>
    </message>
    <message>
        <source>expected an array of strings</source>
        <translation>Array von Zeichenketten erwartet</translation>
    </message>
    <message>
        <source>expected a string</source>
        <translation>Zeichenkette erwartet</translation>
    </message>
    <message>
        <source>expected a JSON pointer starting with "/"</source>
        <translation>JSON-Pointer mit "/" am Anfang erwartet</translation>
    </message>
    <message>
        <source>expected a string value (templates like {{clientId}} are strings)</source>
        <translation>Zeichenkettenwert erwartet (Vorlagen wie {{clientId}} sind Zeichenketten)</translation>
    </message>
    <message>
        <source>not valid JSON (byte %1): %2</source>
        <translation>kein gültiges JSON (Byte %1): %2</translation>
    </message>
    <message>
        <source>expected lowercase letters, digits and dashes, e.g. "my-provider"</source>
        <translation>Kleinbuchstaben, Ziffern und Bindestriche erwartet, z. B. "my-provider"</translation>
    </message>
    <message>
        <source>expected letters, digits and underscores, e.g. "client_id"</source>
        <translation>Buchstaben, Ziffern und Unterstriche erwartet, z. B. "client_id"</translation>
    </message>
    <message>
        <source>must be one of the choices</source>
        <translation>muss einer der Auswahlwerte sein</translation>
    </message>
    <message>
        <source>a secret field cannot have a default value</source>
        <translation>ein geheimes Feld kann keinen Standardwert haben</translation>
    </message>
    <message>
        <source>duplicate field key "%1"</source>
        <translation>doppelter Feldschlüssel "%1"</translation>
    </message>
    <message>
        <source>expected exactly one of "fields" or "credentialSets"</source>
        <translation>genau eines von "fields" oder "credentialSets" erwartet</translation>
    </message>
    <message>
        <source>expected a non-empty array of credential fields</source>
        <translation>nicht leeres Array von Zugangsdatenfeldern erwartet</translation>
    </message>
    <message>
        <source>expected a non-empty array of credential sets</source>
        <translation>nicht leeres Array von Zugangsdatensätzen erwartet</translation>
    </message>
    <message>
        <source>duplicate credential set "%1"</source>
        <translation>doppelter Zugangsdatensatz "%1"</translation>
    </message>
    <message>
        <source>only one credential set can be the default</source>
        <translation>nur ein Zugangsdatensatz kann der Standard sein</translation>
    </message>
    <message>
        <source>"codePointer" and "codeEquals" go together</source>
        <translation>"codePointer" und "codeEquals" gehören zusammen</translation>
    </message>
    <message>
        <source>the refresh step must have kind "refresh"</source>
        <translation>der Refresh-Schritt muss kind "refresh" haben</translation>
    </message>
    <message>
        <source>a refresh step belongs under "refresh", not in "flow"</source>
        <translation>ein Refresh-Schritt gehört unter "refresh", nicht in "flow"</translation>
    </message>
    <message>
        <source>expected one of GET, POST, PUT, PATCH, DELETE</source>
        <translation>eines von GET, POST, PUT, PATCH, DELETE erwartet</translation>
    </message>
    <message>
        <source>expected at most one of "query", "form" or "json"</source>
        <translation>höchstens eines von "query", "form" oder "json" erwartet</translation>
    </message>
    <message>
        <source>"clientAuth" needs "clientId" (and usually "clientSecret")</source>
        <translation>"clientAuth" benötigt "clientId" (und meist "clientSecret")</translation>
    </message>
    <message>
        <source>a browser step needs the authorization URL's parameters</source>
        <translation>ein Browser-Schritt benötigt die Parameter der Autorisierungs-URL</translation>
    </message>
    <message>
        <source>only browser steps have "authorize"</source>
        <translation>nur Browser-Schritte haben "authorize"</translation>
    </message>
    <message>
        <source>expected an array of captures</source>
        <translation>Array von Captures erwartet</translation>
    </message>
    <message>
        <source>expected a non-empty array of flow steps</source>
        <translation>nicht leeres Array von Flow-Schritten erwartet</translation>
    </message>
    <message>
        <source>duplicate step id "%1"</source>
        <translation>doppelte Schritt-ID "%1"</translation>
    </message>
    <message>
        <source>{{%1}} names no credential field, earlier capture or flow variable</source>
        <translation>{{%1}} bezeichnet weder ein Zugangsdatenfeld noch ein früheres Capture noch eine Flow-Variable</translation>
    </message>
    <message>
        <source>missing: how the access token is sent (header, prefix, capture)</source>
        <translation>fehlt: wie das Access-Token gesendet wird (header, prefix, capture)</translation>
    </message>
    <message>
        <source>no flow step captures "%1"</source>
        <translation>kein Flow-Schritt erfasst "%1"</translation>
    </message>
    <message>
        <source>expected an array of hints</source>
        <translation>Array von Hinweisen erwartet</translation>
    </message>
    <message>
        <source>a hint needs at least one of "code", "status" or "when"</source>
        <translation>ein Hinweis benötigt mindestens eines von "code", "status" oder "when"</translation>
    </message>
    <message>
        <source>expected "empty:&lt;JSON pointer&gt;"</source>
        <translation>"empty:&lt;JSON-Pointer&gt;" erwartet</translation>
    </message>
    <message>
        <source>expected an array of {"method", "path"} rules</source>
        <translation>Array von {"method", "path"}-Regeln erwartet</translation>
    </message>
    <message>
        <source>expected a path starting with "/"</source>
        <translation>Pfad mit "/" am Anfang erwartet</translation>
    </message>
    <message>
        <source>expected an array of sample requests</source>
        <translation>Array von Beispielanfragen erwartet</translation>
    </message>
    <message>
        <source>envelope codes need "apiSuccess" with a "codePointer"</source>
        <translation>Envelope-Codes benötigen "apiSuccess" mit einem "codePointer"</translation>
    </message>
    <message>
        <source>{{%1}} names no credential field</source>
        <translation>{{%1}} bezeichnet kein Zugangsdatenfeld</translation>
    </message>
    <message>
        <source>expected a non-empty array of "hex" and/or "base64"</source>
        <translation>nicht leeres Array aus "hex" und/oder "base64" erwartet</translation>
    </message>
    <message>
        <source>expected "hex" or "base64"</source>
        <translation>"hex" oder "base64" erwartet</translation>
    </message>
    <message>
        <source>names no credential field; expected one of: %1</source>
        <translation>bezeichnet kein Zugangsdatenfeld; erwartet wird eines von: %1</translation>
    </message>
    <message>
        <source>field "%1" must be declared "secret": true (it signs webhooks)</source>
        <translation>Feld "%1" muss als "secret": true deklariert sein (es signiert Webhooks)</translation>
    </message>
    <message>
        <source>expected an HTTP header name, e.g. "X-Signature"</source>
        <translation>HTTP-Header-Name erwartet, z. B. "X-Signature"</translation>
    </message>
    <message>
        <source>only device steps have "device"</source>
        <translation>nur device-Schritte haben „device“</translation>
    </message>
    <message>
        <source>only poll steps have "poll"</source>
        <translation>nur poll-Schritte haben „poll“</translation>
    </message>
    <message>
        <source>"%1" names no capture of an earlier step</source>
        <translation>„%1“ benennt keinen erfassten Wert eines früheren Schritts</translation>
    </message>
    <message>
        <source>expected "exchange", "browser", "device", "poll", "refresh" or "discovery"</source>
        <translation>erwartet "exchange", "browser", "device", "poll", "refresh" oder "discovery"</translation>
    </message>
    <message>
        <source>a discovery step sends nothing: no client authentication, no parameters</source>
        <translation>ein discovery-Schritt sendet nichts: keine Client-Authentifizierung, keine Parameter</translation>
    </message>
</context>
<context>
    <name>keyway::ProfileRegistry</name>
    <message>
        <source>cannot be read: %1</source>
        <translation>kann nicht gelesen werden: %1</translation>
    </message>
    <message>
        <source>provider id "%1" is already defined by %2</source>
        <translation>Anbieter-ID "%1" ist bereits durch %2 definiert</translation>
    </message>
</context>
<context>
    <name>keyway::ProviderProfile</name>
    <message>
        <source>Client credentials grant with two credential sets per environment: API credentials for backend operations (subaccounts, webhooks, transactions, cards) and SDK credentials limited to card enrollment. Both POST JSON to /oauth/token for a 5-minute JWT; there is no refresh token.</source>
        <translation>Client-Credentials-Grant mit zwei Zugangsdatensätzen je Umgebung: API-Zugangsdaten für Backend-Vorgänge (Unterkonten, Webhooks, Transaktionen, Karten) und SDK-Zugangsdaten, die nur für die Kartenregistrierung gelten. Beide senden JSON per POST an /oauth/token und erhalten ein JWT für 5 Minuten; ein Refresh-Token gibt es nicht.</translation>
    </message>
    <message>
        <source>API client ID</source>
        <translation>API-Client-ID</translation>
    </message>
    <message>
        <source>API client secret</source>
        <translation>API-Client-Secret</translation>
    </message>
    <message>
        <source>SDK client ID</source>
        <translation>SDK-Client-ID</translation>
    </message>
    <message>
        <source>SDK client secret</source>
        <translation>SDK-Client-Secret</translation>
    </message>
    <message>
        <source>API credentials</source>
        <translation>API-Zugangsdaten</translation>
    </message>
    <message>
        <source>Backend API operations: subaccounts, webhooks, transactions, cards.</source>
        <translation>Backend-API-Vorgänge: Unterkonten, Webhooks, Transaktionen, Karten.</translation>
    </message>
    <message>
        <source>SDK credentials</source>
        <translation>SDK-Zugangsdaten</translation>
    </message>
    <message>
        <source>Card enrollment through the Web SDK only; refused on backend endpoints.</source>
        <translation>Nur Kartenregistrierung über das Web-SDK; an Backend-Endpunkten abgelehnt.</translation>
    </message>
    <message>
        <source>Obtain an access token</source>
        <translation>Zugriffstoken holen</translation>
    </message>
    <message>
        <source>JSON POST to /oauth/token with grant_type=client_credentials; the JWT lives 5 minutes.</source>
        <translation>JSON-POST an /oauth/token mit grant_type=client_credentials; das JWT gilt 5 Minuten.</translation>
    </message>
    <message>
        <source>Astrada refused the client credentials: check client_id and client_secret of this credential set.</source>
        <translation>Astrada hat die Client-Zugangsdaten abgelehnt: Prüfen Sie client_id und client_secret dieses Zugangsdatensatzes.</translation>
    </message>
    <message>
        <source>The 5-minute token expired or is invalid; Keyway requests a new one once.</source>
        <translation>Das 5-Minuten-Token ist abgelaufen oder ungültig; Keyway fordert einmal ein neues an.</translation>
    </message>
    <message>
        <source>List transactions</source>
        <translation>Transaktionen auflisten</translation>
    </message>
    <message>
        <source>List subaccounts</source>
        <translation>Unterkonten auflisten</translation>
    </message>
    <message>
        <source>Client credentials grant. POST client_id, client_secret and grant_type as a form to /token (the secret only ever in the POST body, never in a URL) and send the access_token as Authorization: Bearer. Tokens last one hour and are not to be persisted; after that calls answer 401 until you re-authenticate. Credentials are unique per environment.</source>
        <translation>Client-Credentials-Grant. client_id, client_secret und grant_type als Formular per POST an /token senden (das Secret nur im POST-Body, nie in einer URL) und das access_token als Authorization: Bearer mitschicken. Tokens gelten eine Stunde und dürfen nicht gespeichert werden; danach antworten Aufrufe mit 401, bis Sie sich neu authentifizieren. Zugangsdaten gelten jeweils nur für eine Umgebung.</translation>
    </message>
    <message>
        <source>Client ID</source>
        <translation>Client-ID</translation>
    </message>
    <message>
        <source>Public identifier from onboarding, unique per environment.</source>
        <translation>Öffentliche Kennung aus dem Onboarding, je Umgebung eindeutig.</translation>
    </message>
    <message>
        <source>Client secret</source>
        <translation>Client-Secret</translation>
    </message>
    <message>
        <source>Never share it; only ever sent in the POST body of /token.</source>
        <translation>Niemals weitergeben; wird nur im POST-Body von /token gesendet.</translation>
    </message>
    <message>
        <source>Get an access token</source>
        <translation>Zugriffstoken holen</translation>
    </message>
    <message>
        <source>Form-encoded POST to /token with grant_type=client_credentials.</source>
        <translation>Formularkodierter POST an /token mit grant_type=client_credentials.</translation>
    </message>
    <message>
        <source>The token endpoint refused the client credentials: check client_id and client_secret, and that they belong to this environment's URL (credentials are unique per environment).</source>
        <translation>Der Token-Endpunkt hat die Client-Zugangsdaten abgelehnt: Prüfen Sie client_id und client_secret und ob sie zur URL dieser Umgebung gehören (Zugangsdaten gelten jeweils nur für eine Umgebung).</translation>
    </message>
    <message>
        <source>The token endpoint rejected the request: it takes a form-encoded body with client_id, client_secret and grant_type=client_credentials.</source>
        <translation>Der Token-Endpunkt hat die Anfrage abgewiesen: Er erwartet einen formularkodierten Body mit client_id, client_secret und grant_type=client_credentials.</translation>
    </message>
    <message>
        <source>The access token expired (they last one hour) or belongs to another environment. Keyway renews it once; if this persists, check the credentials for this environment.</source>
        <translation>Das Zugriffstoken ist abgelaufen (es gilt eine Stunde) oder gehört zu einer anderen Umgebung. Keyway erneuert es einmal; bleibt der Fehler, prüfen Sie die Zugangsdaten dieser Umgebung.</translation>
    </message>
    <message>
        <source>List accounts</source>
        <translation>Konten auflisten</translation>
    </message>
    <message>
        <source>The accounts the credentials can see.</source>
        <translation>Die Konten, die diese Zugangsdaten sehen dürfen.</translation>
    </message>
    <message>
        <source>Client credentials grant. POST client_id, client_secret and grant_type as JSON to /api/reporting/v1/auth/token; the reply is a JSON:API document whose data.attributes.access_token is a JWT (typically 24 hours) with scopes. Send it as Authorization: Bearer to /api/transaction/v1/…</source>
        <translation>Client-Credentials-Grant. client_id, client_secret und grant_type als JSON per POST an /api/reporting/v1/auth/token senden; die Antwort ist ein JSON:API-Dokument, dessen data.attributes.access_token ein JWT mit Scopes ist (meist 24 Stunden gültig). Senden Sie es als Authorization: Bearer an /api/transaction/v1/…</translation>
    </message>
    <message>
        <source>Your application's public identifier.</source>
        <translation>Die öffentliche Kennung Ihrer Anwendung.</translation>
    </message>
    <message>
        <source>Your application's private key.</source>
        <translation>Der private Schlüssel Ihrer Anwendung.</translation>
    </message>
    <message>
        <source>Request an access token</source>
        <translation>Zugriffstoken anfordern</translation>
    </message>
    <message>
        <source>JSON POST to /api/reporting/v1/auth/token with grant_type=client_credentials.</source>
        <translation>JSON-POST an /api/reporting/v1/auth/token mit grant_type=client_credentials.</translation>
    </message>
    <message>
        <source>Malformed token request (400): check client_id, client_secret and grant_type=client_credentials.</source>
        <translation>Fehlerhafte Token-Anfrage (400): Prüfen Sie client_id, client_secret und grant_type=client_credentials.</translation>
    </message>
    <message>
        <source>eCard refused the client credentials: check client_id and client_secret for this environment.</source>
        <translation>eCard hat die Client-Zugangsdaten abgelehnt: Prüfen Sie client_id und client_secret dieser Umgebung.</translation>
    </message>
    <message>
        <source>The access token is invalid or expired; Keyway requests a new one once.</source>
        <translation>Das Zugriffstoken ist ungültig oder abgelaufen; Keyway fordert einmal ein neues an.</translation>
    </message>
    <message>
        <source>The token is valid but lacks the scope this endpoint needs; ask eCard to grant it to your client.</source>
        <translation>Das Token ist gültig, aber ihm fehlt der Scope, den dieser Endpunkt braucht; bitten Sie eCard, ihn Ihrem Client zu gewähren.</translation>
    </message>
    <message>
        <source>Needs the read:transactions scope.</source>
        <translation>Braucht den Scope read:transactions.</translation>
    </message>
    <message>
        <source>List reports</source>
        <translation>Berichte auflisten</translation>
    </message>
    <message>
        <source>Needs the read:reports scope.</source>
        <translation>Braucht den Scope read:reports.</translation>
    </message>
    <message>
        <source>List settlements</source>
        <translation>Abrechnungen auflisten</translation>
    </message>
    <message>
        <source>Needs the read:settlements scope, which a client may not have (403).</source>
        <translation>Braucht den Scope read:settlements, den ein Client eventuell nicht hat (403).</translation>
    </message>
    <message>
        <source>Any OAuth 2.0 client-credentials provider: a form POST with grant_type=client_credentials to the token URL, client authentication in the body or as HTTP Basic (RFC 6749 §2.3.1), and the access token sent as Authorization: Bearer.</source>
        <translation>Jeder OAuth-2.0-Anbieter mit Client-Credentials-Grant: ein Formular-POST mit grant_type=client_credentials an die Token-URL, Client-Authentifizierung im Body oder per HTTP Basic (RFC 6749 §2.3.1) und das Zugriffstoken als Authorization: Bearer.</translation>
    </message>
    <message>
        <source>Token URL</source>
        <translation>Token-URL</translation>
    </message>
    <message>
        <source>Scope</source>
        <translation>Scope</translation>
    </message>
    <message>
        <source>Space-separated scopes.</source>
        <translation>Scopes, durch Leerzeichen getrennt.</translation>
    </message>
    <message>
        <source>Client authentication</source>
        <translation>Client-Authentifizierung</translation>
    </message>
    <message>
        <source>Form POST grant_type=client_credentials to the token URL.</source>
        <translation>Formular-POST mit grant_type=client_credentials an die Token-URL.</translation>
    </message>
    <message>
        <source>The provider refused the client credentials (invalid_client): check client_id, client_secret and client_auth (body or basic).</source>
        <translation>Der Anbieter hat die Client-Zugangsdaten abgelehnt (invalid_client): Prüfen Sie client_id, client_secret und client_auth (body oder basic).</translation>
    </message>
    <message>
        <source>The provider refused the requested scope (invalid_scope): check the scope field.</source>
        <translation>Der Anbieter hat den angeforderten Scope abgelehnt (invalid_scope): Prüfen Sie das Feld „Scope“.</translation>
    </message>
    <message>
        <source>This client may not use the client credentials grant (unauthorized_client).</source>
        <translation>Dieser Client darf den Client-Credentials-Grant nicht verwenden (unauthorized_client).</translation>
    </message>
    <message>
        <source>The access token was refused; Keyway renews it once.</source>
        <translation>Das Zugriffstoken wurde abgelehnt; Keyway erneuert es einmal.</translation>
    </message>
    <message>
        <source>Who am I</source>
        <translation>Wer bin ich</translation>
    </message>
    <message>
        <source>The sandbox's protected resource; a real provider has its own API paths.</source>
        <translation>Die geschützte Ressource der Sandbox; ein echter Anbieter hat eigene API-Pfade.</translation>
    </message>
    <message>
        <source>Any OAuth 2.0 authorization-code provider, such as the ones Seam connects to: the user signs in in the system browser (PKCE S256, random state, loopback redirect to http://127.0.0.1/callback on any port), the code is exchanged for an access token, a refresh token and a stable user_id, and the refresh token renews the access token. Register http://127.0.0.1/callback as a redirect URI once.</source>
        <translation>Jeder OAuth-2.0-Anbieter mit Authorization-Code-Grant, etwa die, mit denen Seam verbindet: Die Anmeldung erfolgt im Systembrowser (PKCE S256, zufälliger State, Loopback-Weiterleitung an http://127.0.0.1/callback auf beliebigem Port), der Code wird gegen ein Zugriffstoken, ein Refresh-Token und eine stabile user_id getauscht, und das Refresh-Token erneuert das Zugriffstoken. Registrieren Sie http://127.0.0.1/callback einmal als Weiterleitungs-URI.</translation>
    </message>
    <message>
        <source>Authorization URL</source>
        <translation>Autorisierungs-URL</translation>
    </message>
    <message>
        <source>Confidential clients only; public clients have none and rely on PKCE.</source>
        <translation>Nur für vertrauliche Clients; öffentliche Clients haben keins und verlassen sich auf PKCE.</translation>
    </message>
    <message>
        <source>Space-separated scopes, e.g. "openid offline_access".</source>
        <translation>Scopes, durch Leerzeichen getrennt, z. B. "openid offline_access".</translation>
    </message>
    <message>
        <source>Prompt</source>
        <translation>Prompt</translation>
    </message>
    <message>
        <source>Sent on sign-ins: login forces re-authentication; OpenID Connect servers grant offline_access only with consent.</source>
        <translation>Wird bei Anmeldungen gesendet: login erzwingt eine erneute Anmeldung; OpenID-Connect-Server gewähren offline_access nur mit Zustimmung (consent).</translation>
    </message>
    <message>
        <source>Probe path</source>
        <translation>Prüfpfad</translation>
    </message>
    <message>
        <source>An API call that proves the access token works, e.g. /api/me. Needed by conform.</source>
        <translation>Ein API-Aufruf, der beweist, dass das Zugriffstoken funktioniert, z. B. /api/me. Für die Anbieterprüfung nötig.</translation>
    </message>
    <message>
        <source>Sign in in the browser</source>
        <translation>Im Browser anmelden</translation>
    </message>
    <message>
        <source>Opens the authorization URL with PKCE and state; the provider redirects back to Keyway's loopback listener with a code.</source>
        <translation>Öffnet die Autorisierungs-URL mit PKCE und State; der Anbieter leitet mit einem Code zurück an Keyways Loopback-Empfänger.</translation>
    </message>
    <message>
        <source>Exchange the code for tokens</source>
        <translation>Code gegen Tokens tauschen</translation>
    </message>
    <message>
        <source>Form POST to the token URL with the code, the redirect URI and the PKCE verifier.</source>
        <translation>Formular-POST an die Token-URL mit dem Code, der Weiterleitungs-URI und dem PKCE-Verifier.</translation>
    </message>
    <message>
        <source>Refresh the access token</source>
        <translation>Zugriffstoken erneuern</translation>
    </message>
    <message>
        <source>Form POST grant_type=refresh_token to the token URL; a new refresh token in the reply replaces the old one at once.</source>
        <translation>Formular-POST mit grant_type=refresh_token an die Token-URL; ein neues Refresh-Token in der Antwort ersetzt das alte sofort.</translation>
    </message>
    <message>
        <source>The provider refused the code (invalid_grant): it was already used, expired, or the redirect URI / PKCE verifier does not match. Sign in again.</source>
        <translation>Der Anbieter hat den Code abgelehnt (invalid_grant): Er wurde schon verwendet, ist abgelaufen, oder Weiterleitungs-URI bzw. PKCE-Verifier passen nicht. Melden Sie sich erneut an.</translation>
    </message>
    <message>
        <source>The sign-in was denied in the browser (access_denied).</source>
        <translation>Die Anmeldung wurde im Browser abgelehnt (access_denied).</translation>
    </message>
    <message>
        <source>The provider does not accept the loopback redirect: register http://127.0.0.1/callback as a redirect URI.</source>
        <translation>Der Anbieter akzeptiert die Loopback-Weiterleitung nicht: Registrieren Sie http://127.0.0.1/callback als Weiterleitungs-URI.</translation>
    </message>
    <message>
        <source>Probe</source>
        <translation>Prüfaufruf</translation>
    </message>
    <message>
        <source>The protected resource named in the probe_path field.</source>
        <translation>Die geschützte Ressource aus dem Feld „Prüfpfad“ (probe_path).</translation>
    </message>
    <message>
        <source>Card issuing. Two-step authorization code grant: GET /v1/oauth/authorize with your clientId returns a single-use code (10 minutes), which POST /v1/oauth/access-token exchanges with your clientSecret for a 24-hour access token sent as the x-access-token header. Every reply is a {"code", "msg", "data"} envelope where "000000" means success, errors included.</source>
        <translation>Kartenausgabe. Authorization-Code-Grant in zwei Schritten: GET /v1/oauth/authorize mit Ihrer clientId liefert einen Einmal-Code (10 Minuten), den POST /v1/oauth/access-token zusammen mit Ihrem clientSecret gegen ein 24-Stunden-Zugriffstoken tauscht, das im Header x-access-token gesendet wird. Jede Antwort, auch eine Fehlermeldung, ist ein {"code", "msg", "data"}-Umschlag, in dem "000000" Erfolg bedeutet.</translation>
    </message>
    <message>
        <source>Identifies your program. Sent as a query parameter to /v1/oauth/authorize.</source>
        <translation>Kennzeichnet Ihr Programm. Wird als Query-Parameter an /v1/oauth/authorize gesendet.</translation>
    </message>
    <message>
        <source>Signs OAuth token requests. Treat like a password.</source>
        <translation>Signiert OAuth-Token-Anfragen. Behandeln Sie es wie ein Passwort.</translation>
    </message>
    <message>
        <source>Parent account ID</source>
        <translation>ID des Hauptkontos</translation>
    </message>
    <message>
        <source>UUID of your top-level partner account. Required when creating user sub-accounts.</source>
        <translation>UUID Ihres obersten Partnerkontos. Nötig, um Unterkonten für Nutzer anzulegen.</translation>
    </message>
    <message>
        <source>Merchant ID</source>
        <translation>Händler-ID</translation>
    </message>
    <message>
        <source>UUID of your master merchant account. Used to fund user budgets via inter-account transfers.</source>
        <translation>UUID Ihres Haupt-Händlerkontos. Damit werden Nutzerbudgets über Umbuchungen zwischen Konten aufgeladen.</translation>
    </message>
    <message>
        <source>Default BIN ID</source>
        <translation>Standard-BIN-ID</translation>
    </message>
    <message>
        <source>UUID of the BIN your program issues from. See GET /v1/card/bins.</source>
        <translation>UUID der BIN, aus der Ihr Programm Karten ausgibt. Siehe GET /v1/card/bins.</translation>
    </message>
    <message>
        <source>Webhook secret</source>
        <translation>Webhook-Secret</translation>
    </message>
    <message>
        <source>Verifies HMAC-SHA256 signatures on incoming webhooks.</source>
        <translation>Prüft die HMAC-SHA256-Signaturen eingehender Webhooks.</translation>
    </message>
    <message>
        <source>Get an authorization code</source>
        <translation>Autorisierungscode holen</translation>
    </message>
    <message>
        <source>GET /v1/oauth/authorize with your clientId returns a single-use code that expires in 10 minutes.</source>
        <translation>GET /v1/oauth/authorize mit Ihrer clientId liefert einen Einmal-Code, der nach 10 Minuten abläuft.</translation>
    </message>
    <message>
        <source>Exchange the code for an access token</source>
        <translation>Code gegen ein Zugriffstoken tauschen</translation>
    </message>
    <message>
        <source>POST clientId, clientSecret and the code to /v1/oauth/access-token; the access token lasts 24 hours.</source>
        <translation>clientId, clientSecret und den Code per POST an /v1/oauth/access-token senden; das Zugriffstoken gilt 24 Stunden.</translation>
    </message>
    <message>
        <source>Seismic refused the clientId (40001 Invalid parameter): check the credential string and that the base URL is this environment's.</source>
        <translation>Seismic hat die clientId abgelehnt (40001 Invalid parameter): Prüfen Sie den Wert und ob die Basis-URL zu dieser Umgebung gehört.</translation>
    </message>
    <message>
        <source>The authorization code was already used or has expired (codes are single-use and live 10 minutes): run step 1 again for a fresh code.</source>
        <translation>Der Autorisierungscode wurde schon verwendet oder ist abgelaufen (Codes gelten einmal und 10 Minuten): Führen Sie Schritt 1 erneut aus, um einen neuen Code zu holen.</translation>
    </message>
    <message>
        <source>Seismic refused the client credentials at the token step (40399 permission denied): check clientSecret (and clientId) for this environment. Running the flow again will not help until they are right.</source>
        <translation>Seismic hat die Client-Zugangsdaten beim Token-Schritt abgelehnt (40399 permission denied): Prüfen Sie clientSecret (und clientId) dieser Umgebung. Den Ablauf erneut auszuführen hilft erst, wenn sie stimmen.</translation>
    </message>
    <message>
        <source>Seismic answered 40399 permission denied on an API call: the access token expired, was revoked, or belongs to another environment. Keyway renews it once; if this persists, run the flow again against this environment's base URL.</source>
        <translation>Seismic hat einen API-Aufruf mit 40399 permission denied beantwortet: Das Zugriffstoken ist abgelaufen, wurde widerrufen oder gehört zu einer anderen Umgebung. Keyway erneuert es einmal; bleibt der Fehler, führen Sie den Ablauf erneut gegen die Basis-URL dieser Umgebung aus.</translation>
    </message>
    <message>
        <source>Seismic answered 40001 Invalid parameter: a required field is missing or malformed.</source>
        <translation>Seismic hat mit 40001 Invalid parameter geantwortet: Ein Pflichtfeld fehlt oder ist fehlerhaft.</translation>
    </message>
    <message>
        <source>List BINs</source>
        <translation>BINs auflisten</translation>
    </message>
    <message>
        <source>The BINs your program may issue from; every program has at least one.</source>
        <translation>Die BINs, aus denen Ihr Programm Karten ausgeben darf; jedes Programm hat mindestens eine.</translation>
    </message>
    <message>
        <source>Create a cardholder</source>
        <translation>Karteninhaber anlegen</translation>
    </message>
    <message>
        <source>Create a budget</source>
        <translation>Budget anlegen</translation>
    </message>
    <message>
        <source>SDK credentials are limited to card enrollment. Use the API credential set (api) for backend endpoints.</source>
        <translation>SDK-Zugangsdaten gelten nur für die Kartenregistrierung. Verwenden Sie für Backend-Endpunkte den API-Zugangsdatensatz (api).</translation>
    </message>
    <message>
        <source>The provider refused the refresh token (invalid_grant): it was revoked, rotated or expired. Sign in again.</source>
        <translation>Der Anbieter hat das Refresh-Token abgelehnt (invalid_grant): Es wurde widerrufen, ersetzt oder ist abgelaufen. Melden Sie sich erneut an.</translation>
    </message>
    <message>
        <source>Introspection URL</source>
        <translation>Introspektions-URL</translation>
    </message>
    <message>
        <source>The token introspection endpoint (RFC 7662), for Introspect. Absolute, or relative to the base URL.</source>
        <translation>Der Endpunkt für die Token-Introspektion (RFC 7662), für „Prüfen“. Absolut oder relativ zur Basis-URL.</translation>
    </message>
    <message>
        <source>Revocation URL</source>
        <translation>Widerrufs-URL</translation>
    </message>
    <message>
        <source>The token revocation endpoint (RFC 7009), for Revoke (and the revocation check of conform). Absolute, or relative to the base URL.</source>
        <translation>Der Endpunkt für den Token-Widerruf (RFC 7009), für „Widerrufen“ (und die Widerrufsprüfung von conform). Absolut oder relativ zur Basis-URL.</translation>
    </message>
    <message>
        <source>Any OAuth 2.0 provider with the device authorization grant (RFC 8628), for sign-ins on something without a convenient browser: Keyway asks for a device code, shows the user code and the verification address (and a QR code), and asks the token endpoint again at the provider's interval until someone approves the code in a browser on any device, denies it, or the code expires.</source>
        <translation>Jeder OAuth-2.0-Anbieter mit dem Device Authorization Grant (RFC 8628), für Anmeldungen auf Geräten ohne bequemen Browser: Keyway fordert einen Gerätecode an, zeigt den Benutzercode und die Bestätigungsadresse (und einen QR-Code) und fragt den Token-Endpunkt im Intervall des Anbieters erneut, bis jemand den Code in einem Browser auf einem beliebigen Gerät bestätigt, ablehnt oder der Code abläuft.</translation>
    </message>
    <message>
        <source>Device authorization URL</source>
        <translation>Geräteautorisierungs-URL</translation>
    </message>
    <message>
        <source>Confidential clients only; a device client is often public and has none.</source>
        <translation>Nur für vertrauliche Clients; ein Geräte-Client ist oft öffentlich und hat keines.</translation>
    </message>
    <message>
        <source>The token revocation endpoint (RFC 7009), for Revoke. Absolute, or relative to the base URL.</source>
        <translation>Der Endpunkt für den Token-Widerruf (RFC 7009), für „Widerrufen“. Absolut oder relativ zur Basis-URL.</translation>
    </message>
    <message>
        <source>Ask for a device code</source>
        <translation>Gerätecode anfordern</translation>
    </message>
    <message>
        <source>Form POST to the device authorization URL; the reply holds the code a person enters at the verification address.</source>
        <translation>Formular-POST an die Geräteautorisierungs-URL; die Antwort enthält den Code, den eine Person unter der Bestätigungsadresse eingibt.</translation>
    </message>
    <message>
        <source>Wait for the approval</source>
        <translation>Auf die Bestätigung warten</translation>
    </message>
    <message>
        <source>Form POST grant_type=urn:ietf:params:oauth:grant-type:device_code to the token URL, repeated at the provider's interval (5 s more after each slow_down) while it answers authorization_pending, until the code expires.</source>
        <translation>Formular-POST grant_type=urn:ietf:params:oauth:grant-type:device_code an die Token-URL, im Intervall des Anbieters wiederholt (nach jedem slow_down 5 s länger), solange er authorization_pending antwortet, bis der Code abläuft.</translation>
    </message>
    <message>
        <source>The sign-in was denied on the verification page (access_denied). Start it again if that was a mistake.</source>
        <translation>Die Anmeldung wurde auf der Bestätigungsseite abgelehnt (access_denied). Starten Sie sie erneut, falls das ein Versehen war.</translation>
    </message>
    <message>
        <source>The device code expired before anyone approved it (expired_token). Start the sign-in again and approve the new code in time.</source>
        <translation>Der Gerätecode ist abgelaufen, bevor ihn jemand bestätigt hat (expired_token). Starten Sie die Anmeldung erneut und bestätigen Sie den neuen Code rechtzeitig.</translation>
    </message>
    <message>
        <source>This client may not use the device authorization grant (unauthorized_client): enable the grant for the client at the provider.</source>
        <translation>Dieser Client darf den Device Authorization Grant nicht verwenden (unauthorized_client): Aktivieren Sie den Grant für den Client beim Anbieter.</translation>
    </message>
    <message>
        <source>Issuer</source>
        <translation>Aussteller (issuer)</translation>
    </message>
    <message>
        <source>An OpenID Connect or RFC 8414 issuer, e.g. https://login.example.com/realms/main: the endpoints are discovered from it and ID tokens are verified against its keys.</source>
        <translation>Ein OpenID-Connect- oder RFC-8414-Aussteller, z. B. https://login.example.com/realms/main: die Endpunkte werden daraus ermittelt, und ID-Tokens werden gegen seine Schlüssel geprüft.</translation>
    </message>
    <message>
        <source>The token endpoint. Absolute, or relative to the base URL. Discovered from the issuer when empty.</source>
        <translation>Der Token-Endpunkt. Absolut oder relativ zur Basis-URL. Wird aus dem Aussteller ermittelt, wenn leer.</translation>
    </message>
    <message>
        <source>Needed by body, basic and client_secret_jwt; private_key_jwt signs with client_key instead.</source>
        <translation>Nötig für body, basic und client_secret_jwt; private_key_jwt signiert stattdessen mit client_key.</translation>
    </message>
    <message>
        <source>body: client_id and client_secret in the form; basic: HTTP Basic (RFC 6749 §2.3.1); none: a public client (client_id only); client_secret_jwt: an RFC 7523 assertion signed HS256 with client_secret; private_key_jwt: an RFC 7523 assertion signed with client_key.</source>
        <translation>body: client_id und client_secret im Formular; basic: HTTP Basic (RFC 6749 §2.3.1); none: ein öffentlicher Client (nur client_id); client_secret_jwt: eine RFC-7523-Assertion, mit client_secret per HS256 signiert; private_key_jwt: eine RFC-7523-Assertion, mit client_key signiert.</translation>
    </message>
    <message>
        <source>JWKS URL</source>
        <translation>JWKS-URL</translation>
    </message>
    <message>
        <source>Where the issuer publishes its signing keys (ID tokens are verified against them). Discovered from the issuer when empty.</source>
        <translation>Wo der Aussteller seine Signaturschlüssel veröffentlicht (ID-Tokens werden gegen sie geprüft). Wird aus dem Aussteller ermittelt, wenn leer.</translation>
    </message>
    <message>
        <source>Assertion signing key</source>
        <translation>Signaturschlüssel der Assertion</translation>
    </message>
    <message>
        <source>private_key_jwt only: the PEM private key (RSA, 2048 bits or more, or EC P-256) that signs the client assertion.</source>
        <translation>Nur für private_key_jwt: der private PEM-Schlüssel (RSA mit mindestens 2048 Bit oder EC P-256), der die Client-Assertion signiert.</translation>
    </message>
    <message>
        <source>Key ID</source>
        <translation>Schlüssel-ID</translation>
    </message>
    <message>
        <source>private_key_jwt only: the kid under which the provider knows the client's public key.</source>
        <translation>Nur für private_key_jwt: die kid, unter der der Anbieter den öffentlichen Schlüssel des Clients kennt.</translation>
    </message>
    <message>
        <source>Discover the provider's endpoints</source>
        <translation>Endpunkte des Anbieters ermitteln</translation>
    </message>
    <message>
        <source>Only when an issuer is set: reads its OpenID configuration (else its RFC 8414 metadata), checks that the document names the same issuer, and fills the endpoints not set by hand.</source>
        <translation>Nur wenn ein Aussteller gesetzt ist: liest seine OpenID-Konfiguration (sonst seine RFC-8414-Metadaten), prüft, ob das Dokument denselben Aussteller nennt, und füllt die Endpunkte, die nicht von Hand gesetzt sind.</translation>
    </message>
    <message>
        <source>Where the browser signs in. Absolute, or relative to the base URL. Discovered from the issuer when empty.</source>
        <translation>Wo die Anmeldung im Browser stattfindet. Absolut oder relativ zur Basis-URL. Wird aus dem Aussteller ermittelt, wenn leer.</translation>
    </message>
    <message>
        <source>The token endpoint (code exchange and refresh). Absolute, or relative to the base URL. Discovered from the issuer when empty.</source>
        <translation>Der Token-Endpunkt (Code-Tausch und Erneuerung). Absolut oder relativ zur Basis-URL. Wird aus dem Aussteller ermittelt, wenn leer.</translation>
    </message>
    <message>
        <source>The device authorization endpoint. Absolute, or relative to the base URL. Discovered from the issuer when empty.</source>
        <translation>Der Endpunkt für die Geräteautorisierung. Absolut oder relativ zur Basis-URL. Wird aus dem Aussteller ermittelt, wenn leer.</translation>
    </message>
    <message>
        <source>The token endpoint (polled until the code is approved, and refresh). Absolute, or relative to the base URL. Discovered from the issuer when empty.</source>
        <translation>Der Token-Endpunkt (wird abgefragt, bis der Code bestätigt ist, und zur Erneuerung). Absolut oder relativ zur Basis-URL. Wird aus dem Aussteller ermittelt, wenn leer.</translation>
    </message>
    <message>
        <source>body: client_id and client_secret in the form; basic: HTTP Basic (RFC 6749 §2.3.1); none: client_id only (a public client); client_secret_jwt / private_key_jwt: a signed client assertion (RFC 7523).</source>
        <translation>body: client_id und client_secret im Formular; basic: HTTP Basic (RFC 6749 §2.3.1); none: nur client_id (ein öffentlicher Client); client_secret_jwt / private_key_jwt: eine signierte Client-Assertion (RFC 7523).</translation>
    </message>
    <message>
        <source>The issuer's signing keys, to verify ID tokens. Discovered from the issuer when empty.</source>
        <translation>Die Signaturschlüssel des Ausstellers, gegen die ID-Tokens geprüft werden. Wird aus dem Aussteller ermittelt, wenn leer.</translation>
    </message>
    <message>
        <source>private_key_jwt only: the client's private key in PEM (RSA or EC P-256).</source>
        <translation>Nur für private_key_jwt: der private PEM-Schlüssel des Clients (RSA oder EC P-256).</translation>
    </message>
    <message>
        <source>private_key_jwt only: the kid of the client's key as registered at the provider.</source>
        <translation>Nur für private_key_jwt: die kid des Client-Schlüssels, wie sie beim Anbieter registriert ist.</translation>
    </message>
    <message>
        <source>The provider refused the client credentials (invalid_client): check client_id, client_secret (or client_key) and client_auth.</source>
        <translation>Der Anbieter hat die Client-Zugangsdaten abgelehnt (invalid_client): Prüfen Sie client_id, client_secret (oder client_key) und client_auth.</translation>
    </message>
    <message>
        <source>Astrada</source>
        <translation>Astrada</translation>
    </message>
    <message>
        <source>Banking API</source>
        <translation>Banking-API</translation>
    </message>
    <message>
        <source>eCard Systems</source>
        <translation>eCard Systems</translation>
    </message>
    <message>
        <source>granted scope</source>
        <translation>gewährter Scope</translation>
    </message>
    <message>
        <source>OAuth 2.0 client credentials</source>
        <translation>OAuth 2.0 – Client Credentials</translation>
    </message>
    <message>
        <source>OAuth 2.0 authorization code</source>
        <translation>OAuth 2.0 – Autorisierungscode</translation>
    </message>
    <message>
        <source>user ID</source>
        <translation>Benutzer-ID</translation>
    </message>
    <message>
        <source>OAuth 2.0 device authorization</source>
        <translation>OAuth 2.0 – Geräteautorisierung</translation>
    </message>
    <message>
        <source>Seismic</source>
        <translation>Seismic</translation>
    </message>
</context>
<context>
    <name>keyway::ProxyResolver</name>
    <message>
        <source>'%1' is not a proxy address; write it as http://host:port</source>
        <translation>'%1' ist keine Proxy-Adresse; schreiben Sie sie als http://host:port</translation>
    </message>
    <message>
        <source>proxies of the kind %1:// are not supported; use an http:// or socks5:// proxy</source>
        <translation>Proxys der Art %1:// werden nicht unterstützt; verwenden Sie einen http://- oder socks5://-Proxy</translation>
    </message>
    <message>
        <source>the proxy in %1 cannot be used: %2</source>
        <translation>der Proxy in %1 kann nicht verwendet werden: %2</translation>
    </message>
</context>
<context>
    <name>keyway::ReplyJudge</name>
    <message>
        <source>HTTP %1</source>
        <translation>HTTP %1</translation>
    </message>
    <message>
        <source>, code %1</source>
        <translation>, Code %1</translation>
    </message>
    <message>
        <source>no %1 in the reply</source>
        <translation>kein %1 in der Antwort</translation>
    </message>
    <message>
        <source>code %1</source>
        <translation>Code %1</translation>
    </message>
    <message>
        <source>%1 is empty or missing in the reply</source>
        <translation>%1 ist in der Antwort leer oder fehlt</translation>
    </message>
    <message>
        <source>The provider answered with the OAuth error "%1".</source>
        <translation>Der Anbieter antwortete mit dem OAuth-Fehler "%1".</translation>
    </message>
    <message>
        <source>The provider answered with error code %1.</source>
        <translation>Der Anbieter antwortete mit dem Fehlercode %1.</translation>
    </message>
    <message>
        <source>The provider refused the request (HTTP %1).</source>
        <translation>Der Anbieter hat die Anfrage abgelehnt (HTTP %1).</translation>
    </message>
    <message>
        <source>The provider refused the credentials or the token.</source>
        <translation>Der Anbieter hat die Zugangsdaten oder das Token abgelehnt.</translation>
    </message>
    <message>
        <source>The provider understood the request but refused it: the credentials lack the permission or scope this endpoint needs.</source>
        <translation>Der Anbieter hat die Anfrage verstanden, aber abgelehnt: Den Zugangsdaten fehlt die Berechtigung oder der Scope, den dieser Endpunkt braucht.</translation>
    </message>
    <message>
        <source>The provider had an internal error; try again later.</source>
        <translation>Beim Anbieter ist ein interner Fehler aufgetreten; versuchen Sie es später noch einmal.</translation>
    </message>
    <message>
        <source>A gateway in front of the provider got no good answer from it; try again later.</source>
        <translation>Ein Gateway vor dem Anbieter hat von ihm keine brauchbare Antwort bekommen; versuchen Sie es später noch einmal.</translation>
    </message>
    <message>
        <source>The provider is unavailable or overloaded; try again later.</source>
        <translation>Der Anbieter ist nicht erreichbar oder überlastet; versuchen Sie es später noch einmal.</translation>
    </message>
</context>
<context>
    <name>keyway::RequestExecutor</name>
    <message>
        <source>no complete reply within %1 s</source>
        <translation>keine vollständige Antwort innerhalb von %1 s</translation>
    </message>
    <message>
        <source>cancelled</source>
        <translation>abgebrochen</translation>
    </message>
    <message>
        <source>too many redirects</source>
        <translation>zu viele Weiterleitungen</translation>
    </message>
    <message>
        <source>refused a redirect from HTTPS to %1</source>
        <translation>Weiterleitung von HTTPS zu %1 abgelehnt</translation>
    </message>
    <message>
        <source>refused to resend the request body to another origin (%1)</source>
        <translation>erneutes Senden des Anfrage-Bodys an einen anderen Origin (%1) abgelehnt</translation>
    </message>
    <message>
        <source>the reply is larger than the limit of %1</source>
        <translation>die Antwort ist größer als die Grenze von %1</translation>
    </message>
    <message>
        <source>the compressed reply could not be unpacked safely (it unpacks to far more than was sent, a decompression bomb, or it is corrupt); it was refused</source>
        <translation>die komprimierte Antwort ließ sich nicht sicher entpacken (sie entpackt sich zu weit mehr, als gesendet wurde, also eine Dekompressionsbombe, oder sie ist beschädigt); sie wurde abgelehnt</translation>
    </message>
    <message>
        <source>the connection broke after %1 bytes of the reply (%2); the reply is incomplete</source>
        <translation>die Verbindung brach nach %1 Bytes der Antwort ab (%2); die Antwort ist unvollständig</translation>
    </message>
    <message>
        <source>the connection broke after %1 of %2 bytes of the reply; the reply is incomplete</source>
        <translation>die Verbindung brach nach %1 von %2 Bytes der Antwort ab; die Antwort ist unvollständig</translation>
    </message>
    <message>
        <source>no complete reply within %1 s from %2 (the deadline)</source>
        <translation>keine vollständige Antwort innerhalb von %1 s von %2 (die Frist)</translation>
    </message>
    <message>
        <source>the reply could not be written out</source>
        <translation>die Antwort konnte nicht ausgegeben werden</translation>
    </message>
</context>
<context>
    <name>keyway::SecretStore</name>
    <message>
        <source>The secret is not in the keychain: set it in the Credentials tab.</source>
        <translation>Das Geheimnis ist nicht im Schlüsselbund: Tragen Sie es im Reiter Zugangsdaten ein.</translation>
    </message>
    <message>
        <source>The keychain is locked or waits to be unlocked: unlock it, then try again.</source>
        <translation>Der Schlüsselbund ist gesperrt oder wartet darauf, entsperrt zu werden: Entsperren Sie ihn und versuchen Sie es dann noch einmal.</translation>
    </message>
    <message>
        <source>No keychain is available: start your desktop's keyring, then try again.</source>
        <translation>Kein Schlüsselbund verfügbar: Starten Sie den Schlüsselbunddienst Ihres Desktops und versuchen Sie es dann erneut.</translation>
    </message>
    <message>
        <source>The keychain refused access: allow Keyway, then try again.</source>
        <translation>Der Schlüsselbund hat den Zugriff verweigert: Erlauben Sie Keyway den Zugriff und versuchen Sie es dann erneut.</translation>
    </message>
    <message>
        <source>The keychain reported an error: %1</source>
        <translation>Der Schlüsselbund hat einen Fehler gemeldet: %1</translation>
    </message>
</context>
<context>
    <name>keyway::Session</name>
    <message>
        <source>%1 is not on this environment's origin (%2)</source>
        <translation>%1 liegt nicht am Origin dieser Umgebung (%2)</translation>
    </message>
    <message>
        <source>Tokens of an environment are only ever sent to its own base URL.</source>
        <translation>Die Token einer Umgebung werden ausschließlich an ihre eigene Basis-URL gesendet.</translation>
    </message>
    <message>
        <source>No reply from the provider: check the base URL and the network.</source>
        <translation>Keine Antwort vom Anbieter: Prüfen Sie die Basis-URL und das Netzwerk.</translation>
    </message>
    <message>
        <source>Keyway refused this reply; check the request's path and the environment's base URL.</source>
        <translation>Keyway hat diese Antwort abgelehnt; prüfen Sie den Pfad der Anfrage und die Basis-URL der Umgebung.</translation>
    </message>
</context>
<context>
    <name>keyway::SessionRegistry</name>
    <message>
        <source>This environment or its provider profile no longer exists.</source>
        <translation>Diese Umgebung oder ihr Anbieterprofil existiert nicht mehr.</translation>
    </message>
</context>
<context>
    <name>keyway::SignInPageProbe</name>
    <message>
        <source>with a code</source>
        <translation>mit einem Code</translation>
    </message>
    <message>
        <source>with error=%1</source>
        <translation>mit error=%1</translation>
    </message>
    <message>
        <source>without a code</source>
        <translation>ohne Code</translation>
    </message>
    <message>
        <source>the server sent the browser straight back to the redirect URI %1, without a sign-in page: prompt=login must force the user to sign in again</source>
        <translation>der Server hat den Browser ohne Anmeldeseite direkt %1 zur Redirect-URI zurückgeschickt: prompt=login muss eine erneute Anmeldung des Benutzers erzwingen</translation>
    </message>
    <message>
        <source>too many redirects from %1</source>
        <translation>zu viele Weiterleitungen von %1</translation>
    </message>
    <message>
        <source>no reply from %1: %2</source>
        <translation>keine Antwort von %1: %2</translation>
    </message>
    <message>
        <source>a sign-in page with a password field at %1</source>
        <translation>eine Anmeldeseite mit Passwortfeld unter %1</translation>
    </message>
    <message>
        <source>the authorization URL answered HTTP %1 at %2: check client_id and that http://127.0.0.1/callback is a registered redirect URI</source>
        <translation>die Autorisierungs-URL antwortete unter %2 mit HTTP %1: prüfen Sie client_id und ob http://127.0.0.1/callback als Redirect-URI registriert ist</translation>
    </message>
    <message>
        <source>HTTP %1 at %2 has no form with a password field (a page drawn by JavaScript cannot be seen by this check)</source>
        <translation>HTTP %1 unter %2 enthält kein Formular mit Passwortfeld (eine per JavaScript erzeugte Seite kann diese Prüfung nicht erkennen)</translation>
    </message>
</context>
<context>
    <name>keyway::SingleInstance</name>
    <message>
        <source>Cannot create the directory of %1.</source>
        <translation>Das Verzeichnis für %1 kann nicht angelegt werden.</translation>
    </message>
</context>
<context>
    <name>keyway::TlsDiagnosis</name>
    <message>
        <source>no name</source>
        <translation>kein Name</translation>
    </message>
    <message>
        <source>subject %1; issuer %2; valid %3 to %4; SHA-256 %5</source>
        <translation>Inhaber %1; Aussteller %2; gültig von %3 bis %4; SHA-256 %5</translation>
    </message>
    <message>
        <source>the certificate is self-signed (no authority this environment trusts vouches for it)</source>
        <translation>das Zertifikat ist selbstsigniert (keine Stelle, der diese Umgebung vertraut, bürgt dafür)</translation>
    </message>
    <message>
        <source>certificate signed by an unknown authority</source>
        <translation>Zertifikat von einer unbekannten Stelle signiert</translation>
    </message>
    <message>
        <source>the CA file %1 (tls.ca_file) does not hold the CA that signed it: point tls.ca_file at the right PEM file</source>
        <translation>die CA-Datei %1 (tls.ca_file) enthält nicht die CA, die es signiert hat: lassen Sie tls.ca_file auf die richtige PEM-Datei zeigen</translation>
    </message>
    <message>
        <source>if you trust its issuer, set tls.ca_file to a PEM file with that CA certificate</source>
        <translation>wenn Sie seinem Aussteller vertrauen, setzen Sie tls.ca_file auf eine PEM-Datei mit diesem CA-Zertifikat</translation>
    </message>
    <message>
        <source>the certificate expired on %1</source>
        <translation>das Zertifikat ist am %1 abgelaufen</translation>
    </message>
    <message>
        <source>the server's operator must renew it (check this computer's clock too)</source>
        <translation>der Betreiber des Servers muss es erneuern (prüfen Sie auch die Uhr dieses Rechners)</translation>
    </message>
    <message>
        <source>the certificate is not valid before %1</source>
        <translation>das Zertifikat ist erst ab %1 gültig</translation>
    </message>
    <message>
        <source>check this computer's clock</source>
        <translation>prüfen Sie die Uhr dieses Rechners</translation>
    </message>
    <message>
        <source>name mismatch: the certificate is for %1</source>
        <translation>Namen passen nicht: das Zertifikat gilt für %1</translation>
    </message>
    <message>
        <source>use a host name the certificate names in the environment's base URL</source>
        <translation>verwenden Sie in der Basis-URL der Umgebung einen Hostnamen, den das Zertifikat nennt</translation>
    </message>
    <message>
        <source>TLS handshake with %1 failed: %2.</source>
        <translation>TLS-Handshake mit %1 fehlgeschlagen: %2.</translation>
    </message>
    <message>
        <source>Presented certificate: %1.</source>
        <translation>Vorgelegtes Zertifikat: %1.</translation>
    </message>
    <message>
        <source>TLS handshake with %1 failed: the server requires a client certificate (mutual TLS). Set tls.client_cert to its PEM file and store its private key as the secret tls.client_key.</source>
        <translation>TLS-Handshake mit %1 fehlgeschlagen: der Server verlangt ein Client-Zertifikat (gegenseitiges TLS). Setzen Sie tls.client_cert auf dessen PEM-Datei und speichern Sie seinen privaten Schlüssel als Geheimnis tls.client_key.</translation>
    </message>
    <message>
        <source>TLS handshake with %1 failed: the server refused the client certificate (%2). Check that tls.client_cert is the certificate the partner issued for you and tls.client_key its key.</source>
        <translation>TLS-Handshake mit %1 fehlgeschlagen: der Server hat das Client-Zertifikat abgelehnt (%2). Prüfen Sie, ob tls.client_cert das Zertifikat ist, das der Partner für Sie ausgestellt hat, und tls.client_key sein Schlüssel.</translation>
    </message>
    <message>
        <source>TLS handshake with %1 failed: the server closed the connection during the handshake, as a server does that refuses the client certificate. Check that tls.client_cert is the certificate the partner issued for you and tls.client_key its key.</source>
        <translation>TLS-Handshake mit %1 fehlgeschlagen: der Server hat die Verbindung während des Handshakes geschlossen, wie es ein Server tut, der das Client-Zertifikat ablehnt. Prüfen Sie, ob tls.client_cert das Zertifikat ist, das der Partner für Sie ausgestellt hat, und tls.client_key sein Schlüssel.</translation>
    </message>
    <message>
        <source>TLS handshake with %1 failed: the server closed the connection during the handshake, as a server does that requires a client certificate (mutual TLS). Set tls.client_cert to its PEM file and store its private key as the secret tls.client_key.</source>
        <translation>TLS-Handshake mit %1 fehlgeschlagen: der Server hat die Verbindung während des Handshakes geschlossen, wie es ein Server tut, der ein Client-Zertifikat verlangt (gegenseitiges TLS). Setzen Sie tls.client_cert auf dessen PEM-Datei und speichern Sie seinen privaten Schlüssel als Geheimnis tls.client_key.</translation>
    </message>
</context>
<context>
    <name>keyway::TokenLifecycle</name>
    <message>
        <source>Introspect the %1</source>
        <translation>%1 prüfen (Introspektion)</translation>
    </message>
    <message>
        <source>Revoke the %1</source>
        <translation>%1 widerrufen</translation>
    </message>
    <message>
        <source>There is no refresh token to introspect: sign in first.</source>
        <translation>Es gibt kein Refresh-Token zum Prüfen: Melden Sie sich zuerst an.</translation>
    </message>
    <message>
        <source>There is no token to revoke: no refresh token is stored and no access token is in use.</source>
        <translation>Es gibt kein Token zum Widerrufen: Es ist kein Refresh-Token gespeichert und kein Access-Token in Gebrauch.</translation>
    </message>
    <message>
        <source>This environment has no introspection endpoint: set its introspection_url (the provider's RFC 7662 endpoint, absolute or relative to the base URL), or its issuer to discover it.</source>
        <translation>Diese Umgebung hat keinen Introspektions-Endpunkt: Setzen Sie ihre introspection_url (den RFC-7662-Endpunkt des Anbieters, absolut oder relativ zur Basis-URL) oder ihren issuer, um ihn zu ermitteln.</translation>
    </message>
    <message>
        <source>This environment has no revocation endpoint: set its revocation_url (the provider's RFC 7009 endpoint, absolute or relative to the base URL), or its issuer to discover it.</source>
        <translation>Diese Umgebung hat keinen Widerrufs-Endpunkt: Setzen Sie ihre revocation_url (den RFC-7009-Endpunkt des Anbieters, absolut oder relativ zur Basis-URL) oder ihren issuer, um ihn zu ermitteln.</translation>
    </message>
</context>
<context>
    <name>keyway::WebhookVerifier</name>
    <message>
        <source>without the trailing newline</source>
        <translation>ohne abschließenden Zeilenumbruch</translation>
    </message>
    <message>
        <source>with a trailing newline</source>
        <translation>mit abschließendem Zeilenumbruch</translation>
    </message>
    <message>
        <source>with LF instead of CRLF line endings</source>
        <translation>mit LF- statt CRLF-Zeilenenden</translation>
    </message>
    <message>
        <source>as compact JSON (no whitespace)</source>
        <translation>als kompaktes JSON (ohne Leerraum)</translation>
    </message>
    <message>
        <source>as indented JSON</source>
        <translation>als eingerücktes JSON</translation>
    </message>
    <message>
        <source>with surrounding whitespace removed</source>
        <translation>ohne umgebenden Leerraum</translation>
    </message>
    <message>
        <source>Valid: the %1 signature matches HMAC-SHA256 of the body with this environment's secret.</source>
        <translation>Gültig: Die %1-Signatur stimmt mit dem HMAC-SHA256 des Bodys mit dem Secret dieser Umgebung überein.</translation>
    </message>
    <message>
        <source>The signature matches the body %1, not the bytes given: verify the raw request body exactly as received, before any parsing or reformatting.</source>
        <translation>Die Signatur passt zum Body %1, nicht zu den übergebenen Bytes: Prüfen Sie den rohen Anfrage-Body genau so, wie er empfangen wurde, vor jedem Parsen oder Umformatieren.</translation>
    </message>
    <message>
        <source>with surrounding whitespace removed from the secret</source>
        <translation>ohne umgebenden Leerraum</translation>
    </message>
    <message>
        <source>hex-decoded</source>
        <translation>hex-dekodiert</translation>
    </message>
    <message>
        <source>base64-decoded</source>
        <translation>base64-dekodiert</translation>
    </message>
    <message>
        <source>The signature matches when the secret is %1: store the secret in that form.</source>
        <translation>Die Signatur passt, wenn das Secret %1 verwendet wird: Speichern Sie das Secret in dieser Form.</translation>
    </message>
    <message>
        <source>signature header</source>
        <translation>Signatur-Header</translation>
    </message>
    <message>
        <source>64 hex characters</source>
        <translation>64 Hex-Zeichen</translation>
    </message>
    <message>
        <source>44 base64 characters</source>
        <translation>44 Base64-Zeichen</translation>
    </message>
    <message>
        <source>The signature is not an HMAC-SHA256 value: expected %1%2. Copy the whole value of the %3 header.</source>
        <translation>Die Signatur ist kein HMAC-SHA256-Wert: Erwartet werden %1%2. Kopieren Sie den ganzen Wert des Headers %3.</translation>
    </message>
    <message>
        <source> or </source>
        <translation> oder </translation>
    </message>
    <message>
        <source> (optionally "%1" first)</source>
        <translation> (optional mit vorangestelltem "%1")</translation>
    </message>
    <message>
        <source>The signature is written in %1, but this provider sends %2 in the %3 header: copy the header's value unchanged.</source>
        <translation>Die Signatur ist in %1 geschrieben, aber dieser Anbieter sendet %2 im Header %3: Kopieren Sie den Wert des Headers unverändert.</translation>
    </message>
    <message>
        <source>The signature does not match: the secret is not the one that signed this webhook, or the body was changed after it was signed.</source>
        <translation>Die Signatur stimmt nicht überein: Das Secret ist nicht das, mit dem dieser Webhook signiert wurde, oder der Body wurde nach dem Signieren verändert.</translation>
    </message>
    <message>
        <source>The signature does not match: the secret is not the one that signed this webhook (check the environment's %1), or the body was changed after it was signed.</source>
        <translation>Die Signatur stimmt nicht überein: Das Secret ist nicht das, mit dem dieser Webhook signiert wurde (prüfen Sie %1 der Umgebung), oder der Body wurde nach dem Signieren verändert.</translation>
    </message>
</context>
<context>
    <name>keyway::app</name>
    <message>
        <source>Keyway: prove that a provider's credentials work, with the secrets kept in the keychain.
Starts the desktop app; a second launch raises the running window instead.
For scripts and terminals use keyway-cli.</source>
        <translation>Keyway: beweist, dass die Zugangsdaten eines Anbieters funktionieren, mit den Secrets im Schlüsselbund.
Startet die Desktop-App; ein zweiter Start holt stattdessen das laufende Fenster nach vorn.
Für Skripte und Terminals gibt es keyway-cli.</translation>
    </message>
    <message>
        <source>Select the environment NAME.</source>
        <translation>Die Umgebung NAME auswählen.</translation>
    </message>
    <message>
        <source>NAME</source>
        <translation>NAME</translation>
    </message>
</context>
<context>
    <name>keyway::cli::BrowserOpener</name>
    <message>
        <source>Open this URL in a browser to sign in, then come back here:</source>
        <translation>Öffnen Sie diese URL in einem Browser, um sich anzumelden, und kehren Sie dann hierher zurück:</translation>
    </message>
    <message>
        <source>keyway-cli: could not open a browser (xdg-open failed); open this URL in a browser to sign in, keyway-cli keeps waiting (--no-browser skips this attempt):</source>
        <translation>keyway-cli: Es konnte kein Browser geöffnet werden (xdg-open ist fehlgeschlagen); öffnen Sie diese URL in einem Browser, um sich anzumelden, keyway-cli wartet weiter (--no-browser überspringt diesen Versuch):</translation>
    </message>
    <message>
        <source>To sign in, open %1 in a browser on any device and enter the code:</source>
        <translation>Zum Anmelden öffnen Sie %1 in einem Browser auf einem beliebigen Gerät und geben den Code ein:</translation>
    </message>
    <message>
        <source>(or open %1, which carries the code)</source>
        <translation>(oder öffnen Sie %1, das den Code bereits enthält)</translation>
    </message>
    <message numerus="yes">
        <source>Waiting for the approval; the code expires in %n minute(s). Ctrl+C stops waiting.</source>
        <translation>
            <numerusform>Warte auf die Bestätigung; der Code läuft in %n Minute ab. Strg+C beendet das Warten.</numerusform>
            <numerusform>Warte auf die Bestätigung; der Code läuft in %n Minuten ab. Strg+C beendet das Warten.</numerusform>
        </translation>
    </message>
    <message>
        <source>Waiting for the approval. Ctrl+C stops waiting.</source>
        <translation>Warte auf die Bestätigung. Strg+C beendet das Warten.</translation>
    </message>
    <message numerus="yes">
        <source>%n minute(s)</source>
        <translation>
            <numerusform>%n Minute</numerusform>
            <numerusform>%n Minuten</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n second(s)</source>
        <translation>
            <numerusform>%n Sekunde</numerusform>
            <numerusform>%n Sekunden</numerusform>
        </translation>
    </message>
    <message>
        <source>Waiting up to %1 for the sign-in in your browser; Ctrl+C stops waiting.</source>
        <translation>Warte bis zu %1 auf die Anmeldung in Ihrem Browser; Strg+C beendet das Warten.</translation>
    </message>
    <message>
        <source>Waiting up to %1 for the sign-in; Ctrl+C stops waiting.</source>
        <translation>Warte bis zu %1 auf die Anmeldung; Strg+C beendet das Warten.</translation>
    </message>
</context>
<context>
    <name>keyway::cli::BundleCommands</name>
    <message>
        <source>Writes environments (all, or the named ones) as a bundle without a single secret value.</source>
        <translation>Schreibt Umgebungen (alle oder die genannten) als Bündel ohne einen einzigen geheimen Wert.</translation>
    </message>
    <message>
        <source>Write the bundle to FILE instead of standard output.</source>
        <translation>Das Bündel in DATEI statt auf die Standardausgabe schreiben.</translation>
    </message>
    <message>
        <source>keyway-cli env export: cannot write %1: %2</source>
        <translation>keyway-cli env export: %1 kann nicht geschrieben werden: %2</translation>
    </message>
    <message numerus="yes">
        <source>keyway-cli: wrote %n environment(s) to %1 (no secret values).</source>
        <translation>
            <numerusform>keyway-cli: %n Umgebung nach %1 geschrieben (keine geheimen Werte).</numerusform>
            <numerusform>keyway-cli: %n Umgebungen nach %1 geschrieben (keine geheimen Werte).</numerusform>
        </translation>
    </message>
    <message>
        <source>Creates the environments of a Keyway bundle, a Postman environment or a Postman collection.</source>
        <translation>Legt die Umgebungen eines Keyway-Bündels, einer Postman-Umgebung oder einer Postman-Collection an.</translation>
    </message>
    <message>
        <source>A secret of an imported environment, read from standard input (one line each, in order).</source>
        <translation>Ein Geheimnis einer importierten Umgebung, von der Standardeingabe gelesen (je eine Zeile, in Reihenfolge).</translation>
    </message>
    <message>
        <source>A secret whose value is the whole content of FILE (- for standard input).</source>
        <translation>Ein Geheimnis, dessen Wert der ganze Inhalt von DATEI ist (- für die Standardeingabe).</translation>
    </message>
    <message>
        <source>Update environments that already exist instead of refusing.</source>
        <translation>Vorhandene Umgebungen aktualisieren, statt abzulehnen.</translation>
    </message>
    <message>
        <source>env import takes exactly one FILE.</source>
        <translation>env import erwartet genau eine DATEI.</translation>
    </message>
    <message>
        <source>cannot read %1: %2</source>
        <translation>%1 kann nicht gelesen werden: %2</translation>
    </message>
    <message>
        <source>%1 is neither a Keyway bundle ({"keyway_bundle": 1, ...}) nor a Postman environment or collection v2.1 file.</source>
        <translation>%1 ist weder ein Keyway-Bündel ({"keyway_bundle": 1, ...}) noch eine Postman-Umgebung oder Collection-v2.1-Datei.</translation>
    </message>
    <message numerus="yes">
        <source>Imported %n environment(s): %1</source>
        <translation>
            <numerusform>%n Umgebung importiert: %1</numerusform>
            <numerusform>%n Umgebungen importiert: %1</numerusform>
        </translation>
    </message>
    <message>
        <source>Missing secret %1.%2: set the variable %3</source>
        <translation>Fehlendes Geheimnis %1.%2: Setzen Sie die Variable %3</translation>
    </message>
    <message>
        <source>Missing secret %1.%2: keyway-cli env set %1 --secret %2</source>
        <translation>Fehlendes Geheimnis %1.%2: keyway-cli env set %1 --secret %2</translation>
    </message>
    <message>
        <source>'%1' names no environment of the file; expected NAME.KEY with NAME one of: %2</source>
        <translation>'%1' nennt keine Umgebung der Datei; erwartet NAME.SCHLÜSSEL mit NAME aus: %2</translation>
    </message>
    <message>
        <source>'%1' is not a secret key of environment '%2'. Secret keys: %3</source>
        <translation>'%1' ist kein geheimer Schlüssel der Umgebung '%2'. Geheime Schlüssel: %3</translation>
    </message>
    <message>
        <source>'%1' is given twice.</source>
        <translation>'%1' ist zweimal angegeben.</translation>
    </message>
    <message>
        <source>expected the value of '%1' on standard input (one line per --secret, in order), but the input ended.</source>
        <translation>Wert von '%1' auf der Standardeingabe erwartet (eine Zeile pro --secret, in Reihenfolge), aber die Eingabe ist zu Ende.</translation>
    </message>
    <message>
        <source>the value of '%1' is empty.</source>
        <translation>der Wert von '%1' ist leer.</translation>
    </message>
    <message>
        <source>--secret-file expects NAME.KEY=FILE.</source>
        <translation>--secret-file erwartet NAME.SCHLÜSSEL=DATEI.</translation>
    </message>
    <message>
        <source>the file for '%1' is empty.</source>
        <translation>die Datei für '%1' ist leer.</translation>
    </message>
</context>
<context>
    <name>keyway::cli::CheckAllCommand</name>
    <message>
        <source>; token valid for %1</source>
        <translation>; Token gültig für %1</translation>
    </message>
    <message>
        <source>check --all takes no NAME; use --provider ID to check one provider's.</source>
        <translation>check --all erwartet keinen NAMEN; mit --provider ID prüfen Sie die eines Anbieters.</translation>
    </message>
    <message>
        <source>--jobs must be a whole number from 1 to 64, not '%1'</source>
        <translation>--jobs muss eine ganze Zahl von 1 bis 64 sein, nicht '%1'</translation>
    </message>
    <message>
        <source>keyway-cli: cannot read the environments: %1</source>
        <translation>keyway-cli: die Umgebungen können nicht gelesen werden: %1</translation>
    </message>
    <message>
        <source>unknown provider '%1'. Valid providers: %2</source>
        <translation>unbekannter Anbieter '%1'. Gültige Anbieter: %2</translation>
    </message>
    <message>
        <source>keyway-cli: no environments to check. Add one with keyway-cli env add, or import a bundle with keyway-cli env import FILE.</source>
        <translation>keyway-cli: keine Umgebungen zu prüfen. Legen Sie eine mit keyway-cli env add an oder importieren Sie ein Bündel mit keyway-cli env import DATEI.</translation>
    </message>
    <message>
        <source>keyway-cli: no environment uses provider '%1'.</source>
        <translation>keyway-cli: keine Umgebung nutzt den Anbieter '%1'.</translation>
    </message>
    <message>
        <source>keyway-cli: cannot write the JUnit report %1: %2</source>
        <translation>keyway-cli: der JUnit-Bericht %1 kann nicht geschrieben werden: %2</translation>
    </message>
    <message numerus="yes">
        <source>keyway-cli: %1 of %n environment(s) passed.</source>
        <translation>
            <numerusform>keyway-cli: %1 von %n Umgebung bestanden.</numerusform>
            <numerusform>keyway-cli: %1 von %n Umgebungen bestanden.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>keyway::cli::CliApp</name>
    <message>
        <source>Usage:</source>
        <translation>Aufruf:</translation>
    </message>
    <message>
        <source>  keyway-cli COMMAND --help | keyway-cli help COMMAND   (a command's options)
  keyway-cli --version

Exit codes: 0 ok, 1 the provider refused the call, 2 usage or bad input (also: standard
output could not be written), 3 the auth flow failed, 4 keychain unavailable or locked,
5 the server could not be reached (connection, TLS, timeout, --max-time deadline).</source>
        <translation>  keyway-cli BEFEHL --help | keyway-cli help BEFEHL   (die Optionen eines Befehls)
  keyway-cli --version

Exit-Codes: 0 ok, 1 der Anbieter hat den Aufruf abgelehnt, 2 falscher Aufruf oder ungültige Eingabe (auch:
Standardausgabe nicht beschreibbar), 3 der Anmelde-Flow ist fehlgeschlagen, 4 Schlüsselbund nicht verfügbar oder gesperrt,
5 der Server war nicht erreichbar (Verbindung, TLS, Zeitüberschreitung, Frist von --max-time).</translation>
    </message>
    <message>
        <source>keyway-cli: no command '%1'.</source>
        <translation>keyway-cli: Es gibt keinen Befehl '%1'.</translation>
    </message>
    <message>
        <source>keyway-cli %1: missing sub-command.</source>
        <translation>keyway-cli %1: Unterbefehl fehlt.</translation>
    </message>
    <message>
        <source>keyway-cli %1: unknown sub-command '%2'.</source>
        <translation>keyway-cli %1: unbekannter Unterbefehl '%2'.</translation>
    </message>
    <message>
        <source>keyway-cli: unknown command '%1'.</source>
        <translation>keyway-cli: unbekannter Befehl '%1'.</translation>
    </message>
    <message>
        <source>keyway-cli: could not write to standard output (%1).</source>
        <translation>keyway-cli: Die Standardausgabe konnte nicht geschrieben werden (%1).</translation>
    </message>
</context>
<context>
    <name>keyway::cli::CliCommand</name>
    <message>
        <source>Usage: keyway-cli %1 %2</source>
        <translation>Aufruf: keyway-cli %1 %2</translation>
    </message>
    <message>
        <source>Show this help and exit.</source>
        <translation>Diese Hilfe anzeigen und beenden.</translation>
    </message>
    <message>
        <source>Options:</source>
        <translation>Optionen:</translation>
    </message>
    <message>
        <source>unknown option '%1'.</source>
        <translation>unbekannte Option '%1'.</translation>
    </message>
    <message>
        <source>Valid options: %1</source>
        <translation>Gültige Optionen: %1</translation>
    </message>
</context>
<context>
    <name>keyway::cli::CompletionCommand</name>
    <message>
        <source>%1 commands</source>
        <translation>%1-Befehle</translation>
    </message>
    <message>
        <source>Show the usage of a command</source>
        <translation>Die Verwendung eines Befehls zeigen</translation>
    </message>
    <message>
        <source>Prints the shell completion script for SHELL: bash, zsh or fish.</source>
        <translation>Gibt das Vervollständigungsskript für SHELL aus: bash, zsh oder fish.</translation>
    </message>
    <message>
        <source>name one shell: bash, zsh or fish</source>
        <translation>nennen Sie eine Shell: bash, zsh oder fish</translation>
    </message>
    <message>
        <source>no completion for '%1'; choose bash, zsh or fish</source>
        <translation>keine Vervollständigung für '%1'; wählen Sie bash, zsh oder fish</translation>
    </message>
</context>
<context>
    <name>keyway::cli::ConformCommand</name>
    <message>
        <source>Runs the seven provider conformance checks against an authorization-code environment.</source>
        <translation>Führt die sieben Konformitätsprüfungen des Anbieters gegen eine Umgebung mit Autorisierungscode-Flow aus.</translation>
    </message>
    <message>
        <source>Print the sign-in URLs instead of opening a browser, then wait for the redirects.</source>
        <translation>Die Anmelde-URLs ausgeben, statt einen Browser zu öffnen, und dann auf die Weiterleitungen warten.</translation>
    </message>
    <message>
        <source>JSON Lines: the events, one check object per check, then the result.</source>
        <translation>JSON Lines: die Ereignisse, ein Prüfobjekt je Prüfung, dann das Ergebnis.</translation>
    </message>
    <message>
        <source>unexpected argument '%1'</source>
        <translation>unerwartetes Argument '%1'</translation>
    </message>
    <message>
        <source>missing the environment NAME</source>
        <translation>der NAME der Umgebung fehlt</translation>
    </message>
    <message>
        <source>keyway-cli: warning: %1</source>
        <translation>keyway-cli: Warnung: %1</translation>
    </message>
    <message>
        <source>%1 of %2 checks passed</source>
        <translation>%1 von %2 Prüfungen bestanden</translation>
    </message>
    <message>
        <source>keyway-cli conform: %1</source>
        <translation>keyway-cli conform: %1</translation>
    </message>
    <message>
        <source>keyway-cli: the server could not be reached: %1</source>
        <translation>keyway-cli: Der Server war nicht erreichbar: %1</translation>
    </message>
</context>
<context>
    <name>keyway::cli::EnvCommand</name>
    <message>
        <source>required</source>
        <translation>erforderlich</translation>
    </message>
    <message>
        <source>secret</source>
        <translation>geheim</translation>
    </message>
    <message>
        <source>env add takes exactly one NAME.</source>
        <translation>env add erwartet genau einen NAME.</translation>
    </message>
    <message>
        <source>--provider ID is required. Valid providers: %1</source>
        <translation>--provider ID ist erforderlich. Gültige Anbieter: %1</translation>
    </message>
    <message>
        <source>unknown provider '%1'. Valid providers: %2</source>
        <translation>unbekannter Anbieter '%1'. Gültige Anbieter: %2</translation>
    </message>
    <message>
        <source>provider '%1' has no default base URL: pass --base-url URL.</source>
        <translation>Anbieter '%1' hat keine Standard-Basis-URL: Geben Sie --base-url URL an.</translation>
    </message>
    <message>
        <source>'%1' is not an http:// or https:// URL.</source>
        <translation>'%1' ist keine http://- oder https://-URL.</translation>
    </message>
    <message>
        <source>--set expects KEY=VALUE.</source>
        <translation>--set erwartet KEY=VALUE.</translation>
    </message>
    <message>
        <source>unknown key '%1' for provider '%2'. Valid keys: %3</source>
        <translation>unbekannter Schlüssel '%1' für Anbieter '%2'. Gültige Schlüssel: %3</translation>
    </message>
    <message>
        <source>'%1' is a secret and is never accepted on the command line: use --secret %1 and give the value on standard input.</source>
        <translation>'%1' ist ein Secret und wird nie auf der Kommandozeile akzeptiert: Verwenden Sie --secret %1 und übergeben Sie den Wert über die Standardeingabe.</translation>
    </message>
    <message>
        <source>'%1' is set twice.</source>
        <translation>'%1' ist zweimal gesetzt.</translation>
    </message>
    <message>
        <source>'%1' must be one of: %2</source>
        <translation>'%1' muss einer der folgenden Werte sein: %2</translation>
    </message>
    <message>
        <source>'%1' is not a secret: use --set %1=VALUE. Secret keys: %2</source>
        <translation>'%1' ist kein Secret: Verwenden Sie --set %1=VALUE. Geheime Schlüssel: %2</translation>
    </message>
    <message>
        <source>'%1' is given twice.</source>
        <translation>'%1' ist zweimal angegeben.</translation>
    </message>
    <message>
        <source>missing required key(s) for provider '%1': %2. Valid keys: %3</source>
        <translation>fehlende Pflichtschlüssel für Anbieter '%1': %2. Gültige Schlüssel: %3</translation>
    </message>
    <message>
        <source>an environment named '%1' already exists (existing: %2). Remove it first with: keyway-cli env rm %1</source>
        <translation>eine Umgebung namens '%1' existiert bereits (vorhanden: %2). Entfernen Sie sie zuerst mit: keyway-cli env rm %1</translation>
    </message>
    <message>
        <source>%1 (%2): </source>
        <translation>%1 (%2): </translation>
    </message>
    <message>
        <source>expected the value of '%1' on standard input (one line per --secret, in order), but the input ended.</source>
        <translation>Wert von '%1' auf der Standardeingabe erwartet (eine Zeile pro --secret, in Reihenfolge), aber die Eingabe ist zu Ende.</translation>
    </message>
    <message>
        <source>the value of '%1' is empty.</source>
        <translation>der Wert von '%1' ist leer.</translation>
    </message>
    <message numerus="yes">
        <source>Added environment '%1' (%2, %3); %n secret(s) stored in the keychain.</source>
        <translation>
            <numerusform>Umgebung '%1' hinzugefügt (%2, %3); %n Secret im Schlüsselbund gespeichert.</numerusform>
            <numerusform>Umgebung '%1' hinzugefügt (%2, %3); %n Secrets im Schlüsselbund gespeichert.</numerusform>
        </translation>
    </message>
    <message>
        <source>env list takes no NAME.</source>
        <translation>env list erwartet keinen NAME.</translation>
    </message>
    <message>
        <source>env show takes exactly one NAME.</source>
        <translation>env show erwartet genau einen NAME.</translation>
    </message>
    <message>
        <source>no environment named '%1'. Environments: %2</source>
        <translation>keine Umgebung namens '%1'. Umgebungen: %2</translation>
    </message>
    <message>
        <source>name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>id</source>
        <translation>ID</translation>
    </message>
    <message>
        <source>provider</source>
        <translation>Anbieter</translation>
    </message>
    <message>
        <source>base URL</source>
        <translation>Basis-URL</translation>
    </message>
    <message>
        <source>created</source>
        <translation>Erstellt</translation>
    </message>
    <message>
        <source>env rm takes exactly one NAME.</source>
        <translation>env rm erwartet genau einen NAME.</translation>
    </message>
    <message>
        <source>Removed environment '%1' and its keychain entries.</source>
        <translation>Umgebung '%1' und ihre Schlüsselbundeinträge entfernt.</translation>
    </message>
    <message>
        <source>keyway-cli: no environments yet. Add one with: keyway-cli env add NAME --provider ID</source>
        <translation>keyway-cli: Noch keine Umgebungen. Legen Sie eine an mit: keyway-cli env add NAME --provider ID</translation>
    </message>
    <message>
        <source>keyway-cli: warning: provider '%1' is not known any more; secret fields cannot be listed.</source>
        <translation>keyway-cli: Warnung: Anbieter '%1' ist nicht mehr bekannt; geheime Felder können nicht aufgelistet werden.</translation>
    </message>
    <message>
        <source>One JSON object per environment and line.</source>
        <translation>Ein JSON-Objekt je Umgebung und Zeile.</translation>
    </message>
    <message>
        <source>Adds an environment: non-secret values on the command line, secrets into the keychain.</source>
        <translation>Legt eine Umgebung an: nicht geheime Werte auf der Kommandozeile, Secrets in den Schlüsselbund.</translation>
    </message>
    <message>
        <source>The provider (keyway-cli providers lists them).</source>
        <translation>Der Anbieter (keyway-cli providers listet sie auf).</translation>
    </message>
    <message>
        <source>The API's base URL (default: the provider's).</source>
        <translation>Die Basis-URL der API (Standard: die des Anbieters).</translation>
    </message>
    <message>
        <source>A non-secret value; repeat for each key.</source>
        <translation>Ein nicht geheimer Wert; für jeden Schlüssel wiederholen.</translation>
    </message>
    <message>
        <source>A secret read from standard input (one line each, in order) or a no-echo prompt.</source>
        <translation>Ein Secret, gelesen von der Standardeingabe (je eine Zeile, in dieser Reihenfolge) oder über eine Eingabeaufforderung ohne Echo.</translation>
    </message>
    <message>
        <source>Lists the environments: name, provider, base URL.</source>
        <translation>Listet die Umgebungen auf: Name, Anbieter, Basis-URL.</translation>
    </message>
    <message>
        <source>Shows one environment; secrets only as set or missing, never their values.</source>
        <translation>Zeigt eine Umgebung; Secrets nur als gesetzt oder fehlend, nie ihre Werte.</translation>
    </message>
    <message>
        <source>Removes an environment and its keychain entries.</source>
        <translation>Entfernt eine Umgebung und ihre Einträge im Schlüsselbund.</translation>
    </message>
    <message>
        <source>env set takes exactly one NAME.</source>
        <translation>env set erwartet genau einen NAMEN.</translation>
    </message>
    <message>
        <source>environment '%1' uses provider '%2', which has no profile</source>
        <translation>Umgebung '%1' verwendet den Anbieter '%2', für den es kein Profil gibt</translation>
    </message>
    <message>
        <source>'%1' is both set and unset.</source>
        <translation>'%1' wird zugleich gesetzt und entfernt.</translation>
    </message>
    <message>
        <source>'%1' is required and cannot be unset.</source>
        <translation>'%1' ist erforderlich und kann nicht entfernt werden.</translation>
    </message>
    <message numerus="yes">
        <source>Updated environment '%1'; %n secret(s) changed in the keychain.</source>
        <translation>
            <numerusform>Umgebung '%1' aktualisiert; %n Secret im Schlüsselbund geändert.</numerusform>
            <numerusform>Umgebung '%1' aktualisiert; %n Secrets im Schlüsselbund geändert.</numerusform>
        </translation>
    </message>
    <message>
        <source>Changes an environment in place; a failed keychain write changes nothing.</source>
        <translation>Ändert eine Umgebung an Ort und Stelle; scheitert das Schreiben in den Schlüsselbund, bleibt alles unverändert.</translation>
    </message>
    <message>
        <source>A new base URL.</source>
        <translation>Eine neue Basis-URL.</translation>
    </message>
    <message>
        <source>Removes a value (a secret is deleted from the keychain).</source>
        <translation>Entfernt einen Wert (ein Secret wird aus dem Schlüsselbund gelöscht).</translation>
    </message>
    <message>
        <source>--secret-file expects KEY=FILE (- for standard input).</source>
        <translation>--secret-file erwartet SCHLÜSSEL=DATEI (- für die Standardeingabe).</translation>
    </message>
    <message>
        <source>cannot read %1: %2</source>
        <translation>%1 kann nicht gelesen werden: %2</translation>
    </message>
    <message>
        <source>the file for '%1' is empty.</source>
        <translation>die Datei für '%1' ist leer.</translation>
    </message>
    <message>
        <source>A secret that is a whole file's content, e.g. tls.client_key (- for standard input).</source>
        <translation>Ein Geheimnis, das der ganze Inhalt einer Datei ist, z. B. tls.client_key (- für die Standardeingabe).</translation>
    </message>
    <message>
        <source>missing: %1</source>
        <translation>fehlt: %1</translation>
    </message>
    <message>
        <source>keyway-cli: warning: missing secrets are not shown: %1</source>
        <translation>keyway-cli: Warnung: fehlende Secrets werden nicht angezeigt: %1</translation>
    </message>
</context>
<context>
    <name>keyway::cli::EnvironmentContext</name>
    <message>
        <source>keyway-cli: cannot read the environments: %1</source>
        <translation>keyway-cli: die Umgebungen können nicht gelesen werden: %1</translation>
    </message>
    <message>
        <source>keyway-cli: unknown environment '%1'; known: %2</source>
        <translation>keyway-cli: unbekannte Umgebung '%1'; bekannt: %2</translation>
    </message>
    <message>
        <source>none (create one with keyway-cli env add)</source>
        <translation>keine (legen Sie eine mit keyway-cli env add an)</translation>
    </message>
    <message>
        <source>keyway-cli: environment '%1' uses provider '%2', which has no profile</source>
        <translation>keyway-cli: Umgebung '%1' verwendet den Anbieter '%2', für den es kein Profil gibt</translation>
    </message>
    <message>
        <source>keyway-cli: provider '%1' has no credential sets; drop --credentials</source>
        <translation>keyway-cli: Anbieter '%1' hat keine Zugangsdatensätze; lassen Sie --credentials weg</translation>
    </message>
    <message>
        <source>keyway-cli: unknown credential set '%1' for %2; valid: %3</source>
        <translation>keyway-cli: unbekannter Zugangsdatensatz '%1' für %2; gültig: %3</translation>
    </message>
    <message>
        <source>keyway-cli: environment '%1' has no value for the required key %2; set it with keyway-cli env add %1 --set %2=VALUE</source>
        <translation>keyway-cli: Umgebung '%1' hat keinen Wert für den Pflichtschlüssel %2; setzen Sie ihn mit keyway-cli env add %1 --set %2=VALUE</translation>
    </message>
    <message>
        <source>keyway-cli: the keychain could not give the secrets of '%1' (%2): %3. Unlock the keychain and try again; nothing was changed.</source>
        <translation>keyway-cli: Der Schlüsselbund konnte die Secrets von '%1' nicht liefern (%2): %3. Entsperren Sie den Schlüsselbund und versuchen Sie es erneut; nichts wurde geändert.</translation>
    </message>
    <message>
        <source>keyway-cli: the secret %1 of environment '%2' is not in the keychain; store it with keyway-cli env set %2 --secret %1</source>
        <translation>keyway-cli: Das Secret %1 der Umgebung '%2' ist nicht im Schlüsselbund; speichern Sie es mit keyway-cli env set %2 --secret %1</translation>
    </message>
    <message>
        <source>keyway-cli: environment '%1': %2 Change it with keyway-cli env set %1.</source>
        <translation>keyway-cli: Umgebung '%1': %2 Ändern Sie es mit keyway-cli env set %1.</translation>
    </message>
</context>
<context>
    <name>keyway::cli::FlowCommands</name>
    <message>
        <source>The credential set to use (a provider with several, e.g. astrada's sdk).</source>
        <translation>Der zu verwendende Zugangsdatensatz (bei Anbietern mit mehreren, z. B. sdk bei astrada).</translation>
    </message>
    <message>
        <source>Print the sign-in URL instead of opening a browser, then wait for the redirect.</source>
        <translation>Die Anmelde-URL ausgeben, statt einen Browser zu öffnen, und dann auf die Weiterleitung warten.</translation>
    </message>
    <message>
        <source>JSON Lines: the flow's events as they happen, then the result.</source>
        <translation>JSON Lines: die Ereignisse des Flows, sobald sie eintreten, dann das Ergebnis.</translation>
    </message>
    <message>
        <source>--credentials needs a credential set name</source>
        <translation>--credentials benötigt den Namen eines Zugangsdatensatzes</translation>
    </message>
    <message>
        <source>keyway-cli: could not keep the refresh token in the keychain (%1)</source>
        <translation>keyway-cli: das Refresh-Token konnte nicht im Schlüsselbund abgelegt werden (%1)</translation>
    </message>
    <message>
        <source>keyway-cli: the server could not be reached: %1</source>
        <translation>keyway-cli: Der Server war nicht erreichbar: %1</translation>
    </message>
    <message>
        <source>keyway-cli: authentication failed: %1</source>
        <translation>keyway-cli: Authentifizierung fehlgeschlagen: %1</translation>
    </message>
    <message>
        <source>Authenticated %1 (%2).</source>
        <translation>%1 authentifiziert (%2).</translation>
    </message>
    <message>
        <source>received</source>
        <translation>erhalten</translation>
    </message>
    <message>
        <source>, expires %1</source>
        <translation>, gültig bis %1</translation>
    </message>
    <message>
        <source>, single-use, consumed</source>
        <translation>, einmalig verwendbar, eingelöst</translation>
    </message>
    <message>
        <source>, single-use</source>
        <translation>, einmalig verwendbar</translation>
    </message>
    <message>
        <source> (after renewing the token once)</source>
        <translation> (nach einmaliger Erneuerung des Tokens)</translation>
    </message>
    <message>
        <source>ok: %1 issued a token (the profile has no check request)</source>
        <translation>ok: %1 hat ein Token ausgestellt (das Profil hat keine Prüfanfrage)</translation>
    </message>
    <message>
        <source>ok: %1 %2 answered %3</source>
        <translation>ok: %1 %2 antwortete mit %3</translation>
    </message>
    <message>
        <source>Runs the provider's whole sign-in flow and shows what it received (never a secret).</source>
        <translation>Führt den gesamten Anmelde-Flow des Anbieters aus und zeigt, was er erhalten hat (nie ein Secret).</translation>
    </message>
    <message>
        <source>Sends one authenticated request and writes the reply body to standard output, byte for byte.</source>
        <translation>Sendet eine authentifizierte Anfrage und schreibt den Body der Antwort Byte für Byte auf die Standardausgabe.</translation>
    </message>
    <message>
        <source>Proves the credentials work: obtains a token and sends the profile's check request.</source>
        <translation>Beweist, dass die Zugangsdaten funktionieren: holt ein Token und sendet die Prüfanfrage des Profils.</translation>
    </message>
    <message>
        <source>The request body: text, @FILE for a file's bytes, @- for standard input.</source>
        <translation>Der Body der Anfrage: Text, @DATEI für die Bytes einer Datei, @- für die Standardeingabe.</translation>
    </message>
    <message>
        <source>An extra request header; repeat for more.</source>
        <translation>Ein zusätzlicher Anfrage-Header; für weitere wiederholen.</translation>
    </message>
    <message>
        <source>Print the status line and the response headers before the body.</source>
        <translation>Statuszeile und Antwort-Header vor dem Body ausgeben.</translation>
    </message>
    <message>
        <source>missing arguments</source>
        <translation>Argumente fehlen</translation>
    </message>
    <message>
        <source>too many arguments</source>
        <translation>zu viele Argumente</translation>
    </message>
    <message>
        <source>unknown HTTP method %1</source>
        <translation>unbekannte HTTP-Methode %1</translation>
    </message>
    <message>
        <source>expected a header as "Name: value", got "%1"</source>
        <translation>Header im Format "Name: value" erwartet, erhalten: "%1"</translation>
    </message>
    <message>
        <source>keyway-cli: cannot read %1: %2</source>
        <translation>keyway-cli: %1 kann nicht gelesen werden: %2</translation>
    </message>
    <message>
        <source>Check every environment, several at once; browser sign-ins are never started.</source>
        <translation>Jede Umgebung prüfen, mehrere gleichzeitig; Browser-Anmeldungen werden nie gestartet.</translation>
    </message>
    <message>
        <source>With --all: only this provider's.</source>
        <translation>Mit --all: nur die dieses Anbieters.</translation>
    </message>
    <message>
        <source>With --all: at most N at once (4).</source>
        <translation>Mit --all: höchstens N gleichzeitig (4).</translation>
    </message>
    <message>
        <source>With --all: a JUnit XML report.</source>
        <translation>Mit --all: ein JUnit-XML-Bericht.</translation>
    </message>
    <message>
        <source>--%1 goes with --all (check NAME checks one environment).</source>
        <translation>--%1 gehört zu --all (check NAME prüft eine Umgebung).</translation>
    </message>
    <message>
        <source>keyway-cli: could not delete the revoked refresh token from the keychain (%1)</source>
        <translation>keyway-cli: das widerrufene Refresh-Token konnte nicht aus dem Schlüsselbund gelöscht werden (%1)</translation>
    </message>
    <message>
        <source>keyway-cli: the provider says the token is not active</source>
        <translation>keyway-cli: laut Anbieter ist das Token nicht aktiv</translation>
    </message>
    <message>
        <source>Revoked the %1 of %2 at the provider.</source>
        <translation>%1 von %2 beim Anbieter widerrufen.</translation>
    </message>
    <message>
        <source>The stored refresh token is deleted: the next call signs in again.</source>
        <translation>Das gespeicherte Refresh-Token ist gelöscht: Der nächste Aufruf meldet sich neu an.</translation>
    </message>
    <message>
        <source>Asks the provider whether the current access token is active (RFC 7662) and prints its reply; exit 0 when active, 1 when not.</source>
        <translation>Fragt den Anbieter, ob das aktuelle Access-Token aktiv ist (RFC 7662), und gibt seine Antwort aus; Exit-Code 0, wenn aktiv, 1, wenn nicht.</translation>
    </message>
    <message>
        <source>Revokes the refresh token and the access token at the provider (RFC 7009) and deletes the stored refresh token.</source>
        <translation>Widerruft das Refresh-Token und das Access-Token beim Anbieter (RFC 7009) und löscht das gespeicherte Refresh-Token.</translation>
    </message>
</context>
<context>
    <name>keyway::cli::NetworkOptions</name>
    <message>
        <source>Overall deadline of each request (default 30); past it the server counts as unreachable (exit 5).</source>
        <translation>Gesamtfrist jeder Anfrage in Sekunden (Standard 30); danach gilt der Server als nicht erreichbar (Exit-Code 5).</translation>
    </message>
    <message>
        <source>Print each request and response line with headers on standard error, secrets redacted.</source>
        <translation>Jede Anfrage- und Antwortzeile mit Headern auf der Standardfehlerausgabe ausgeben, Secrets geschwärzt.</translation>
    </message>
    <message>
        <source>--max-time must be a number of seconds above 0 (1.5 is allowed), not '%1'</source>
        <translation>--max-time muss eine Anzahl Sekunden größer als 0 sein (1.5 ist erlaubt), nicht '%1'</translation>
    </message>
    <message>
        <source>How long a browser sign-in waits for its redirect (default %1); past it the sign-in fails (exit 3).</source>
        <translation>Wie lange eine Anmeldung im Browser auf ihre Weiterleitung wartet, in Sekunden (Standard %1); danach schlägt die Anmeldung fehl (Exit-Code 3).</translation>
    </message>
    <message>
        <source>--sign-in-timeout must be a number of seconds above 0 and at most 86400, not '%1'</source>
        <translation>--sign-in-timeout muss eine Anzahl Sekunden größer als 0 und höchstens 86400 sein, nicht '%1'</translation>
    </message>
    <message>
        <source>keyway-cli: run the command again and finish the sign-in in the browser in time; --sign-in-timeout SECONDS gives it longer.</source>
        <translation>keyway-cli: Führen Sie den Befehl erneut aus und schließen Sie die Anmeldung rechtzeitig im Browser ab; --sign-in-timeout SECONDS gibt ihr mehr Zeit.</translation>
    </message>
</context>
<context>
    <name>keyway::cli::ProvidersCommand</name>
    <message>
        <source>base URL:</source>
        <translation>Basis-URL:</translation>
    </message>
    <message>
        <source>(none, --base-url required)</source>
        <translation>(keine, --base-url erforderlich)</translation>
    </message>
    <message>
        <source>(default)</source>
        <translation>(Standard)</translation>
    </message>
    <message>
        <source>credential sets:</source>
        <translation>Zugangsdatensätze:</translation>
    </message>
    <message>
        <source>required</source>
        <translation>erforderlich</translation>
    </message>
    <message>
        <source>optional</source>
        <translation>optional</translation>
    </message>
    <message>
        <source>secret</source>
        <translation>geheim</translation>
    </message>
    <message>
        <source>default %1</source>
        <translation>Standard %1</translation>
    </message>
    <message>
        <source>one of %1</source>
        <translation>eines von %1</translation>
    </message>
    <message>
        <source>Lists the providers Keyway knows, with their credential keys (secret ones marked).</source>
        <translation>Listet die Anbieter auf, die Keyway kennt, mit ihren Zugangsdaten-Schlüsseln (geheime markiert).</translation>
    </message>
    <message>
        <source>One JSON object per provider and line ("event": "provider").</source>
        <translation>Ein JSON-Objekt je Anbieter und Zeile ("event": "provider").</translation>
    </message>
    <message>
        <source>unexpected argument '%1'.</source>
        <translation>unerwartetes Argument '%1'.</translation>
    </message>
    <message>
        <source>keyway-cli: warning: %1</source>
        <translation>keyway-cli: Warnung: %1</translation>
    </message>
</context>
<context>
    <name>keyway::cli::SandboxCommand</name>
    <message>
        <source>Keyway sandbox listening on %1 (time scale %2x). Press Ctrl+C to stop.</source>
        <translation>Keyway-Sandbox lauscht auf %1 (Zeitfaktor %2x). Beenden mit Strg+C.</translation>
    </message>
    <message>
        <source>Demo credentials are throwaway values, public by design.</source>
        <translation>Die Demo-Zugangsdaten sind Wegwerfwerte und absichtlich öffentlich.</translation>
    </message>
    <message>
        <source>Sign-in page user (oauth2-code): %1 / %2</source>
        <translation>Benutzer der Anmeldeseite (oauth2-code): %1 / %2</translation>
    </message>
    <message>
        <source>Faults: GET %1/_sandbox/faults lists them; POST {"provider": ID, "fault": NAME, "on": true} switches one.</source>
        <translation>Fehlerszenarien: GET %1/_sandbox/faults listet sie auf; POST {"provider": ID, "fault": NAME, "on": true} schaltet eines um.</translation>
    </message>
    <message>
        <source>Serves the provider emulators on 127.0.0.1 with throwaway demo credentials until Ctrl+C.</source>
        <translation>Stellt die Anbieter-Emulatoren auf 127.0.0.1 mit Wegwerf-Demozugangsdaten bereit, bis Strg+C gedrückt wird.</translation>
    </message>
    <message>
        <source>The port to listen on (default 0: a free one).</source>
        <translation>Der Port, auf dem gelauscht wird (Standard 0: ein freier).</translation>
    </message>
    <message>
        <source>Run the emulators' clocks X times faster (60: a 10-minute code lives 10 seconds).</source>
        <translation>Die Uhren der Emulatoren X-mal schneller laufen lassen (60: ein 10-Minuten-Code lebt 10 Sekunden).</translation>
    </message>
    <message>
        <source>One JSON object per emulated provider and line.</source>
        <translation>Ein JSON-Objekt je emuliertem Anbieter und Zeile.</translation>
    </message>
    <message>
        <source>unexpected argument '%1'.</source>
        <translation>unerwartetes Argument '%1'.</translation>
    </message>
    <message>
        <source>--port must be a number from 0 to 65535 (0 picks a free port), not '%1'.</source>
        <translation>--port muss eine Zahl von 0 bis 65535 sein (0 wählt einen freien Port), nicht '%1'.</translation>
    </message>
    <message>
        <source>--time-scale must be a positive number (60 makes a 10-minute code live 10 seconds), not '%1'.</source>
        <translation>--time-scale muss eine positive Zahl sein (mit 60 lebt ein 10-Minuten-Code 10 Sekunden), nicht '%1'.</translation>
    </message>
    <message>
        <source>keyway-cli sandbox: %1</source>
        <translation>keyway-cli sandbox: %1</translation>
    </message>
    <message>
        <source>keyway-cli sandbox: cannot set up signal handling.</source>
        <translation>keyway-cli sandbox: die Signalbehandlung kann nicht eingerichtet werden.</translation>
    </message>
    <message>
        <source>in %1 (store it with --secret-file %2=%1)</source>
        <translation>in %1 (speichern Sie ihn mit --secret-file %2=%1)</translation>
    </message>
    <message>
        <source>HTTPS with a CA made at start; trust it with tls.ca_file: %1</source>
        <translation>HTTPS mit einer beim Start erzeugten Zertifizierungsstelle; vertrauen Sie ihr mit tls.ca_file: %1</translation>
    </message>
    <message>
        <source>Port %1 demands the demo client certificate (tls.client_cert and tls.client_key).</source>
        <translation>Port %1 verlangt das Demo-Client-Zertifikat (tls.client_cert und tls.client_key).</translation>
    </message>
    <message>
        <source>Serve HTTPS with a CA made at start; its file is printed and set as tls.ca_file in the demo values.</source>
        <translation>HTTPS mit einer beim Start erzeugten Zertifizierungsstelle anbieten; ihre Datei wird ausgegeben und in den Demo-Werten als tls.ca_file gesetzt.</translation>
    </message>
    <message>
        <source>With --tls: serve this provider on a second port that demands the demo client certificate.</source>
        <translation>Mit --tls: diesen Anbieter auf einem zweiten Port anbieten, der das Demo-Client-Zertifikat verlangt.</translation>
    </message>
    <message>
        <source>--client-cert needs --tls: a client certificate is part of the TLS handshake.</source>
        <translation>--client-cert braucht --tls: ein Client-Zertifikat ist Teil des TLS-Handshakes.</translation>
    </message>
    <message>
        <source>keyway-cli sandbox: cannot write the demo client key to %1; check its permissions.</source>
        <translation>keyway-cli sandbox: der Demo-Client-Schlüssel kann nicht nach %1 geschrieben werden; prüfen Sie die Berechtigungen.</translation>
    </message>
</context>
<context>
    <name>keyway::cli::WebhookCommand</name>
    <message>
        <source>Checks a webhook's signature with the environment's webhook secret; the body is read from standard input when --body is not given.</source>
        <translation>Prüft die Signatur eines Webhooks mit dem Webhook-Secret der Umgebung; ohne --body wird der Body von der Standardeingabe gelesen.</translation>
    </message>
    <message>
        <source>The signature header's value, as received.</source>
        <translation>Der Wert des Signatur-Headers, so wie er empfangen wurde.</translation>
    </message>
    <message>
        <source>The raw request body, or @FILE for a file's bytes (default: standard input).</source>
        <translation>Der unveränderte Body der Anfrage oder @DATEI für die Bytes einer Datei (Standard: Standardeingabe).</translation>
    </message>
    <message>
        <source>One result object on one line.</source>
        <translation>Ein Ergebnisobjekt in einer Zeile.</translation>
    </message>
    <message>
        <source>cannot read %1: %2</source>
        <translation>%1 kann nicht gelesen werden: %2</translation>
    </message>
    <message>
        <source>unexpected argument '%1'</source>
        <translation>unerwartetes Argument '%1'</translation>
    </message>
    <message>
        <source>NAME and --signature are required</source>
        <translation>NAME und --signature sind erforderlich</translation>
    </message>
    <message>
        <source>keyway-cli webhook: provider '%1' declares no webhook rule (a "webhook" block in its profile)</source>
        <translation>keyway-cli webhook: Anbieter '%1' deklariert keine Webhook-Regel (einen "webhook"-Block in seinem Profil)</translation>
    </message>
</context>
<context>
    <name>keyway::crypto::Jws</name>
    <message>
        <source>%1 cannot be made with this key</source>
        <translation>%1 lässt sich mit diesem Schlüssel nicht erzeugen</translation>
    </message>
    <message>
        <source>libcrypto could not sign with this key</source>
        <translation>libcrypto konnte mit diesem Schlüssel nicht signieren</translation>
    </message>
    <message>
        <source>the token is unsigned (alg none), which is never accepted</source>
        <translation>das Token ist unsigniert (alg none), was nie akzeptiert wird</translation>
    </message>
    <message>
        <source>the token is signed with %1, a shared-secret algorithm, where the issuer's public key is expected; it is refused</source>
        <translation>das Token ist mit %1 signiert, einem Verfahren mit gemeinsamem Geheimnis, wo der öffentliche Schlüssel des Ausstellers erwartet wird; es wird abgelehnt</translation>
    </message>
    <message>
        <source>the signature algorithm %1 is not supported (RS256, PS256 or ES256)</source>
        <translation>das Signaturverfahren %1 wird nicht unterstützt (RS256, PS256 oder ES256)</translation>
    </message>
    <message>
        <source>the key does not fit the algorithm %1</source>
        <translation>der Schlüssel passt nicht zum Verfahren %1</translation>
    </message>
    <message>
        <source>the ES256 signature is not 64 bytes</source>
        <translation>die ES256-Signatur ist nicht 64 Bytes lang</translation>
    </message>
    <message>
        <source>the signature does not match the key (the token was altered or signed by another key)</source>
        <translation>die Signatur passt nicht zum Schlüssel (das Token wurde verändert oder mit einem anderen Schlüssel signiert)</translation>
    </message>
</context>
<context>
    <name>keyway::crypto::Key</name>
    <message>
        <source>the private key is encrypted with a passphrase; store it unencrypted (for example with openssl pkey -in key.pem -out plain.pem)</source>
        <translation>der private Schlüssel ist mit einer Passphrase verschlüsselt; speichern Sie ihn unverschlüsselt (zum Beispiel mit openssl pkey -in key.pem -out plain.pem)</translation>
    </message>
    <message>
        <source>the value is not a PEM private key (expected -----BEGIN PRIVATE KEY----- with an RSA or EC P-256 key)</source>
        <translation>der Wert ist kein privater PEM-Schlüssel (erwartet: -----BEGIN PRIVATE KEY----- mit einem RSA- oder EC-P-256-Schlüssel)</translation>
    </message>
    <message>
        <source>the private key is neither RSA nor EC on P-256: use RS256 (RSA, 2048 bits or more) or ES256 (P-256) keys</source>
        <translation>der private Schlüssel ist weder RSA noch EC auf P-256: verwenden Sie Schlüssel für RS256 (RSA, mindestens 2048 Bit) oder ES256 (P-256)</translation>
    </message>
    <message>
        <source>the RSA key has %1 bits; RS256 needs 2048 or more</source>
        <translation>der RSA-Schlüssel hat %1 Bit; RS256 braucht mindestens 2048</translation>
    </message>
    <message>
        <source>the JWK has no kty</source>
        <translation>der JWK hat kein kty</translation>
    </message>
    <message>
        <source>the RSA JWK lacks n or e</source>
        <translation>dem RSA-JWK fehlt n oder e</translation>
    </message>
    <message>
        <source>the EC JWK is not on curve P-256</source>
        <translation>der EC-JWK liegt nicht auf der Kurve P-256</translation>
    </message>
    <message>
        <source>the EC JWK's x or y is not 32 bytes</source>
        <translation>x oder y des EC-JWK ist nicht 32 Bytes lang</translation>
    </message>
    <message>
        <source>the JWK's kty %1 is not supported (RSA or EC)</source>
        <translation>das kty %1 des JWK wird nicht unterstützt (RSA oder EC)</translation>
    </message>
    <message>
        <source>the JWK does not describe a valid public key</source>
        <translation>der JWK beschreibt keinen gültigen öffentlichen Schlüssel</translation>
    </message>
</context>
<context>
    <name>keyway::json</name>
    <message>
        <source>the body is empty</source>
        <translation>der Body ist leer</translation>
    </message>
    <message>
        <source>brackets do not match or the document is cut short</source>
        <translation>Klammern passen nicht zusammen oder das Dokument ist abgeschnitten</translation>
    </message>
    <message>
        <source>a string is not closed</source>
        <translation>eine Zeichenkette ist nicht geschlossen</translation>
    </message>
    <message>
        <source>the body is not valid UTF-8</source>
        <translation>der Body ist kein gültiges UTF-8</translation>
    </message>
    <message>
        <source>there is more text after the JSON value</source>
        <translation>nach dem JSON-Wert folgt weiterer Text</translation>
    </message>
    <message>
        <source>not valid JSON (%1)</source>
        <translation>kein gültiges JSON (%1)</translation>
    </message>
    <message>
        <source>the document is too large to index (4 GiB or more)</source>
        <translation>das Dokument ist zu groß zum Indizieren (4 GiB oder mehr)</translation>
    </message>
    <message>
        <source>Provider error code %1: %2</source>
        <translation>Fehlercode des Anbieters %1: %2</translation>
    </message>
    <message>
        <source>Provider success code %1: %2</source>
        <translation>Erfolgscode des Anbieters %1: %2</translation>
    </message>
    <message>
        <source>Provider error: %1</source>
        <translation>Fehler des Anbieters: %1</translation>
    </message>
</context>
<context>
    <name>keyway::oidc::ClientAssertion</name>
    <message>
        <source>client_secret_jwt needs the client secret: set client_secret</source>
        <translation>client_secret_jwt braucht das Client-Geheimnis: setzen Sie client_secret</translation>
    </message>
    <message>
        <source>private_key_jwt needs the client's private key: store the PEM key as client_key</source>
        <translation>private_key_jwt braucht den privaten Schlüssel des Clients: speichern Sie den PEM-Schlüssel als client_key</translation>
    </message>
    <message>
        <source>client_key cannot be used: %1</source>
        <translation>client_key ist nicht verwendbar: %1</translation>
    </message>
    <message>
        <source>%1 is not a client assertion method</source>
        <translation>%1 ist kein Verfahren für Client-Assertions</translation>
    </message>
</context>
<context>
    <name>keyway::oidc::Discovery</name>
    <message>
        <source>the discovery document at %1 could not be fetched: %2</source>
        <translation>das Discovery-Dokument unter %1 konnte nicht abgerufen werden: %2</translation>
    </message>
    <message>
        <source>no discovery document for issuer %1: %2 answered HTTP %3; check the issuer, or set the endpoints by hand</source>
        <translation>kein Discovery-Dokument für den Aussteller %1: %2 antwortete mit HTTP %3; prüfen Sie den Aussteller oder tragen Sie die Endpunkte von Hand ein</translation>
    </message>
    <message>
        <source>%1 is not a discovery document (it has no issuer member)</source>
        <translation>%1 ist kein Discovery-Dokument (es hat kein Feld issuer)</translation>
    </message>
    <message>
        <source>the discovery document names issuer %1, not %2 (a misconfigured or impersonated provider); check the issuer value</source>
        <translation>das Discovery-Dokument nennt den Aussteller %1, nicht %2 (ein falsch eingerichteter oder vorgetäuschter Anbieter); prüfen Sie den Wert von issuer</translation>
    </message>
    <message>
        <source>the issuer %1 is not an https:// URL without query or fragment</source>
        <translation>der Aussteller %1 ist keine https://-URL ohne Query oder Fragment</translation>
    </message>
    <message>
        <source>no %1 is set and no issuer to discover it from: set %1, or issuer</source>
        <translation>%1 ist nicht gesetzt, und es gibt keinen Aussteller, aus dem es sich ermitteln ließe: setzen Sie %1 oder issuer</translation>
    </message>
    <message>
        <source>the discovery document of %1 has no %2: set %3 by hand</source>
        <translation>das Discovery-Dokument von %1 hat kein %2: tragen Sie %3 von Hand ein</translation>
    </message>
</context>
<context>
    <name>keyway::oidc::IdTokenValidator</name>
    <message>
        <source>the ID token has no iss claim</source>
        <translation>das ID-Token hat keinen iss-Claim</translation>
    </message>
    <message>
        <source>the ID token's iss is %1, not the issuer %2</source>
        <translation>iss des ID-Tokens ist %1, nicht der Aussteller %2</translation>
    </message>
    <message>
        <source>the ID token's aud does not contain the client_id %1 (it was issued to another client)</source>
        <translation>aud des ID-Tokens enthält die client_id %1 nicht (es wurde für einen anderen Client ausgestellt)</translation>
    </message>
    <message>
        <source>the ID token has no exp claim</source>
        <translation>das ID-Token hat keinen exp-Claim</translation>
    </message>
    <message numerus="yes">
        <source>the ID token expired %n s ago (exp)</source>
        <translation>
            <numerusform>das ID-Token ist seit %n s abgelaufen (exp)</numerusform>
            <numerusform>das ID-Token ist seit %n s abgelaufen (exp)</numerusform>
        </translation>
    </message>
    <message>
        <source>the ID token has no iat claim</source>
        <translation>das ID-Token hat keinen iat-Claim</translation>
    </message>
    <message>
        <source>the ID token's iat is in the future; check this computer's clock</source>
        <translation>iat des ID-Tokens liegt in der Zukunft; prüfen Sie die Uhr dieses Computers</translation>
    </message>
    <message>
        <source>the ID token has no nonce, but the sign-in sent one</source>
        <translation>das ID-Token hat keine nonce, obwohl die Anmeldung eine gesendet hat</translation>
    </message>
    <message>
        <source>the ID token's nonce is not the one this sign-in sent (a replayed or injected token)</source>
        <translation>die nonce des ID-Tokens ist nicht die, die diese Anmeldung gesendet hat (ein wiederverwendetes oder untergeschobenes Token)</translation>
    </message>
    <message>
        <source>the ID token is not a JWT</source>
        <translation>das ID-Token ist kein JWT</translation>
    </message>
    <message>
        <source>the issuer's keys are unknown (no jwks_uri): set issuer or jwks_uri</source>
        <translation>die Schlüssel des Ausstellers sind unbekannt (kein jwks_uri): setzen Sie issuer oder jwks_uri</translation>
    </message>
    <message>
        <source>signature verified with key %1 of %2</source>
        <translation>Signatur geprüft mit Schlüssel %1 von %2</translation>
    </message>
    <message>
        <source>(no kid)</source>
        <translation>(keine kid)</translation>
    </message>
    <message>
        <source>the issuer</source>
        <translation>dem Aussteller</translation>
    </message>
    <message>
        <source>signature not verified: %1</source>
        <translation>Signatur nicht bestätigt: %1</translation>
    </message>
</context>
<context>
    <name>keyway::oidc::Jwks</name>
    <message>
        <source>the token names no key (no kid) and the issuer's JWKS has no %1 key</source>
        <translation>das Token nennt keinen Schlüssel (keine kid), und die JWKS des Ausstellers hat keinen %1-Schlüssel</translation>
    </message>
    <message>
        <source>the token is signed with key %1, which the issuer's JWKS does not list</source>
        <translation>das Token ist mit dem Schlüssel %1 signiert, den die JWKS des Ausstellers nicht aufführt</translation>
    </message>
    <message numerus="yes">
        <source>the token names no key (no kid) and the issuer's JWKS has %n keys that fit</source>
        <translation>
            <numerusform>das Token nennt keinen Schlüssel (keine kid), und die JWKS des Ausstellers hat %n passenden Schlüssel</numerusform>
            <numerusform>das Token nennt keinen Schlüssel (keine kid), und die JWKS des Ausstellers hat %n passende Schlüssel</numerusform>
        </translation>
    </message>
    <message>
        <source>the token says %1 but the issuer's key %2 is for %3</source>
        <translation>das Token nennt %1, aber der Schlüssel %2 des Ausstellers ist für %3</translation>
    </message>
    <message>
        <source>the issuer's key %1 cannot be read: %2</source>
        <translation>der Schlüssel %1 des Ausstellers ist nicht lesbar: %2</translation>
    </message>
    <message>
        <source>the issuer's JWKS at %1 answered HTTP %2 without a key set</source>
        <translation>die JWKS des Ausstellers unter %1 antwortete mit HTTP %2 ohne Schlüsselsatz</translation>
    </message>
    <message>
        <source>the issuer's JWKS at %1 could not be fetched: %2</source>
        <translation>die JWKS des Ausstellers unter %1 konnte nicht abgerufen werden: %2</translation>
    </message>
</context>
<context>
    <name>keyway::sandbox::SandboxServer</name>
    <message>
        <source>The sandbox is already listening.</source>
        <translation>Die Sandbox lauscht bereits.</translation>
    </message>
    <message>
        <source>Cannot listen on 127.0.0.1:%1: %2</source>
        <translation>Lauschen auf 127.0.0.1:%1 nicht möglich: %2</translation>
    </message>
    <message>
        <source>A client certificate can only be demanded over HTTPS.</source>
        <translation>Ein Client-Zertifikat kann nur über HTTPS verlangt werden.</translation>
    </message>
    <message>
        <source>The sandbox emulates no provider '%1'; choose one of: %2.</source>
        <translation>Die Sandbox emuliert keinen Anbieter „%1“; wählen Sie einen von: %2.</translation>
    </message>
    <message>
        <source>Cannot make the sandbox's certificates: %1</source>
        <translation>Die Zertifikate der Sandbox können nicht erzeugt werden: %1</translation>
    </message>
    <message>
        <source>Cannot create the directory %1 for the sandbox's CA certificate; check its permissions.</source>
        <translation>Das Verzeichnis %1 für das Zertifikat der Zertifizierungsstelle der Sandbox kann nicht angelegt werden; prüfen Sie die Berechtigungen.</translation>
    </message>
    <message>
        <source>Cannot write the sandbox's certificates to %1: %2</source>
        <translation>Die Zertifikate der Sandbox können nicht nach %1 geschrieben werden: %2</translation>
    </message>
    <message>
        <source>Cannot listen on 127.0.0.1 for the client-certificate port: %1</source>
        <translation>Auf 127.0.0.1 kann für den Client-Zertifikat-Port nicht gelauscht werden: %1</translation>
    </message>
</context>
<context>
    <name>keyway::ui::AboutDialog</name>
    <message>
        <source>Keyway %1
Qt %2 (built with %3)
QtKeychain %4
License: MIT</source>
        <translation>Keyway %1
Qt %2 (erstellt mit %3)
QtKeychain %4
Lizenz: MIT</translation>
    </message>
    <message>
        <source>About Keyway</source>
        <translation>Über Keyway</translation>
    </message>
    <message>
        <source>&lt;h3&gt;Keyway&lt;/h3&gt;&lt;p&gt;Credential and API explorer for integration engineers.&lt;/p&gt;&lt;p&gt;%1&lt;/p&gt;&lt;p&gt;Secrets stay in your system keychain. Keyway is free software under the MIT license.&lt;/p&gt;&lt;p&gt;&lt;a href="%2"&gt;%2&lt;/a&gt;&lt;/p&gt;</source>
        <translation>&lt;h3&gt;Keyway&lt;/h3&gt;&lt;p&gt;Zugangsdaten- und API-Explorer für Integrationsentwickler.&lt;/p&gt;&lt;p&gt;%1&lt;/p&gt;&lt;p&gt;Secrets bleiben im Schlüsselbund Ihres Systems. Keyway ist freie Software unter der MIT-Lizenz.&lt;/p&gt;&lt;p&gt;&lt;a href="%2"&gt;%2&lt;/a&gt;&lt;/p&gt;</translation>
    </message>
    <message>
        <source>Co&amp;py versions</source>
        <translation>Versionen ko&amp;pieren</translation>
    </message>
    <message>
        <source>About &amp;Qt</source>
        <translation>Über &amp;Qt</translation>
    </message>
</context>
<context>
    <name>keyway::ui::AppMenus</name>
    <message>
        <source>&amp;Preferences…</source>
        <translation>&amp;Einstellungen…</translation>
    </message>
    <message>
        <source>&amp;User guide</source>
        <translation>&amp;Benutzerhandbuch</translation>
    </message>
    <message>
        <source>&amp;About Keyway</source>
        <translation>Ü&amp;ber Keyway</translation>
    </message>
    <message>
        <source>About &amp;Qt</source>
        <translation>Über &amp;Qt</translation>
    </message>
    <message>
        <source>Se&amp;ttings</source>
        <translation>Ein&amp;stellungen</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>&amp;Hilfe</translation>
    </message>
</context>
<context>
    <name>keyway::ui::BundleImportDialog</name>
    <message>
        <source>Import environments</source>
        <translation>Umgebungen importieren</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <source>These environments will be created: %1.</source>
        <translation>Diese Umgebungen werden angelegt: %1.</translation>
    </message>
    <message>
        <source>leave empty to add it later</source>
        <translation>leer lassen, um es später einzutragen</translation>
    </message>
    <message>
        <source>%1 · %2:</source>
        <translation>%1 · %2:</translation>
    </message>
    <message>
        <source>The file names no secret to type.</source>
        <translation>Die Datei nennt kein Geheimnis zum Eingeben.</translation>
    </message>
    <message>
        <source>The secrets the bundle names but never carries; they go to the keychain:</source>
        <translation>Die Geheimnisse, die das Bündel nennt, aber nie enthält; sie kommen in den Schlüsselbund:</translation>
    </message>
    <message>
        <source>&amp;Replace the environments that already exist: %1</source>
        <translation>Vorhandene Umgebungen &amp;ersetzen: %1</translation>
    </message>
    <message>
        <source>&amp;Import</source>
        <translation>&amp;Importieren</translation>
    </message>
</context>
<context>
    <name>keyway::ui::ConformancePage</name>
    <message>
        <source>Sign-in page shown (prompt=login)</source>
        <translation>Anmeldeseite wird angezeigt (prompt=login)</translation>
    </message>
    <message>
        <source>State returned unchanged and verified</source>
        <translation>state unverändert zurückgegeben und geprüft</translation>
    </message>
    <message>
        <source>Code exchange: access token, refresh token, expiry, user_id</source>
        <translation>Code-Austausch: Access-Token, Refresh-Token, Ablaufzeit, user_id</translation>
    </message>
    <message>
        <source>Same user_id on two sign-ins</source>
        <translation>Dieselbe user_id bei zwei Anmeldungen</translation>
    </message>
    <message>
        <source>Refresh keeps the previous access token working</source>
        <translation>Nach der Erneuerung funktioniert das vorherige Access-Token weiter</translation>
    </message>
    <message>
        <source>Two concurrent refreshes both succeed</source>
        <translation>Zwei gleichzeitige Erneuerungen sind beide erfolgreich</translation>
    </message>
    <message>
        <source>Refresh token works until it is rotated</source>
        <translation>Refresh-Token funktioniert, bis es rotiert wird</translation>
    </message>
    <message>
        <source>step: %1</source>
        <translation>Schritt: %1</translation>
    </message>
    <message>
        <source>← HTTP %1 (%2 ms)</source>
        <translation>← HTTP %1 (%2 ms)</translation>
    </message>
    <message>
        <source>captured %1 = %2</source>
        <translation>erfasst: %1 = %2</translation>
    </message>
    <message>
        <source>captured %1, valid until %2</source>
        <translation>erfasst: %1, gültig bis %2</translation>
    </message>
    <message>
        <source>captured %1</source>
        <translation>erfasst: %1</translation>
    </message>
    <message>
        <source>used %1 (single use)</source>
        <translation>verwendet: %1 (einmalig verwendbar)</translation>
    </message>
    <message>
        <source>%1 expired</source>
        <translation>%1 abgelaufen</translation>
    </message>
    <message>
        <source>step failed: %1</source>
        <translation>Schritt fehlgeschlagen: %1</translation>
    </message>
    <message>
        <source>sign-in in the browser: %1</source>
        <translation>Anmeldung im Browser: %1</translation>
    </message>
    <message>
        <source>Run checks…</source>
        <translation>Prüfungen ausführen…</translation>
    </message>
    <message>
        <source>Sign in twice, refresh tokens and report each check</source>
        <translation>Zweimal anmelden, Tokens erneuern und das Ergebnis jeder Prüfung melden</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <source>Check</source>
        <translation>Prüfung</translation>
    </message>
    <message>
        <source>Result</source>
        <translation>Ergebnis</translation>
    </message>
    <message>
        <source>Evidence</source>
        <translation>Nachweis</translation>
    </message>
    <message>
        <source>Every request and reply of the run appears here, secrets redacted.</source>
        <translation>Jede Anfrage und Antwort des Durchlaufs erscheint hier, Secrets unkenntlich gemacht.</translation>
    </message>
    <message>
        <source>Event log (redacted)</source>
        <translation>Ereignisprotokoll (Secrets unkenntlich)</translation>
    </message>
    <message>
        <source>Check provider — %1</source>
        <translation>Anbieter prüfen — %1</translation>
    </message>
    <message>
        <source>Signs in twice in your browser (each time with prompt=login), exchanges the codes, refreshes the tokens and calls the probe request, then reports each requirement of an authorization-code provider with its evidence.</source>
        <translation>Meldet sich zweimal in Ihrem Browser an (jeweils mit prompt=login), tauscht die Codes ein, erneuert die Tokens und ruft die Probe-Anfrage auf; anschließend wird jede Anforderung an einen Authorization-Code-Anbieter mit ihrem Nachweis gemeldet.</translation>
    </message>
    <message>
        <source>Press Run checks to start.</source>
        <translation>Klicken Sie zum Starten auf „Prüfungen ausführen“.</translation>
    </message>
    <message>
        <source>Check provider</source>
        <translation>Anbieter prüfen</translation>
    </message>
    <message>
        <source>The checks sign in to “%1” twice in your browser and refresh its tokens, including two concurrent refreshes with the same refresh token. A server that rotates refresh tokens may revoke the whole grant.

Run the checks against a test account. Start now?</source>
        <translation>Die Prüfungen melden sich zweimal in Ihrem Browser bei „%1“ an und erneuern die Tokens, einschließlich zweier gleichzeitiger Erneuerungen mit demselben Refresh-Token. Ein Server, der Refresh-Tokens rotiert, widerruft dabei möglicherweise den gesamten Grant.

Führen Sie die Prüfungen mit einem Testkonto aus. Jetzt starten?</translation>
    </message>
    <message>
        <source>Not started.</source>
        <translation>Nicht gestartet.</translation>
    </message>
    <message>
        <source>Reading the credentials…</source>
        <translation>Zugangsdaten werden gelesen…</translation>
    </message>
    <message>
        <source>Running the checks…</source>
        <translation>Prüfungen laufen…</translation>
    </message>
    <message>
        <source>conformance run of “%1” started</source>
        <translation>Konformitätsprüfung von „%1“ gestartet</translation>
    </message>
    <message>
        <source>warning: %1</source>
        <translation>Warnung: %1</translation>
    </message>
    <message>
        <source>All %1 checks passed.</source>
        <translation>Alle %1 Prüfungen bestanden.</translation>
    </message>
    <message>
        <source>%1 of %2 checks passed; %3 failed. Select a failed check to see why.</source>
        <translation>%1 von %2 Prüfungen bestanden; %3 fehlgeschlagen. Wählen Sie eine fehlgeschlagene Prüfung aus, um den Grund zu sehen.</translation>
    </message>
    <message>
        <source>%1 of %2 checks passed</source>
        <translation>%1 von %2 Prüfungen bestanden</translation>
    </message>
    <message>
        <source>cancelled</source>
        <translation>abgebrochen</translation>
    </message>
    <message>
        <source>Cancelled.</source>
        <translation>Abgebrochen.</translation>
    </message>
    <message>
        <source>not run</source>
        <translation>nicht ausgeführt</translation>
    </message>
    <message>
        <source>running…</source>
        <translation>läuft…</translation>
    </message>
    <message>
        <source>pass</source>
        <translation>bestanden</translation>
    </message>
    <message>
        <source>FAIL</source>
        <translation>FEHLER</translation>
    </message>
    <message>
        <source>not run yet.</source>
        <translation>noch nicht ausgeführt.</translation>
    </message>
    <message>
        <source>Running the checks… (%1 is not set, so the refresh checks cannot call the API)</source>
        <translation>Prüfungen laufen… (%1 ist nicht gesetzt, daher können die Refresh-Prüfungen die API nicht aufrufen)</translation>
    </message>
    <message>
        <source>the check request</source>
        <translation>die Prüfanfrage</translation>
    </message>
    <message>
        <source>Conformance checks</source>
        <translation>Konformitätsprüfungen</translation>
    </message>
    <message>
        <source>Select an environment that signs in through a browser to check its provider.</source>
        <translation>Wählen Sie eine Umgebung, die sich über einen Browser anmeldet, um ihren Anbieter zu prüfen.</translation>
    </message>
    <message>
        <source>waiting for the browser</source>
        <translation>warte auf den Browser</translation>
    </message>
    <message>
        <source>waiting for the browser, which did not open</source>
        <translation>warte auf den Browser, der sich nicht geöffnet hat</translation>
    </message>
    <message>
        <source>sign-in %1 of 2</source>
        <translation>Anmeldung %1 von 2</translation>
    </message>
    <message>
        <source>NOT RUN</source>
        <translation>NICHT AUSGEFÜHRT</translation>
    </message>
    <message>
        <source>%1 of %2 checks passed; %3 not run, because a sign-in did not finish. Select one to see why, then run the checks again.</source>
        <translation>%1 von %2 Prüfungen bestanden; %3 nicht ausgeführt, weil eine Anmeldung nicht abgeschlossen wurde. Wählen Sie eine aus, um den Grund zu sehen, und führen Sie die Prüfungen dann erneut aus.</translation>
    </message>
    <message numerus="yes">
        <source>%n not run, because a sign-in did not finish.</source>
        <translation>
            <numerusform>%n nicht ausgeführt, weil eine Anmeldung nicht abgeschlossen wurde.</numerusform>
            <numerusform>%n nicht ausgeführt, weil eine Anmeldung nicht abgeschlossen wurde.</numerusform>
        </translation>
    </message>
    <message>
        <source>waiting for the code %1 to be approved at %2</source>
        <translation>warte darauf, dass der Code %1 unter %2 bestätigt wird</translation>
    </message>
    <message>
        <source>%1 revoked</source>
        <translation>%1 widerrufen</translation>
    </message>
    <message>
        <source>ID token validates (the provider advertises ID tokens)</source>
        <translation>ID-Token ist gültig (der Anbieter bietet ID-Tokens an)</translation>
    </message>
    <message>
        <source>A revoked refresh token no longer refreshes (the provider revokes tokens)</source>
        <translation>Ein widerrufenes Refresh-Token erneuert nicht mehr (der Anbieter widerruft Tokens)</translation>
    </message>
</context>
<context>
    <name>keyway::ui::CredentialEditor</name>
    <message>
        <source>&amp;Save to keychain</source>
        <translation>Im Schlüsselbund &amp;speichern</translation>
    </message>
    <message>
        <source>(default: %1)</source>
        <translation>(Standard: %1)</translation>
    </message>
    <message>
        <source>default: %1</source>
        <translation>Standard: %1</translation>
    </message>
    <message>
        <source>not set</source>
        <translation>nicht gesetzt</translation>
    </message>
    <message>
        <source>Show or hide %1</source>
        <translation>%1 ein- oder ausblenden</translation>
    </message>
    <message>
        <source>Copy %1; the clipboard clears itself in %2 seconds</source>
        <translation>%1 kopieren; die Zwischenablage leert sich nach %2 Sekunden</translation>
    </message>
    <message>
        <source>reading from the keychain…</source>
        <translation>wird aus dem Schlüsselbund gelesen…</translation>
    </message>
    <message>
        <source>unknown: the keychain could not be read</source>
        <translation>unbekannt: der Schlüsselbund konnte nicht gelesen werden</translation>
    </message>
    <message>
        <source>Saved. No secret changed.</source>
        <translation>Gespeichert. Es wurde kein Secret geändert.</translation>
    </message>
    <message>
        <source>Saved to the keychain.</source>
        <translation>Im Schlüsselbund gespeichert.</translation>
    </message>
    <message>
        <source>The keychain is locked. Unlock it (your desktop asks for your login password), then press Retry. Nothing you typed is lost.</source>
        <translation>Der Schlüsselbund ist gesperrt. Entsperren Sie ihn (Ihr Desktop fragt nach Ihrem Anmeldepasswort) und klicken Sie dann auf „Erneut versuchen“. Ihre Eingaben gehen nicht verloren.</translation>
    </message>
    <message>
        <source>No keychain is available: the Secret Service (GNOME Keyring, KWallet) is not running or does not answer. Start it, then press Retry. Nothing you typed is lost.</source>
        <translation>Kein Schlüsselbund verfügbar: Der Secret Service (GNOME Keyring, KWallet) läuft nicht oder antwortet nicht. Starten Sie ihn und klicken Sie dann auf „Erneut versuchen“. Ihre Eingaben gehen nicht verloren.</translation>
    </message>
    <message>
        <source>The keychain refused access. Allow Keyway when it asks, then press Retry. Nothing you typed is lost.</source>
        <translation>Der Schlüsselbund hat den Zugriff verweigert. Erlauben Sie Keyway den Zugriff, wenn Sie gefragt werden, und klicken Sie dann auf „Erneut versuchen“. Ihre Eingaben gehen nicht verloren.</translation>
    </message>
    <message>
        <source>The secret is not in the keychain.</source>
        <translation>Das Secret ist nicht im Schlüsselbund.</translation>
    </message>
    <message>
        <source>The keychain reported an error: %1. Press Retry to try again; nothing you typed is lost.</source>
        <translation>Der Schlüsselbund hat einen Fehler gemeldet: %1. Klicken Sie auf „Erneut versuchen“, um es erneut zu versuchen; Ihre Eingaben gehen nicht verloren.</translation>
    </message>
    <message>
        <source>unknown error</source>
        <translation>unbekannter Fehler</translation>
    </message>
    <message>
        <source>Retr&amp;y</source>
        <translation>Erneut &amp;versuchen</translation>
    </message>
    <message>
        <source>Connection</source>
        <translation>Verbindung</translation>
    </message>
    <message>
        <source>Import PKCS#12 (.p12, .pfx)…</source>
        <translation>PKCS#12 importieren (.p12, .pfx)…</translation>
    </message>
    <message>
        <source>Takes the client certificate and its key from a PKCS#12 file: the certificate is kept as a file in Keyway's configuration directory, the key in the keychain.</source>
        <translation>Übernimmt Client-Zertifikat und Schlüssel aus einer PKCS#12-Datei: das Zertifikat wird als Datei im Konfigurationsverzeichnis von Keyway abgelegt, der Schlüssel im Schlüsselbund.</translation>
    </message>
    <message>
        <source>Read the private key from a PEM file</source>
        <translation>Den privaten Schlüssel aus einer PEM-Datei lesen</translation>
    </message>
    <message>
        <source>Choose a PEM file</source>
        <translation>Eine PEM-Datei wählen</translation>
    </message>
    <message>
        <source>Private key (PEM)</source>
        <translation>Privater Schlüssel (PEM)</translation>
    </message>
    <message>
        <source>Certificate file (PEM)</source>
        <translation>Zertifikatsdatei (PEM)</translation>
    </message>
    <message>
        <source>PEM files (*.pem *.crt *.key *.cer);;All files (*)</source>
        <translation>PEM-Dateien (*.pem *.crt *.key *.cer);;Alle Dateien (*)</translation>
    </message>
    <message>
        <source>Cannot read %1: %2</source>
        <translation>%1 kann nicht gelesen werden: %2</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <source>Client certificate bundle (PKCS#12)</source>
        <translation>Client-Zertifikatsbündel (PKCS#12)</translation>
    </message>
    <message>
        <source>PKCS#12 files (*.p12 *.pfx);;All files (*)</source>
        <translation>PKCS#12-Dateien (*.p12 *.pfx);;Alle Dateien (*)</translation>
    </message>
    <message>
        <source>PKCS#12 password</source>
        <translation>PKCS#12-Passwort</translation>
    </message>
    <message>
        <source>The password of %1 (empty if it has none):</source>
        <translation>Das Passwort von %1 (leer, wenn sie keines hat):</translation>
    </message>
    <message>
        <source>%1: %2.</source>
        <translation>%1: %2.</translation>
    </message>
    <message>
        <source>Cannot write %1: %2</source>
        <translation>%1 kann nicht geschrieben werden: %2</translation>
    </message>
    <message>
        <source>Imported: the certificate is kept as %1; the key goes to the keychain when you save.</source>
        <translation>Importiert: das Zertifikat liegt als %1 vor; der Schlüssel kommt beim Speichern in den Schlüsselbund.</translation>
    </message>
    <message>
        <source>Paste b&amp;undle…</source>
        <translation>Bündel einfü&amp;gen…</translation>
    </message>
    <message>
        <source>Fill the fields from what the provider sent: JSON, "key: value" or KEY=value lines, or a two-column table.</source>
        <translation>Die Felder aus dem füllen, was der Anbieter geschickt hat: JSON, Zeilen "Schlüssel: Wert" oder SCHLÜSSEL=Wert oder eine Tabelle mit zwei Spalten.</translation>
    </message>
    <message>
        <source>Paste a credential bundle</source>
        <translation>Zugangsdaten-Bündel einfügen</translation>
    </message>
    <message>
        <source>Paste the credentials as the provider sent them. Fields are matched by name; secrets go to the keychain when you save.</source>
        <translation>Fügen Sie die Zugangsdaten so ein, wie der Anbieter sie geschickt hat. Felder werden über ihren Namen zugeordnet; Geheimnisse kommen beim Speichern in den Schlüsselbund.</translation>
    </message>
    <message>
        <source>Credential bundle</source>
        <translation>Zugangsdaten-Bündel</translation>
    </message>
    <message>
        <source>&amp;Fill fields</source>
        <translation>Felder &amp;füllen</translation>
    </message>
    <message>
        <source>waiting for the keychain…</source>
        <translation>warte auf den Schlüsselbund…</translation>
    </message>
    <message>
        <source>Still waiting for the keychain: if your desktop asks to unlock it, unlock it; the secrets appear here when it answers. Nothing is saved until then.</source>
        <translation>Warte noch auf den Schlüsselbund: Wenn Ihr Desktop nach dem Entsperren fragt, entsperren Sie ihn; die Geheimnisse erscheinen hier, sobald er antwortet. Bis dahin wird nichts gespeichert.</translation>
    </message>
    <message>
        <source>not a PEM private key Keyway can sign with</source>
        <translation>kein PEM-Privatschlüssel, mit dem Keyway signieren kann</translation>
    </message>
</context>
<context>
    <name>keyway::ui::DemoEnvironments</name>
    <message>
        <source>Sandbox %1</source>
        <translation>Sandbox %1</translation>
    </message>
    <message>
        <source>Sandbox %1 %2</source>
        <translation>Sandbox %1 %2</translation>
    </message>
    <message>
        <source>The sandbox environments could not be created: %1</source>
        <translation>Die Sandbox-Umgebungen konnten nicht angelegt werden: %1</translation>
    </message>
</context>
<context>
    <name>keyway::ui::DeviceCodeView</name>
    <message>
        <source>Copy code</source>
        <translation>Code kopieren</translation>
    </message>
    <message>
        <source>Copy address</source>
        <translation>Adresse kopieren</translation>
    </message>
    <message>
        <source>Open in browser</source>
        <translation>Im Browser öffnen</translation>
    </message>
    <message>
        <source>Copy the code to type it on the verification page</source>
        <translation>Den Code kopieren, um ihn auf der Bestätigungsseite einzugeben</translation>
    </message>
    <message>
        <source>Verification address</source>
        <translation>Bestätigungsadresse</translation>
    </message>
    <message>
        <source>Copy the verification address, to open it on another device</source>
        <translation>Die Bestätigungsadresse kopieren, um sie auf einem anderen Gerät zu öffnen</translation>
    </message>
    <message>
        <source>Open the verification page in this computer's browser</source>
        <translation>Die Bestätigungsseite im Browser dieses Computers öffnen</translation>
    </message>
    <message>
        <source>Scan with a phone to open the verification page with the code filled in</source>
        <translation>Mit einem Telefon scannen, um die Bestätigungsseite mit bereits eingetragenem Code zu öffnen</translation>
    </message>
    <message>
        <source>On any device, open the address below and enter this code:</source>
        <translation>Öffnen Sie auf einem beliebigen Gerät die Adresse unten und geben Sie diesen Code ein:</translation>
    </message>
    <message>
        <source>The code is on the clipboard.</source>
        <translation>Der Code ist in der Zwischenablage.</translation>
    </message>
    <message>
        <source>The verification address is on the clipboard.</source>
        <translation>Die Bestätigungsadresse ist in der Zwischenablage.</translation>
    </message>
    <message>
        <source>The verification page was opened in the browser.</source>
        <translation>Die Bestätigungsseite wurde im Browser geöffnet.</translation>
    </message>
    <message>
        <source>The browser did not open: copy the address and open it yourself.</source>
        <translation>Der Browser hat sich nicht geöffnet: Kopieren Sie die Adresse und öffnen Sie sie selbst.</translation>
    </message>
    <message>
        <source>User code %1</source>
        <translation>Benutzercode %1</translation>
    </message>
</context>
<context>
    <name>keyway::ui::Duration</name>
    <message>
        <source>%1 d %2 h</source>
        <translation>%1 d %2 h</translation>
    </message>
    <message>
        <source>%1 h %2 min</source>
        <translation>%1 h %2 min</translation>
    </message>
    <message>
        <source>expires in %1</source>
        <translation>läuft in %1 ab</translation>
    </message>
    <message>
        <source>expired %1 s ago</source>
        <translation>vor %1 s abgelaufen</translation>
    </message>
    <message>
        <source>expired %1 min ago</source>
        <translation>vor %1 min abgelaufen</translation>
    </message>
    <message>
        <source>expired %1 ago</source>
        <translation>vor %1 abgelaufen</translation>
    </message>
</context>
<context>
    <name>keyway::ui::EnvironmentDialog</name>
    <message>
        <source>New environment</source>
        <translation>Neue Umgebung</translation>
    </message>
    <message>
        <source>Edit environment</source>
        <translation>Umgebung bearbeiten</translation>
    </message>
    <message>
        <source>Duplicate environment</source>
        <translation>Umgebung duplizieren</translation>
    </message>
    <message>
        <source>e.g. Seismic staging</source>
        <translation>z. B. Seismic Staging</translation>
    </message>
    <message>
        <source>Request paths are appended to this URL, keeping its path prefix.</source>
        <translation>Anfragepfade werden an diese URL angehängt; ihr Pfadpräfix bleibt erhalten.</translation>
    </message>
    <message>
        <source>&amp;Provider:</source>
        <translation>&amp;Anbieter:</translation>
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation>&amp;Name:</translation>
    </message>
    <message>
        <source>&amp;Base URL:</source>
        <translation>&amp;Basis-URL:</translation>
    </message>
    <message>
        <source>Credentials (secret fields are stored in the keychain only)</source>
        <translation>Zugangsdaten (geheime Felder werden nur im Schlüsselbund gespeichert)</translation>
    </message>
    <message>
        <source>%1 (copy)</source>
        <translation>%1 (Kopie)</translation>
    </message>
    <message>
        <source>https://api.example.com</source>
        <translation>https://api.example.com</translation>
    </message>
    <message>
        <source>Provider documentation</source>
        <translation>Dokumentation des Anbieters</translation>
    </message>
    <message>
        <source>Fields</source>
        <translation>Felder</translation>
    </message>
    <message>
        <source>required</source>
        <translation>erforderlich</translation>
    </message>
    <message>
        <source>secret, kept in the keychain</source>
        <translation>geheim, im Schlüsselbund abgelegt</translation>
    </message>
    <message>
        <source>Pick a provider.</source>
        <translation>Wählen Sie einen Anbieter.</translation>
    </message>
    <message>
        <source>Give the environment a name.</source>
        <translation>Geben Sie der Umgebung einen Namen.</translation>
    </message>
    <message>
        <source>An environment named “%1” already exists. Choose another name.</source>
        <translation>Eine Umgebung namens „%1“ existiert bereits. Wählen Sie einen anderen Namen.</translation>
    </message>
    <message>
        <source>The base URL must be an http:// or https:// address, e.g. https://api.example.com/v2.</source>
        <translation>Die Basis-URL muss eine http://- oder https://-Adresse sein, z. B. https://api.example.com/v2.</translation>
    </message>
    <message>
        <source>Fill in the required fields: %1.</source>
        <translation>Füllen Sie die Pflichtfelder aus: %1.</translation>
    </message>
    <message>
        <source>Provider summary</source>
        <translation>Übersicht des Anbieters</translation>
    </message>
    <message>
        <source>No browser opened for %1. The address is on the clipboard: paste it into a browser.</source>
        <translation>Für %1 wurde kein Browser geöffnet. Die Adresse ist in der Zwischenablage: Fügen Sie sie in einen Browser ein.</translation>
    </message>
    <message>
        <source>&amp;Discover endpoints</source>
        <translation>Endpunkte &amp;ermitteln</translation>
    </message>
    <message>
        <source>Reads the issuer's OpenID configuration and fills the endpoint fields that are still empty.</source>
        <translation>Liest die OpenID-Konfiguration des Ausstellers und füllt die noch leeren Endpunkt-Felder.</translation>
    </message>
    <message>
        <source>Fills the empty endpoint fields from the issuer's discovery document.</source>
        <translation>Füllt die leeren Endpunkt-Felder aus dem Discovery-Dokument des Ausstellers.</translation>
    </message>
    <message>
        <source>Enter the issuer first, for example https://login.example.com/realms/main.</source>
        <translation>Geben Sie zuerst den Aussteller ein, zum Beispiel https://login.example.com/realms/main.</translation>
    </message>
    <message>
        <source>Reading the discovery document of %1…</source>
        <translation>Discovery-Dokument von %1 wird gelesen …</translation>
    </message>
    <message>
        <source>filled</source>
        <translation>eingetragen</translation>
    </message>
    <message>
        <source>kept as set</source>
        <translation>wie gesetzt belassen</translation>
    </message>
    <message>
        <source>used when needed</source>
        <translation>bei Bedarf verwendet</translation>
    </message>
    <message>
        <source>Discovered from %1:</source>
        <translation>Ermittelt aus %1:</translation>
    </message>
</context>
<context>
    <name>keyway::ui::EnvironmentList</name>
    <message>
        <source>Environments</source>
        <translation>Umgebungen</translation>
    </message>
    <message>
        <source>Environ&amp;ments</source>
        <translation>Umgebunge&amp;n</translation>
    </message>
</context>
<context>
    <name>keyway::ui::EnvironmentListModel</name>
    <message>
        <source>Environment</source>
        <translation>Umgebung</translation>
    </message>
    <message>
        <source>Keychain</source>
        <translation>Schlüsselbund</translation>
    </message>
    <message>
        <source>unknown provider %1</source>
        <translation>unbekannter Anbieter %1</translation>
    </message>
    <message>
        <source>Missing: %1</source>
        <translation>Fehlt: %1</translation>
    </message>
    <message>
        <source>checking…</source>
        <translation>wird geprüft…</translation>
    </message>
    <message>
        <source>all set</source>
        <translation>vollständig</translation>
    </message>
    <message numerus="yes">
        <source>%n missing</source>
        <translation>
            <numerusform>%n fehlt</numerusform>
            <numerusform>%n fehlen</numerusform>
        </translation>
    </message>
    <message>
        <source>keychain locked</source>
        <translation>Schlüsselbund gesperrt</translation>
    </message>
    <message>
        <source>keychain unavailable</source>
        <translation>Schlüsselbund nicht verfügbar</translation>
    </message>
    <message>
        <source>keychain error</source>
        <translation>Schlüsselbundfehler</translation>
    </message>
</context>
<context>
    <name>keyway::ui::FlowWalkthrough</name>
    <message>
        <source>HTTP %1 (%2 ms)</source>
        <translation>HTTP %1 (%2 ms)</translation>
    </message>
    <message>
        <source>Run every step of the flow (Ctrl+R)</source>
        <translation>Alle Schritte des Flows ausführen (Strg+R)</translation>
    </message>
    <message>
        <source>&amp;Step</source>
        <translation>&amp;Schritt</translation>
    </message>
    <message>
        <source>Run the next step only</source>
        <translation>Nur den nächsten Schritt ausführen</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <source>Reveal secrets</source>
        <translation>Secrets anzeigen</translation>
    </message>
    <message>
        <source>Show the secrets, codes and tokens in the requests and replies</source>
        <translation>Secrets, Codes und Tokens in Anfragen und Antworten anzeigen</translation>
    </message>
    <message>
        <source>The request appears here when the step runs.</source>
        <translation>Die Anfrage erscheint hier, sobald der Schritt ausgeführt wird.</translation>
    </message>
    <message>
        <source>The reply appears here.</source>
        <translation>Die Antwort erscheint hier.</translation>
    </message>
    <message>
        <source>Request</source>
        <translation>Anfrage</translation>
    </message>
    <message>
        <source>Reply</source>
        <translation>Antwort</translation>
    </message>
    <message>
        <source>%1 — %2 flow</source>
        <translation>%1 — Flow: %2</translation>
    </message>
    <message>
        <source>Press Run all (Ctrl+R) to run the whole flow, or Step to run one step at a time.</source>
        <translation>Klicken Sie auf „Alle ausführen“ (Strg+R), um den gesamten Flow auszuführen, oder auf „Schritt“, um jeweils einen Schritt auszuführen.</translation>
    </message>
    <message>
        <source>Flow</source>
        <translation>Flow</translation>
    </message>
    <message>
        <source>Select an environment to walk through its auth flow.</source>
        <translation>Wählen Sie eine Umgebung aus, um ihren Auth-Flow Schritt für Schritt zu durchlaufen.</translation>
    </message>
    <message>
        <source>This environment's credentials cannot be read.</source>
        <translation>Die Zugangsdaten dieser Umgebung können nicht gelesen werden.</translation>
    </message>
    <message>
        <source>Reading the credentials from the keychain…</source>
        <translation>Zugangsdaten werden aus dem Schlüsselbund gelesen…</translation>
    </message>
    <message>
        <source>Running step %1…</source>
        <translation>Schritt %1 wird ausgeführt…</translation>
    </message>
    <message>
        <source>Running the flow…</source>
        <translation>Flow wird ausgeführt…</translation>
    </message>
    <message>
        <source>Done: the access token is valid until %1.</source>
        <translation>Fertig: Das Access-Token ist gültig bis %1.</translation>
    </message>
    <message>
        <source>Step %1 done. Press Step for step %2.</source>
        <translation>Schritt %1 erledigt. Klicken Sie für Schritt %2 auf „Schritt“.</translation>
    </message>
    <message>
        <source>Done.</source>
        <translation>Fertig.</translation>
    </message>
    <message>
        <source>Step %1 failed: %2</source>
        <translation>Schritt %1 fehlgeschlagen: %2</translation>
    </message>
    <message>
        <source>Cancelled.</source>
        <translation>Abgebrochen.</translation>
    </message>
    <message>
        <source>running</source>
        <translation>läuft</translation>
    </message>
    <message>
        <source>done</source>
        <translation>erledigt</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>fehlgeschlagen</translation>
    </message>
    <message>
        <source>%1. %2</source>
        <translation>%1. %2</translation>
    </message>
    <message>
        <source>Step %1: %2</source>
        <translation>Schritt %1: %2</translation>
    </message>
    <message>
        <source>This step failed.</source>
        <translation>Dieser Schritt ist fehlgeschlagen.</translation>
    </message>
    <message>
        <source>What happened: %1</source>
        <translation>Was passiert ist: %1</translation>
    </message>
    <message>
        <source>Run step %1 only</source>
        <translation>Nur Schritt %1 ausführen</translation>
    </message>
    <message>
        <source>Run &amp;all</source>
        <translation>&amp;Alle ausführen</translation>
    </message>
    <message>
        <source>Hide secrets</source>
        <translation>Secrets verbergen</translation>
    </message>
    <message>
        <source>Flow steps</source>
        <translation>Flow-Schritte</translation>
    </message>
    <message>
        <source>cancelled</source>
        <translation>abgebrochen</translation>
    </message>
    <message>
        <source>Still waiting for the keychain: if your desktop asks to unlock it, unlock it (the prompt may be behind this window). Cancel stops waiting.</source>
        <translation>Warte noch auf den Schlüsselbund: Wenn Ihr Desktop nach dem Entsperren fragt, entsperren Sie ihn (die Abfrage liegt vielleicht hinter diesem Fenster). Abbrechen beendet das Warten.</translation>
    </message>
    <message>
        <source>Use a CA file for this environment…</source>
        <translation>Eine CA-Datei für diese Umgebung verwenden…</translation>
    </message>
    <message>
        <source>No reply: %1.</source>
        <translation>Keine Antwort: %1.</translation>
    </message>
    <message>
        <source>Certificate chain the server presented:</source>
        <translation>Zertifikatskette, die der Server vorgelegt hat:</translation>
    </message>
    <message>
        <source>Step %1 — %2: %3</source>
        <translation>Schritt %1 — %2: %3</translation>
    </message>
    <message>
        <source>Client assertion (signature redacted):</source>
        <translation>Client-Assertion (Signatur geschwärzt):</translation>
    </message>
    <message>
        <source>ID token not verified: set the issuer or the JWKS URL so Keyway can check its signature.</source>
        <translation>ID-Token nicht geprüft: Geben Sie den Aussteller oder die JWKS-URL an, damit Keyway seine Signatur prüfen kann.</translation>
    </message>
    <message>
        <source>ID token verified: signature against the issuer's key set; iss, aud, exp, iat and nonce checked.</source>
        <translation>ID-Token geprüft: Signatur gegen die Schlüssel des Ausstellers; iss, aud, exp, iat und nonce kontrolliert.</translation>
    </message>
    <message>
        <source>ID token verified with key %1: signature against the issuer's key set; iss, aud, exp, iat and nonce checked.</source>
        <translation>ID-Token geprüft mit Schlüssel %1: Signatur gegen die Schlüssel des Ausstellers; iss, aud, exp, iat und nonce kontrolliert.</translation>
    </message>
</context>
<context>
    <name>keyway::ui::HealthBoard</name>
    <message>
        <source>Whether each environment's credentials work right now. Browser sign-ins are never started here: an environment that needs one uses its stored sign-in.</source>
        <translation>Ob die Zugangsdaten jeder Umgebung gerade funktionieren. Browser-Anmeldungen werden hier nie gestartet: Eine Umgebung, die eine braucht, nutzt ihre gespeicherte Anmeldung.</translation>
    </message>
    <message>
        <source>Health of every environment</source>
        <translation>Zustand aller Umgebungen</translation>
    </message>
    <message>
        <source>Environment</source>
        <translation>Umgebung</translation>
    </message>
    <message>
        <source>Result</source>
        <translation>Ergebnis</translation>
    </message>
    <message>
        <source>Last check</source>
        <translation>Letzte Prüfung</translation>
    </message>
    <message>
        <source>Token left</source>
        <translation>Token noch</translation>
    </message>
    <message>
        <source>Failing step and hint</source>
        <translation>Fehlgeschlagener Schritt und Hinweis</translation>
    </message>
    <message>
        <source>Check &amp;all</source>
        <translation>Alle p&amp;rüfen</translation>
    </message>
    <message>
        <source>Check every environment, %1 at once.</source>
        <translation>Jede Umgebung prüfen, %1 gleichzeitig.</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <source>Open wal&amp;kthrough</source>
        <translation>Ablauf &amp;öffnen</translation>
    </message>
    <message>
        <source>Show the selected environment's flow, at the step that failed.</source>
        <translation>Den Flow der gewählten Umgebung zeigen, beim fehlgeschlagenen Schritt.</translation>
    </message>
    <message>
        <source>%v of %m</source>
        <translation>%v von %m</translation>
    </message>
    <message>
        <source>Check</source>
        <translation>Prüfen</translation>
    </message>
    <message>
        <source>Check %1</source>
        <translation>%1 prüfen</translation>
    </message>
    <message>
        <source>checking…</source>
        <translation>wird geprüft…</translation>
    </message>
    <message>
        <source>not checked yet</source>
        <translation>noch nicht geprüft</translation>
    </message>
    <message>
        <source>step %1: %2</source>
        <translation>Schritt %1: %2</translation>
    </message>
    <message>
        <source>expired</source>
        <translation>abgelaufen</translation>
    </message>
    <message>
        <source>No environments to check yet: add one first.</source>
        <translation>Noch keine Umgebungen zu prüfen: Legen Sie zuerst eine an.</translation>
    </message>
    <message numerus="yes">
        <source>%1 of %n environment(s) pass.</source>
        <translation>
            <numerusform>%1 von %n Umgebung besteht.</numerusform>
            <numerusform>%1 von %n Umgebungen bestehen.</numerusform>
        </translation>
    </message>
    <message>
        <source>Checking…</source>
        <translation>Wird geprüft…</translation>
    </message>
    <message>
        <source>Cancelled: %1 of %2 checked.</source>
        <translation>Abgebrochen: %1 von %2 geprüft.</translation>
    </message>
    <message>
        <source>Refresh token age</source>
        <translation>Alter des Refresh-Tokens</translation>
    </message>
    <message>
        <source>How long ago the stored refresh token was issued; many providers end refresh tokens after a fixed number of days, used or not.</source>
        <translation>Wie lange die Ausstellung des gespeicherten Refresh-Tokens zurückliegt; viele Anbieter beenden Refresh-Tokens nach einer festen Zahl von Tagen, ob benutzt oder nicht.</translation>
    </message>
    <message>
        <source>just issued</source>
        <translation>gerade ausgestellt</translation>
    </message>
</context>
<context>
    <name>keyway::ui::HistoryView</name>
    <message>
        <source>Search method, path, status or body…</source>
        <translation>Methode, Pfad, Status oder Body durchsuchen…</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>Zeit</translation>
    </message>
    <message>
        <source>Method</source>
        <translation>Methode</translation>
    </message>
    <message>
        <source>Path</source>
        <translation>Pfad</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Duration</source>
        <translation>Dauer</translation>
    </message>
    <message>
        <source>&amp;Open in composer</source>
        <translation>Im &amp;Composer öffnen</translation>
    </message>
    <message>
        <source>—</source>
        <translation>—</translation>
    </message>
    <message>
        <source>%1 ms</source>
        <translation>%1 ms</translation>
    </message>
    <message numerus="yes">
        <source>%n request(s)</source>
        <translation>
            <numerusform>%n Anfrage</numerusform>
            <numerusform>%n Anfragen</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 of %2</source>
        <translation>%1 von %2</translation>
    </message>
    <message>
        <source>Clear history</source>
        <translation>Verlauf leeren</translation>
    </message>
    <message>
        <source>Forget every recorded request of this environment?</source>
        <translation>Alle aufgezeichneten Anfragen dieser Umgebung verwerfen?</translation>
    </message>
    <message>
        <source>Search history</source>
        <translation>Verlauf durchsuchen</translation>
    </message>
    <message>
        <source>Request history</source>
        <translation>Anfrageverlauf</translation>
    </message>
    <message>
        <source>Re-sen&amp;d</source>
        <translation>Erneut sen&amp;den</translation>
    </message>
    <message>
        <source>Clear h&amp;istory…</source>
        <translation>&amp;Verlauf leeren…</translation>
    </message>
</context>
<context>
    <name>keyway::ui::JsonTreeModel</name>
    <message>
        <source>(value)</source>
        <translation>(Wert)</translation>
    </message>
    <message>
        <source>1 item</source>
        <translation>1 Element</translation>
    </message>
    <message>
        <source>%1 items</source>
        <translation>%1 Elemente</translation>
    </message>
    <message>
        <source>cannot read: %1</source>
        <translation>nicht lesbar: %1</translation>
    </message>
    <message>
        <source>{1 key}</source>
        <translation>{1 Schlüssel}</translation>
    </message>
    <message>
        <source>{%1 keys}</source>
        <translation>{%1 Schlüssel}</translation>
    </message>
    <message>
        <source>[1 item]</source>
        <translation>[1 Element]</translation>
    </message>
    <message>
        <source>[%1 items]</source>
        <translation>[%1 Elemente]</translation>
    </message>
    <message>
        <source>loading…</source>
        <translation>wird geladen…</translation>
    </message>
    <message>
        <source>range</source>
        <translation>Bereich</translation>
    </message>
    <message>
        <source>Key</source>
        <translation>Schlüssel</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>Wert</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>Typ</translation>
    </message>
</context>
<context>
    <name>keyway::ui::JwtView</name>
    <message>
        <source>JWT decoder</source>
        <translation>JWT-Decoder</translation>
    </message>
    <message>
        <source>JWT header</source>
        <translation>JWT-Header</translation>
    </message>
    <message>
        <source>JWT claims</source>
        <translation>JWT-Claims</translation>
    </message>
    <message>
        <source>This value is not a JWT (three base64url parts whose first two are JSON).</source>
        <translation>Dieser Wert ist kein JWT (drei base64url-Teile, von denen die ersten beiden JSON sind).</translation>
    </message>
    <message>
        <source>Select a token-shaped string in the tree or the body and choose Decode JWT.</source>
        <translation>Markieren Sie im Baum oder im Body eine Zeichenkette, die wie ein Token aussieht, und wählen Sie „JWT dekodieren“.</translation>
    </message>
    <message>
        <source>none</source>
        <translation>keiner</translation>
    </message>
    <message>
        <source>Subject: %1</source>
        <translation>Subjekt: %1</translation>
    </message>
    <message>
        <source>Issued: %1</source>
        <translation>Ausgestellt: %1</translation>
    </message>
    <message>
        <source>Expires: %1 (%2)</source>
        <translation>Läuft ab: %1 (%2)</translation>
    </message>
    <message>
        <source>No exp claim: the token does not say when it expires.</source>
        <translation>Kein exp-Claim: Das Token gibt nicht an, wann es abläuft.</translation>
    </message>
    <message>
        <source>Signature not verified: this environment names no issuer or JWKS URL to check it against.</source>
        <translation>Signatur nicht geprüft: diese Umgebung nennt keinen Aussteller und keine JWKS-URL, gegen die sie geprüft werden könnte.</translation>
    </message>
    <message>
        <source>Checking the signature against the issuer's keys…</source>
        <translation>Signatur wird gegen die Schlüssel des Ausstellers geprüft …</translation>
    </message>
    <message>
        <source>Algorithm: %1</source>
        <translation>Verfahren: %1</translation>
    </message>
</context>
<context>
    <name>keyway::ui::KeyValueTable</name>
    <message>
        <source>Added by Keyway when the request is sent; never shown or stored.</source>
        <translation>Wird von Keyway beim Senden der Anfrage hinzugefügt; wird nie angezeigt oder gespeichert.</translation>
    </message>
</context>
<context>
    <name>keyway::ui::MainWindow</name>
    <message>
        <source>Keyway</source>
        <translation>Keyway</translation>
    </message>
    <message>
        <source>&amp;Flow</source>
        <translation>&amp;Flow</translation>
    </message>
    <message>
        <source>&amp;Requests</source>
        <translation>&amp;Anfragen</translation>
    </message>
    <message>
        <source>&amp;Credentials</source>
        <translation>&amp;Zugangsdaten</translation>
    </message>
    <message>
        <source>Check pro&amp;vider</source>
        <translation>Anbieter &amp;prüfen</translation>
    </message>
    <message>
        <source>&amp;Webhooks</source>
        <translation>&amp;Webhooks</translation>
    </message>
    <message>
        <source>Timeline</source>
        <translation>Zeitleiste</translation>
    </message>
    <message>
        <source>Codes and tokens from issue to expiry. Ctrl+wheel or +/- zooms, F fits.</source>
        <translation>Codes und Tokens von der Ausstellung bis zum Ablauf. Strg+Mausrad oder +/- zoomt, F passt die Ansicht ein.</translation>
    </message>
    <message>
        <source>&amp;New environment…</source>
        <translation>&amp;Neue Umgebung…</translation>
    </message>
    <message>
        <source>&amp;Edit environment…</source>
        <translation>Umgebung be&amp;arbeiten…</translation>
    </message>
    <message>
        <source>D&amp;uplicate environment…</source>
        <translation>Umgebung d&amp;uplizieren…</translation>
    </message>
    <message>
        <source>&amp;Delete environment…</source>
        <translation>Umgebung &amp;löschen…</translation>
    </message>
    <message>
        <source>&amp;Run flow</source>
        <translation>Flow &amp;ausführen</translation>
    </message>
    <message>
        <source>Run next &amp;step</source>
        <translation>Nächsten &amp;Schritt ausführen</translation>
    </message>
    <message>
        <source>&amp;Cancel flow</source>
        <translation>Flow a&amp;bbrechen</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Beenden</translation>
    </message>
    <message>
        <source>&amp;Environment</source>
        <translation>&amp;Umgebung</translation>
    </message>
    <message>
        <source>F&amp;low</source>
        <translation>F&amp;low</translation>
    </message>
    <message>
        <source>Embedded sandbox on %1</source>
        <translation>Eingebettete Sandbox auf %1</translation>
    </message>
    <message>
        <source>authorization code</source>
        <translation>Autorisierungscode</translation>
    </message>
    <message>
        <source>access token</source>
        <translation>Access-Token</translation>
    </message>
    <message>
        <source>refresh token</source>
        <translation>Refresh-Token</translation>
    </message>
    <message>
        <source>Select an environment first.</source>
        <translation>Wählen Sie zuerst eine Umgebung aus.</translation>
    </message>
    <message>
        <source>Saved “%1”.</source>
        <translation>„%1“ gespeichert.</translation>
    </message>
    <message>
        <source>Delete environment</source>
        <translation>Umgebung löschen</translation>
    </message>
    <message>
        <source>Delete “%1” and its secrets from the keychain? This cannot be undone.</source>
        <translation>„%1“ und die zugehörigen Secrets aus dem Schlüsselbund löschen? Dies kann nicht rückgängig gemacht werden.</translation>
    </message>
    <message>
        <source>“%1” was not deleted. %2</source>
        <translation>„%1“ wurde nicht gelöscht. %2</translation>
    </message>
    <message>
        <source>Deleted “%1”.</source>
        <translation>„%1“ gelöscht.</translation>
    </message>
    <message>
        <source>Credentials saved.</source>
        <translation>Zugangsdaten gespeichert.</translation>
    </message>
    <message>
        <source>This environment no longer exists.</source>
        <translation>Diese Umgebung existiert nicht mehr.</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <source>Provider summary</source>
        <translation>Übersicht des Anbieters</translation>
    </message>
    <message>
        <source>All environments</source>
        <translation>Alle Umgebungen</translation>
    </message>
    <message>
        <source>This environment</source>
        <translation>Diese Umgebung</translation>
    </message>
    <message>
        <source>The selected environment's codes and tokens always come first.</source>
        <translation>Codes und Token der ausgewählten Umgebung stehen immer zuerst.</translation>
    </message>
    <message>
        <source>Clear</source>
        <translation>Leeren</translation>
    </message>
    <message>
        <source>Remove every lane from the timeline (the tokens themselves stay valid).</source>
        <translation>Alle Spuren aus der Zeitleiste entfernen (die Token selbst bleiben gültig).</translation>
    </message>
    <message>
        <source>Crede&amp;ntial set:</source>
        <translation>Zugangsdaten-&amp;Satz:</translation>
    </message>
    <message>
        <source>Sand&amp;box…</source>
        <translation>Sand&amp;box…</translation>
    </message>
    <message>
        <source>Sandbox time scale %1×: codes and tokens issued from now on live 1/%1 as long.</source>
        <translation>Zeitfaktor der Sandbox %1×: Ab jetzt ausgestellte Codes und Token leben 1/%1 so lange.</translation>
    </message>
    <message>
        <source>CA certificates %1 trusts (PEM)</source>
        <translation>CA-Zertifikate, denen %1 vertraut (PEM)</translation>
    </message>
    <message>
        <source>PEM files (*.pem *.crt *.cer);;All files (*)</source>
        <translation>PEM-Dateien (*.pem *.crt *.cer);;Alle Dateien (*)</translation>
    </message>
    <message>
        <source>%1 now trusts the CA certificates in %2 as well. Run the flow again.</source>
        <translation>%1 vertraut nun zusätzlich den CA-Zertifikaten in %2. Führen Sie den Ablauf erneut aus.</translation>
    </message>
    <message>
        <source>Health boar&amp;d</source>
        <translation>Übersich&amp;t</translation>
    </message>
    <message>
        <source>&amp;Import environments…</source>
        <translation>Umgebungen &amp;importieren…</translation>
    </message>
    <message>
        <source>E&amp;xport environments…</source>
        <translation>Umgebungen e&amp;xportieren…</translation>
    </message>
    <message>
        <source>Export environments</source>
        <translation>Umgebungen exportieren</translation>
    </message>
    <message>
        <source>Keyway bundles (*.json)</source>
        <translation>Keyway-Bündel (*.json)</translation>
    </message>
    <message>
        <source>The environments could not be exported to %1: %2. Choose another place and try again.</source>
        <translation>Die Umgebungen konnten nicht nach %1 exportiert werden: %2. Wählen Sie einen anderen Ort und versuchen Sie es erneut.</translation>
    </message>
    <message numerus="yes">
        <source>Exported %n environment(s) to %1, without a single secret value.</source>
        <translation>
            <numerusform>%n Umgebung nach %1 exportiert, ohne einen einzigen geheimen Wert.</numerusform>
            <numerusform>%n Umgebungen nach %1 exportiert, ohne einen einzigen geheimen Wert.</numerusform>
        </translation>
    </message>
    <message>
        <source>Import environments</source>
        <translation>Umgebungen importieren</translation>
    </message>
    <message>
        <source>Keyway bundles and Postman exports (*.json)</source>
        <translation>Keyway-Bündel und Postman-Exporte (*.json)</translation>
    </message>
    <message>
        <source>the file is neither a Keyway bundle nor a Postman environment or collection v2.1</source>
        <translation>die Datei ist weder ein Keyway-Bündel noch eine Postman-Umgebung oder Collection v2.1</translation>
    </message>
    <message>
        <source>%1 cannot be imported: %2</source>
        <translation>%1 kann nicht importiert werden: %2</translation>
    </message>
    <message>
        <source>it holds no environment</source>
        <translation>sie enthält keine Umgebung</translation>
    </message>
    <message numerus="yes">
        <source>Imported %n environment(s).</source>
        <translation>
            <numerusform>%n Umgebung importiert.</numerusform>
            <numerusform>%n Umgebungen importiert.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Imported %n environment(s). Secrets still missing: %1; add them in the Credentials tab.</source>
        <translation>
            <numerusform>%n Umgebung importiert. Noch fehlende Geheimnisse: %1; tragen Sie sie im Reiter Zugangsdaten ein.</numerusform>
            <numerusform>%n Umgebungen importiert. Noch fehlende Geheimnisse: %1; tragen Sie sie im Reiter Zugangsdaten ein.</numerusform>
        </translation>
    </message>
    <message>
        <source>device code</source>
        <translation>Gerätecode</translation>
    </message>
    <message>
        <source>Introspect</source>
        <translation>Prüfen (Introspektion)</translation>
    </message>
    <message>
        <source>Ask the provider whether this token is still active</source>
        <translation>Den Anbieter fragen, ob dieses Token noch aktiv ist</translation>
    </message>
    <message>
        <source>Revoke</source>
        <translation>Widerrufen</translation>
    </message>
    <message>
        <source>Revoke this token at the provider; Keyway forgets it</source>
        <translation>Dieses Token beim Anbieter widerrufen; Keyway vergisst es</translation>
    </message>
    <message>
        <source>Revoking the %1…</source>
        <translation>Widerrufe %1 …</translation>
    </message>
    <message>
        <source>Introspecting the %1…</source>
        <translation>Prüfe %1 …</translation>
    </message>
    <message>
        <source>The %1 was revoked at the provider; Keyway forgot it.</source>
        <translation>%1 wurde beim Anbieter widerrufen; Keyway hat es vergessen.</translation>
    </message>
    <message>
        <source>The provider says the %1 is active.</source>
        <translation>Laut Anbieter ist %1 aktiv.</translation>
    </message>
    <message>
        <source>The provider says the %1 is not active.</source>
        <translation>Laut Anbieter ist %1 nicht aktiv.</translation>
    </message>
    <message>
        <source>Revocation</source>
        <translation>Widerruf</translation>
    </message>
    <message>
        <source>Introspection</source>
        <translation>Introspektion</translation>
    </message>
    <message>
        <source>The provider's reply:</source>
        <translation>Die Antwort des Anbieters:</translation>
    </message>
    <message>
        <source>ID token (verified)</source>
        <translation>ID-Token (geprüft)</translation>
    </message>
    <message>
        <source>ID token (not verified)</source>
        <translation>ID-Token (nicht geprüft)</translation>
    </message>
    <message>
        <source>ID token</source>
        <translation>ID-Token</translation>
    </message>
</context>
<context>
    <name>keyway::ui::PreferencesDialog</name>
    <message>
        <source>Preferences</source>
        <translation>Einstellungen</translation>
    </message>
    <message>
        <source> s</source>
        <translation> s</translation>
    </message>
    <message>
        <source> MB</source>
        <translation> MB</translation>
    </message>
    <message>
        <source>&amp;Start the embedded sandbox with the window</source>
        <translation>Eingebettete &amp;Sandbox mit dem Fenster starten</translation>
    </message>
    <message>
        <source>System language</source>
        <translation>Sprache des Systems</translation>
    </message>
    <message>
        <source>Clear copied secrets from the clip&amp;board after:</source>
        <translation>Kopierte Secrets aus der &amp;Zwischenablage löschen nach:</translation>
    </message>
    <message>
        <source>Request &amp;timeout (whole exchange):</source>
        <translation>&amp;Zeitlimit für Anfragen (gesamter Austausch):</translation>
    </message>
    <message>
        <source>History &amp;entries kept per environment:</source>
        <translation>Aufbewahrte Verlaufs&amp;einträge je Umgebung:</translation>
    </message>
    <message>
        <source>History file si&amp;ze limit per environment:</source>
        <translation>&amp;Größenlimit der Verlaufsdatei je Umgebung:</translation>
    </message>
    <message>
        <source>Timeline &amp;warning before expiry (at least):</source>
        <translation>&amp;Warnung in der Zeitleiste vor dem Ablauf (mindestens):</translation>
    </message>
    <message>
        <source>&amp;Language:</source>
        <translation>S&amp;prache:</translation>
    </message>
    <message>
        <source>The request timeout, the language, the history limits and the embedded sandbox take effect when Keyway next starts.</source>
        <translation>Zeitlimit für Anfragen, Sprache, Verlaufslimits und die eingebettete Sandbox wirken beim nächsten Start von Keyway.</translation>
    </message>
    <message>
        <source>Serve the sandbox over &amp;HTTPS (with a certificate authority made at start)</source>
        <translation>Sandbox über &amp;HTTPS anbieten (mit einer beim Start erzeugten Zertifizierungsstelle)</translation>
    </message>
    <message>
        <source>The sandbox environments trust that certificate authority, so they work at once; use it to try a private certificate authority and the TLS error messages.</source>
        <translation>Die Sandbox-Umgebungen vertrauen dieser Zertifizierungsstelle und funktionieren daher sofort; damit lassen sich eine private Zertifizierungsstelle und die TLS-Fehlermeldungen ausprobieren.</translation>
    </message>
</context>
<context>
    <name>keyway::ui::RequestComposer</name>
    <message>
        <source>The provider's sample requests, filled from this environment</source>
        <translation>Beispielanfragen des Anbieters, ausgefüllt mit den Werten dieser Umgebung</translation>
    </message>
    <message>
        <source>/v1/path relative to the base URL</source>
        <translation>/v1/path relativ zur Basis-URL</translation>
    </message>
    <message>
        <source>&amp;Send</source>
        <translation>&amp;Senden</translation>
    </message>
    <message>
        <source>Send the request (Ctrl+Enter)</source>
        <translation>Anfrage senden (Strg+Eingabe)</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <source>Stop waiting for the reply (Esc)</source>
        <translation>Nicht länger auf die Antwort warten (Esc)</translation>
    </message>
    <message>
        <source>Copy as curl</source>
        <translation>Als curl kopieren</translation>
    </message>
    <message>
        <source>Copy the request as a curl command, with the token and secrets as placeholders</source>
        <translation>Anfrage als curl-Befehl kopieren, mit Platzhaltern für Token und Secrets</translation>
    </message>
    <message>
        <source>Copy as curl with secrets…</source>
        <translation>Als curl mit Secrets kopieren…</translation>
    </message>
    <message>
        <source>Parameter</source>
        <translation>Parameter</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>Wert</translation>
    </message>
    <message>
        <source>Header</source>
        <translation>Header</translation>
    </message>
    <message>
        <source>This endpoint needs a unique key per request: sending the same key again repeats nothing on the provider's side. Regenerate it for a new request.</source>
        <translation>Dieser Endpunkt benötigt pro Anfrage einen eindeutigen Schlüssel: Wird derselbe Schlüssel erneut gesendet, wiederholt der Anbieter nichts. Erzeugen Sie für eine neue Anfrage einen neuen Schlüssel.</translation>
    </message>
    <message>
        <source>Regenerate</source>
        <translation>Neu erzeugen</translation>
    </message>
    <message>
        <source>Request body (JSON or form), sent as is</source>
        <translation>Anfrage-Body (JSON oder Formular), wird unverändert gesendet</translation>
    </message>
    <message>
        <source>&amp;Query</source>
        <translation>&amp;Query</translation>
    </message>
    <message>
        <source>&amp;Body</source>
        <translation>&amp;Body</translation>
    </message>
    <message>
        <source>Sample:</source>
        <translation>Beispiel:</translation>
    </message>
    <message>
        <source>Choose a sample request…</source>
        <translation>Beispielanfrage auswählen…</translation>
    </message>
    <message>
        <source>No environment selected</source>
        <translation>Keine Umgebung ausgewählt</translation>
    </message>
    <message>
        <source>%1 (added at send)</source>
        <translation>%1 (wird beim Senden hinzugefügt)</translation>
    </message>
    <message>
        <source>Ready: %1 on %2</source>
        <translation>Bereit: %1 auf %2</translation>
    </message>
    <message>
        <source>→ %1</source>
        <translation>→ %1</translation>
    </message>
    <message>
        <source>This environment's credentials cannot be read.</source>
        <translation>Die Zugangsdaten dieser Umgebung können nicht gelesen werden.</translation>
    </message>
    <message>
        <source>Sending %1 %2…</source>
        <translation>%1 %2 wird gesendet…</translation>
    </message>
    <message>
        <source>HTTP %1 in %2 ms</source>
        <translation>HTTP %1 in %2 ms</translation>
    </message>
    <message>
        <source>Cancelled.</source>
        <translation>Abgebrochen.</translation>
    </message>
    <message>
        <source>Copied as curl; the token and secrets are placeholders.</source>
        <translation>Als curl kopiert; Token und Secrets sind Platzhalter.</translation>
    </message>
    <message>
        <source>Copy as curl with secrets</source>
        <translation>Als curl mit Secrets kopieren</translation>
    </message>
    <message>
        <source>The command will contain this environment's live access token in clear. Anyone who sees it can act as you until the token expires. The clipboard is cleared after %1 seconds. Copy it?</source>
        <translation>Der Befehl enthält das gültige Access-Token dieser Umgebung im Klartext. Wer es sieht, kann bis zum Ablauf des Tokens in Ihrem Namen handeln. Die Zwischenablage wird nach %1 Sekunden geleert. Kopieren?</translation>
    </message>
    <message>
        <source>Nothing copied.</source>
        <translation>Nichts kopiert.</translation>
    </message>
    <message>
        <source>Copied as curl with the token; the clipboard clears itself.</source>
        <translation>Als curl mit Token kopiert; die Zwischenablage leert sich automatisch.</translation>
    </message>
    <message>
        <source>Getting a token…</source>
        <translation>Token wird abgerufen…</translation>
    </message>
    <message>
        <source>Sample requests</source>
        <translation>Beispielanfragen</translation>
    </message>
    <message>
        <source>HTTP method</source>
        <translation>HTTP-Methode</translation>
    </message>
    <message>
        <source>Request path</source>
        <translation>Anfragepfad</translation>
    </message>
    <message>
        <source>Query parameters</source>
        <translation>Query-Parameter</translation>
    </message>
    <message>
        <source>Request headers</source>
        <translation>Anfrage-Header</translation>
    </message>
    <message>
        <source>Idempotency key</source>
        <translation>Idempotenzschlüssel</translation>
    </message>
    <message>
        <source>Request body</source>
        <translation>Body der Anfrage</translation>
    </message>
    <message>
        <source>He&amp;aders</source>
        <translation>He&amp;ader</translation>
    </message>
    <message>
        <source>New key and send</source>
        <translation>Neuer Schlüssel und senden</translation>
    </message>
    <message>
        <source>Send this request again as a new one, with a fresh idempotency key</source>
        <translation>Diese Anfrage erneut als neue Anfrage senden, mit einem frischen Idempotenzschlüssel</translation>
    </message>
    <message>
        <source>⚠ A %1 request with a body: most servers ignore it or refuse the request. Clear the body or choose POST.</source>
        <translation>⚠ Eine %1-Anfrage mit Body: Die meisten Server ignorieren ihn oder lehnen die Anfrage ab. Leeren Sie den Body oder wählen Sie POST.</translation>
    </message>
    <message>
        <source>Not sent: %1 has no value. Fill it in the request, or set the field in Edit environment.</source>
        <translation>Nicht gesendet: %1 hat keinen Wert. Tragen Sie ihn in der Anfrage ein oder setzen Sie das Feld unter „Umgebung bearbeiten“.</translation>
    </message>
    <message>
        <source>HTTP %1: a replay. The provider had seen Idempotency-Key %2 and returned its earlier reply; nothing was done again. Use “New key and send” to send it as a new request.</source>
        <translation>HTTP %1: eine Wiederholung. Der Anbieter kannte den Idempotency-Key %2 bereits und hat seine frühere Antwort zurückgegeben; nichts wurde erneut ausgeführt. Mit „Neuer Schlüssel und senden“ senden Sie sie als neue Anfrage.</translation>
    </message>
    <message>
        <source>Signing in before sending: finish the sign-in in the browser.</source>
        <translation>Anmeldung vor dem Senden: Schließen Sie die Anmeldung im Browser ab.</translation>
    </message>
    <message>
        <source>Still waiting for the keychain: if your desktop asks to unlock it, unlock it (the prompt may be behind this window). Esc stops waiting.</source>
        <translation>Warte noch auf den Schlüsselbund: Wenn Ihr Desktop nach dem Entsperren fragt, entsperren Sie ihn (die Abfrage liegt vielleicht hinter diesem Fenster). Esc beendet das Warten.</translation>
    </message>
    <message>
        <source>the provider refused the access token, so Keyway renewed it once and sent the request again</source>
        <translation>der Anbieter hat das Zugriffstoken abgelehnt, daher hat Keyway es einmal erneuert und die Anfrage noch einmal gesendet</translation>
    </message>
    <message>
        <source>the provider refused the access token and renewing it failed</source>
        <translation>der Anbieter hat das Zugriffstoken abgelehnt, und es zu erneuern ist fehlgeschlagen</translation>
    </message>
    <message>
        <source>with a new access token, fetched first</source>
        <translation>mit einem neuen Zugriffstoken, das zuerst geholt wurde</translation>
    </message>
    <message>
        <source>Certificate chain the server presented:</source>
        <translation>Zertifikatskette, die der Server vorgelegt hat:</translation>
    </message>
    <message>
        <source>Signing in before sending: approve the code shown here.</source>
        <translation>Anmeldung vor dem Senden: Bestätigen Sie den hier angezeigten Code.</translation>
    </message>
</context>
<context>
    <name>keyway::ui::RequestWorkspace</name>
    <message>
        <source>Request</source>
        <translation>Anfrage</translation>
    </message>
    <message>
        <source>History</source>
        <translation>Verlauf</translation>
    </message>
    <message numerus="yes">
        <source>History kept only the first part of this %n-byte body.</source>
        <translation>
            <numerusform>Der Verlauf hat von diesem %n Byte großen Body nur den ersten Teil gespeichert.</numerusform>
            <numerusform>Der Verlauf hat von diesem %n Byte großen Body nur den ersten Teil gespeichert.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>keyway::ui::ResponseInspector</name>
    <message>
        <source>Response inspector</source>
        <translation>Antwort-Inspektor</translation>
    </message>
    <message>
        <source>Decode JWT</source>
        <translation>JWT dekodieren</translation>
    </message>
    <message>
        <source>Decode the selected token-shaped value</source>
        <translation>Den markierten Wert dekodieren, der wie ein Token aussieht</translation>
    </message>
    <message>
        <source>JSON tree</source>
        <translation>JSON-Baum</translation>
    </message>
    <message>
        <source>Body, formatted</source>
        <translation>Body, formatiert</translation>
    </message>
    <message>
        <source>Body, raw</source>
        <translation>Body, roh</translation>
    </message>
    <message>
        <source>Response headers</source>
        <translation>Antwort-Header</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>Wert</translation>
    </message>
    <message>
        <source>Tree</source>
        <translation>Baum</translation>
    </message>
    <message>
        <source>Pretty</source>
        <translation>Formatiert</translation>
    </message>
    <message>
        <source>Raw</source>
        <translation>Roh</translation>
    </message>
    <message>
        <source>Headers</source>
        <translation>Header</translation>
    </message>
    <message>
        <source>JWT</source>
        <translation>JWT</translation>
    </message>
    <message>
        <source>Find in body</source>
        <translation>Im Body suchen</translation>
    </message>
    <message>
        <source>Previous</source>
        <translation>Vorheriger</translation>
    </message>
    <message>
        <source>Next</source>
        <translation>Nächster</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Schließen</translation>
    </message>
    <message>
        <source>No reply yet</source>
        <translation>Noch keine Antwort</translation>
    </message>
    <message>
        <source>No HTTP status</source>
        <translation>Kein HTTP-Status</translation>
    </message>
    <message>
        <source>%1 ms</source>
        <translation>%1 ms</translation>
    </message>
    <message>
        <source>Reply status: %1</source>
        <translation>Antwortstatus: %1</translation>
    </message>
    <message>
        <source>The reply has no body.</source>
        <translation>Die Antwort hat keinen Body.</translation>
    </message>
    <message>
        <source>Reading the body…</source>
        <translation>Body wird gelesen…</translation>
    </message>
    <message>
        <source>The text views show the first %1 of %2; the tree shows everything.</source>
        <translation>Die Textansichten zeigen die ersten %1 von %2; der Baum zeigt alles.</translation>
    </message>
    <message>
        <source>This body is not JSON (%1), so there is no tree. It is shown as raw text.</source>
        <translation>Dieser Body ist kein JSON (%1), daher gibt es keinen Baum. Er wird als Rohtext angezeigt.</translation>
    </message>
    <message>
        <source>Copy value</source>
        <translation>Wert kopieren</translation>
    </message>
    <message>
        <source>Copy JSON pointer</source>
        <translation>JSON-Pointer kopieren</translation>
    </message>
    <message>
        <source>No match</source>
        <translation>Kein Treffer</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>Anhalten</translation>
    </message>
    <message>
        <source>Stop searching the whole reply</source>
        <translation>Die Suche in der ganzen Antwort anhalten</translation>
    </message>
    <message>
        <source>Searching the whole reply…</source>
        <translation>Die ganze Antwort wird durchsucht …</translation>
    </message>
    <message>
        <source>Search stopped</source>
        <translation>Suche angehalten</translation>
    </message>
    <message>
        <source>Searching the whole reply… %1 %</source>
        <translation>Die ganze Antwort wird durchsucht … %1 %</translation>
    </message>
    <message>
        <source>No match in the whole reply</source>
        <translation>Kein Treffer in der ganzen Antwort</translation>
    </message>
    <message numerus="yes">
        <source>%n match(es) in the whole reply</source>
        <translation>
            <numerusform>%n Treffer in der ganzen Antwort</numerusform>
            <numerusform>%n Treffer in der ganzen Antwort</numerusform>
        </translation>
    </message>
    <message>
        <source>%1; the first is at %2</source>
        <translation>%1; der erste steht bei %2</translation>
    </message>
</context>
<context>
    <name>keyway::ui::SandboxDialog</name>
    <message>
        <source>Sandbox</source>
        <translation>Sandbox</translation>
    </message>
    <message>
        <source>Listening on %1 (port %2, chosen at start)</source>
        <translation>Lauscht auf %1 (Port %2, beim Start gewählt)</translation>
    </message>
    <message>
        <source>The embedded sandbox is not running.</source>
        <translation>Die eingebettete Sandbox läuft nicht.</translation>
    </message>
    <message>
        <source> ×</source>
        <translation> ×</translation>
    </message>
    <message>
        <source>Lifetimes divided by this: at 60 a 10-minute code lives 10 s and a one-hour token one minute. Applies to codes and tokens issued from now on.</source>
        <translation>Lebensdauern werden durch diesen Wert geteilt: Bei 60 lebt ein 10-Minuten-Code 10 s und ein Ein-Stunden-Token eine Minute. Gilt für ab jetzt ausgestellte Codes und Token.</translation>
    </message>
    <message>
        <source>Address:</source>
        <translation>Adresse:</translation>
    </message>
    <message>
        <source>&amp;Time scale:</source>
        <translation>&amp;Zeitfaktor:</translation>
    </message>
    <message>
        <source>Faults (the sandbox misbehaves on purpose while one is on):</source>
        <translation>Fehlerszenarien (die Sandbox verhält sich absichtlich falsch, solange eines aktiv ist):</translation>
    </message>
</context>
<context>
    <name>keyway::ui::SignInWait</name>
    <message>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <source>Copy URL</source>
        <translation>URL kopieren</translation>
    </message>
    <message>
        <source>Open again</source>
        <translation>Erneut öffnen</translation>
    </message>
    <message>
        <source>Browser did not open?</source>
        <translation>Browser nicht geöffnet?</translation>
    </message>
    <message>
        <source>Continue</source>
        <translation>Weiter</translation>
    </message>
    <message>
        <source>Sign-in address</source>
        <translation>Anmeldeadresse</translation>
    </message>
    <message>
        <source>The address where you sign in; open it in a browser</source>
        <translation>Die Adresse, unter der Sie sich anmelden; öffnen Sie sie in einem Browser</translation>
    </message>
    <message>
        <source>Stop waiting for this sign-in</source>
        <translation>Nicht mehr auf diese Anmeldung warten</translation>
    </message>
    <message>
        <source>Copy the sign-in address, to open it in a browser yourself</source>
        <translation>Die Anmeldeadresse kopieren, um sie selbst in einem Browser zu öffnen</translation>
    </message>
    <message>
        <source>Open the sign-in address in the browser again</source>
        <translation>Die Anmeldeadresse erneut im Browser öffnen</translation>
    </message>
    <message>
        <source>Sign in with the address copied from the browser instead</source>
        <translation>Stattdessen mit der aus dem Browser kopierten Adresse anmelden</translation>
    </message>
    <message>
        <source>Or paste the address the browser shows after signing in:</source>
        <translation>Oder fügen Sie die Adresse ein, die der Browser nach der Anmeldung zeigt:</translation>
    </message>
    <message>
        <source>http://127.0.0.1:…/callback?code=…&amp;state=…</source>
        <translation>http://127.0.0.1:…/callback?code=…&amp;state=…</translation>
    </message>
    <message>
        <source>Redirect address from the browser</source>
        <translation>Weiterleitungsadresse aus dem Browser</translation>
    </message>
    <message>
        <source>Finish the sign-in with the pasted address</source>
        <translation>Die Anmeldung mit der eingefügten Adresse abschließen</translation>
    </message>
    <message>
        <source>The sign-in address is on the clipboard.</source>
        <translation>Die Anmeldeadresse ist in der Zwischenablage.</translation>
    </message>
    <message>
        <source>Waiting for the browser</source>
        <translation>Warte auf den Browser</translation>
    </message>
    <message>
        <source>Waiting for the browser (%1)</source>
        <translation>Warte auf den Browser (%1)</translation>
    </message>
    <message>
        <source>%1: sign in there and Keyway continues on its own. %2 left.</source>
        <translation>%1: Melden Sie sich dort an, Keyway macht dann von selbst weiter. Noch %2.</translation>
    </message>
    <message>
        <source>%1, but it did not open. Open the address below in a browser and sign in; Keyway keeps listening for %2.</source>
        <translation>%1, aber er hat sich nicht geöffnet. Öffnen Sie die Adresse unten in einem Browser und melden Sie sich an; Keyway wartet noch %2.</translation>
    </message>
    <message>
        <source>The sign-in address was opened in the browser again.</source>
        <translation>Die Anmeldeadresse wurde erneut im Browser geöffnet.</translation>
    </message>
    <message>
        <source>The browser did not open: copy the address and open it yourself.</source>
        <translation>Der Browser hat sich nicht geöffnet: Kopieren Sie die Adresse und öffnen Sie sie selbst.</translation>
    </message>
    <message>
        <source>That is not an address: paste the whole address from the browser's address bar.</source>
        <translation>Das ist keine Adresse: Fügen Sie die ganze Adresse aus der Adressleiste des Browsers ein.</translation>
    </message>
    <message>
        <source>Waiting for someone to approve the code; Keyway continues on its own. The code expires in %1.</source>
        <translation>Warte darauf, dass jemand den Code bestätigt; Keyway macht dann von selbst weiter. Der Code läuft in %1 ab.</translation>
    </message>
    <message>
        <source>Waiting for someone to approve the code; Keyway continues on its own.</source>
        <translation>Warte darauf, dass jemand den Code bestätigt; Keyway macht dann von selbst weiter.</translation>
    </message>
</context>
<context>
    <name>keyway::ui::TimelineWidget</name>
    <message>
        <source>Token timeline</source>
        <translation>Token-Zeitleiste</translation>
    </message>
    <message>
        <source>revoked or failed</source>
        <translation>widerrufen oder fehlgeschlagen</translation>
    </message>
    <message>
        <source>✓ used at %1</source>
        <translation>✓ verwendet um %1</translation>
    </message>
    <message>
        <source>no expiry given</source>
        <translation>kein Ablauf angegeben</translation>
    </message>
    <message>
        <source>%1 — %2</source>
        <translation>%1 — %2</translation>
    </message>
    <message>
        <source>Issued: %1</source>
        <translation>Ausgestellt: %1</translation>
    </message>
    <message>
        <source>unknown</source>
        <translation>unbekannt</translation>
    </message>
    <message>
        <source>Expires: %1</source>
        <translation>Läuft ab: %1</translation>
    </message>
    <message>
        <source>Consumed: %1 (single use)</source>
        <translation>Eingelöst: %1 (einmalig verwendbar)</translation>
    </message>
    <message>
        <source>Single use, not consumed yet</source>
        <translation>Einmalig verwendbar, noch nicht eingelöst</translation>
    </message>
    <message>
        <source>Revoked or refused</source>
        <translation>Widerrufen oder abgelehnt</translation>
    </message>
    <message>
        <source>No codes or tokens yet.</source>
        <translation>Noch keine Codes oder Tokens.</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <source>%1 · %2</source>
        <translation>%1 · %2</translation>
    </message>
    <message>
        <source>No codes or tokens yet. Run a flow step to see them here.</source>
        <translation>Noch keine Codes oder Tokens. Führen Sie einen Flow-Schritt aus, um sie hier zu sehen.</translation>
    </message>
    <message>
        <source>now</source>
        <translation>jetzt</translation>
    </message>
    <message>
        <source>Expires: not given by the provider</source>
        <translation>Läuft ab: vom Anbieter nicht angegeben</translation>
    </message>
    <message>
        <source>Expires: %1 (assumed: the provider gave no lifetime, this is the profile's default)</source>
        <translation>Läuft ab: %1 (angenommen: Der Anbieter hat keine Lebensdauer angegeben, dies ist der Standard des Profils)</translation>
    </message>
    <message>
        <source>revoked</source>
        <translation>widerrufen</translation>
    </message>
    <message>
        <source>Revoked at the provider</source>
        <translation>Beim Anbieter widerrufen</translation>
    </message>
</context>
<context>
    <name>keyway::ui::WebhookPage</name>
    <message>
        <source>Valid: the signature matches this body and the environment's webhook secret.</source>
        <translation>Gültig: Die Signatur passt zu diesem Body und zum Webhook-Secret der Umgebung.</translation>
    </message>
    <message>
        <source>Not a signature: expected the hex or base64 form of an HMAC-SHA256 (32 bytes).</source>
        <translation>Keine Signatur: Erwartet wird ein HMAC-SHA256 (32 Byte) in Hex- oder Base64-Form.</translation>
    </message>
    <message>
        <source>Body whitespace mismatch: the signature fits this body only once whitespace or line endings are normalised.</source>
        <translation>Leerraum im Body weicht ab: Die Signatur passt erst zu diesem Body, wenn Leerraum oder Zeilenenden normalisiert werden.</translation>
    </message>
    <message>
        <source>Secret encoding mismatch: the signature fits when the secret is decoded first.</source>
        <translation>Kodierung des Secrets weicht ab: Die Signatur passt, wenn das Secret zuerst dekodiert wird.</translation>
    </message>
    <message>
        <source>Mismatch: the signature does not match this body with the environment's webhook secret.</source>
        <translation>Keine Übereinstimmung: Die Signatur passt nicht zu diesem Body mit dem Webhook-Secret der Umgebung.</translation>
    </message>
    <message>
        <source>Paste the webhook body exactly as it was received (raw bytes, not re-formatted).</source>
        <translation>Fügen Sie den Webhook-Body genau so ein, wie er empfangen wurde (Rohbytes, nicht umformatiert).</translation>
    </message>
    <message>
        <source>The signature header's value, hex or base64</source>
        <translation>Wert des Signatur-Headers, hex oder base64</translation>
    </message>
    <message>
        <source>Verify the signature (Ctrl+Enter)</source>
        <translation>Signatur verifizieren (Strg+Eingabe)</translation>
    </message>
    <message>
        <source>&amp;Body</source>
        <translation>&amp;Body</translation>
    </message>
    <message>
        <source>&amp;Signature</source>
        <translation>&amp;Signatur</translation>
    </message>
    <message>
        <source>Webhook signature — %1</source>
        <translation>Webhook-Signatur — %1</translation>
    </message>
    <message>
        <source>Paste a webhook body and its signature; Keyway checks the HMAC-SHA256 with this environment's “%1” from the keychain, without showing it.</source>
        <translation>Fügen Sie einen Webhook-Body und seine Signatur ein; Keyway prüft den HMAC-SHA256 mit „%1“ dieser Umgebung aus dem Schlüsselbund, ohne den Wert anzuzeigen.</translation>
    </message>
    <message>
        <source>Webhook signature</source>
        <translation>Webhook-Signatur</translation>
    </message>
    <message>
        <source>“%1” uses %2, which declares no webhook secret.</source>
        <translation>„%1“ verwendet %2; dieser Anbieter deklariert kein Webhook-Secret.</translation>
    </message>
    <message>
        <source>Select an environment whose provider signs webhooks (for example Seismic).</source>
        <translation>Wählen Sie eine Umgebung aus, deren Anbieter Webhooks signiert (zum Beispiel Seismic).</translation>
    </message>
    <message>
        <source>Paste the signature first.</source>
        <translation>Fügen Sie zuerst die Signatur ein.</translation>
    </message>
    <message>
        <source>Reading the webhook secret from the keychain…</source>
        <translation>Webhook-Secret wird aus dem Schlüsselbund gelesen…</translation>
    </message>
    <message>
        <source>No keychain.</source>
        <translation>Kein Schlüsselbund.</translation>
    </message>
    <message>
        <source>This environment has no %1: set it on the Credentials tab.</source>
        <translation>Für diese Umgebung ist %1 nicht gesetzt: Legen Sie den Wert im Tab „Zugangsdaten“ fest.</translation>
    </message>
    <message>
        <source>The signature was read as %1.</source>
        <translation>Die Signatur wurde als %1 gelesen.</translation>
    </message>
    <message>
        <source>The webhook is authentic.</source>
        <translation>Der Webhook ist authentisch.</translation>
    </message>
    <message>
        <source>Do not trust this webhook until the signature matches.</source>
        <translation>Vertrauen Sie diesem Webhook nicht, solange die Signatur nicht passt.</translation>
    </message>
    <message>
        <source>The %1 header's value (%2)</source>
        <translation>Der Wert des Headers %1 (%2)</translation>
    </message>
    <message>
        <source>Ver&amp;ify</source>
        <translation>&amp;Prüfen</translation>
    </message>
</context>
</TS>