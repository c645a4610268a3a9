#include "ui/flow/FlowWalkthrough.h"

#include "ui/timeline/DurationFormat.h"

#include "core/http/HttpMessage.h"
#include "core/http/NetworkDiagnosis.h"
#include "core/http/Redactor.h"
#include "core/http/TlsDiagnosis.h"
#include "core/json/JsonText.h"
#include "core/util/Clock.h"
#include "ui/common/NoticeBanner.h"
#include "ui/common/PageParts.h"
#include "ui/common/SignInWait.h"
#include "ui/common/UiLogging.h"

#include <QDesktopServices>
#include <QFontDatabase>
#include <QFrame>
#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSplitter>
#include <QStyle>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>

#include <algorithm>
#include <memory>

namespace keyway::ui {

namespace {
QString formatHeaders(const QList<QPair<QString, QString>>& headers)
{
    QString text;
    for (const auto& header : headers) {
        text += header.first + QStringLiteral(": ") + header.second + QLatin1Char('\n');
    }
    return text;
}

// JSON bodies indented as the inspector shows them; anything else as it came.
QString formatBody(const QString& body)
{
    const QString trimmed = body.trimmed();
    if (!trimmed.startsWith(QLatin1Char('{')) && !trimmed.startsWith(QLatin1Char('['))) {
        return body;
    }
    constexpr qsizetype maxBytes = 256 * 1024;
    return QString::fromUtf8(json::prettyPrint(trimmed.toUtf8(), maxBytes));
}

QString formatRequest(const FlowEvent& event)
{
    QString text = event.method + QLatin1Char(' ') + event.url + QLatin1Char('\n') + formatHeaders(event.headers);
    if (!event.body.isEmpty()) {
        text += QLatin1Char('\n') + formatBody(event.body);
    }
    if (event.clientAssertion) {
        // What the signed client assertion says; its signature is never shown.
        text += QStringLiteral("\n\n") + FlowWalkthrough::tr("Client assertion (signature redacted):")
            + QLatin1Char('\n') + QString::fromStdString(event.clientAssertion->dump(2));
    }
    return text;
}

QString formatReply(const FlowEvent& event)
{
    QString text = FlowWalkthrough::tr("HTTP %1 (%2 ms)").arg(statusWithReason(event.status)).arg(event.elapsedMs)
        + QLatin1Char('\n') + formatHeaders(event.headers);
    if (!event.body.isEmpty()) {
        text += QLatin1Char('\n') + formatBody(event.body);
    }
    return text;
}

// In the token reply: whether the ID token in it was validated before anything of the reply was used.
QString idTokenVerdict(const FlowEvent& event)
{
    if (!*event.verified) {
        return FlowWalkthrough::tr("ID token not verified: set the issuer or the JWKS URL so Keyway can check its "
                                   "signature.");
    }
    if (event.verifiedKey.isEmpty()) {
        return FlowWalkthrough::tr("ID token verified: signature against the issuer's key set; iss, aud, exp, iat and "
                                   "nonce checked.");
    }
    return FlowWalkthrough::tr("ID token verified with key %1: signature against the issuer's key set; iss, aud, "
                               "exp, iat and nonce checked.")
        .arg(event.verifiedKey);
}

} // namespace

FlowWalkthrough::FlowWalkthrough(QWidget* parent) : QWidget(parent)
{
    setObjectName(QStringLiteral("flowWalkthrough"));
    m_openUrl = [](const QUrl& url) { return QDesktopServices::openUrl(url); };
    buildUi();
    setEnvironment(nullptr, {}, {}, {}, {}, {});
}

void FlowWalkthrough::setUrlOpener(UrlOpener opener)
{
    m_openUrl = std::move(opener);
    m_signInWait->setUrlOpener(m_openUrl);
}

FlowWalkthrough::~FlowWalkthrough()
{
    dropEngine();
}

void FlowWalkthrough::buildUi()
{
    m_title = page::title(QStringLiteral("flowTitle"), this);
    // A long environment name is elided rather than widening the page (and narrowing the environment list).
    m_title->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    m_title->setMinimumWidth(80);
    m_title->installEventFilter(this);

    m_runAllButton = page::button(tr("Run &all"), QStringLiteral("runAllButton"), QStyle::SP_MediaPlay, this);
    m_runAllButton->setToolTip(tr("Run every step of the flow (Ctrl+R)"));
    m_stepButton = page::button(tr("&Step"), QStringLiteral("stepButton"), QStyle::SP_MediaSeekForward, this);
    m_stepButton->setToolTip(tr("Run the next step only"));
    m_cancelButton = page::button(tr("Cancel"), QStringLiteral("cancelButton"), QStyle::SP_MediaStop, this);
    m_revealButton = new QToolButton(this);
    m_revealButton->setObjectName(QStringLiteral("revealButton"));
    m_revealButton->setText(tr("Reveal secrets"));
    m_revealButton->setToolTip(tr("Show the secrets, codes and tokens in the requests and replies"));
    m_revealButton->setCheckable(true);
    connect(m_runAllButton, &QPushButton::clicked, this, &FlowWalkthrough::runAll);
    connect(m_stepButton, &QPushButton::clicked, this, &FlowWalkthrough::runNextStep);
    connect(m_cancelButton, &QPushButton::clicked, this, &FlowWalkthrough::cancel);
    connect(m_revealButton, &QToolButton::toggled, this, [this](bool on) {
        // The label says what a click does next.
        m_revealButton->setText(on ? tr("Hide secrets") : tr("Reveal secrets"));
        refreshDetails();
    });

    auto* controls = new QHBoxLayout;
    controls->addWidget(m_title, 1);
    controls->addWidget(m_runAllButton);
    controls->addWidget(m_stepButton);
    controls->addWidget(m_cancelButton);
    controls->addWidget(m_revealButton);

    m_stepList = new QListWidget(this);
    m_stepList->setObjectName(QStringLiteral("flowSteps"));
    m_stepList->setAccessibleName(tr("Flow steps"));
    m_stepList->setWordWrap(true);
    m_stepList->setResizeMode(QListView::Adjust);
    m_stepList->viewport()->installEventFilter(this); // re-measures the wrapped titles on resize
    m_stepList->setMinimumWidth(220);
    connect(m_stepList, &QListWidget::currentRowChanged, this, &FlowWalkthrough::showStep);

    m_signInWait = new SignInWait(QStringLiteral("browser"), this);
    m_signInWait->setUrlOpener(m_openUrl);
    connect(m_signInWait, &SignInWait::cancelRequested, this, &FlowWalkthrough::cancel);
    connect(m_signInWait, &SignInWait::redirectSubmitted, this, [this](const QUrl& url) {
        if (m_engine) {
            m_signInWait->showRedirectProblem(m_engine->submitRedirectUrl(url));
        }
    });

    auto* hint
        = new NoticeBanner(NoticeBanner::Kind::Warning, QStringLiteral("hintFrame"), QStringLiteral("hintLabel"), this);
    m_hintFrame = hint;
    m_hintLabel = hint->label();
    m_caFileButton = hint->addButton(tr("Use a CA file for this environment…"), QStringLiteral("useCaFileButton"));
    m_caFileButton->hide();
    connect(m_caFileButton, &QPushButton::clicked, this, &FlowWalkthrough::caFileRequested);

    m_stepTitle = new QLabel(this);
    m_stepTitle->setObjectName(QStringLiteral("stepTitle"));
    QFont stepFont = m_stepTitle->font();
    stepFont.setBold(true);
    m_stepTitle->setFont(stepFont);
    m_stepDescription = new QLabel(this);
    m_stepDescription->setObjectName(QStringLiteral("stepDescription"));
    m_stepDescription->setWordWrap(true);
    m_stepDescription->setForegroundRole(QPalette::PlaceholderText);

    const QFont mono = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    auto makeView = [this, &mono](const QString& name, const QString& placeholder) {
        auto* view = new QPlainTextEdit(this);
        view->setObjectName(name);
        view->setReadOnly(true);
        view->setFont(mono);
        view->setPlaceholderText(placeholder);
        view->setLineWrapMode(QPlainTextEdit::WidgetWidth);
        return view;
    };
    m_requestView = makeView(QStringLiteral("requestView"), tr("The request appears here when the step runs."));
    m_replyView = makeView(QStringLiteral("replyView"), tr("The reply appears here."));

    QBoxLayout* detailsLayout = nullptr;
    QWidget* details = page::pane(this, &detailsLayout);
    detailsLayout->addWidget(m_stepTitle);
    detailsLayout->addWidget(m_stepDescription);
    detailsLayout->addWidget(m_hintFrame);
    page::addLabelled(detailsLayout, tr("Request"), m_requestView);
    page::addLabelled(detailsLayout, tr("Reply"), m_replyView);
    auto* splitter
        = page::split(Qt::Horizontal, QStringLiteral("walkthroughSplitter"), m_stepList, 1, details, 3, this);

    m_statusLabel = page::status(QStringLiteral("flowStatus"), this);

    auto* layout = new QVBoxLayout(this);
    layout->addLayout(controls);
    layout->addWidget(m_signInWait);
    layout->addWidget(splitter, 1);
    layout->addWidget(m_statusLabel);

    setTabOrder(m_runAllButton, m_stepButton);
    setTabOrder(m_stepButton, m_cancelButton);
    setTabOrder(m_cancelButton, m_revealButton);
    setTabOrder(m_revealButton, m_stepList);
    setTabOrder(m_stepList, m_requestView);
    setTabOrder(m_requestView, m_replyView);
}

void FlowWalkthrough::setEnvironment(const ProviderProfile* profile,
                                     const QString& environmentId,
                                     const QString& environmentName,
                                     const QString& baseUrl,
                                     const QString& credentialSet,
                                     CredentialLoader loader)
{
    const bool ran = std::any_of(
        m_steps.cbegin(), m_steps.cend(), [](const StepView& view) { return view.state != StepState::Pending; });
    if (m_profile && ran) {
        for (int i = 0; i < m_steps.size(); ++i) {
            if (m_steps.at(i).state == StepState::Running) {
                m_steps[i].state = StepState::Cancelled; // leaving stops it
            }
        }
        m_lastRuns.insert(runKey(), LastRun {m_steps, m_captured, m_revealMap, m_consumed, m_nextStep, statusText()});
    }
    dropEngine();
    m_loading = false;
    ++m_generation;
    m_profile = profile;
    m_environmentId = environmentId;
    m_environmentName = environmentName;
    m_baseUrl = baseUrl;
    m_credentialSet = credentialSet;
    m_loader = std::move(loader);
    m_steps.clear();
    m_captured.clear();
    m_revealMap.clear();
    m_consumed.clear();
    m_nextStep = 0;
    m_stepList->clear();
    if (m_profile) {
        for (const FlowStep& step : m_profile->steps) {
            StepView view;
            view.step = step;
            m_steps.append(view);
            m_stepList->addItem(QString());
        }
        for (int i = 0; i < m_steps.size(); ++i) {
            setStepState(i, StepState::Pending);
        }
        setTitle(tr("%1 — %2 flow").arg(environmentName, m_profile->name));
        setStatus(tr("Press Run all (Ctrl+R) to run the whole flow, or Step to run one step at a time."));
        const auto last = m_lastRuns.constFind(runKey());
        if (last != m_lastRuns.cend() && last->steps.size() == m_steps.size()) {
            m_steps = last->steps;
            m_captured = last->captured;
            m_revealMap = last->revealMap;
            m_consumed = last->consumed;
            m_nextStep = last->nextStep;
            for (int i = 0; i < m_steps.size(); ++i) {
                setStepState(i, m_steps.at(i).state);
            }
            setStatus(last->status);
        }
    } else {
        setTitle(tr("Flow"));
        setStatus(tr("Select an environment to walk through its auth flow."));
    }
    m_signInWait->finish();
    m_stepList->setCurrentRow(m_steps.isEmpty() ? -1 : 0);
    showStep(m_steps.isEmpty() ? -1 : 0);
    updateControls();
}

void FlowWalkthrough::setEnvironmentName(const QString& environmentName)
{
    if (environmentName == m_environmentName || !m_profile) {
        return;
    }
    m_environmentName = environmentName;
    setTitle(tr("%1 — %2 flow").arg(environmentName, m_profile->name));
}

void FlowWalkthrough::setTitle(const QString& text)
{
    m_titleText = text;
    m_title->setToolTip(text);
    m_title->setText(m_title->fontMetrics().elidedText(text, Qt::ElideRight, std::max(0, m_title->width())));
}

void FlowWalkthrough::measureSteps()
{
    // QListView places wrapped items by heights it measured once and draws them by heights it measures
    // again, so a title that wraps is drawn over the next step. Each item gets its height for the width it
    // has now, which the view then uses for both.
    const int width = m_stepList->viewport()->width();
    if (width <= 0) {
        return;
    }
    const int iconSpace = m_stepList->style()->pixelMetric(QStyle::PM_SmallIconSize) + 8;
    const int margins = 2 * (m_stepList->style()->pixelMetric(QStyle::PM_FocusFrameHMargin) + 2);
    for (int i = 0; i < m_stepList->count(); ++i) {
        QListWidgetItem* item = m_stepList->item(i);
        const int textWidth = std::max(40, width - margins - (item->icon().isNull() ? 0 : iconSpace));
        const QRect text
            = m_stepList->fontMetrics().boundingRect(QRect(0, 0, textWidth, 10000), Qt::TextWordWrap, item->text());
        const int height = std::max(text.height(), item->icon().isNull() ? 0 : 16) + 6;
        if (item->sizeHint().height() != height) {
            item->setSizeHint(QSize(textWidth, height));
        }
    }
}

bool FlowWalkthrough::eventFilter(QObject* watched, QEvent* event)
{
    if (m_stepList && watched == m_stepList->viewport() && event->type() == QEvent::Resize) {
        measureSteps();
    }
    if (watched == m_title && (event->type() == QEvent::Resize || event->type() == QEvent::FontChange)) {
        m_title->setText(m_title->fontMetrics().elidedText(m_titleText, Qt::ElideRight, m_title->width()));
    }
    return QWidget::eventFilter(watched, event);
}

QString FlowWalkthrough::runKey() const
{
    return QStringList {m_profile ? m_profile->id : QString(), m_environmentId, m_baseUrl, m_credentialSet}.join(
        QLatin1Char('\n'));
}

FlowWalkthrough::StepState FlowWalkthrough::stepState(int index) const
{
    return index >= 0 && index < m_steps.size() ? m_steps.at(index).state : StepState::Pending;
}

QString FlowWalkthrough::statusText() const
{
    return m_statusLabel->text();
}

void FlowWalkthrough::runAll()
{
    if (!m_profile || isRunning()) {
        return;
    }
    m_captured.clear();
    m_consumed.clear();
    m_revealMap.clear();
    for (int i = 0; i < m_steps.size(); ++i) {
        m_steps[i].request.clear();
        m_steps[i].reply.clear();
        m_steps[i].hint.clear();
        m_steps[i].detail.clear();
        setStepState(i, StepState::Pending);
    }
    m_nextStep = 0;
    start(-1);
}

void FlowWalkthrough::runNextStep()
{
    if (!m_profile || isRunning() || m_steps.isEmpty()) {
        return;
    }
    if (m_nextStep >= m_steps.size()) {
        m_nextStep = 0; // start over, keeping what earlier runs captured
    }
    // This step and every later one start afresh: their ticks and panes belong to an earlier pass.
    for (int i = m_nextStep; i < m_steps.size(); ++i) {
        StepView& view = m_steps[i];
        view.request.clear();
        view.reply.clear();
        view.hint.clear();
        view.detail.clear();
        setStepState(i, StepState::Pending);
    }
    start(m_nextStep);
}

void FlowWalkthrough::start(int onlyStep)
{
    if (!m_loader) {
        setStatus(tr("This environment's credentials cannot be read."));
        return;
    }
    m_loading = true;
    updateControls();
    setStatus(tr("Reading the credentials from the keychain…"));
    Q_EMIT runStarted();
    const int generation = ++m_generation;
    QPointer<FlowWalkthrough> self(this);
    // A keychain read normally takes milliseconds; a long one is waiting for an unlock prompt, which may be
    // behind this window. Say so instead of sitting silent until the keychain gives up.
    QTimer::singleShot(KeychainPatienceMs, this, [self, generation] {
        if (self && self->m_generation == generation && self->m_loading) {
            self->setStatus(tr("Still waiting for the keychain: if your desktop asks to unlock it, unlock it "
                               "(the prompt may be behind this window). Cancel stops waiting."));
        }
    });
    m_loader([self, generation, onlyStep](const QMap<QString, QString>& values,
                                          const QString& error,
                                          const std::shared_ptr<const ConnectionSettings>& connection) {
        if (!self || self->m_generation != generation) {
            return; // cancelled or another environment meanwhile
        }
        self->m_loading = false;
        if (!error.isEmpty()) {
            self->setStatus(error);
            self->updateControls();
            Q_EMIT self->finished(false);
            return;
        }
        self->launch(values, connection, onlyStep);
    });
}

void FlowWalkthrough::launch(const QMap<QString, QString>& credentials,
                             const std::shared_ptr<const ConnectionSettings>& connection,
                             int onlyStep)
{
    FlowOptions options;
    options.connection = connection;
    options.baseUrl = m_baseUrl;
    options.credentials = credentials;
    options.credentialSet = m_credentialSet;
    options.openUrl = m_openUrl;

    // Placeholders the redactor writes for secret fields, so "Reveal" can put the values back.
    for (const CredentialField& field : m_profile->fields) {
        const QString value = credentials.value(field.key);
        if (field.secret && !value.isEmpty()) {
            m_revealMap.insert(Redactor::placeholder(field.key), value);
            m_revealMap.insert(Redactor::placeholder(field.bareKey), value);
        }
    }

    // "Step" runs that step alone; the engine gives it what earlier steps captured.
    m_runningStep = onlyStep;
    auto* engine = new FlowEngine(*m_profile, options, this);
    m_engine = engine;
    connect(engine, &FlowEngine::event, this, &FlowWalkthrough::onEvent);
    connect(engine, &FlowEngine::finished, this, &FlowWalkthrough::onFinished);
    updateControls();
    setStatus(onlyStep >= 0 ? tr("Running step %1…").arg(onlyStep + 1) : tr("Running the flow…"));
    qCInfo(lcUi) << "running flow of" << m_profile->id << (onlyStep >= 0 ? "step" : "all") << onlyStep + 1;
    if (onlyStep >= 0) {
        engine->runStep(onlyStep, m_captured);
    } else {
        engine->runFullFlow();
    }
}

void FlowWalkthrough::onEvent(const FlowEvent& event)
{
    if (sender() != m_engine) {
        return;
    }
    const int index = indexOf(event.stepId);
    switch (event.type) {
    case FlowEvent::Type::StepStarted:
        if (index >= 0) {
            // The engine moved on, so the steps before this one succeeded.
            for (int i = 0; i < index; ++i) {
                if (m_steps.at(i).state == StepState::Running) {
                    setStepState(i, StepState::Succeeded);
                }
            }
            setStepState(index, StepState::Running);
            m_stepList->setCurrentRow(index);
        }
        break;
    case FlowEvent::Type::Request:
        if (index >= 0) {
            m_steps[index].request = formatRequest(event);
        }
        break;
    case FlowEvent::Type::Response:
        if (index >= 0) {
            m_steps[index].reply = formatReply(event);
        }
        if (!m_signInWait->isShowingDeviceCode()) {
            m_signInWait->finish(); // a device sign-in keeps waiting through "authorization_pending" replies
        }
        break;
    case FlowEvent::Type::WaitingForBrowser:
        m_signInWait->showWaiting(event);
        break;
    case FlowEvent::Type::DeviceCode:
        m_signInWait->showDeviceCode(event);
        Q_EMIT timelineEvent(event);
        break;
    case FlowEvent::Type::Revoked:
        Q_EMIT timelineEvent(event);
        break;
    case FlowEvent::Type::AuthorizeUrl:
        if (index >= 0) {
            m_steps[index].request = QStringLiteral("GET ") + event.url + QLatin1Char('\n');
        }
        break;
    case FlowEvent::Type::StepFailed:
        if (index >= 0) {
            m_steps[index].hint = event.hint;
            m_steps[index].detail = event.detail;
            setStepState(index, StepState::Failed);
        }
        m_signInWait->finish();
        break;
    case FlowEvent::Type::Consumed:
        if (m_signInWait->isShowingDeviceCode()) {
            m_signInWait->finish(); // the device code bought its token
        }
        if (m_consumed.contains(event.name)) {
            return; // already announced
        }
        m_consumed.append(event.name);
        Q_EMIT timelineEvent(event);
        break;
    case FlowEvent::Type::Captured:
        m_consumed.removeAll(event.name);
        if (index >= 0 && event.verified) {
            // Right under the status line, where it is seen without scrolling through the reply.
            QString& reply = m_steps[index].reply;
            const qsizetype statusEnd = reply.indexOf(QLatin1Char('\n'));
            reply.insert(statusEnd < 0 ? reply.size() : statusEnd + 1,
                         (statusEnd < 0 ? QStringLiteral("\n") : QString()) + idTokenVerdict(event)
                             + QLatin1Char('\n'));
        }
        Q_EMIT timelineEvent(event);
        break;
    case FlowEvent::Type::Expired:
        Q_EMIT timelineEvent(event);
        break;
    }
    if (index >= 0 && index == m_currentStep) {
        refreshDetails();
    }
    Q_EMIT flowEvent(event);
}

void FlowWalkthrough::onFinished(const FlowResult& result)
{
    if (sender() != m_engine) {
        return;
    }
    m_signInWait->finish();
    // Keep the captured values for "Step" and for Reveal; they stay in memory only.
    const bool stepping = m_runningStep >= 0;
    for (auto it = result.values.cbegin(); it != result.values.cend(); ++it) {
        m_revealMap.insert(Redactor::placeholder(it.key()), it->value);
    }
    int failedIndex = indexOf(result.stepId);
    if (result.ok()) {
        if (stepping) {
            const int index = m_runningStep;
            setStepState(index, StepState::Succeeded);
            m_nextStep = index + 1;
        } else {
            for (int i = 0; i < m_steps.size(); ++i) {
                setStepState(i, StepState::Succeeded);
            }
            m_nextStep = 0;
        }
        for (auto it = result.values.cbegin(); it != result.values.cend(); ++it) {
            m_captured.insert(it.key(), it.value());
        }
    } else {
        if (failedIndex < 0) {
            failedIndex = stepping ? m_runningStep : 0;
        }
        StepView& view = m_steps[failedIndex];
        if (view.hint.isEmpty()) {
            view.hint = result.hint;
        }
        if (view.detail.isEmpty()) {
            view.detail = result.detail;
        }
        if (result.outcome == FlowResult::Outcome::Network) {
            // Unreachable is its own state: nothing was refused, the server was never reached.
            view.unreachable = NetworkDiagnosis::title(result.failure);
            view.tlsFailed = result.failure == HttpResponse::Failure::Tls;
            QString reply = tr("No reply: %1.").arg(view.unreachable);
            if (!result.peerChain.isEmpty()) {
                reply += QLatin1String("\n\n") + tr("Certificate chain the server presented:");
                for (int i = 0; i < result.peerChain.size(); ++i) {
                    reply += QStringLiteral("\n%1. ").arg(i + 1) + TlsDiagnosis::summary(result.peerChain.at(i));
                }
            }
            view.reply = reply;
        }
        setStepState(failedIndex, StepState::Failed);
        m_stepList->setCurrentRow(failedIndex);
        m_nextStep = failedIndex;
    }
    dropEngine();
    if (result.ok()) {
        const auto token = result.value(m_profile->token.capture);
        if (token && token->expiresMs > 0) {
            setStatus(tr("Done: the access token is valid until %1.")
                          .arg(momentText(QDateTime::fromMSecsSinceEpoch(token->expiresMs))));
        } else if (stepping && m_nextStep < m_steps.size()) {
            setStatus(tr("Step %1 done. Press Step for step %2.").arg(m_nextStep).arg(m_nextStep + 1));
        } else {
            setStatus(tr("Done."));
        }
    } else {
        const QString& unreachable = m_steps.at(failedIndex).unreachable;
        setStatus(unreachable.isEmpty() ? tr("Step %1 failed: %2").arg(failedIndex + 1).arg(result.detail)
                                        : tr("Step %1 — %2: %3").arg(failedIndex + 1).arg(unreachable, result.detail));
    }
    refreshDetails();
    updateControls();
    Q_EMIT finished(result.ok());
}

void FlowWalkthrough::cancel()
{
    if (!isRunning()) {
        return;
    }
    ++m_generation;
    m_loading = false;
    for (int i = 0; i < m_steps.size(); ++i) {
        if (m_steps.at(i).state == StepState::Running) {
            setStepState(i, StepState::Cancelled);
        }
    }
    dropEngine();
    m_signInWait->finish();
    setStatus(tr("Cancelled."));
    updateControls();
    Q_EMIT finished(false);
}

void FlowWalkthrough::dropEngine()
{
    if (m_engine) {
        m_engine->disconnect(this);
        m_engine->deleteLater();
    }
    m_engine = nullptr;
}

void FlowWalkthrough::setStepState(int index, StepState state)
{
    if (index < 0 || index >= m_steps.size()) {
        return;
    }
    m_steps[index].state = state;
    QListWidgetItem* item = m_stepList->item(index);
    const FlowStep& step = m_steps.at(index).step;
    QString prefix;
    QStyle::StandardPixmap icon = QStyle::SP_CustomBase;
    switch (state) {
    case StepState::Pending:
        break;
    case StepState::Running:
        icon = QStyle::SP_BrowserReload;
        prefix = tr("running");
        break;
    case StepState::Succeeded:
        icon = QStyle::SP_DialogApplyButton;
        prefix = tr("done");
        break;
    case StepState::Failed:
        icon = QStyle::SP_MessageBoxCritical;
        prefix = tr("failed");
        break;
    case StepState::Cancelled:
        icon = QStyle::SP_BrowserStop;
        prefix = tr("cancelled");
        break;
    }
    // The profile's title already says what the step does ("Sign in in the browser"): nothing is appended.
    item->setText(tr("%1. %2").arg(index + 1).arg(step.title.isEmpty() ? step.id : step.title));
    item->setIcon(icon == QStyle::SP_CustomBase ? QIcon() : style()->standardIcon(icon));
    item->setToolTip(prefix.isEmpty() ? step.description : prefix + QStringLiteral(": ") + step.description);
    item->setData(Qt::UserRole, static_cast<int>(state));
    measureSteps();
    if (index == m_currentStep) {
        refreshDetails();
    }
}

void FlowWalkthrough::showStep(int index)
{
    m_currentStep = index;
    refreshDetails();
}

void FlowWalkthrough::refreshDetails()
{
    const bool valid = m_currentStep >= 0 && m_currentStep < m_steps.size();
    if (!valid) {
        m_stepTitle->clear();
        m_stepDescription->clear();
        m_requestView->clear();
        m_replyView->clear();
        m_hintFrame->hide();
        return;
    }
    const StepView& view = m_steps.at(m_currentStep);
    m_stepTitle->setText(tr("Step %1: %2").arg(m_currentStep + 1).arg(view.step.title));
    m_stepDescription->setText(view.step.description);
    const bool show = m_revealButton->isChecked();
    m_requestView->setPlainText(show ? reveal(view.request) : view.request);
    m_replyView->setPlainText(show ? reveal(view.reply) : view.reply);
    if (view.state == StepState::Failed) {
        QString text = !view.unreachable.isEmpty() ? view.unreachable
            : view.hint.isEmpty()                  ? tr("This step failed.")
                                                   : view.hint;
        if (!view.unreachable.isEmpty() && !view.hint.isEmpty()) {
            text += QLatin1Char('\n') + view.hint;
        }
        if (!view.detail.isEmpty()) {
            text += QLatin1Char('\n') + tr("What happened: %1").arg(view.detail);
        }
        m_hintLabel->setText(text);
        m_caFileButton->setVisible(view.tlsFailed);
        m_hintFrame->show();
    } else {
        m_caFileButton->hide();
        m_hintFrame->hide();
    }
}

void FlowWalkthrough::updateControls()
{
    const bool running = isRunning();
    const bool ready = m_profile != nullptr && !m_steps.isEmpty();
    m_runAllButton->setEnabled(ready && !running);
    m_stepButton->setEnabled(ready && !running);
    m_cancelButton->setEnabled(running);
    if (ready && m_nextStep < m_steps.size()) {
        m_stepButton->setToolTip(tr("Run step %1 only").arg(m_nextStep + 1));
    }
}

void FlowWalkthrough::setStatus(const QString& text)
{
    m_statusLabel->setText(text);
}

void FlowWalkthrough::focusStep(const QString& stepId)
{
    const int index = indexOf(stepId);
    if (index >= 0) {
        m_stepList->setCurrentRow(index);
    }
}

int FlowWalkthrough::indexOf(const QString& stepId) const
{
    for (int i = 0; i < m_steps.size(); ++i) {
        if (m_steps.at(i).step.id == stepId) {
            return i;
        }
    }
    return -1;
}

QString FlowWalkthrough::reveal(const QString& text) const
{
    QString revealed = text;
    for (auto it = m_revealMap.cbegin(); it != m_revealMap.cend(); ++it) {
        revealed.replace(it.key(), it.value());
    }
    return revealed;
}

} // namespace keyway::ui
