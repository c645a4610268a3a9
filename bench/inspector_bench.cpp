// Response inspector benchmark: time to show the top level of a 20 MB and a 100 MB JSON reply, the longest
// UI-thread stall while loading (a 5 ms timer on the UI thread), and peak memory growth per reply byte.
// Prints `name: value` lines (bench/run.sh); never a pass/fail test.
#include "core/http/HttpMessage.h"
#include "core/json/JsonIndex.h"
#include "ui/inspector/JsonTreeModel.h"
#include "ui/inspector/ResponseInspector.h"

#include <QApplication>
#include <QBuffer>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QJsonDocument>
#include <QTimer>
#include <QTreeView>

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <vector>

long long floorWalkGeneric(const char* data, size_t length);
long long floorWalkHaswell(const char* data, size_t length);

using keyway::ui::ReplyView;
using keyway::ui::ResponseInspector;

namespace {

// A top-level array of card-BIN-like objects: the worst case for the top level (every element is a row).
QByteArray makeDocument(qsizetype targetBytes)
{
    QByteArray doc;
    doc.reserve(targetBytes + 256);
    doc += '[';
    for (int i = 0; doc.size() < targetBytes; ++i) {
        if (i) {
            doc += ',';
        }
        doc += R"({"binId":")" + QByteArray::number(400000 + i % 600000)
            + R"(","brand":"VISA","country":"GB","status":"active","note":"line\nbreak \u00e9",)"
            + R"("limits":{"daily":1000,"monthly":20000.5,"enabled":true,"tags":["a","b",null]}})";
    }
    doc += ']';
    // Read back the way RequestExecutor reads a reply, so the body has the same spare capacity.
    QBuffer device(&doc);
    device.open(QIODevice::ReadOnly);
    return keyway::readAllWithSpare(&device);
}

double seconds(const QElapsedTimer& timer)
{
    return static_cast<double>(timer.nsecsElapsed()) / 1e9;
}

double median(std::vector<double> values)
{
    std::sort(values.begin(), values.end());
    return values.empty() ? 0.0 : values[values.size() / 2];
}

qint64 statusKb(const char* field)
{
    QFile status(QStringLiteral("/proc/self/status"));
    if (!status.open(QIODevice::ReadOnly)) {
        return -1;
    }
    const QByteArray key = QByteArray(field) + ':';
    for (const QByteArray& line : status.readAll().split('\n')) {
        if (line.startsWith(key)) {
            return line.mid(key.size()).trimmed().split(' ').first().toLongLong();
        }
    }
    return -1;
}

void resetPeakRss()
{
    QFile clearRefs(QStringLiteral("/proc/self/clear_refs"));
    if (clearRefs.open(QIODevice::WriteOnly)) {
        clearRefs.write("5"); // resets VmHWM to the current RSS
    }
}

// CPU time of the calling thread: a gap of the UI timer that is mostly this is work the UI thread did; the
// rest of a gap is the scheduler giving the core to other processes on a loaded machine.
double threadCpuMs()
{
    timespec ts {};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) * 1e3 + static_cast<double>(ts.tv_nsec) / 1e6;
}

struct Run
{
    double seconds = 0;
    qint64 maxStallMs = 0;
    double maxWorkMs = 0;
    double peakMemX = 0;
};

Run measure(ResponseInspector& inspector, const QByteArray& body)
{
    ReplyView reply;
    reply.status = 200;
    reply.reason = QStringLiteral("OK");
    reply.elapsedMs = 1;
    reply.headers = {{"Content-Type", "application/json"}};
    reply.body = body;

    inspector.clear();
    QCoreApplication::processEvents();
    resetPeakRss();
    const qint64 baseKb = statusKb("VmRSS");

    QElapsedTimer clock;
    qint64 lastTick = 0;
    qint64 maxStall = 0;
    double lastCpu = threadCpuMs();
    double maxWork = 0;
    QTimer probe;
    probe.setInterval(5);
    QObject::connect(&probe, &QTimer::timeout, [&] {
        const qint64 t = clock.elapsed();
        const double cpu = threadCpuMs();
        maxStall = std::max(maxStall, t - lastTick);
        maxWork = std::max(maxWork, cpu - lastCpu);
        lastTick = t;
        lastCpu = cpu;
    });

    QEventLoop loop;
    double shownAt = -1;
    auto conn = QObject::connect(&inspector, &ResponseInspector::replyShown, [&] {
        inspector.treeView()->viewport()->repaint(); // the top level is on screen, not just in the model
        shownAt = static_cast<double>(clock.nsecsElapsed()) / 1e9;
    });
    QTimer idleCheck;
    idleCheck.setInterval(20);
    QObject::connect(&idleCheck, &QTimer::timeout, [&] {
        if (shownAt >= 0 && !inspector.isLoading()) {
            loop.quit();
        }
    });
    clock.start();
    probe.start();
    idleCheck.start();
    inspector.showReply(reply);
    QTimer::singleShot(60000, &loop, &QEventLoop::quit);
    loop.exec();
    QTimer::singleShot(100, &loop, &QEventLoop::quit); // stalls just after the load count too
    loop.exec();
    QObject::disconnect(conn);
    probe.stop();

    Run run;
    run.seconds = shownAt;
    run.maxStallMs = maxStall;
    run.maxWorkMs = maxWork;
    const qint64 peakKb = statusKb("VmHWM");
    run.peakMemX = static_cast<double>(peakKb - baseKb) * 1024.0 / static_cast<double>(body.size());
    if (inspector.treeModel()->rowCount() == 0) {
        std::fprintf(stderr, "inspector: the tree stayed empty\n");
    }
    return run;
}

} // namespace

int main(int argc, char** argv)
{
    qputenv("QT_QPA_PLATFORM",
            qgetenv("QT_QPA_PLATFORM").isEmpty() ? QByteArray("offscreen") : qgetenv("QT_QPA_PLATFORM"));
    QApplication app(argc, argv);
    ResponseInspector inspector;
    inspector.resize(1000, 700);
    inspector.show();
    QCoreApplication::processEvents();

    qint64 maxStall = 0;
    double maxWork = 0;
    double peakX = 0;
    double seconds100 = 0;
    QByteArray doc100;
    for (const int mb : {20, 100}) {
        const QByteArray doc = makeDocument(qsizetype(mb) * 1000 * 1000);
        const Run run = measure(inspector, doc);
        std::printf("inspector_%dmb_s: %.3f\n", mb, run.seconds);
        std::printf("inspector_%dmb_stall_ms: %lld\n", mb, static_cast<long long>(run.maxStallMs));
        std::printf("inspector_%dmb_ui_work_ms: %.1f\n", mb, run.maxWorkMs);
        std::printf("inspector_%dmb_peak_mem_x: %.2f\n", mb, run.peakMemX);
        std::fflush(stdout);
        maxStall = std::max(maxStall, run.maxStallMs);
        maxWork = std::max(maxWork, run.maxWorkMs);
        peakX = std::max(peakX, run.peakMemX);
        if (mb == 100) {
            seconds100 = run.seconds;
            doc100 = doc;
        }
    }
    std::printf("inspector_max_stall_ms: %lld\n", static_cast<long long>(maxStall));
    std::printf("inspector_max_ui_work_ms: %.1f\n", maxWork);
    std::printf("inspector_peak_mem_x: %.2f\n", peakX);
    inspector.clear();

    // The floor in the same process, on the same bytes: simdjson's own on-demand walk of the top level
    // (fresh parser each time, like the inspector's), and Keyway's index alone (no UI), interleaved.
    const bool avx2 = __builtin_cpu_supports("avx2");
    std::vector<double> generic, haswell, index;
    for (int round = 0; round < 3; ++round) {
        QElapsedTimer timer;
        timer.start();
        const long long children = floorWalkGeneric(doc100.constData(), size_t(doc100.size()));
        generic.push_back(children > 0 ? seconds(timer) : -1.0);
        if (avx2) {
            timer.restart();
            const long long haswellChildren = floorWalkHaswell(doc100.constData(), size_t(doc100.size()));
            haswell.push_back(haswellChildren > 0 ? seconds(timer) : -1.0);
        }
        timer.restart();
        const auto indexed = keyway::json::indexValue(doc100);
        index.push_back(indexed.ok ? seconds(timer) : -1.0);
    }
    const double floorSeconds = avx2 ? std::min(median(generic), median(haswell)) : median(generic);
    std::printf("inspector_floor_ondemand_generic_100mb_s: %.3f\n", median(generic));
    if (avx2) {
        std::printf("inspector_floor_ondemand_haswell_100mb_s: %.3f\n", median(haswell));
    } else {
        std::printf("inspector_floor_ondemand_haswell_100mb_s: n/a (no AVX2 on this CPU)\n");
    }
    std::printf("inspector_index_only_100mb_s: %.3f\n", median(index));
    std::printf("inspector_floor_ratio: %.2f\n", floorSeconds > 0 ? seconds100 / floorSeconds : 0.0);

    // Baseline in the same process: parsing the same 100 MB with QJsonDocument (which would block the UI).
    QElapsedTimer timer;
    timer.start();
    const QJsonDocument parsed = QJsonDocument::fromJson(doc100);
    const double qjson = static_cast<double>(timer.nsecsElapsed()) / 1e9;
    std::printf("inspector_qjsondocument_100mb_s: %.3f\n", parsed.isNull() ? -1.0 : qjson);
    std::printf("inspector_100mb_ratio_vs_qjsondocument: %.2f\n", qjson > 0 ? seconds100 / qjson : 0.0);
    return 0;
}
