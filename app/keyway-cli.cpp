#include "core/cli/CliIo.h"
#include "core/cli/Commands.h"
#include "core/util/AppPaths.h"
#include "core/util/ProcessHardening.h"
#include "core/util/Translations.h"

#include <QCoreApplication>
#include <QLoggingCategory>

#include <cstdio>
#include <unistd.h>

// keyway-cli: wires the process's streams to the command dispatcher in core/cli.
int main(int argc, char* argv[])
{
    keyway::AppPaths::restrictFileModes();
    keyway::ProcessHardening::disableCoreDumps();
    // A terminal command prints its answer and its errors, not the engine's running commentary (which
    // environment was created, where the sandbox listens): keyway's info messages are off unless
    // QT_LOGGING_RULES turns them on (it overrides this rule). Warnings still reach stderr.
    QLoggingCategory::setFilterRules(QStringLiteral("keyway.*.info=false"));
    QCoreApplication app(argc, argv);
    keyway::AppPaths::setApplicationIdentity();
    keyway::installTranslations(app);
    keyway::cli::CliIo io(stdout, stderr, stdin, isatty(fileno(stdin)) != 0);
    return keyway::cli::runCli(QCoreApplication::arguments().mid(1), io);
}
