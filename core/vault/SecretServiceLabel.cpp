#include "core/vault/SecretServiceLabel.h"

#include "core/util/Logging.h"

#include <QTimer>

#if defined(QT_DBUS_LIB) && defined(Q_OS_UNIX) && !defined(Q_OS_MACOS)
#define KEYWAY_HAS_SECRET_SERVICE 1
#include <QDBusConnection>
#include <QDBusMessage>
#include <QDBusMetaType>
#include <QDBusObjectPath>
#include <QDBusPendingCallWatcher>
#include <QDBusPendingReply>
#include <QDBusVariant>
#include <QMap>
#endif

#include <memory>

namespace keyway {

void SecretServiceLabel::apply(
    QObject* context, const QString& service, const QString& key, const QString& label, Done done)
{
#ifdef KEYWAY_HAS_SECRET_SERVICE
    using Attributes = QMap<QString, QString>;
    static const QMetaType registered = qDBusRegisterMetaType<Attributes>();
    Q_UNUSED(registered)

    QDBusConnection bus = QDBusConnection::sessionBus();
    if (!bus.isConnected() || label.isEmpty()) {
        QTimer::singleShot(0, context, [done = std::move(done)] { done(false); });
        return;
    }
    constexpr int TimeoutMs = 5000;
    const Attributes attributes {{QStringLiteral("server"), service}, {QStringLiteral("user"), key}};
    QDBusMessage search = QDBusMessage::createMethodCall(QStringLiteral("org.freedesktop.secrets"),
                                                         QStringLiteral("/org/freedesktop/secrets"),
                                                         QStringLiteral("org.freedesktop.Secret.Service"),
                                                         QStringLiteral("SearchItems"));
    search << QVariant::fromValue(attributes);
    auto* watcher = new QDBusPendingCallWatcher(bus.asyncCall(search, TimeoutMs), context);
    QObject::connect(
        watcher,
        &QDBusPendingCallWatcher::finished,
        context,
        [context, label, done = std::move(done)](QDBusPendingCallWatcher* w) {
            w->deleteLater();
            const QDBusPendingReply<QList<QDBusObjectPath>, QList<QDBusObjectPath>> reply = *w;
            // Locked entries keep their label: changing it would ask the user to unlock the keychain.
            const QList<QDBusObjectPath> items = reply.isError() ? QList<QDBusObjectPath>() : reply.argumentAt<0>();
            if (items.isEmpty()) {
                done(false);
                return;
            }
            auto pending = std::make_shared<int>(static_cast<int>(items.size()));
            auto labelled = std::make_shared<bool>(false);
            for (const QDBusObjectPath& item : items) {
                QDBusMessage set = QDBusMessage::createMethodCall(QStringLiteral("org.freedesktop.secrets"),
                                                                  item.path(),
                                                                  QStringLiteral("org.freedesktop.DBus.Properties"),
                                                                  QStringLiteral("Set"));
                set << QStringLiteral("org.freedesktop.Secret.Item") << QStringLiteral("Label")
                    << QVariant::fromValue(QDBusVariant(label));
                auto* setWatcher
                    = new QDBusPendingCallWatcher(QDBusConnection::sessionBus().asyncCall(set, TimeoutMs), context);
                QObject::connect(setWatcher,
                                 &QDBusPendingCallWatcher::finished,
                                 context,
                                 [pending, labelled, done](QDBusPendingCallWatcher* sw) {
                                     sw->deleteLater();
                                     if (sw->isError()) {
                                         qCDebug(lcSecrets) << "keychain label not set:" << sw->error().name();
                                     } else {
                                         *labelled = true;
                                     }
                                     if (--*pending == 0) {
                                         done(*labelled);
                                     }
                                 });
            }
        });
#else
    Q_UNUSED(service)
    Q_UNUSED(key)
    Q_UNUSED(label)
    QTimer::singleShot(0, context, [done = std::move(done)] { done(false); });
#endif
}

} // namespace keyway
