#include "core/http/Idempotency.h"

#include <QUuid>

namespace keyway {

namespace {

QStringList segments(QString path)
{
    const int query = path.indexOf(QLatin1Char('?'));
    if (query >= 0) {
        path.truncate(query);
    }
    return path.split(QLatin1Char('/'), Qt::SkipEmptyParts);
}

bool matches(const QString& pattern, const QString& path)
{
    const QStringList want = segments(pattern);
    const QStringList have = segments(path);
    if (want.size() != have.size()) {
        return false;
    }
    for (int i = 0; i < want.size(); ++i) {
        if (want[i] != QLatin1String("*") && want[i] != have[i]) {
            return false;
        }
    }
    return true;
}

} // namespace

QByteArray idempotencyHeaderFor(const QList<IdempotencyRule>& rules, const QString& method, const QString& path)
{
    for (const IdempotencyRule& rule : rules) {
        if (rule.method.compare(method, Qt::CaseInsensitive) == 0 && matches(rule.path, path)) {
            return rule.header.toLatin1();
        }
    }
    return {};
}

QByteArray newIdempotencyKey()
{
    return QUuid::createUuid().toByteArray(QUuid::WithoutBraces);
}

} // namespace keyway
