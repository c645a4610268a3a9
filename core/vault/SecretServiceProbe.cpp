#include "core/vault/SecretServiceProbe.h"

#include <QTimer>

#if defined(QT_DBUS_LIB) && defined(Q_OS_UNIX) && !defined(Q_OS_MACOS)
#define KEYWAY_HAS_SECRET_SERVICE 1
#include <QDBusConnection>
#include <QDBusMessage>
#include <QDBusMetaType>
#include <QDBusObjectPath>
#include <QDBusPendingCallWatcher>
#include <QDBusPendingReply>
#include <QMap>
#endif

namespace keyway {

void SecretServiceProbe::find(QObject* context, const QString& service, const QString& key, Done done)
{
#ifdef KEYWAY_HAS_SECRET_SERVICE
    using Attributes = QMap<QString, QString>;
    static const QMetaType registered = qDBusRegisterMetaType<Attributes>();
    Q_UNUSED(registered)

    QDBusConnection bus = QDBusConnection::sessionBus();
    if (!bus.isConnected()) {
        QTimer::singleShot(0, context, [done = std::move(done)] { done({}); });
        return;
    }
    // The attributes QtKeychain's libsecret backend stores (schema org.qt.keychain).
    const Attributes attributes {{QStringLiteral("server"), service}, {QStringLiteral("user"), key}};
    QDBusMessage call = QDBusMessage::createMethodCall(QStringLiteral("org.freedesktop.secrets"),
                                                       QStringLiteral("/org/freedesktop/secrets"),
                                                       QStringLiteral("org.freedesktop.Secret.Service"),
                                                       QStringLiteral("SearchItems"));
    call << QVariant::fromValue(attributes);
    constexpr int TimeoutMs = 5000;
    auto* watcher = new QDBusPendingCallWatcher(bus.asyncCall(call, TimeoutMs), context);
    QObject::connect(
        watcher, &QDBusPendingCallWatcher::finished, context, [done = std::move(done)](QDBusPendingCallWatcher* w) {
            w->deleteLater();
            const QDBusPendingReply<QList<QDBusObjectPath>, QList<QDBusObjectPath>> reply = *w;
            Matches matches;
            if (!reply.isError()) {
                matches.answered = true;
                matches.unlocked = static_cast<int>(reply.argumentAt<0>().size());
                matches.locked = static_cast<int>(reply.argumentAt<1>().size());
            }
            done(matches);
        });
#else
    Q_UNUSED(service)
    Q_UNUSED(key)
    QTimer::singleShot(0, context, [done = std::move(done)] { done({}); });
#endif
}

} // namespace keyway
