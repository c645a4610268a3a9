#pragma once

#include "core/vault/EnvironmentBundle.h"

#include <QDialog>
#include <QMap>
#include <QPair>

class QCheckBox;
class QLabel;
class QLineEdit;

namespace keyway {
class EnvironmentService;
}

namespace keyway::ui {

// "Import environments…": what a bundle (or Postman file) will create, and one masked field per secret the
// bundle names but does not carry, so the secrets are typed once. Secrets a Postman file carried are already
// filled. Left empty, a secret stays missing and is named afterwards. Object names: bundleImportDialog,
// bundleImportSummary, bundleImportReplace, bundleSecret_<environment>.<key>.
class BundleImportDialog : public QDialog
{
    Q_OBJECT
public:
    BundleImportDialog(EnvironmentService* service,
                       QList<BundleEnvironment> environments,
                       QMap<QString, QMap<QString, QString>> carriedSecrets,
                       QWidget* parent = nullptr);

    // What to import and with which secrets, once accepted.
    const QList<BundleEnvironment>& environments() const { return m_environments; }
    QMap<QString, QMap<QString, QString>> secrets() const;
    bool replace() const;

private:
    QList<BundleEnvironment> m_environments;
    QMap<QString, QMap<QString, QString>> m_carried;
    QList<QPair<QPair<QString, QString>, QLineEdit*>> m_fields; // (environment, key) -> its field
    QCheckBox* m_replace = nullptr;
};

} // namespace keyway::ui
