#pragma once

#include <QObject>

#include <functional>

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
    // Runs `work` once `window` has painted for the first time: start-up work the first frame does not
    // need (the embedded sandbox) waits until the user sees the window.
    static void afterFirstPaint(QWidget* window, std::function<void()> work);

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    explicit StartupProbe(QWidget* window, std::function<void()> work = {});
    bool m_done = false;
    std::function<void()> m_work; // afterFirstPaint's; empty for the bench probe
};

} // namespace keyway::ui
