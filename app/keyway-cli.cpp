#include "core/cli/CliIo.h"
#include "core/cli/Commands.h"
#include "core/util/AppPaths.h"
#include "core/util/ProcessHardening.h"
#include "core/util/Translations.h"

#include <QCoreApplication>

#include <cstdio>
#include <unistd.h>

// keyway-cli: wires the process's streams to the command dispatcher in core/cli.
int main(int argc, char* argv[])
{
    keyway::AppPaths::restrictFileModes();
    keyway::ProcessHardening::disableCoreDumps();
    QCoreApplication app(argc, argv);
    keyway::AppPaths::setApplicationIdentity();
    keyway::installTranslations(app);
    keyway::cli::CliIo io(stdout, stderr, stdin, isatty(fileno(stdin)) != 0);
    return keyway::cli::runCli(QCoreApplication::arguments().mid(1), io);
}
