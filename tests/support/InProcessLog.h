#pragma once

#include <QByteArray>

namespace keyway::test {

// Everything this test process logs (Keyway's categories turned to debug level): a suite that runs Keyway's
// code in process (the sandbox, the GUI) searches it for canaries. Debug lines are only recorded; warnings and
// above still reach the previous handler, so a test's own output stays readable.
class InProcessLog
{
public:
    // Turns keyway.* to debug and installs the recorder; once per process, before the code under test runs.
    static void install();
    // Puts the previous handler back (a suite that checks the log before its window's teardown).
    static void uninstall();
    static const QByteArray& text();
};

} // namespace keyway::test
