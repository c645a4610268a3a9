#pragma once

class QCoreApplication;

namespace keyway {

// Installs Keyway's embedded translation (:/i18n/keyway_<lang>.qm) and Qt's own for the user's locale.
void installTranslations(QCoreApplication& app);

} // namespace keyway
