// keyway-cli check --all: every environment (or one provider's) checked at once, bounded by --jobs, on the same
// engine as the desktop app's health board (core/checks/HealthCheck). Interactive sign-ins are never started.

#include "core/checks/HealthCheck.h"
#include "core/checks/HealthResultStore.h"
#include "core/cli/CliCommand.h"
#include "core/cli/CliIo.h"
#include "core/cli/Commands.h"
#include "core/cli/NetworkOptions.h"
#include "core/profile/ProfileLoader.h"
#include "core/util/Clock.h"
#include "core/vault/EnvSecretStore.h"
#include "core/vault/EnvironmentService.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QEventLoop>
#include <QSaveFile>
#include <QXmlStreamWriter>

namespace keyway::cli {

namespace {

struct Text
{
    Q_DECLARE_TR_FUNCTIONS(keyway::cli::CheckAllCommand)
};

// PASS / FAIL / UNREACHABLE: the first word of a line, the same in every language so scripts can grep it.
QString lineWord(HealthResult::Outcome outcome)
{
    switch (outcome) {
    case HealthResult::Outcome::Pass:
        return QStringLiteral("PASS");
    case HealthResult::Outcome::Unreachable:
        return QStringLiteral("UNREACHABLE");
    default:
        return QStringLiteral("FAIL");
    }
}

QString lineOf(const HealthResult& r, qint64 nowMs)
{
    QString line = lineWord(r.outcome) + QLatin1Char(' ') + r.environment + QStringLiteral(" (") + r.provider
        + QStringLiteral("): ") + r.detail;
    if (r.passed()) {
        const QString left = HealthResult::lifetimeText(r.expiresInSeconds(nowMs));
        if (!left.isEmpty()) {
            line += Text::tr("; token valid for %1").arg(left);
        }
    }
    return line;
}

QByteArray junitReport(const QList<HealthResult>& results, qint64 startedMs, qint64 nowMs)
{
    QByteArray xml;
    QXmlStreamWriter w(&xml);
    w.setAutoFormatting(true);
    w.writeStartDocument();
    QMap<QString, QList<HealthResult>> byProvider;
    int failures = 0;
    int errors = 0;
    for (const HealthResult& r : results) {
        byProvider[r.provider].append(r);
        failures += (!r.passed() && r.outcome != HealthResult::Outcome::Unreachable) ? 1 : 0;
        errors += r.outcome == HealthResult::Outcome::Unreachable ? 1 : 0;
    }
    const auto seconds = [](qint64 ms) { return QString::number(double(ms) / 1000.0, 'f', 3); };
    w.writeStartElement(QStringLiteral("testsuites"));
    w.writeAttribute(QStringLiteral("name"), QStringLiteral("keyway check --all"));
    w.writeAttribute(QStringLiteral("tests"), QString::number(results.size()));
    w.writeAttribute(QStringLiteral("failures"), QString::number(failures));
    w.writeAttribute(QStringLiteral("errors"), QString::number(errors));
    w.writeAttribute(QStringLiteral("time"), seconds(nowMs - startedMs));
    for (auto it = byProvider.cbegin(); it != byProvider.cend(); ++it) {
        int suiteFailures = 0;
        int suiteErrors = 0;
        qint64 suiteMs = 0;
        for (const HealthResult& r : it.value()) {
            suiteFailures += (!r.passed() && r.outcome != HealthResult::Outcome::Unreachable) ? 1 : 0;
            suiteErrors += r.outcome == HealthResult::Outcome::Unreachable ? 1 : 0;
            suiteMs += r.durationMs;
        }
        w.writeStartElement(QStringLiteral("testsuite"));
        w.writeAttribute(QStringLiteral("name"), it.key());
        w.writeAttribute(QStringLiteral("tests"), QString::number(it.value().size()));
        w.writeAttribute(QStringLiteral("failures"), QString::number(suiteFailures));
        w.writeAttribute(QStringLiteral("errors"), QString::number(suiteErrors));
        w.writeAttribute(QStringLiteral("time"), seconds(suiteMs));
        w.writeAttribute(QStringLiteral("timestamp"),
                         QDateTime::fromMSecsSinceEpoch(startedMs, Qt::UTC).toString(Qt::ISODate));
        for (const HealthResult& r : it.value()) {
            w.writeStartElement(QStringLiteral("testcase"));
            w.writeAttribute(QStringLiteral("classname"), QStringLiteral("keyway.") + r.provider);
            w.writeAttribute(QStringLiteral("name"), r.environment);
            w.writeAttribute(QStringLiteral("time"), seconds(r.durationMs));
            if (!r.passed()) {
                const bool error = r.outcome == HealthResult::Outcome::Unreachable;
                w.writeStartElement(error ? QStringLiteral("error") : QStringLiteral("failure"));
                w.writeAttribute(QStringLiteral("type"), HealthResult::outcomeName(r.outcome));
                w.writeAttribute(QStringLiteral("message"), r.detail);
                QString body = r.detail;
                if (!r.failedStep.isEmpty()) {
                    body += QStringLiteral("\nstep: ") + r.failedStep;
                }
                if (!r.hint.isEmpty() && !r.detail.contains(r.hint)) {
                    body += QStringLiteral("\nhint: ") + r.hint;
                }
                w.writeCharacters(body);
                w.writeEndElement();
            } else {
                w.writeTextElement(QStringLiteral("system-out"), lineOf(r, nowMs));
            }
            w.writeEndElement();
        }
        w.writeEndElement();
    }
    w.writeEndElement();
    w.writeEndDocument();
    return xml;
}

} // namespace

int runCheckAll(const CliCommand& command, const CliArguments& arguments, CliIo& io)
{
    if (!arguments.positional().isEmpty()) {
        return command.usageError(io,
                                  Text::tr("check --all takes no NAME; use --provider ID to check one provider's."));
    }
    int jobs = 4;
    if (arguments.isSet(QStringLiteral("jobs"))) {
        bool ok = false;
        jobs = arguments.value(QStringLiteral("jobs")).toInt(&ok);
        if (!ok || jobs < 1 || jobs > 64) {
            return command.usageError(io,
                                      Text::tr("--jobs must be a whole number from 1 to 64, not '%1'")
                                          .arg(arguments.value(QStringLiteral("jobs"))));
        }
    }
    if (auto code = NetworkOptions::applyMaxTime(command, arguments, io)) {
        return *code;
    }
    const bool json = arguments.isSet(QStringLiteral("json"));

    const ProfileRegistry registry = ProfileRegistry::loadDefault();
    const std::unique_ptr<SecretStore> secrets = EnvSecretStore::createDefault();
    EnvironmentService service(&registry, secrets.get());
    QString error;
    if (!service.reload(&error)) {
        io.err(Text::tr("keyway-cli: cannot read the environments: %1").arg(error));
        return ExitUsage;
    }
    QList<Environment> chosen;
    const QString provider = arguments.value(QStringLiteral("provider"));
    if (arguments.isSet(QStringLiteral("provider")) && !registry.find(provider)) {
        return command.usageError(io,
                                  Text::tr("unknown provider '%1'. Valid providers: %2")
                                      .arg(provider, registry.ids().join(QStringLiteral(", "))));
    }
    for (const Environment& environment : service.environments()) {
        if (provider.isEmpty() || environment.providerId == provider) {
            chosen.append(environment);
        }
    }
    if (chosen.isEmpty()) {
        io.err(provider.isEmpty()
                   ? Text::tr("keyway-cli: no environments to check. Add one with keyway-cli env add, or import a "
                              "bundle with keyway-cli env import FILE.")
                   : Text::tr("keyway-cli: no environment uses provider '%1'.").arg(provider));
        return ExitUsage;
    }

    const qint64 startedMs = Clock::currentMSecsSinceEpoch();
    HealthRun run(&service, chosen, jobs);
    QObject::connect(&run, &HealthRun::checkFinished, &run, [&](const HealthResult& r) {
        if (json) {
            nlohmann::ordered_json line = {{"event", "check"},
                                           {"environment", r.environment.toStdString()},
                                           {"provider", r.provider.toStdString()},
                                           {"result", lineWord(r.outcome).toLower().toStdString()},
                                           {"outcome", HealthResult::outcomeName(r.outcome).toStdString()},
                                           {"exit", r.exitCode},
                                           {"detail", r.detail.toStdString()}};
            const qint64 nowMs = Clock::currentMSecsSinceEpoch();
            const qint64 left = r.expiresInSeconds(nowMs);
            line["expires_in"] = left >= 0 ? nlohmann::ordered_json(left) : nlohmann::ordered_json();
            const qint64 refreshAge = r.refreshAgeSeconds(nowMs);
            if (refreshAge >= 0) {
                line["refresh_token_age"] = refreshAge; // seconds since the refresh token in use was stored
            }
            if (!r.failedStep.isEmpty()) {
                line["step"] = r.failedStep.toStdString();
            }
            if (!r.hint.isEmpty()) {
                line["hint"] = r.hint.toStdString();
            }
            io.jsonLine(line);
        } else {
            io.outLine(lineOf(r, Clock::currentMSecsSinceEpoch()));
        }
    });
    QEventLoop loop;
    QObject::connect(&run, &HealthRun::finished, &loop, &QEventLoop::quit);
    run.start();
    if (!run.isFinished()) {
        loop.exec();
    }

    // The report lists the environments in their file's order, whatever order the checks finished in.
    QList<HealthResult> ordered;
    for (const Environment& environment : std::as_const(chosen)) {
        for (const HealthResult& r : run.results()) {
            if (r.environmentId == environment.id) {
                ordered.append(r);
            }
        }
    }
    // The desktop app's health board shows these results too: one record of the last check, whichever face ran it.
    QStringList ids;
    for (const Environment& environment : service.environments()) {
        ids.append(environment.id);
    }
    HealthResultStore().record(ordered, ids);
    int passed = 0;
    for (const HealthResult& r : std::as_const(ordered)) {
        passed += r.passed() ? 1 : 0;
    }
    if (arguments.isSet(QStringLiteral("junit"))) {
        const QString path = arguments.value(QStringLiteral("junit"));
        const QByteArray xml = junitReport(ordered, startedMs, Clock::currentMSecsSinceEpoch());
        QSaveFile file(path);
        if (!file.open(QIODevice::WriteOnly) || file.write(xml) != xml.size() || !file.commit()) {
            io.err(Text::tr("keyway-cli: cannot write the JUnit report %1: %2").arg(path, file.errorString()));
            return ExitUsage;
        }
    }
    if (!json) {
        io.err(Text::tr("keyway-cli: %1 of %n environment(s) passed.", nullptr, int(ordered.size())).arg(passed));
    }
    return passed == ordered.size() ? ExitOk : ExitProviderRefused;
}

} // namespace keyway::cli
