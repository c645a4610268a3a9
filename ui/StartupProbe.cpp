#include "ui/StartupProbe.h"

#include <QCoreApplication>
#include <QEvent>
#include <QFile>
#include <QTimer>
#include <QWidget>

#include <cstdio>

namespace keyway::ui {

namespace {
// Resident set size in MB from /proc (Linux only; 0 elsewhere).
double residentMegabytes()
{
    QFile status(QStringLiteral("/proc/self/status"));
    if (!status.open(QIODevice::ReadOnly)) {
        return 0;
    }
    for (const QByteArray& line : status.readAll().split('\n')) {
        if (line.startsWith("VmRSS:")) {
            return line.mid(6).trimmed().split(' ').first().toDouble() / 1024.0;
        }
    }
    return 0;
}
} // namespace

StartupProbe::StartupProbe(QWidget* window, std::function<void()> work) : QObject(window), m_work(std::move(work)) { }

void StartupProbe::afterFirstPaint(QWidget* window, std::function<void()> work)
{
    window->installEventFilter(new StartupProbe(window, std::move(work)));
}

void StartupProbe::installIfRequested(QWidget* window)
{
    if (qEnvironmentVariableIsSet("KEYWAY_EXIT_AFTER_FIRST_PAINT")) {
        window->installEventFilter(new StartupProbe(window));
    }
}

bool StartupProbe::eventFilter(QObject* watched, QEvent* event)
{
    if (!m_done && event->type() == QEvent::Paint) {
        m_done = true;
        if (m_work) {
            // Two event-loop turns later: the frame is finished and flushed to the screen (and the bench's
            // probe has stopped its clock) before the deferred work starts.
            QTimer::singleShot(0, this, [this] {
                QTimer::singleShot(0, this, [this] {
                    const auto work = std::move(m_work);
                    deleteLater();
                    work();
                });
            });
            return QObject::eventFilter(watched, event);
        }
        // Quit once the paint has been delivered, not inside it.
        const int idleMs = qEnvironmentVariableIsSet("KEYWAY_REPORT_RSS") ? 1000 : 0;
        QTimer::singleShot(idleMs, this, [] {
            if (qEnvironmentVariableIsSet("KEYWAY_REPORT_RSS")) {
                std::fprintf(stdout, "rss_mb: %.1f\n", residentMegabytes());
                std::fflush(stdout);
            }
            QCoreApplication::quit();
        });
    }
    return QObject::eventFilter(watched, event);
}

} // namespace keyway::ui
