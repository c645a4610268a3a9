#include "tests/support/ui/FormDriver.h"

#include <QAbstractButton>
#include <QComboBox>
#include <QCoreApplication>
#include <QEvent>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QTest>
#include <QTreeWidget>

namespace keyway::test {

namespace {

// New rows are shown from the event loop, the old form deleted there.
void settle()
{
    QCoreApplication::sendPostedEvents(nullptr, QEvent::DeferredDelete);
    QCoreApplication::processEvents();
}

} // namespace

QLineEdit* form::field(QWidget* form, const QString& key)
{
    settle();
    for (auto* edit : form->findChildren<QLineEdit*>(QStringLiteral("field_") + key)) {
        if (edit->isVisibleTo(form)) {
            return edit;
        }
    }
    return nullptr;
}

bool form::type(QWidget* form, const QString& key, const QString& text)
{
    QLineEdit* edit = field(form, key);
    if (!edit) {
        qWarning("no field %s", qPrintable(key));
        return false;
    }
    edit->setFocus();
    edit->clear();
    QTest::keyClicks(edit, text);
    return edit->text() == text;
}

bool form::choose(QWidget* form, const QString& objectName, const QString& data)
{
    settle();
    QComboBox* combo = nullptr;
    for (auto* candidate : form->findChildren<QComboBox*>(objectName)) {
        if (candidate->isVisibleTo(form)) {
            combo = candidate;
        }
    }
    const int index = combo ? combo->findData(data) : -1;
    if (index < 0) {
        qWarning("no choice %s in %s", qPrintable(data), qPrintable(objectName));
        return false;
    }
    combo->setCurrentIndex(index);
    return true;
}

QStringList visibleTexts(const QWidget* root)
{
    QStringList texts;
    QList<const QWidget*> widgets {root};
    for (const QWidget* w : root->findChildren<QWidget*>()) {
        widgets.append(w);
    }
    for (const QWidget* w : std::as_const(widgets)) {
        texts.append(w->toolTip());
        if (const auto* label = qobject_cast<const QLabel*>(w)) {
            texts.append(label->text());
        } else if (const auto* line = qobject_cast<const QLineEdit*>(w)) {
            texts.append(line->displayText());
        } else if (const auto* plain = qobject_cast<const QPlainTextEdit*>(w)) {
            texts.append(plain->toPlainText());
        } else if (const auto* button = qobject_cast<const QAbstractButton*>(w)) {
            texts.append(button->text());
        } else if (const auto* list = qobject_cast<const QListWidget*>(w)) {
            for (int i = 0; i < list->count(); ++i) {
                texts.append(list->item(i)->text());
                texts.append(list->item(i)->toolTip());
            }
        } else if (const auto* tree = qobject_cast<const QTreeWidget*>(w)) {
            for (int i = 0; i < tree->topLevelItemCount(); ++i) {
                for (int c = 0; c < tree->columnCount(); ++c) {
                    texts.append(tree->topLevelItem(i)->text(c));
                    texts.append(tree->topLevelItem(i)->toolTip(c));
                }
            }
        }
    }
    return texts;
}

} // namespace keyway::test
