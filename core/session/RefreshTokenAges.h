#pragma once

#include <QString>

namespace keyway {

// When each stored refresh token was issued, so the health board can show its age (many providers end a
// refresh token after 30 or 90 days, used or not). Non-secret metadata beside the keychain entry, in
// <XDG state>/keyway/refresh-tokens.json (0600): {"<environment id>[.<credential set>]": issued-at ms}.
// The token itself never comes here.
class RefreshTokenAges
{
public:
    explicit RefreshTokenAges(const QString& filePath = defaultFilePath());

    static QString defaultFilePath();

    // A new refresh token for `sessionKey` (SessionOptions::environmentId) was stored at `atMs`.
    bool recordIssued(const QString& sessionKey, qint64 atMs) const;
    // 0 when unknown (issued before Keyway kept this, or the file is damaged).
    qint64 issuedAt(const QString& sessionKey) const;
    bool forget(const QString& sessionKey) const;

private:
    QString m_filePath;
};

} // namespace keyway
