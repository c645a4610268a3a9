#include "ui/app/PreferencesDialog.h"

#include "core/util/Preferences.h"
#include "ui/common/Clipboard.h"
#include "ui/timeline/TimelineWidget.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QSpinBox>
#include <QVBoxLayout>

namespace keyway::ui {

namespace {

QSpinBox* spinBox(const QString& objectName, int min, int max, int value, const QString& suffix, QWidget* parent)
{
    auto* box = new QSpinBox(parent);
    box->setObjectName(objectName);
    box->setRange(min, max);
    box->setValue(value);
    box->setSuffix(suffix);
    return box;
}

} // namespace

PreferencesDialog::PreferencesDialog(QWidget* parent) : QDialog(parent)
{
    setObjectName(QStringLiteral("preferencesDialog"));
    setWindowTitle(tr("Preferences"));

    m_clipboard = spinBox(QStringLiteral("clipboardClearSeconds"),
                          Preferences::MinClipboardClearSeconds,
                          Preferences::MaxClipboardClearSeconds,
                          Preferences::clipboardClearSeconds(),
                          tr(" s"),
                          this);
    m_historyEntries = spinBox(QStringLiteral("historyMaxEntries"),
                               Preferences::MinHistoryMaxEntries,
                               Preferences::MaxHistoryMaxEntries,
                               Preferences::historyMaxEntries(),
                               QString(),
                               this);
    m_historyMegabytes = spinBox(QStringLiteral("historyMaxFileMegabytes"),
                                 Preferences::MinHistoryMaxFileMegabytes,
                                 Preferences::MaxHistoryMaxFileMegabytes,
                                 Preferences::historyMaxFileMegabytes(),
                                 tr(" MB"),
                                 this);
    m_timeout = spinBox(QStringLiteral("requestTimeoutSeconds"),
                        Preferences::MinRequestTimeoutSeconds,
                        Preferences::MaxRequestTimeoutSeconds,
                        Preferences::requestTimeoutSeconds(),
                        tr(" s"),
                        this);
    m_timelineWarning = spinBox(QStringLiteral("timelineWarningSeconds"),
                                Preferences::MinTimelineWarningSeconds,
                                Preferences::MaxTimelineWarningSeconds,
                                Preferences::timelineWarningSeconds(),
                                tr(" s"),
                                this);
    m_sandbox = new QCheckBox(tr("&Start the embedded sandbox with the window"), this);
    m_sandbox->setObjectName(QStringLiteral("startSandbox"));
    m_sandbox->setChecked(Preferences::startSandbox());
    m_sandboxHttps
        = new QCheckBox(tr("Serve the sandbox over &HTTPS (with a certificate authority made at start)"), this);
    m_sandboxHttps->setObjectName(QStringLiteral("sandboxHttps"));
    m_sandboxHttps->setChecked(Preferences::sandboxHttps());
    m_sandboxHttps->setToolTip(tr("The sandbox environments trust that certificate authority, so they work at once; "
                                  "use it to try a private certificate authority and the TLS error messages."));

    m_language = new QComboBox(this);
    m_language->setObjectName(QStringLiteral("language"));
    m_language->addItem(tr("System language"), QString());
    m_language->addItem(QStringLiteral("English"), QStringLiteral("en"));
    m_language->addItem(QStringLiteral("Deutsch"), QStringLiteral("de"));
    const int current = m_language->findData(Preferences::language());
    m_language->setCurrentIndex(current < 0 ? 0 : current);

    auto* form = new QFormLayout;
    form->addRow(tr("Clear copied secrets from the clip&board after:"), m_clipboard);
    form->addRow(tr("Request &timeout (whole exchange):"), m_timeout);
    form->addRow(tr("History &entries kept per environment:"), m_historyEntries);
    form->addRow(tr("History file si&ze limit per environment:"), m_historyMegabytes);
    form->addRow(tr("Timeline &warning before expiry (at least):"), m_timelineWarning);
    form->addRow(tr("&Language:"), m_language);
    form->addRow(QString(), m_sandbox);
    form->addRow(QString(), m_sandboxHttps);

    auto* note = new QLabel(tr("The request timeout, the language, the history limits and the embedded sandbox take "
                               "effect when Keyway next starts."),
                            this);
    note->setWordWrap(true);

    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto* layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(note);
    layout->addWidget(buttons);
}

void PreferencesDialog::accept()
{
    Preferences::setClipboardClearSeconds(m_clipboard->value());
    Preferences::setHistoryMaxEntries(m_historyEntries->value());
    Preferences::setHistoryMaxFileMegabytes(m_historyMegabytes->value());
    Preferences::setRequestTimeoutSeconds(m_timeout->value());
    Preferences::setStartSandbox(m_sandbox->isChecked());
    Preferences::setSandboxHttps(m_sandboxHttps->isChecked());
    Preferences::setLanguage(m_language->currentData().toString());
    Preferences::setTimelineWarningSeconds(m_timelineWarning->value());
    applySaved();
    QDialog::accept();
}

void PreferencesDialog::applySaved()
{
    Clipboard::instance()->setClearDelay(Preferences::clipboardClearSeconds() * 1000);
    TimelineWidget::setWarningThresholdMs(static_cast<qint64>(Preferences::timelineWarningSeconds()) * 1000);
}

} // namespace keyway::ui
