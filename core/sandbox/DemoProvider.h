#pragma once

#include <QList>
#include <QPair>
#include <QString>
#include <QStringList>
#include <QUrl>

namespace keyway::sandbox {

// One emulated provider as `keyway-cli sandbox` prints it: enough to create an environment for it.
// The credentials are throwaway demo values, public by design; their keys are the profile's keys
// (README, "The CLI"), in the order a user would type them.
struct DemoProvider
{
    QString providerId; // seismic, banking, ecard, astrada, oauth2-code, oauth2-client
    QUrl baseUrl; // http://127.0.0.1:PORT/<prefix>
    QList<QPair<QString, QString>> credentials;
    // Keys whose values the sandbox makes anew at every start (a demo key pair): an environment made from an
    // earlier start takes the new value.
    QStringList regenerated = {};

    QString credential(const QString& key) const
    {
        for (const auto& pair : credentials) {
            if (pair.first == key) {
                return pair.second;
            }
        }
        return {};
    }
};

} // namespace keyway::sandbox
