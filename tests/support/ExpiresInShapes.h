#pragma once

#include <QTest>

namespace keyway::test {

// The expires_in shapes HostileServer serves (path `expires/<shape>`) and what the one lifetime rule makes
// of each (docs/hardening.md, "expires_in"): columns shape, seconds (the lifetime kept), assumed (the profile's
// documented default stands in). Shared by the engine's and the CLI's suites, so both test the same table.
inline void addExpiresInShapeRows()
{
    QTest::addColumn<QString>("shape");
    QTest::addColumn<qint64>("seconds");
    QTest::addColumn<bool>("assumed");
    const qint64 tenYears = 10LL * 366 * 24 * 3600;
    QTest::newRow("missing") << "missing" << qint64(3600) << true;
    QTest::newRow("zero") << "zero" << qint64(3600) << true;
    QTest::newRow("negative") << "negative" << qint64(3600) << true;
    QTest::newRow("numeric string") << "string" << qint64(1800) << false;
    QTest::newRow("word") << "word" << qint64(3600) << true;
    QTest::newRow("fraction") << "fraction" << qint64(59) << false;
    QTest::newRow("below a second") << "tiny" << qint64(3600) << true;
    QTest::newRow("huge float") << "huge" << tenYears << false;
    QTest::newRow("huge integer") << "bigint" << tenYears << false;
}

} // namespace keyway::test
