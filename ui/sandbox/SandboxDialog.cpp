#include "ui/sandbox/SandboxDialog.h"

#include "core/sandbox/SandboxServer.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QLabel>
#include <QScrollArea>
#include <QVBoxLayout>

namespace keyway::ui {

SandboxDialog::SandboxDialog(sandbox::SandboxServer* server, QWidget* parent) : QDialog(parent), m_server(server)
{
    setObjectName(QStringLiteral("sandboxDialog"));
    setWindowTitle(tr("Sandbox"));

    m_address = new QLabel(this);
    m_address->setObjectName(QStringLiteral("sandboxAddress"));
    m_address->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_address->setText(server && server->isListening()
                           ? tr("Listening on %1 (port %2, chosen at start)")
                                 .arg(server->rootUrl().toString())
                                 .arg(server->port())
                           : tr("The embedded sandbox is not running."));

    m_scale = new QDoubleSpinBox(this);
    m_scale->setObjectName(QStringLiteral("sandboxTimeScale"));
    m_scale->setRange(1, 3600);
    m_scale->setDecimals(0);
    m_scale->setSuffix(tr(" ×"));
    m_scale->setValue(server ? server->timeScale() : 1);
    m_scale->setToolTip(tr("Lifetimes divided by this: at 60 a 10-minute code lives 10 s and a one-hour token "
                           "one minute. Applies to codes and tokens issued from now on."));
    connect(m_scale, &QDoubleSpinBox::valueChanged, this, [this](double scale) {
        if (m_server) {
            m_server->setTimeScale(scale);
        }
        Q_EMIT timeScaleChanged(scale);
    });

    auto* form = new QFormLayout;
    form->addRow(tr("Address:"), m_address);
    form->addRow(tr("&Time scale:"), m_scale);

    auto* faults = new QWidget(this);
    auto* faultsLayout = new QVBoxLayout(faults);
    if (server) {
        for (const sandbox::DemoProvider& demo : server->demoProviders()) {
            const QStringList available = server->availableFaults(demo.providerId);
            if (available.isEmpty()) {
                continue;
            }
            auto* group = new QGroupBox(demo.providerId, faults);
            auto* groupLayout = new QVBoxLayout(group);
            const QStringList active = server->activeFaults(demo.providerId);
            for (const QString& fault : available) {
                auto* box = new QCheckBox(fault, group);
                box->setObjectName(QStringLiteral("sandboxFault/%1/%2").arg(demo.providerId, fault));
                box->setChecked(active.contains(fault));
                const QString provider = demo.providerId;
                connect(box, &QCheckBox::toggled, this, [this, provider, fault](bool on) {
                    if (m_server) {
                        m_server->setFault(provider, fault, on);
                    }
                });
                groupLayout->addWidget(box);
            }
            faultsLayout->addWidget(group);
        }
    }
    faultsLayout->addStretch(1);
    auto* scroll = new QScrollArea(this);
    scroll->setWidgetResizable(true);
    scroll->setWidget(faults);

    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto* layout = new QVBoxLayout(this);
    layout->addLayout(form);
    auto* faultsLabel = new QLabel(tr("Faults (the sandbox misbehaves on purpose while one is on):"), this);
    faultsLabel->setWordWrap(true);
    layout->addWidget(faultsLabel);
    layout->addWidget(scroll, 1);
    layout->addWidget(buttons);
    resize(480, 520);
}

} // namespace keyway::ui
