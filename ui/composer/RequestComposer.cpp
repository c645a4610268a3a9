#include "ui/composer/RequestComposer.h"

#include "core/flow/TemplateResolver.h"
#include "core/history/HistoryRecorder.h"
#include "core/history/HistoryStore.h"
#include "core/http/CurlExport.h"
#include "core/http/Idempotency.h"
#include "core/http/NetworkDiagnosis.h"
#include "core/http/Redactor.h"
#include "core/http/RequestExecutor.h"
#include "core/http/TlsDiagnosis.h"
#include "core/session/Session.h"
#include "ui/common/Clipboard.h"
#include "ui/common/MessageBox.h"
#include "ui/common/SignInWait.h"
#include "ui/composer/KeyValueTable.h"
#include "ui/inspector/ResponseInspector.h"

#include <QComboBox>
#include <QFontDatabase>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QShortcut>
#include <QSplitter>
#include <QTabWidget>
#include <QTimer>
#include <QToolButton>
#include <QUrlQuery>
#include <QVBoxLayout>

namespace keyway::ui {

namespace {

// A keychain read takes milliseconds; one that takes this long waits for an unlock prompt.
constexpr int KeychainPatienceMs = 2000;

const QString kMaskedToken = QStringLiteral("\u2022\u2022\u2022\u2022\u2022");

} // namespace

RequestComposer::RequestComposer(QWidget* parent) : QWidget(parent), m_executor(new RequestExecutor(this))
{
    setObjectName(QStringLiteral("requestComposer"));
    buildUi();
    setEnvironment(nullptr, Environment(), QString(), nullptr);
}

RequestComposer::~RequestComposer() = default;

void RequestComposer::setInspector(ResponseInspector* inspector)
{
    m_inspector = inspector;
}

void RequestComposer::buildUi()
{
    m_samples = new QComboBox(this);
    m_samples->setObjectName(QStringLiteral("composerSamples"));
    m_samples->setAccessibleName(tr("Sample requests"));
    m_samples->setToolTip(tr("The provider's sample requests, filled from this environment"));
    connect(m_samples, QOverload<int>::of(&QComboBox::activated), this, [this](int index) {
        applySample(index - 1); // entry 0 is the prompt
    });

    m_method = new QComboBox(this);
    m_method->setObjectName(QStringLiteral("composerMethod"));
    m_method->setAccessibleName(tr("HTTP method"));
    m_method->addItems({QStringLiteral("GET"),
                        QStringLiteral("POST"),
                        QStringLiteral("PUT"),
                        QStringLiteral("PATCH"),
                        QStringLiteral("DELETE"),
                        QStringLiteral("HEAD"),
                        QStringLiteral("OPTIONS")});
    m_method->setEditable(false);
    connect(m_method, &QComboBox::currentTextChanged, this, &RequestComposer::updateDerived);

    m_path = new QLineEdit(this);
    m_path->setObjectName(QStringLiteral("composerPath"));
    m_path->setAccessibleName(tr("Request path"));
    m_path->setPlaceholderText(tr("/v1/path relative to the base URL"));
    m_path->setClearButtonEnabled(true);
    connect(m_path, &QLineEdit::textChanged, this, &RequestComposer::updateDerived);

    m_send = new QPushButton(tr("&Send"), this);
    m_send->setObjectName(QStringLiteral("composerSend"));
    m_send->setToolTip(tr("Send the request (Ctrl+Enter)"));
    m_send->setDefault(true);
    connect(m_send, &QPushButton::clicked, this, &RequestComposer::send);
    m_cancel = new QPushButton(tr("Cancel"), this);
    m_cancel->setObjectName(QStringLiteral("composerCancel"));
    m_cancel->setToolTip(tr("Stop waiting for the reply (Esc)"));
    connect(m_cancel, &QPushButton::clicked, this, &RequestComposer::cancel);

    m_curl = new QToolButton(this);
    m_curl->setObjectName(QStringLiteral("composerCurl"));
    m_curl->setText(tr("Copy as curl"));
    m_curl->setPopupMode(QToolButton::MenuButtonPopup);
    m_curl->setToolTip(tr("Copy the request as a curl command, with the token and secrets as placeholders"));
    connect(m_curl, &QToolButton::clicked, this, &RequestComposer::copyAsCurl);
    auto* curlMenu = new QMenu(m_curl);
    curlMenu->addAction(tr("Copy as curl"), this, &RequestComposer::copyAsCurl);
    curlMenu->addAction(tr("Copy as curl with secrets…"), this, &RequestComposer::copyAsCurlWithSecrets);
    m_curl->setMenu(curlMenu);

    auto* lineLayout = new QHBoxLayout;
    lineLayout->addWidget(m_method);
    lineLayout->addWidget(m_path, 1);
    lineLayout->addWidget(m_send);
    lineLayout->addWidget(m_cancel);

    m_resolved = new QLabel(this);
    m_resolved->setObjectName(QStringLiteral("composerResolvedUrl"));
    m_resolved->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_resolved->setWordWrap(true);
    QFont small = m_resolved->font();
    small.setPointSizeF(small.pointSizeF() * 0.9);
    m_resolved->setFont(small);

    m_params = new KeyValueTable(tr("Parameter"), tr("Value"), this);
    m_params->setObjectName(QStringLiteral("composerParams"));
    m_params->setAccessibleName(tr("Query parameters"));
    connect(m_params, &KeyValueTable::rowsChanged, this, &RequestComposer::updateDerived);
    m_headers = new KeyValueTable(tr("Header"), tr("Value"), this);
    m_headers->setObjectName(QStringLiteral("composerHeaders"));
    m_headers->setAccessibleName(tr("Request headers"));

    m_idempotencyRow = new QWidget(this);
    m_idempotencyRow->setObjectName(QStringLiteral("composerIdempotency"));
    m_idempotencyLabel = new QLabel(m_idempotencyRow);
    m_idempotencyField = new QLineEdit(m_idempotencyRow);
    m_idempotencyField->setObjectName(QStringLiteral("composerIdempotencyKey"));
    m_idempotencyField->setAccessibleName(tr("Idempotency key"));
    m_idempotencyField->setReadOnly(true);
    m_idempotencyField->setToolTip(
        tr("This endpoint needs a unique key per request: sending the same key again repeats nothing on the "
           "provider's side. Regenerate it for a new request."));
    auto* regenerate = new QToolButton(m_idempotencyRow);
    regenerate->setObjectName(QStringLiteral("composerRegenerateKey"));
    regenerate->setText(tr("Regenerate"));
    connect(regenerate, &QToolButton::clicked, this, &RequestComposer::regenerateIdempotencyKey);
    auto* idempotencyLayout = new QHBoxLayout(m_idempotencyRow);
    idempotencyLayout->setContentsMargins(0, 0, 0, 0);
    idempotencyLayout->addWidget(m_idempotencyLabel);
    idempotencyLayout->addWidget(m_idempotencyField, 1);
    idempotencyLayout->addWidget(regenerate);

    auto* headersPage = new QWidget(this);
    auto* headersLayout = new QVBoxLayout(headersPage);
    headersLayout->setContentsMargins(0, 0, 0, 0);
    headersLayout->addWidget(m_headers, 1);
    headersLayout->addWidget(m_idempotencyRow);

    m_body = new QPlainTextEdit(this);
    m_body->setObjectName(QStringLiteral("composerBody"));
    m_body->setAccessibleName(tr("Request body"));
    m_body->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_body->setPlaceholderText(tr("Request body (JSON or form), sent as is"));
    m_body->setTabChangesFocus(true);

    auto* tabs = new QTabWidget(this);
    tabs->setObjectName(QStringLiteral("composerTabs"));
    tabs->addTab(m_params, tr("&Query"));
    tabs->addTab(headersPage, tr("He&aders"));
    tabs->addTab(m_body, tr("&Body"));
    tabs->setCurrentIndex(1);

    m_signInWait = new SignInWait(QStringLiteral("composerBrowser"), this);
    connect(m_signInWait, &SignInWait::cancelRequested, this, [this] {
        if (m_session) {
            m_session->cancelSignIn(); // the send then ends with "cancelled"
        }
        m_signInWait->finish();
    });
    connect(m_signInWait, &SignInWait::redirectSubmitted, this, [this](const QUrl& url) {
        if (m_session) {
            m_signInWait->showRedirectProblem(m_session->submitRedirectUrl(url));
        }
    });

    m_progress = new QProgressBar(this);
    m_progress->setObjectName(QStringLiteral("composerProgress"));
    m_progress->setRange(0, 0); // busy indicator: the reply's size is unknown until it arrives
    m_progress->setTextVisible(false);
    m_progress->setMaximumHeight(6);
    m_progress->setVisible(false);
    m_status = new QLabel(this);
    m_status->setObjectName(QStringLiteral("composerStatus"));
    m_status->setWordWrap(true);
    m_newKey = new QPushButton(tr("New key and send"), this);
    m_newKey->setObjectName(QStringLiteral("composerNewKey"));
    m_newKey->setToolTip(tr("Send this request again as a new one, with a fresh idempotency key"));
    m_newKey->setVisible(false);
    connect(m_newKey, &QPushButton::clicked, this, [this] {
        regenerateIdempotencyKey();
        send();
    });
    m_bodyWarning = new QLabel(this);
    m_bodyWarning->setObjectName(QStringLiteral("composerBodyWarning"));
    m_bodyWarning->setWordWrap(true);
    m_bodyWarning->setVisible(false);
    connect(m_body, &QPlainTextEdit::textChanged, this, &RequestComposer::updateDerived);

    auto* topLayout = new QHBoxLayout;
    topLayout->addWidget(new QLabel(tr("Sample:"), this));
    topLayout->addWidget(m_samples, 1);
    topLayout->addWidget(m_curl);

    auto* layout = new QVBoxLayout(this);
    layout->addLayout(topLayout);
    layout->addLayout(lineLayout);
    layout->addWidget(m_signInWait);
    layout->addWidget(m_resolved);
    layout->addWidget(tabs, 1);
    layout->addWidget(m_bodyWarning);
    layout->addWidget(m_progress);
    auto* statusLayout = new QHBoxLayout;
    statusLayout->addWidget(m_status, 1);
    statusLayout->addWidget(m_newKey);
    layout->addLayout(statusLayout);

    for (const QKeySequence& keys : {QKeySequence(Qt::CTRL | Qt::Key_Return), QKeySequence(Qt::CTRL | Qt::Key_Enter)}) {
        auto* shortcut = new QShortcut(keys, this);
        shortcut->setContext(Qt::WidgetWithChildrenShortcut);
        connect(shortcut, &QShortcut::activated, this, &RequestComposer::send);
    }
    auto* escape = new QShortcut(QKeySequence(Qt::Key_Escape), this);
    escape->setContext(Qt::WidgetWithChildrenShortcut);
    connect(escape, &QShortcut::activated, this, [this] {
        if (m_sending) {
            cancel();
        }
    });
}

void RequestComposer::setEnvironment(const ProviderProfile* profile,
                                     const Environment& environment,
                                     const QString& credentialSet,
                                     SessionRegistry* sessions)
{
    if (m_sending) {
        cancel();
    }
    const bool sameEnvironment = profile && profile == m_profile && environment.id == m_environment.id
        && environment.baseUrl == m_environment.baseUrl && credentialSet == m_credentialSet && sessions == m_sessions;
    const bool otherEnvironment = environment.id != m_environment.id;
    if (otherEnvironment && m_profile && !m_environment.id.isEmpty()) {
        m_drafts.insert(m_environment.id, Draft {currentRequest(), m_idempotencyKey, m_samples->currentIndex()});
    }
    m_profile = profile;
    m_environment = environment;
    m_credentialSet = credentialSet;
    m_sessions = sessions;
    if (!sameEnvironment) {
        // Tokens belong to one environment and set: the shared session of the new one is looked up on use.
        m_recorder.reset();
        m_session.clear();
    }

    m_samples->clear();
    m_samples->addItem(profile ? tr("Choose a sample request…") : tr("No environment selected"));
    if (profile) {
        for (const SampleRequest& sample : profile->samples) {
            m_samples->addItem(QStringLiteral("%1  %2  %3").arg(sample.method, sample.path, sample.name));
        }
        // Requests that came with the environment (an imported Postman collection's) follow the provider's.
        for (const EnvironmentSample& sample : environment.samples) {
            m_samples->addItem(QStringLiteral("%1  %2  %3").arg(sample.method, sample.path, sample.name));
        }
        const QString header = profile->token.header;
        m_headers->setLockedRows({{header, tr("%1 (added at send)").arg(kMaskedToken)}});
    } else {
        m_headers->setLockedRows({});
    }
    setEnabled(profile != nullptr);
    if (otherEnvironment || m_path->text().isEmpty()) {
        // Each environment keeps its own draft; a new one starts from the request that proves it works.
        m_replayed = false;
        m_newKey->setVisible(false);
        const auto draft = m_drafts.constFind(environment.id);
        if (profile && draft != m_drafts.cend()) {
            loadRequest(draft->request);
            m_idempotencyKey = draft->idempotencyKey;
            m_samples->setCurrentIndex(draft->sample);
        } else {
            loadCheckRequest();
        }
    }
    setStatus(profile ? tr("Ready: %1 on %2").arg(environment.name, environment.baseUrl) : QString());
    updateDerived();
}

void RequestComposer::loadCheckRequest()
{
    ApiRequest request;
    if (m_profile && m_profile->check) {
        request.method = m_profile->check->method;
        request.path = fillPlaceholders(m_profile->check->path);
    } else {
        request.path.clear();
    }
    m_idempotencyKey.clear();
    loadRequest(request);
}

QString RequestComposer::bodyWarningText() const
{
    return m_bodyWarning->isVisibleTo(this) ? m_bodyWarning->text() : QString();
}

QStringList RequestComposer::unfilledPlaceholders() const
{
    static const QRegularExpression placeholder(QStringLiteral("\\{\\{\\s*([A-Za-z0-9_.]*)\\s*\\}\\}"));
    const ApiRequest request = currentRequest();
    QString text = request.path + QLatin1Char('\n') + QString::fromUtf8(request.body);
    for (const auto& [name, value] : request.headers) {
        text += QLatin1Char('\n') + QString::fromUtf8(value);
    }
    QStringList names;
    auto it = placeholder.globalMatch(text);
    while (it.hasNext()) {
        const QString name = it.next().captured(1);
        if (!names.contains(name)) {
            names.append(name);
        }
    }
    return names;
}

QStringList RequestComposer::sampleNames() const
{
    QStringList names;
    if (m_profile) {
        for (const SampleRequest& sample : m_profile->samples) {
            names.append(sample.name);
        }
        for (const EnvironmentSample& sample : m_environment.samples) {
            names.append(sample.name);
        }
    }
    return names;
}

QString RequestComposer::fillPlaceholders(const QString& text) const
{
    // Only non-secret values: a secret never lands in an editable field (or in history through it).
    return TemplateResolver::substitute(text, [this](const QString& key, const QString& placeholder) {
        const CredentialField* field = m_profile ? m_profile->field(key) : nullptr;
        const bool secret = field && field->secret;
        const QString value = secret ? QString() : m_environment.values.value(key);
        return value.isEmpty() ? placeholder : value;
    });
}

void RequestComposer::applySample(int index)
{
    const qsizetype fromProfile = m_profile ? m_profile->samples.size() : 0;
    if (!m_profile || index < 0 || index >= fromProfile + m_environment.samples.size()) {
        return;
    }
    ApiRequest request;
    QString status;
    if (index < fromProfile) {
        const SampleRequest& sample = m_profile->samples.at(index);
        request.method = sample.method;
        request.path = fillPlaceholders(sample.path);
        request.body = fillPlaceholders(sample.body).toUtf8();
        status = sample.description.isEmpty() ? sample.name : sample.description;
    } else {
        const EnvironmentSample& sample = m_environment.samples.at(index - fromProfile);
        request.method = sample.method;
        request.path = fillPlaceholders(sample.path);
        request.body = fillPlaceholders(sample.body).toUtf8();
        status = sample.name;
    }
    m_samples->setCurrentIndex(index + 1);
    loadRequest(request);
    regenerateIdempotencyKey(); // a sample is a new request
    setStatus(status);
}

void RequestComposer::loadRequest(const ApiRequest& request)
{
    m_method->setCurrentText(request.method.toUpper());
    QString path = request.path;
    KeyValueTable::Rows params;
    const qsizetype question = path.indexOf(QLatin1Char('?'));
    if (question >= 0) {
        const QUrlQuery query(path.mid(question + 1));
        for (const auto& [name, value] : query.queryItems(QUrl::FullyDecoded)) {
            params.append({name, value});
        }
        path.truncate(question);
    }
    m_path->setText(path);
    m_params->setRows(params);
    KeyValueTable::Rows headers;
    for (const auto& [name, value] : request.headers) {
        if (!m_idempotencyHeader.isEmpty() && name.compare(m_idempotencyHeader, Qt::CaseInsensitive) == 0) {
            m_idempotencyKey = QString::fromLatin1(value);
            continue;
        }
        headers.append({QString::fromLatin1(name), QString::fromUtf8(value)});
    }
    m_headers->setRows(headers);
    m_body->setPlainText(QString::fromUtf8(request.body));
    updateDerived();
}

QString RequestComposer::pathWithQuery() const
{
    QString path = m_path->text().trimmed();
    const KeyValueTable::Rows params = m_params->rows();
    if (params.isEmpty()) {
        return path;
    }
    QUrlQuery query;
    for (const auto& [name, value] : params) {
        query.addQueryItem(QString::fromLatin1(QUrl::toPercentEncoding(name)),
                           QString::fromLatin1(QUrl::toPercentEncoding(value)));
    }
    return path + (path.contains(QLatin1Char('?')) ? QLatin1Char('&') : QLatin1Char('?'))
        + query.query(QUrl::FullyEncoded);
}

ApiRequest RequestComposer::currentRequest() const
{
    ApiRequest request;
    request.method = m_method->currentText();
    request.path = pathWithQuery();
    for (const auto& [name, value] : m_headers->rows()) {
        request.headers.append({name.toLatin1(), value.toUtf8()});
    }
    if (!m_idempotencyHeader.isEmpty() && !m_idempotencyKey.isEmpty()) {
        request.headers.append({m_idempotencyHeader, m_idempotencyKey.toLatin1()});
    }
    request.body = m_body->toPlainText().toUtf8();
    return request;
}

QString RequestComposer::resolvedUrl() const
{
    if (!m_profile) {
        return QString();
    }
    return TemplateResolver::resolveUrl(m_environment.baseUrl, pathWithQuery()).toDisplayString();
}

QString RequestComposer::idempotencyKey() const
{
    return m_idempotencyHeader.isEmpty() ? QString() : m_idempotencyKey;
}

void RequestComposer::regenerateIdempotencyKey()
{
    m_idempotencyKey = QString::fromLatin1(newIdempotencyKey());
    updateDerived();
}

void RequestComposer::updateDerived()
{
    m_resolved->setText(m_profile ? tr("→ %1").arg(resolvedUrl()) : QString());
    m_idempotencyHeader = m_profile
        ? idempotencyHeaderFor(m_profile->idempotency, m_method->currentText(), m_path->text().trimmed())
        : QByteArray();
    const bool needsKey = !m_idempotencyHeader.isEmpty();
    if (needsKey && m_idempotencyKey.isEmpty()) {
        m_idempotencyKey = QString::fromLatin1(newIdempotencyKey());
    }
    m_idempotencyRow->setVisible(needsKey);
    m_idempotencyLabel->setText(QString::fromLatin1(m_idempotencyHeader) + QLatin1Char(':'));
    m_idempotencyField->setText(needsKey ? m_idempotencyKey : QString());
    m_send->setEnabled(m_profile && !m_sending && !m_path->text().trimmed().isEmpty());
    const QString method = m_method->currentText();
    const bool bodyIgnored = (method == QLatin1String("GET") || method == QLatin1String("HEAD"))
        && !m_body->toPlainText().trimmed().isEmpty();
    m_bodyWarning->setText(bodyIgnored ? tr("\u26a0 A %1 request with a body: most servers ignore it or refuse the "
                                            "request. Clear the body or choose POST.")
                                             .arg(method)
                                       : QString());
    m_bodyWarning->setVisible(bodyIgnored);
    m_cancel->setEnabled(m_sending);
}

QString RequestComposer::statusText() const
{
    return m_status->text();
}

void RequestComposer::setStatus(const QString& text)
{
    m_status->setText(text);
}

void RequestComposer::setSending(bool sending)
{
    m_sending = sending;
    m_progress->setVisible(sending);
    updateDerived();
    Q_EMIT sendingChanged(sending);
}

void RequestComposer::withSession(std::function<void(const QString& error)> next)
{
    if (m_session && m_recorder) {
        next(QString());
        return;
    }
    if (!m_sessions || !m_profile) {
        next(tr("This environment's credentials cannot be read."));
        return;
    }
    const quint64 generation = m_generation;
    QPointer<RequestComposer> self(this);
    const ProviderProfile* profile = m_profile;
    m_sessions->acquire(
        m_environment.id,
        m_credentialSet,
        this,
        [self, generation, profile, next](Session* session, const QString& error) {
            if (!self || self->m_generation != generation || self->m_profile != profile) {
                return; // cancelled, or another environment was chosen meanwhile
            }
            if (!session) {
                next(error);
                return;
            }
            self->m_session = session;
            // The token endpoint's last reply, shown when getting a token fails.
            QObject::disconnect(self->m_sessionEvents);
            self->m_sessionEvents = QObject::connect(session, &Session::event, self, [self](const FlowEvent& event) {
                if (event.type == FlowEvent::Type::Response && event.stepId != QLatin1String("api")) {
                    self->m_lastTokenReply = event;
                }
                // A send that needs a browser sign-in says so, instead of waiting silently.
                if (event.type == FlowEvent::Type::WaitingForBrowser) {
                    self->m_signInWait->showWaiting(event);
                    self->setStatus(tr("Signing in before sending: finish the sign-in in the browser."));
                } else if (event.type == FlowEvent::Type::DeviceCode) {
                    self->m_signInWait->showDeviceCode(event);
                    self->setStatus(tr("Signing in before sending: approve the code shown here."));
                } else if ((event.type == FlowEvent::Type::Response && !self->m_signInWait->isShowingDeviceCode())
                           || event.type == FlowEvent::Type::StepFailed || event.type == FlowEvent::Type::Consumed) {
                    self->m_signInWait->finish();
                }
                if (!self->m_sending || !self->m_profile) {
                    return;
                }
                if (event.type == FlowEvent::Type::Expired && event.stepId == QLatin1String("api")) {
                    self->m_tokenRefused = true;
                } else if (event.type == FlowEvent::Type::Captured && event.name == self->m_profile->token.capture) {
                    self->m_tokenFetched = true;
                }
            });
            self->m_recorder = std::make_unique<HistoryRecorder>(
                session, self->m_history, self->m_environment.id, self->m_environment.baseUrl);
            self->m_recorder->setExecutor(self->m_executor);
            next(QString());
        });
}

void RequestComposer::send()
{
    if (m_sending || !m_profile || m_path->text().trimmed().isEmpty()) {
        return;
    }
    const QStringList unfilled = unfilledPlaceholders();
    if (!unfilled.isEmpty()) {
        // Sent as is, "{{merchantId}}" reaches the provider literally and its error says nothing useful.
        QStringList names;
        for (const QString& name : unfilled) {
            names.append(QStringLiteral("{{%1}}").arg(name));
        }
        setStatus(tr("Not sent: %1 has no value. Fill it in the request, or set the field in Edit environment.")
                      .arg(names.join(QStringLiteral(", "))));
        return;
    }
    const quint64 generation = ++m_generation;
    const ApiRequest request = currentRequest();
    m_replayed = false;
    m_newKey->setVisible(false);
    m_lastTokenReply = FlowEvent();
    m_tokenRefused = false;
    m_tokenFetched = false;
    setSending(true);
    setStatus(tr("Sending %1 %2…").arg(request.method, resolvedUrl()));
    QPointer<RequestComposer> self(this);
    // The first send reads the secrets; a keychain that takes this long waits for an unlock prompt.
    QTimer::singleShot(KeychainPatienceMs, this, [self, generation] {
        if (self && self->m_generation == generation && self->m_sending && !self->m_recorder) {
            self->setStatus(tr("Still waiting for the keychain: if your desktop asks to unlock it, unlock it "
                               "(the prompt may be behind this window). Esc stops waiting."));
        }
    });
    withSession([self, generation, request](const QString& error) {
        if (!self || self->m_generation != generation) {
            return;
        }
        if (!error.isEmpty()) {
            self->setSending(false);
            self->setStatus(error);
            Q_EMIT self->finished(false);
            return;
        }
        self->m_recorder->call(request, [self, generation](const ApiResult& result, const HistoryEntry&) {
            if (!self) {
                return;
            }
            Q_EMIT self->recorded(); // recorded even when the user stopped waiting for it
            if (self->m_generation == generation) {
                self->onResult(result);
            }
        });
    });
}

void RequestComposer::onResult(const ApiResult& result)
{
    setSending(false);
    m_signInWait->finish();
    // Unreachable (DNS, refused, TLS, proxy, timeout) is its own state, whether the call or the token failed.
    const bool tokenUnreachable
        = result.outcome == ApiResult::Outcome::AuthFailed && result.auth.outcome == FlowResult::Outcome::Network;
    const bool unreachable = result.outcome == ApiResult::Outcome::Network || tokenUnreachable;
    const HttpResponse::Failure failure = tokenUnreachable ? result.auth.failure : result.response.failure;
    const QList<QSslCertificate> chain = tokenUnreachable ? result.auth.peerChain : result.response.peerChain;
    const QString oneLine
        = unreachable ? NetworkDiagnosis::title(failure) + QStringLiteral(" — ") + result.oneLine() : result.oneLine();
    const Redactor* redactor = m_session ? &m_session->redactor() : nullptr;
    if (m_inspector) {
        ReplyView view;
        view.status = result.response.status;
        view.reason = QString::fromLatin1(result.response.reason);
        view.elapsedMs = result.response.elapsedMs;
        for (const auto& [name, value] : result.response.headers) {
            view.headers.append({name, redactor ? redactor->redactHeader(name, value).toUtf8() : value});
        }
        view.body = result.response.body;
        if (result.outcome == ApiResult::Outcome::AuthFailed && result.response.status == 0
            && m_lastTokenReply.status > 0) {
            // The call never went out because getting a token failed: show the token endpoint's reply
            // (already redacted), which is what explains the failure.
            view.status = m_lastTokenReply.status;
            view.reason = standardReasonPhrase(m_lastTokenReply.status);
            view.elapsedMs = m_lastTokenReply.elapsedMs;
            view.headers.clear();
            for (const auto& [name, value] : m_lastTokenReply.headers) {
                view.headers.append({name.toLatin1(), value.toUtf8()});
            }
            view.body = m_lastTokenReply.body.toUtf8();
        }
        if (m_profile) {
            view.success = m_profile->apiSuccess;
        }
        if (!result.ok()) {
            view.hint = oneLine;
        }
        if (unreachable && !chain.isEmpty()) {
            QString text = tr("Certificate chain the server presented:");
            for (int i = 0; i < chain.size(); ++i) {
                text += QStringLiteral("\n%1. ").arg(i + 1) + TlsDiagnosis::summary(chain.at(i));
            }
            view.body = text.toUtf8();
        }
        m_inspector->showReply(view);
    }
    QString status
        = result.ok() ? tr("HTTP %1 in %2 ms").arg(result.response.status).arg(result.response.elapsedMs) : oneLine;
    // A renewal is part of what happened: the user would otherwise never learn the old token was refused.
    if (m_tokenRefused && m_tokenFetched) {
        status += QStringLiteral(" · ")
            + tr("the provider refused the access token, so Keyway renewed it once and sent the request again");
    } else if (m_tokenRefused) {
        status += QStringLiteral(" · ") + tr("the provider refused the access token and renewing it failed");
    } else if (m_tokenFetched) {
        status += QStringLiteral(" · ") + tr("with a new access token, fetched first");
    }
    setStatus(status);
    QString replayHeader;
    for (const IdempotencyRule& rule : m_profile ? m_profile->idempotency : QList<IdempotencyRule>()) {
        if (m_idempotencyHeader.compare(rule.header.toLatin1(), Qt::CaseInsensitive) == 0) {
            replayHeader = rule.replayHeader;
        }
    }
    const QByteArray replayed = replayHeader.isEmpty()
        ? QByteArray()
        : headerValue(result.response.headers, replayHeader.toLatin1()).trimmed().toLower();
    m_replayed = !replayed.isEmpty() && replayed != "false";
    if (m_replayed) {
        // The provider did nothing this time: it answered with the reply it kept for this key.
        setStatus(tr("HTTP %1: a replay. The provider had seen Idempotency-Key %2 and returned its earlier reply; "
                     "nothing was done again. Use \u201cNew key and send\u201d to send it as a new request.")
                      .arg(result.response.status)
                      .arg(m_idempotencyKey));
    }
    m_newKey->setVisible(m_replayed);
    Q_EMIT finished(result.ok());
}

void RequestComposer::cancel()
{
    if (!m_sending) {
        return;
    }
    ++m_generation; // whatever still arrives is not shown
    // The request itself stops too. A token request in flight belongs to the shared session: other tabs may
    // be waiting for the same token, so it finishes and the token stays for the next send.
    m_executor->abortAll();
    if (m_session && m_session->isWaitingForBrowser()) {
        m_session->cancelSignIn(); // nobody is going to finish a sign-in the user walked away from
    }
    m_signInWait->finish();
    setSending(false);
    setStatus(tr("Cancelled."));
}

HttpRequest RequestComposer::curlRequest(const QString& tokenValue) const
{
    const ApiRequest api = currentRequest();
    if (m_profile) {
        return Session::apiHttpRequest(*m_profile, m_environment.baseUrl, api, tokenValue);
    }
    HttpRequest request;
    request.method = api.method.toLatin1();
    request.url = TemplateResolver::resolveUrl(m_environment.baseUrl, api.path);
    request.headers = api.headers;
    request.body = api.body;
    return request;
}

QString RequestComposer::curlCommand(bool reveal) const
{
    if (!m_profile) {
        return QString();
    }
    const auto token = m_session ? m_session->accessToken() : std::nullopt;
    if (reveal && token) {
        return toCurlCommand(curlRequest(token->value), nullptr, true);
    }
    Redactor redactor;
    if (m_session) {
        redactor.merge(m_session->redactor());
    }
    const QString placeholder = Redactor::placeholder(m_profile->token.capture);
    redactor.addCredentialHeader(m_profile->token.header.toLatin1(), m_profile->token.capture);
    return toCurlCommand(curlRequest(placeholder), &redactor, false);
}

void RequestComposer::copyAsCurl()
{
    Clipboard::instance()->copyText(curlCommand(false));
    setStatus(tr("Copied as curl; the token and secrets are placeholders."));
}

void RequestComposer::copyAsCurlWithSecrets()
{
    if (!m_profile) {
        return;
    }
    const auto answer = MessageBox::question(
        this,
        tr("Copy as curl with secrets"),
        tr("The command will contain this environment's live access token in clear. Anyone who sees it can "
           "act as you until the token expires. The clipboard is cleared after %1 seconds. Copy it?")
            .arg(Clipboard::instance()->clearDelay() / 1000),
        QMessageBox::Yes | QMessageBox::Cancel,
        QMessageBox::Cancel);
    if (answer != QMessageBox::Yes) {
        setStatus(tr("Nothing copied."));
        return;
    }
    QPointer<RequestComposer> self(this);
    const quint64 generation = m_generation;
    auto copy = [self]() {
        if (!self) {
            return;
        }
        Clipboard::instance()->copySecret(self->curlCommand(true));
        self->setStatus(tr("Copied as curl with the token; the clipboard clears itself."));
    };
    if (m_session && m_session->accessToken()) {
        copy();
        return;
    }
    setStatus(tr("Getting a token…"));
    withSession([self, generation, copy](const QString& error) {
        if (!self || self->m_generation != generation) {
            return;
        }
        if (!error.isEmpty()) {
            self->setStatus(error);
            return;
        }
        self->m_session->ensureToken([self, copy](const FlowResult& result) {
            if (!self) {
                return;
            }
            if (!result.ok()) {
                self->setStatus(result.oneLine());
                return;
            }
            copy();
        });
    });
}

} // namespace keyway::ui
