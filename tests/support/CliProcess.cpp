#include "tests/support/CliProcess.h"

#include <QDir>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QProcess>
#include <QTimer>

#include <nlohmann/json.hpp>

namespace keyway::test {

QString CliRun::describe() const
{
    return QStringLiteral("exit %1\nstdout: %2\nstderr: %3").arg(exitCode).arg(text(), err);
}

CliRun runCli(const CliInvocation& invocation)
{
    QProcess process;
    process.setProcessEnvironment(invocation.environment);
    if (!invocation.stdoutFile.isEmpty()) {
        process.setStandardOutputFile(invocation.stdoutFile);
    }
    QEventLoop loop;
    QByteArray out;
    QByteArray err;
    QByteArray pendingOut;
    QByteArray pendingErr;
    // Hands every complete line of `pending` to `handle`, keeping the incomplete rest.
    const auto lines = [](QByteArray& pending, const QByteArray& chunk, const auto& handle) {
        pending += chunk;
        qsizetype newline = 0;
        while ((newline = pending.indexOf('\n')) >= 0) {
            const QByteArray line = pending.left(newline);
            pending.remove(0, newline + 1);
            handle(line);
        }
    };
    QObject::connect(&process, &QProcess::readyReadStandardOutput, &loop, [&] {
        const QByteArray chunk = process.readAllStandardOutput();
        out += chunk;
        if (!invocation.onJsonLine && !invocation.onLine) {
            return;
        }
        lines(pendingOut, chunk, [&invocation](const QByteArray& line) {
            if (invocation.onJsonLine) {
                invocation.onJsonLine(
                    nlohmann::json::parse(line.constData(), line.constData() + line.size(), nullptr, false));
            }
            if (invocation.onLine) {
                invocation.onLine(QString::fromUtf8(line));
            }
        });
    });
    QObject::connect(&process, &QProcess::readyReadStandardError, &loop, [&] {
        const QByteArray chunk = process.readAllStandardError();
        err += chunk;
        if (invocation.onLine) {
            lines(pendingErr, chunk, [&invocation](const QByteArray& line) {
                invocation.onLine(QString::fromUtf8(line));
            });
        }
    });
    QObject::connect(&process, &QProcess::finished, &loop, &QEventLoop::quit);

    CliRun result;
    QElapsedTimer timer;
    timer.start();
    process.start(invocation.program, invocation.args);
    if (!process.waitForStarted(10000)) {
        result.err = QStringLiteral("keyway-cli did not start: %1").arg(process.errorString());
        return result;
    }
    process.write(invocation.input);
    process.closeWriteChannel();
    QTimer::singleShot(invocation.timeoutMs, &loop, &QEventLoop::quit);
    if (process.state() != QProcess::NotRunning) {
        loop.exec();
    }
    result.elapsedMs = timer.elapsed();
    if (process.state() != QProcess::NotRunning) {
        process.kill();
        process.waitForFinished();
        result.out = out;
        result.err = QStringLiteral("still running after %1 ms: ").arg(invocation.timeoutMs) + QString::fromUtf8(err);
        return result;
    }
    result.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    result.out = out + process.readAllStandardOutput();
    result.err = QString::fromUtf8(err + process.readAllStandardError());
    return result;
}

QProcessEnvironment isolatedMachine(const QString& root)
{
    const QDir dir(root);
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("HOME"), dir.filePath(QStringLiteral("home")));
    env.insert(QStringLiteral("XDG_CONFIG_HOME"), dir.filePath(QStringLiteral("config")));
    env.insert(QStringLiteral("XDG_DATA_HOME"), dir.filePath(QStringLiteral("data")));
    env.insert(QStringLiteral("XDG_STATE_HOME"), dir.filePath(QStringLiteral("state")));
    env.insert(QStringLiteral("XDG_CACHE_HOME"), dir.filePath(QStringLiteral("cache")));
    env.remove(QStringLiteral("KEYWAY_SECRETS"));
    env.remove(QStringLiteral("DISPLAY"));
    for (const char* name : {"http_proxy", "https_proxy", "all_proxy", "no_proxy"}) {
        env.remove(QString::fromLatin1(name));
        env.remove(QString::fromLatin1(name).toUpper());
    }
    return env;
}

QString leakedSecret(const QString& text, const QStringList& secrets)
{
    for (const QString& secret : secrets) {
        if (!secret.isEmpty() && text.contains(secret)) {
            return secret;
        }
    }
    return {};
}

} // namespace keyway::test
