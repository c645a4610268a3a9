#include "ui/app/AboutDialog.h"

#include "ui/common/Clipboard.h"

#include <QApplication>
#include <QDialogButtonBox>
#include <QIcon>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

#ifndef KEYWAY_VERSION
#define KEYWAY_VERSION "0.0.0"
#endif
#ifndef KEYWAY_QTKEYCHAIN_VERSION
#define KEYWAY_QTKEYCHAIN_VERSION "unknown"
#endif
#ifndef KEYWAY_HOMEPAGE
#define KEYWAY_HOMEPAGE "https://keyway.io"
#endif

namespace keyway::ui {

QString AboutDialog::homepage()
{
    return QStringLiteral(KEYWAY_HOMEPAGE);
}

QString AboutDialog::versionText()
{
    return tr("Keyway %1\nQt %2 (built with %3)\nQtKeychain %4\nLicense: MIT")
        .arg(QStringLiteral(KEYWAY_VERSION),
             QString::fromLatin1(qVersion()),
             QStringLiteral(QT_VERSION_STR),
             QStringLiteral(KEYWAY_QTKEYCHAIN_VERSION));
}

AboutDialog::AboutDialog(QWidget* parent) : QDialog(parent)
{
    setObjectName(QStringLiteral("aboutDialog"));
    setWindowTitle(tr("About Keyway"));

    auto* icon = new QLabel(this);
    icon->setPixmap(QIcon(QStringLiteral(":/icons/keyway.svg")).pixmap(96, 96));
    icon->setAlignment(Qt::AlignHCenter);

    auto* text = new QLabel(this);
    text->setObjectName(QStringLiteral("aboutText"));
    text->setTextFormat(Qt::RichText);
    text->setOpenExternalLinks(true);
    text->setTextInteractionFlags(Qt::TextBrowserInteraction);
    text->setWordWrap(true);
    QString versions = versionText().toHtmlEscaped();
    versions.replace(QLatin1Char('\n'), QStringLiteral("<br>"));
    text->setText(tr("<h3>Keyway</h3>"
                     "<p>Credential and API explorer for integration engineers.</p>"
                     "<p>%1</p>"
                     "<p>Secrets stay in your system keychain. Keyway is free software under the MIT license.</p>"
                     "<p><a href=\"%2\">%2</a></p>")
                      .arg(versions, homepage().toHtmlEscaped()));
    text->setAccessibleName(tr("About Keyway"));

    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    auto* copy = buttons->addButton(tr("Co&py versions"), QDialogButtonBox::ActionRole);
    copy->setObjectName(QStringLiteral("copyVersionsButton"));
    connect(copy, &QPushButton::clicked, this, [] { Clipboard::instance()->copyText(versionText()); });
    auto* aboutQt = buttons->addButton(tr("About &Qt"), QDialogButtonBox::ActionRole);
    aboutQt->setObjectName(QStringLiteral("aboutQtButton"));
    connect(aboutQt, &QPushButton::clicked, qApp, &QApplication::aboutQt);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(icon);
    layout->addWidget(text);
    layout->addWidget(buttons);
    setMinimumWidth(420);
}

} // namespace keyway::ui
