// ui/common/WrappedLabel, the one rule for wrapped sentences in notices, intros and check details: exactly as
// tall as its text at the width it was given (neither padded nor clipped), re-wrapped when the width changes,
// never drawn over the widget below when the window is short, and not measured at the 100 px a widget has before
// its first layout (which would make a window taller than the screen).
#include "ui/common/WrappedLabel.h"

#include <QApplication>
#include <QTest>
#include <QTreeWidget>
#include <QVBoxLayout>

using keyway::ui::WrappedLabel;

namespace {

const QString kSentence = QStringLiteral(
    "concurrent_refresh sendet gleichzeitig zwei Erneuerungen mit demselben Refresh-Token; ein Server, der "
    "Refresh-Tokens rotiert, widerruft dabei möglicherweise den gesamten Grant. Führen Sie conform mit einem "
    "Testkonto aus.");

// The height the sentence needs at the label's current width, measured with its font.
int textHeight(const QLabel& label)
{
    return label.fontMetrics()
        .boundingRect(QRect(0, 0, label.contentsRect().width(), QWIDGETSIZE_MAX), Qt::TextWordWrap, label.text())
        .height();
}

struct Page
{
    QWidget window;
    WrappedLabel* label = new WrappedLabel(&window);
    QTreeWidget* tree = new QTreeWidget(&window);

    Page()
    {
        auto* layout = new QVBoxLayout(&window);
        layout->addWidget(label);
        layout->addWidget(tree, 1);
        label->setText(kSentence);
    }
};

} // namespace

class TestWrappedLabel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void exactlyAsTallAsItsText()
    {
        Page page;
        page.window.resize(600, 400);
        page.window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&page.window));
        const int needed = textHeight(*page.label);
        QVERIFY(needed >= 2 * page.label->fontMetrics().lineSpacing()); // the sentence wraps at 600 px
        QTRY_COMPARE(page.label->height(), needed); // neither padded to a narrow-width guess nor clipped
    }

    void reWrapsWhenTheWidthChanges()
    {
        Page page;
        page.window.resize(400, 400);
        page.window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&page.window));
        QTRY_COMPARE(page.label->height(), textHeight(*page.label));
        const int narrow = page.label->height();
        page.window.resize(1400, 400);
        QTRY_VERIFY(page.label->height() < narrow);
        QTRY_COMPARE(page.label->height(), textHeight(*page.label));
    }

    // A short window squeezes the list that can scroll, never the sentence over it.
    void aShortWindowSqueezesTheListNotTheSentence()
    {
        Page page;
        page.window.resize(300, 120);
        page.window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&page.window));
        QTRY_COMPARE(page.label->height(), textHeight(*page.label));
        QVERIFY2(page.label->geometry().bottom() < page.tree->geometry().top(), "the sentence overlaps the list");
        QVERIFY(page.window.minimumSizeHint().height() >= textHeight(*page.label));
    }

    // Before the first layout a widget is 100 px wide; measuring there would count the sentence as many lines and
    // make the window's minimum height taller than a 700 px screen.
    void notMeasuredAtTheWidthBeforeTheFirstLayout()
    {
        Page page;
        const int lines = page.window.minimumSizeHint().height() / page.label->fontMetrics().lineSpacing();
        QVERIFY2(lines < 15, qPrintable(QString::number(lines)));
    }

    void keepsItsMinimumLines()
    {
        Page page;
        page.label->setMinimumLines(3);
        page.label->setText(QStringLiteral("short"));
        page.window.resize(600, 400);
        page.window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&page.window));
        QTRY_COMPARE(page.label->height(), 3 * page.label->fontMetrics().lineSpacing());
    }
};

QTEST_MAIN(TestWrappedLabel)
#include "tst_wrapped_label.moc"
