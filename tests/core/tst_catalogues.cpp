// The translation catalogues stay reachable and complete. lupdate runs over core/ and ui/ exactly as the
// `update_translations` target does (with the project's include directory), into copies of the
// catalogues, and then:
// - every context it files a message under is a name the code looks messages up by at run time: a
//   Q_OBJECT class's fully-qualified name, a Q_DECLARE_TR_FUNCTIONS context, or the literal context of
//   QCoreApplication::translate / QT_TRANSLATE_NOOP. An unqualified "MainWindow" (lupdate without include
//   paths) or a helper's tr() that resolves to another class fails here;
// - no source holds a home-made tr(const char*) wrapper, whose strings lupdate cannot see;
// - every German message is translated (no new string slips in untranslated) with the same %1, %2 and %n;
// - the English catalogue spells out both plural forms of every counted message ("1 secret" / "%n secrets").
#include <QDirIterator>
#include <QFile>
#include <QMap>
#include <QProcess>
#include <QRegularExpression>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>
#include <QXmlStreamReader>

#include <cctype>

namespace {

const QString kSourceDir = QStringLiteral(KEYWAY_SOURCE_DIR);

struct Message
{
    QString context;
    QString source;
    bool numerus = false;
    bool unfinished = false;
    QStringList translations; // one, or the numerus forms
};

QList<Message> readCatalogue(const QString& path)
{
    QList<Message> messages;
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        return messages;
    }
    QXmlStreamReader xml(&file);
    QString context;
    Message message;
    while (!xml.atEnd()) {
        xml.readNext();
        if (xml.isStartElement()) {
            if (xml.name() == QLatin1String("name")) {
                context = xml.readElementText();
            } else if (xml.name() == QLatin1String("message")) {
                message = Message();
                message.context = context;
                message.numerus = xml.attributes().value(QLatin1String("numerus")) == QLatin1String("yes");
            } else if (xml.name() == QLatin1String("source")) {
                message.source = xml.readElementText();
            } else if (xml.name() == QLatin1String("translation")) {
                const auto type = xml.attributes().value(QLatin1String("type"));
                message.unfinished = type == QLatin1String("unfinished");
                if (type == QLatin1String("obsolete") || type == QLatin1String("vanished")) {
                    message.source.clear(); // not a live message
                }
                if (!message.numerus) {
                    message.translations.append(xml.readElementText());
                }
            } else if (xml.name() == QLatin1String("numerusform")) {
                message.translations.append(xml.readElementText());
            }
        } else if (xml.isEndElement() && xml.name() == QLatin1String("message") && !message.source.isEmpty()) {
            messages.append(message);
        }
    }
    return messages;
}

QStringList translatableSources()
{
    QStringList files;
    for (const char* area : {"core", "ui", "app"}) {
        QDirIterator it(kSourceDir + QLatin1Char('/') + QLatin1String(area),
                        {QStringLiteral("*.cpp"), QStringLiteral("*.h")},
                        QDir::Files,
                        QDirIterator::Subdirectories);
        while (it.hasNext()) {
            files.append(it.next());
        }
    }
    files.sort();
    // The shipped provider profiles' texts, collected at build time (translations/profile_texts.cpp).
    files.append(QStringLiteral(KEYWAY_PROFILE_TEXTS_PATH));
    return files;
}

// The source without comments (`code`) and, in addition, without string literals and preprocessor lines
// (`bare`), so braces and keywords in either never count.
struct CleanSource
{
    QString code;
    QString bare;
};

CleanSource clean(const QString& text)
{
    CleanSource out;
    out.code.reserve(text.size());
    out.bare.reserve(text.size());
    const qsizetype n = text.size();
    bool lineStart = true;
    for (qsizetype i = 0; i < n; ++i) {
        const QChar c = text[i];
        const QChar next = i + 1 < n ? text[i + 1] : QChar();
        if (c == QLatin1Char('/') && next == QLatin1Char('/')) {
            while (i < n && text[i] != QLatin1Char('\n')) {
                ++i;
            }
            --i;
            continue;
        }
        if (c == QLatin1Char('/') && next == QLatin1Char('*')) {
            const qsizetype end = text.indexOf(QStringLiteral("*/"), i + 2);
            i = end < 0 ? n : end + 1;
            out.code += QLatin1Char(' ');
            out.bare += QLatin1Char(' ');
            continue;
        }
        if (lineStart && c == QLatin1Char('#')) {
            // A preprocessor line (with continuations) stays in `code`, blank in `bare`.
            while (i < n && !(text[i] == QLatin1Char('\n') && text[i - 1] != QLatin1Char('\\'))) {
                out.code += text[i];
                ++i;
            }
            out.code += QLatin1Char('\n');
            out.bare += QLatin1Char('\n');
            continue;
        }
        const bool digitSeparator = c == QLatin1Char('\'') && i > 0 && text[i - 1].isDigit()
            && std::isxdigit(static_cast<unsigned char>(next.toLatin1())) != 0;
        if ((c == QLatin1Char('"') || c == QLatin1Char('\'')) && !digitSeparator) {
            const bool raw = c == QLatin1Char('"') && i > 0 && text[i - 1] == QLatin1Char('R');
            qsizetype end = i + 1;
            if (raw) {
                const qsizetype open = text.indexOf(QLatin1Char('('), i);
                const QString closing = QLatin1Char(')') + text.mid(i + 1, open - i - 1) + QLatin1Char('"');
                end = text.indexOf(closing, open);
                end = end < 0 ? n - 1 : end + closing.size() - 1;
            } else {
                while (end < n && text[end] != c) {
                    end += text[end] == QLatin1Char('\\') ? 2 : 1;
                }
            }
            out.code += text.mid(i, end - i + 1);
            out.bare += QString(end - i + 1, QLatin1Char(' '));
            i = end;
            lineStart = false;
            continue;
        }
        out.code += c;
        out.bare += c;
        if (c == QLatin1Char('\n')) {
            lineStart = true;
        } else if (!c.isSpace()) {
            lineStart = false;
        }
    }
    return out;
}

// Fully-qualified names of the Q_OBJECT / Q_GADGET classes declared in `bare` source.
QStringList qobjectClasses(const QString& bare)
{
    static const QRegularExpression tokenPattern(QStringLiteral("[A-Za-z_]\\w*|::|[{};()<>,=:]"));
    QStringList tokens;
    for (auto it = tokenPattern.globalMatch(bare); it.hasNext();) {
        tokens.append(it.next().captured());
    }
    struct Scope
    {
        enum Kind { Namespace, Class, Block } kind;
        QStringList names;
    };
    QList<Scope> stack;
    QStringList found;
    const auto isIdentifier = [](const QString& t) { return t.front().isLetter() || t.front() == QLatin1Char('_'); };
    for (qsizetype i = 0; i < tokens.size(); ++i) {
        const QString& t = tokens[i];
        if (t == QLatin1String("namespace")) {
            QStringList names;
            qsizetype j = i + 1;
            while (j < tokens.size() && (isIdentifier(tokens[j]) || tokens[j] == QLatin1String("::"))) {
                if (tokens[j] != QLatin1String("::") && tokens[j] != QLatin1String("inline")) {
                    names.append(tokens[j]);
                }
                ++j;
            }
            if (j < tokens.size() && tokens[j] == QLatin1String("{")) {
                stack.append(Scope {Scope::Namespace, names});
                i = j;
            }
        } else if ((t == QLatin1String("class") || t == QLatin1String("struct"))
                   && !(i > 0
                        && (tokens[i - 1] == QLatin1String("enum") || tokens[i - 1] == QLatin1String("friend")))) {
            QString name;
            qsizetype j = i + 1;
            while (j < tokens.size() && isIdentifier(tokens[j])) {
                if (tokens[j] != QLatin1String("final")) {
                    name = tokens[j];
                }
                ++j;
            }
            if (j < tokens.size() && tokens[j] == QLatin1String(":")) {
                while (j < tokens.size() && tokens[j] != QLatin1String("{") && tokens[j] != QLatin1String(";")) {
                    ++j;
                }
            }
            if (j < tokens.size() && tokens[j] == QLatin1String("{") && !name.isEmpty()) {
                stack.append(Scope {Scope::Class, {name}});
                i = j;
            }
        } else if (t == QLatin1String("{")) {
            stack.append(Scope {Scope::Block, {}});
        } else if (t == QLatin1String("}")) {
            if (!stack.isEmpty()) {
                stack.removeLast();
            }
        } else if ((t == QLatin1String("Q_OBJECT") || t == QLatin1String("Q_GADGET")) && !stack.isEmpty()
                   && stack.last().kind == Scope::Class) {
            QStringList qualified;
            for (const Scope& scope : std::as_const(stack)) {
                qualified += scope.names;
            }
            found.append(qualified.join(QStringLiteral("::")));
        }
    }
    return found;
}

QSet<QString> placeholders(const QString& text)
{
    static const QRegularExpression pattern(QStringLiteral("%(?:\\d+|n)"));
    QSet<QString> found;
    for (auto it = pattern.globalMatch(text); it.hasNext();) {
        found.insert(it.next().captured());
    }
    return found;
}

} // namespace

class TestCatalogues : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void contextsAreRunTimeClassNames();
    void noInvisibleTrWrappers();
    void everyGermanMessageIsTranslated();
    void englishPluralsAreSpelledOut();
    void scannerFindsNamespacedClasses();

private:
    QStringList m_sources;
    QSet<QString> m_contexts; // every context name the code can look a message up by
    QSet<QString> m_shortClassNames;
    QStringList m_wrappers;
    QList<Message> m_english;
    QList<Message> m_german;
    QTemporaryDir m_work;
};

void TestCatalogues::initTestCase()
{
    m_sources = translatableSources();
    QVERIFY2(m_sources.size() > 50, qPrintable(kSourceDir));

    static const QRegularExpression literalContext(
        QStringLiteral("(?:QCoreApplication::translate|QT_TRANSLATE_N?_NOOP3?)\\s*\\(\\s*\"([^\"]+)\""));
    static const QRegularExpression declared(QStringLiteral("Q_DECLARE_TR_FUNCTIONS\\s*\\(\\s*([\\w:]+)\\s*\\)"));
    // `QString tr(const char*)`, `trHistory(const char*)`, or any function handing its const char* argument
    // to translate(): lupdate sees neither the calls nor their strings. A table of QT_TRANSLATE_NOOP
    // strings translated with a literal context stays allowed.
    static const QRegularExpression wrapper(QStringLiteral("QString\\s+tr\\w*\\s*\\(\\s*const\\s+char\\s*\\*"));
    static const QRegularExpression forwarder(QStringLiteral(
        "QString\\s+\\w+\\s*\\(\\s*const\\s+char\\s*\\*\\s*(\\w+)[^)]*\\)\\s*(?:const\\s*)?\\{\\s*return\\s+"
        "QCoreApplication::translate\\s*\\(\\s*\"[^\"]*\"\\s*,\\s*\\1\\b"));
    static const QRegularExpression nonLiteral(QStringLiteral("QCoreApplication::translate\\s*\\(\\s*[^\"\\s]"));
    for (const QString& path : std::as_const(m_sources)) {
        QFile file(path);
        QVERIFY2(file.open(QIODevice::ReadOnly), qPrintable(path));
        const CleanSource source = clean(QString::fromUtf8(file.readAll()));
        for (const QRegularExpression* pattern : {&literalContext, &declared}) {
            for (auto it = pattern->globalMatch(source.code); it.hasNext();) {
                m_contexts.insert(it.next().captured(1));
            }
        }
        const QStringList classes = qobjectClasses(source.bare);
        for (const QString& name : classes) {
            m_contexts.insert(name);
            m_shortClassNames.insert(name.section(QStringLiteral("::"), -1));
        }
        const QString relative = path.mid(kSourceDir.size() + 1);
        for (const QRegularExpression* pattern : {&wrapper, &forwarder, &nonLiteral}) {
            for (auto it = pattern->globalMatch(source.code); it.hasNext();) {
                const auto match = it.next();
                const int line = static_cast<int>(source.code.left(match.capturedStart()).count(QLatin1Char('\n'))) + 1;
                m_wrappers.append(relative + QLatin1Char(':') + QString::number(line));
            }
        }
    }

    // lupdate as update_translations runs it, into copies: the committed catalogues are not touched.
    QVERIFY(m_work.isValid());
    const QString english = m_work.filePath(QStringLiteral("keyway_en.ts"));
    const QString german = m_work.filePath(QStringLiteral("keyway_de.ts"));
    QVERIFY(QFile::copy(kSourceDir + QStringLiteral("/translations/keyway_en.ts"), english));
    QVERIFY(QFile::copy(kSourceDir + QStringLiteral("/translations/keyway_de.ts"), german));
    QFile list(m_work.filePath(QStringLiteral("sources.lst")));
    QVERIFY(list.open(QIODevice::WriteOnly));
    list.write(m_sources.join(QLatin1Char('\n')).toUtf8() + '\n');
    list.close();
    QProcess lupdate;
    lupdate.setProcessChannelMode(QProcess::MergedChannels);
    lupdate.start(QStringLiteral(KEYWAY_LUPDATE_PATH),
                  {QStringLiteral("-locations"),
                   QStringLiteral("none"),
                   QStringLiteral("-no-obsolete"),
                   QStringLiteral("-I"),
                   kSourceDir,
                   QLatin1Char('@') + list.fileName(),
                   QStringLiteral("-ts"),
                   english,
                   german});
    QVERIFY(lupdate.waitForFinished(120000));
    QVERIFY2(lupdate.exitCode() == 0, lupdate.readAll().constData());
    m_english = readCatalogue(english);
    m_german = readCatalogue(german);
    QVERIFY(m_english.size() > 100);
    QCOMPARE(m_german.size(), m_english.size());
}

void TestCatalogues::contextsAreRunTimeClassNames()
{
    // The fresh lupdate run, and the committed catalogues (which update_translations wrote).
    QList<Message> all = m_english;
    all += readCatalogue(kSourceDir + QStringLiteral("/translations/keyway_en.ts"));
    all += readCatalogue(kSourceDir + QStringLiteral("/translations/keyway_de.ts"));
    QMap<QString, QStringList> unknown; // context -> its messages
    for (const Message& message : std::as_const(all)) {
        if (!m_contexts.contains(message.context)) {
            unknown[message.context].append(message.source);
        }
    }
    QStringList report;
    for (auto it = unknown.cbegin(); it != unknown.cend(); ++it) {
        const bool unqualified = !it.key().contains(QStringLiteral("::")) && m_shortClassNames.contains(it.key());
        report.append(it.key()
                      + (unqualified ? QStringLiteral(" (unqualified: lupdate ran without include paths?)") : QString())
                      + QStringLiteral(", %1 messages, e.g. \"").arg(it.value().size()) + it.value().first().left(50)
                      + QLatin1Char('"'));
    }
    QVERIFY2(report.isEmpty(),
             qPrintable(QStringLiteral("contexts no code looks messages up by (give the class Q_OBJECT or "
                                       "Q_DECLARE_TR_FUNCTIONS(ns::Class), or call Class::tr from helpers):\n  ")
                        + report.join(QStringLiteral("\n  "))));
}

void TestCatalogues::noInvisibleTrWrappers()
{
    m_wrappers.removeDuplicates();
    QVERIFY2(m_wrappers.isEmpty(),
             qPrintable(QStringLiteral("tr wrappers lupdate cannot see (use Q_DECLARE_TR_FUNCTIONS or a literal "
                                       "QCoreApplication::translate): ")
                        + m_wrappers.join(QStringLiteral(", "))));
}

void TestCatalogues::everyGermanMessageIsTranslated()
{
    QStringList untranslated;
    QStringList badPlaceholders;
    for (const Message& message : std::as_const(m_german)) {
        const bool empty = std::any_of(
            message.translations.cbegin(), message.translations.cend(), [](const QString& t) { return t.isEmpty(); });
        if (message.unfinished || empty || message.translations.isEmpty()) {
            untranslated.append(message.context + QStringLiteral(": \"") + message.source + QLatin1Char('"'));
            continue;
        }
        QSet<QString> expected = placeholders(message.source);
        for (const QString& translation : message.translations) {
            QSet<QString> got = placeholders(translation);
            if (message.numerus) {
                // A singular form may say "one" instead of %n.
                got.insert(QStringLiteral("%n"));
                expected.insert(QStringLiteral("%n"));
            }
            if (got != expected) {
                badPlaceholders.append(message.source + QStringLiteral(" -> ") + translation);
            }
        }
    }
    QVERIFY2(untranslated.isEmpty(),
             qPrintable(QStringLiteral("%1 German messages are not translated. Run `cmake --build build --target "
                                       "update_translations` and translate them in translations/keyway_de.ts:\n  ")
                            .arg(untranslated.size())
                        + untranslated.mid(0, 40).join(QStringLiteral("\n  "))));
    QVERIFY2(badPlaceholders.isEmpty(),
             qPrintable(QStringLiteral("placeholders differ:\n  ") + badPlaceholders.join(QStringLiteral("\n  "))));
}

void TestCatalogues::englishPluralsAreSpelledOut()
{
    int counted = 0;
    QStringList bad;
    for (const Message& message : std::as_const(m_english)) {
        if (!message.numerus) {
            continue;
        }
        ++counted;
        if (message.unfinished || message.translations.size() != 2 || message.translations[0].isEmpty()
            || message.translations[1].isEmpty() || message.translations.join(QString()).contains(QStringLiteral("(s)"))
            || !message.translations[1].contains(QStringLiteral("%n"))) {
            bad.append(message.source);
        }
    }
    QVERIFY(counted > 0);
    QVERIFY2(bad.isEmpty(),
             qPrintable(QStringLiteral("English plural forms missing in translations/keyway_en.ts (fill both "
                                       "<numerusform>s, e.g. \"one secret\" and \"%n secrets\"):\n  ")
                        + bad.join(QStringLiteral("\n  "))));
}

void TestCatalogues::scannerFindsNamespacedClasses()
{
    // The scanner itself: nested namespaces, anonymous namespaces, nested classes, templates, enums.
    const QString source = QStringLiteral(R"(
namespace a::b {
namespace {
class Hidden : public QObject { Q_OBJECT };
}
template <class T> class Box { };
enum class Mode { X, Y };
class Outer : public QObject
{
    Q_OBJECT
    struct Inner { Q_GADGET };
    void f() { if (x) { "}"; } }
    int n = 30'000;
};
}
class Top : public QObject { Q_OBJECT };
)");
    const QStringList classes = qobjectClasses(clean(source).bare);
    QCOMPARE(classes,
             (QStringList {QStringLiteral("a::b::Hidden"),
                           QStringLiteral("a::b::Outer"),
                           QStringLiteral("a::b::Outer::Inner"),
                           QStringLiteral("Top")}));
}

QTEST_GUILESS_MAIN(TestCatalogues)
#include "tst_catalogues.moc"
