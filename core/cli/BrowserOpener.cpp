#include "core/cli/BrowserOpener.h"

#include "core/cli/CliIo.h"

#include "core/util/Clock.h"

#include <QCoreApplication>
#include <QProcess>

namespace keyway::cli {

namespace {
struct Text
{
    Q_DECLARE_TR_FUNCTIONS(keyway::cli::BrowserOpener)
};

// xdg-open normally hands the URL to the browser and exits at once; one that is still running after this
// long is taken to have opened something.
constexpr int kOpenerVerdictMs = 3000;

// Starts xdg-open and tells whether it opened the URL: it did not when it cannot be started or exits with an
// error (no browser configured, no display). A still-running opener is left to run on its own.
bool runOpener(const QString& url)
{
    auto* process = new QProcess(QCoreApplication::instance());
    process->setProgram(QStringLiteral("xdg-open"));
    process->setArguments({url});
    process->setProcessChannelMode(QProcess::ForwardedErrorChannel);
    process->setStandardOutputFile(QProcess::nullDevice());
    process->start();
    if (!process->waitForStarted(kOpenerVerdictMs)) {
        process->deleteLater();
        return false;
    }
    if (!process->waitForFinished(kOpenerVerdictMs)) {
        QObject::connect(process, &QProcess::finished, process, &QObject::deleteLater);
        return true;
    }
    const bool opened = process->exitStatus() == QProcess::NormalExit && process->exitCode() == 0;
    process->deleteLater();
    return opened;
}

// "Waiting up to 5 minutes for the sign-in; ...": how long the listener waits, as the person reads it.
QString waitLine(int waitMs, bool browserOpened)
{
    const int seconds = qMax(1, (waitMs + 500) / 1000);
    const QString span = seconds >= 60 && seconds % 60 == 0 ? Text::tr("%n minute(s)", nullptr, seconds / 60)
                                                            : Text::tr("%n second(s)", nullptr, seconds);
    return browserOpened ? Text::tr("Waiting up to %1 for the sign-in in your browser; Ctrl+C stops waiting.").arg(span)
                         : Text::tr("Waiting up to %1 for the sign-in; Ctrl+C stops waiting.").arg(span);
}

} // namespace

UrlOpener makeBrowserOpener(CliIo& io, bool noBrowser, bool json, int waitMs)
{
    return [&io, noBrowser, json, waitMs](const QUrl& url) {
        const QString text = QString::fromUtf8(url.toEncoded());
        if (noBrowser) {
            if (!json) {
                io.err(Text::tr("Open this URL in a browser to sign in, then come back here:"));
                io.err(text);
                io.err(waitLine(waitMs, false));
            }
            return true;
        }
        if (!runOpener(text)) {
            // Like --no-browser from here on: the listener keeps waiting for the redirect. Printed even with
            // --json, since a person has to see where to sign in.
            io.err(Text::tr("keyway-cli: could not open a browser (xdg-open failed); open this URL in a browser to "
                            "sign in, keyway-cli keeps waiting (--no-browser skips this attempt):"));
            io.err(text);
            if (!json) {
                io.err(waitLine(waitMs, false));
            }
            return false;
        }
        if (!json) {
            io.err(waitLine(waitMs, true));
        }
        return true;
    };
}

void printDeviceCode(CliIo& io, const FlowEvent& event)
{
    if (event.type != FlowEvent::Type::DeviceCode) {
        return;
    }
    io.err(Text::tr("To sign in, open %1 in a browser on any device and enter the code:").arg(event.url));
    io.err(QStringLiteral("    ") + event.userCode);
    if (!event.completeUrl.isEmpty()) {
        io.err(Text::tr("(or open %1, which carries the code)").arg(event.completeUrl));
    }
    const qint64 leftMs = event.deadlineMs - Clock::currentMSecsSinceEpoch();
    if (event.deadlineMs > 0 && leftMs > 0) {
        const int minutes = static_cast<int>((leftMs + 59'999) / 60'000);
        io.err(Text::tr(
            "Waiting for the approval; the code expires in %n minute(s). Ctrl+C stops waiting.", nullptr, minutes));
    } else {
        io.err(Text::tr("Waiting for the approval. Ctrl+C stops waiting."));
    }
}

} // namespace keyway::cli
