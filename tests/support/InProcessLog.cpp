#include "tests/support/InProcessLog.h"

#include <QLoggingCategory>
#include <QString>

namespace keyway::test {

namespace {

QByteArray g_log;
QtMessageHandler g_previousHandler = nullptr;

void recordMessage(QtMsgType type, const QMessageLogContext& context, const QString& message)
{
    g_log += QByteArray(context.category ? context.category : "") + ": " + message.toUtf8() + '\n';
    if (g_previousHandler && type != QtDebugMsg) {
        g_previousHandler(type, context, message);
    }
}

} // namespace

void InProcessLog::install()
{
    QLoggingCategory::setFilterRules(QStringLiteral("keyway.*.debug=true"));
    g_previousHandler = qInstallMessageHandler(recordMessage);
}

void InProcessLog::uninstall()
{
    qInstallMessageHandler(g_previousHandler);
}

const QByteArray& InProcessLog::text()
{
    return g_log;
}

} // namespace keyway::test
