#include "core/cli/BrowserOpener.h"

#include "core/cli/CliIo.h"

#include <QCoreApplication>
#include <QProcess>

namespace keyway::cli {

namespace {
struct Text
{
    Q_DECLARE_TR_FUNCTIONS(keyway::cli::BrowserOpener)
};
} // namespace

UrlOpener makeBrowserOpener(CliIo& io, bool noBrowser, bool json)
{
    return [&io, noBrowser, json](const QUrl& url) {
        const QString text = QString::fromUtf8(url.toEncoded());
        if (noBrowser) {
            if (!json) {
                io.err(Text::tr("Open this URL in a browser to sign in, then come back here:"));
                io.err(text);
            }
            return true;
        }
        const bool started = QProcess::startDetached(QStringLiteral("xdg-open"), {text});
        if (!started) {
            // Even with --json: a person has to see where to sign in.
            io.err(Text::tr("keyway-cli: could not start a browser; open this URL to sign in:"));
            io.err(text);
        } else if (!json) {
            io.err(Text::tr("Waiting for the sign-in in your browser..."));
        }
        return true;
    };
}

} // namespace keyway::cli
