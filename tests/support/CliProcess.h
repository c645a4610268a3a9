#pragma once

#include <QByteArray>
#include <QProcessEnvironment>
#include <QString>
#include <QStringList>

#include <nlohmann/json_fwd.hpp>

#include <functional>
#include <utility>

namespace keyway::test {

// What one keyway-cli run showed a user or a script: exit code, output, how long it took.
struct CliRun
{
    int exitCode = -1; // -1: it crashed, did not start, or was still running at the deadline
    QByteArray out; // stdout exactly as written (call bodies are compared byte for byte)
    QString err;
    qint64 elapsedMs = 0;

    QString text() const { return QString::fromUtf8(out); }
    // "exit N / stdout / stderr", for QVERIFY2 messages.
    QString describe() const;
};

struct CliInvocation
{
    CliInvocation(QStringList arguments,
                  QByteArray stdinBytes = {},
                  QProcessEnvironment env = QProcessEnvironment::systemEnvironment())
        : args(std::move(arguments)), input(std::move(stdinBytes)), environment(std::move(env))
    {
    }

    QStringList args;
    QByteArray input; // written to stdin, which is then closed
    QProcessEnvironment environment;
    // Called with each stdout line, parsed as JSON (discarded value when it is not), as it arrives: a test
    // plays the browser the moment an authorize_url event shows.
    std::function<void(const nlohmann::json&)> onJsonLine;
    // Called with each line of stdout and of stderr as text, as it arrives: a test reads a device's user code
    // from what a person would read.
    std::function<void(const QString&)> onLine;
    int timeoutMs = 60000;
    QString program = QStringLiteral(KEYWAY_CLI_PATH); // or a wrapper (a shell setting limits) that runs it
    QString stdoutFile; // stdout goes straight to this file (a reply too big to hold), not to CliRun::out
};

// Runs keyway-cli and keeps this process's event loop turning meanwhile, so the servers the test runs
// in-process (sandbox, hostile peers) keep answering.
CliRun runCli(const CliInvocation& invocation);

// A machine of its own below `root`: HOME and the XDG directories there, no proxy variables, no
// KEYWAY_SECRETS, no display; the suite's D-Bus session and keyring stay.
QProcessEnvironment isolatedMachine(const QString& root);

// The first non-empty value of `secrets` that `text` contains, else "".
QString leakedSecret(const QString& text, const QStringList& secrets);

} // namespace keyway::test
