#pragma once

#include "core/flow/FlowEngine.h"
#include "core/flow/FlowEvent.h"
#include "core/profile/ProviderProfile.h"

#include <QMap>
#include <QPointer>
#include <QString>
#include <QWidget>

#include <functional>

class QLabel;
class QListWidget;
class QPlainTextEdit;
class QPushButton;
class QToolButton;
class QFrame;

namespace keyway::ui {

class SignInWait;

// The profile's auth flow as a numbered list, like Google's OAuth Playground: "Run all" runs the
// whole flow, "Step" runs the next step only; each step shows its redacted request and reply
// (reveal on demand) and, when it fails, the profile's hint in plain words. Browser steps show
// "waiting for the browser" with Cancel. Captured / consumed / expired events are re-emitted as
// timelineEvent() for the TimelineModel.
class FlowWalkthrough : public QWidget
{
    Q_OBJECT
public:
    // Delivers the environment's credential values (secret ones read from the keychain), or an
    // error in plain words when they cannot be read (keychain locked, unavailable), and the
    // environment's connection settings (CA file, client certificate, proxy) for its requests.
    using CredentialsCallback = std::function<void(const QMap<QString, QString>& values,
                                                   const QString& error,
                                                   const std::shared_ptr<const ConnectionSettings>& connection)>;
    using CredentialLoader = std::function<void(CredentialsCallback done)>;

    enum class StepState { Pending, Running, Succeeded, Failed, Cancelled };
    // After this long without the keychain's answer, the status line says what it is waiting for.
    static constexpr int KeychainPatienceMs = 2000;

    explicit FlowWalkthrough(QWidget* parent = nullptr);
    ~FlowWalkthrough() override;

    // The environment to run; nullptr profile clears the view. Its last run is kept by environment id, so a
    // rename or another environment in between does not throw it away.
    void setEnvironment(const ProviderProfile* profile,
                        const QString& environmentId,
                        const QString& environmentName,
                        const QString& baseUrl,
                        const QString& credentialSet,
                        CredentialLoader loader);
    // A rename: the title follows, the run (even one in progress) stays.
    void setEnvironmentName(const QString& environmentName);
    QString titleText() const { return m_titleText; }
    void setUrlOpener(UrlOpener opener);

    bool isRunning() const { return m_engine != nullptr || m_loading; }
    StepState stepState(int index) const;
    int stepCount() const { return m_steps.size(); }
    QString statusText() const;
    // What the runs so far captured (memory only): the access token of a finished flow among them.
    const QMap<QString, CapturedValue>& capturedValues() const { return m_captured; }

    // Shows step `stepId` (the health board opens a failed environment at the step that failed).
    void focusStep(const QString& stepId);

public Q_SLOTS:
    void runAll();
    void runNextStep();
    void cancel();

Q_SIGNALS:
    void timelineEvent(const keyway::FlowEvent& event);
    void flowEvent(const keyway::FlowEvent& event); // every event, already redacted
    void runStarted();
    void finished(bool ok);
    // "Use a CA file for this environment…" after a failed TLS handshake.
    void caFileRequested();

private:
    struct StepView
    {
        FlowStep step;
        StepState state = StepState::Pending;
        QString request; // redacted
        QString reply; // redacted
        QString hint;
        QString detail;
        QString unreachable; // "Unreachable: TLS handshake failed" when the server could not be reached
        bool tlsFailed = false; // then the reply view shows the chain and a CA file can be picked
    };

    // The last run of each environment, kept (in memory) while another one is shown.
    struct LastRun
    {
        QList<StepView> steps;
        QMap<QString, CapturedValue> captured;
        QMap<QString, QString> revealMap;
        QStringList consumed;
        int nextStep = 0;
        QString status;
    };
    QString runKey() const;
    void measureSteps();
    void setTitle(const QString& text);
    bool eventFilter(QObject* watched, QEvent* event) override;

    void buildUi();
    void start(int onlyStep);
    void launch(const QMap<QString, QString>& credentials,
                const std::shared_ptr<const ConnectionSettings>& connection,
                int onlyStep);
    void onEvent(const FlowEvent& event);
    void onFinished(const FlowResult& result);
    void setStepState(int index, StepState state);
    void showStep(int index);
    void refreshDetails();
    void updateControls();
    void setStatus(const QString& text);
    int indexOf(const QString& stepId) const;
    QString reveal(const QString& text) const;
    void dropEngine();

    const ProviderProfile* m_profile = nullptr;
    QString m_environmentId;
    QString m_environmentName;
    QString m_baseUrl;
    QString m_credentialSet;
    CredentialLoader m_loader;
    UrlOpener m_openUrl;

    QList<StepView> m_steps;
    int m_nextStep = 0; // for "Step"
    int m_currentStep = -1; // shown in the details
    QMap<QString, CapturedValue> m_captured; // values kept between "Step" runs, memory only
    QMap<QString, QString> m_revealMap; // «placeholder» -> value, memory only, for "Reveal"
    QStringList m_consumed;
    int m_runningStep = -1; // the step a "Step" run runs; -1 for "Run all"
    QPointer<FlowEngine> m_engine;
    bool m_loading = false;
    QMap<QString, LastRun> m_lastRuns; // by runKey()
    int m_generation = 0; // ignores credential callbacks of a cancelled run

    QLabel* m_title = nullptr;
    QString m_titleText; // in full; the label shows it elided to its width
    QListWidget* m_stepList = nullptr;
    QPushButton* m_runAllButton = nullptr;
    QPushButton* m_stepButton = nullptr;
    QPushButton* m_cancelButton = nullptr;
    QToolButton* m_revealButton = nullptr;
    QLabel* m_stepTitle = nullptr;
    QLabel* m_stepDescription = nullptr;
    QPlainTextEdit* m_requestView = nullptr;
    QPlainTextEdit* m_replyView = nullptr;
    QFrame* m_hintFrame = nullptr;
    QLabel* m_hintLabel = nullptr;
    SignInWait* m_signInWait = nullptr;
    QPushButton* m_caFileButton = nullptr;
    QLabel* m_statusLabel = nullptr;
};

} // namespace keyway::ui
