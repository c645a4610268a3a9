#pragma once

#include <QObject>

class QWidget;

namespace keyway::ui {

// For `make bench`: when KEYWAY_EXIT_AFTER_FIRST_PAINT is set, quits the application right after the
// window's first paint and, when KEYWAY_REPORT_RSS is also set, after an idle second so resident
// memory can be read. Does nothing otherwise.
class StartupProbe : public QObject
{
    Q_OBJECT
public:
    static void installIfRequested(QWidget* window);

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    explicit StartupProbe(QWidget* window);
    bool m_done = false;
};

} // namespace keyway::ui
