#pragma once

#include "core/profile/ProviderProfile.h"

#include <QByteArray>
#include <QCoreApplication>
#include <QList>
#include <QString>

#include <map>
#include <optional>

namespace keyway {

// A validation error in a profile: which file, where (JSON pointer), and what was expected.
struct ProfileError
{
    QString file;
    QString pointer;
    QString message;

    // "file: /flow/0/url: expected a string"
    QString toString() const;
};

// Parses and validates one profile document.
class ProfileLoader
{
    Q_DECLARE_TR_FUNCTIONS(keyway::ProfileLoader)

public:
    // Returns the profile, or nullopt with at least one error appended to `errors`.
    static std::optional<ProviderProfile>
    parse(const QByteArray& json, const QString& file, QList<ProfileError>* errors);
};

// All profiles Keyway knows: the shipped ones (:/providers/*.json) and the user's own
// (<config>/keyway/providers/*.json). A broken file is reported in errors() and skipped;
// it never hides the other profiles.
class ProfileRegistry
{
    Q_DECLARE_TR_FUNCTIONS(keyway::ProfileRegistry)

public:
    ProfileRegistry() = default;

    // Shipped profiles plus the user's directory.
    static ProfileRegistry loadDefault();
    static QString userProfileDirectory();

    void loadShipped();
    void loadDirectory(const QString& directory);
    // Adds one document; returns false (and records the errors) if it is invalid or its id is taken.
    bool addDocument(const QByteArray& json, const QString& file);

    const ProviderProfile* find(const QString& id) const;
    QList<const ProviderProfile*> profiles() const; // sorted by id
    QStringList ids() const;
    const QList<ProfileError>& errors() const { return m_errors; }

private:
    std::map<QString, ProviderProfile> m_profiles;
    QList<ProfileError> m_errors;
};

} // namespace keyway
